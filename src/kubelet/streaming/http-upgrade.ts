// HTTP-level pieces of stream upgrades: recognising WebSocket and SPDY upgrade requests, the
// X-Stream-Protocol-Version handshake (client's order wins), and answering on a raw socket once Node
// has handed the request over as an 'upgrade' (no ServerResponse exists then).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

export const SPDY_UPGRADE = 'SPDY/3.1';
/** Prefix of WebSocket subprotocols that tunnel SPDY (kubectl port-forward since 1.30). */
export const SPDY_TUNNEL_PREFIX = 'SPDY/3.1+';

const lower = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(',') : v ?? '').toLowerCase();

export function isWebSocketUpgrade(req: IncomingMessage): boolean {
  return lower(req.headers.upgrade) === 'websocket' && lower(req.headers.connection).includes('upgrade');
}

export function isSpdyUpgrade(req: IncomingMessage): boolean {
  return lower(req.headers.upgrade).includes('spdy/3.1') && lower(req.headers.connection).includes('upgrade');
}

/** The client's X-Stream-Protocol-Version offers, in order (values may be comma-separated, repeated). */
export function offeredStreamProtocols(req: IncomingMessage): string[] {
  const raw = req.headers['x-stream-protocol-version'];
  const values = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return values.flatMap((v) => v.split(',')).map((s) => s.trim()).filter((s) => s.length > 0);
}

export type Handshake = { protocol: string } | { status: number; message: string; headers?: Record<string, string[]> };

/** Upstream httpstream.Handshake: the first client protocol the server supports. */
export function streamHandshake(offered: string[], supported: string[]): Handshake {
  if (offered.length === 0) return { status: 400, message: 'unable to upgrade: X-Stream-Protocol-Version is required' };
  const protocol = offered.find((p) => supported.includes(p));
  if (protocol) return { protocol };
  return {
    status: 403,
    message: `unable to upgrade: unable to negotiate protocol: client supports [${offered.join(' ')}], server accepts [${supported.join(' ')}]`,
    headers: { 'X-Accepted-Stream-Protocol-Versions': supported },
  };
}

/** Sends 101 for SPDY/3.1 with the negotiated protocol; the socket then carries SPDY frames. */
export function acceptSpdyUpgrade(socket: Duplex, head: Buffer, protocol: string): void {
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\n' +
      'Connection: Upgrade\r\n' +
      `Upgrade: ${SPDY_UPGRADE}\r\n` +
      `X-Stream-Protocol-Version: ${protocol}\r\n\r\n`,
  );
  if (head.length > 0) socket.unshift(head);
}

const REASONS: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error' };

/** Answers an upgrade request with a plain HTTP response and closes the socket. */
export function rejectUpgrade(socket: Duplex, status: number, body: string, contentType: string, headers: Record<string, string[]> = {}): void {
  const extra = Object.entries(headers).flatMap(([k, vs]) => vs.map((v) => `${k}: ${v}\r\n`)).join('');
  socket.end(
    `HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}\r\n` +
      `Content-Type: ${contentType}\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n' +
      extra +
      '\r\n' +
      body,
  );
}
