// The pages the controller answers itself: 404 when no rule matches, 503 when the backend has no
// ready endpoint (or no such Service/port), 502 when the chosen endpoint fails.
import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

export function errorBody(status: number): string {
  const text = `${status} ${STATUS_CODES[status] ?? ''}`.trim();
  return `<html>\r\n<head><title>${text}</title></head>\r\n<body>\r\n<center><h1>${text}</h1></center>\r\n<hr><center>k8ts ingress</center>\r\n</body>\r\n</html>\r\n`;
}

export function sendError(res: ServerResponse, status: number): void {
  const body = errorBody(status);
  res.writeHead(status, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** The same page written on a raw socket (an upgrade request that cannot be passed on). */
export function sendRawError(socket: Duplex, status: number): void {
  const body = errorBody(status);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\ncontent-type: text/html\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}
