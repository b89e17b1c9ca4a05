// Errors of the node server as Kubernetes Status objects, for normal responses and for upgrade
// requests answered on the raw socket.
import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { rejectUpgrade } from '../streaming/http-upgrade.js';

const REASON_BY_CODE: Record<number, string> = { 400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 405: 'MethodNotAllowed', 500: 'InternalError' };

export function statusBody(code: number, message: string, reason?: string): string {
  return JSON.stringify({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason: reason ?? REASON_BY_CODE[code] ?? 'InternalError',
    code,
  });
}

export function sendStatus(res: ServerResponse, code: number, message: string, reason?: string): void {
  const body = statusBody(code, message, reason);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

export function rejectUpgradeWithStatus(socket: Duplex, code: number, message: string, reason?: string, headers?: Record<string, string[]>): void {
  rejectUpgrade(socket, code, statusBody(code, message, reason), 'application/json', headers);
}
