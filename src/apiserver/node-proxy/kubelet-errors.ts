// A kubelet's error answer turned into the Status the API server answers with. A kubelet that
// answers with a Status keeps its code, reason and message; a plain-text body becomes the message
// as upstream's GenericHttpResponseChecker makes it (400 → BadRequest, 500 → InternalError).
import type { IncomingMessage } from 'node:http';
import { errors, StatusError, type Status } from '../../api/errors.js';

const MAX_ERROR_BODY = 64 * 1024;

export async function readErrorBody(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of res) {
    const b = c as Buffer;
    if (size + b.length > MAX_ERROR_BODY) {
      chunks.push(b.subarray(0, MAX_ERROR_BODY - size));
      res.destroy();
      break;
    }
    chunks.push(b);
    size += b.length;
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function kubeletError(code: number, body: string, resource: string, name: string): StatusError {
  try {
    const s = JSON.parse(body) as Partial<Status>;
    if (s && s.kind === 'Status' && typeof s.message === 'string') {
      return new StatusError(code, s.reason || reasonFor(code), s.message, s.details);
    }
  } catch {
    // not JSON: a plain-text message
  }
  const text = body.trim();
  if (code === 400) return errors.badRequest(text);
  if (code === 500) return errors.internal(text);
  if (code === 404) return new StatusError(404, 'NotFound', text || `${resource} "${name}" not found`, { name, kind: resource });
  return new StatusError(code, reasonFor(code), text || `the server responded with the status code ${code} but did not return more information`, { name, kind: resource });
}

function reasonFor(code: number): string {
  return ({ 400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 409: 'Conflict', 500: 'InternalError', 503: 'ServiceUnavailable', 504: 'Timeout' } as Record<number, string>)[code] ?? 'InternalError';
}
