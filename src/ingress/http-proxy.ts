// Passing one client request (or upgrade) to the backend endpoint the router chose. Plain HTTP/1.1
// to the endpoint over a keep-alive agent; the response streams back with its status and headers.
// An upgrade (WebSocket) is relayed byte for byte once the request head is written: the backend's
// 101 and everything after flow through untouched.
import { request, type Agent, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Target } from './backends.js';
import { sendError, sendRawError } from './error-pages.js';
import { forwardedRequestHeaders, forwardedResponseHeaders, type ClientHop } from './forwarded-headers.js';

export type Decision =
  | { kind: 'forward'; target: Target }
  | { kind: 'not-found' }
  | { kind: 'unavailable'; reason: string };

export function statusOf(d: Exclude<Decision, { kind: 'forward' }>): number {
  return d.kind === 'not-found' ? 404 : 503;
}

export function proxyRequest(req: IncomingMessage, res: ServerResponse, decision: Decision, hop: ClientHop, agent: Agent): void {
  if (decision.kind !== 'forward') {
    req.resume(); // drain the body so the connection stays usable (keep-alive)
    sendError(res, statusOf(decision));
    return;
  }
  const { host, port } = decision.target;
  const up = request({ host, port, method: req.method, path: req.url, headers: forwardedRequestHeaders(req.headers, hop), agent });
  up.on('response', (ur) => {
    res.writeHead(ur.statusCode ?? 502, ur.statusMessage, forwardedResponseHeaders(ur.headers));
    ur.pipe(res);
    ur.on('error', () => res.destroy());
  });
  up.on('error', () => {
    if (!res.headersSent) sendError(res, 502);
    else res.destroy();
  });
  // A client gone before the answer ends: stop the backend request too.
  res.on('close', () => {
    if (!res.writableFinished) up.destroy();
  });
  req.pipe(up);
}

/** The request head as bytes, for the raw relay. */
function requestHead(req: IncomingMessage, headers: Record<string, string | string[] | number | undefined>): string {
  let head = `${req.method} ${req.url} HTTP/1.1\r\n`;
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) head += `${name}: ${v}\r\n`;
  }
  return head + '\r\n';
}

export function proxyUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, decision: Decision, hop: ClientHop): void {
  socket.on('error', () => socket.destroy());
  if (decision.kind !== 'forward') {
    sendRawError(socket, statusOf(decision));
    return;
  }
  let connected = false;
  const up = connect({ host: decision.target.host, port: decision.target.port });
  up.once('connect', () => {
    connected = true;
    up.write(requestHead(req, forwardedRequestHeaders(req.headers, hop, { upgrade: true })));
    if (head.length) up.write(head);
    up.pipe(socket);
    socket.pipe(up);
  });
  up.on('error', () => {
    if (!connected) sendRawError(socket, 502);
    else socket.destroy();
  });
  up.on('close', () => {
    if (connected) socket.destroy(); // else the error page is still being written
  });
  socket.on('close', () => up.destroy());
}
