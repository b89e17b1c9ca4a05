// Test/tooling helper: dials an HTTPS server, asks for a SPDY/3.1 upgrade the way client-go does, and
// returns a client SpdyConnection on the upgraded socket (or the HTTP error it got instead).
import tls from 'node:tls';
import { SpdyConnection } from '../spdy/index.js';

export interface SpdyDialOptions {
  port: number;
  host?: string;
  path: string;
  protocols: string[];
  tls: { ca: string; cert?: string; key?: string };
  method?: 'GET' | 'POST';
}

export type SpdyDialResult =
  | { ok: true; conn: SpdyConnection; protocol: string }
  | { ok: false; status: number; headers: string; body: string };

export function dialSpdy(o: SpdyDialOptions): Promise<SpdyDialResult> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: o.host ?? '127.0.0.1', port: o.port, ca: o.tls.ca, cert: o.tls.cert, key: o.tls.key }, () => {
      socket.write(
        `${o.method ?? 'POST'} ${o.path} HTTP/1.1\r\nHost: ${o.host ?? '127.0.0.1'}\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n` +
          `X-Stream-Protocol-Version: ${o.protocols.join(', ')}\r\nContent-Length: 0\r\n\r\n`,
      );
    });
    let buf: Buffer = Buffer.alloc(0);
    const onData = (c: Buffer) => {
      buf = Buffer.concat([buf, c]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buf.subarray(0, end).toString();
      const rest = buf.subarray(end + 4);
      const status = Number(head.split(' ')[1]);
      if (status !== 101) {
        socket.off('data', onData);
        const chunks = [rest];
        socket.on('data', (d: Buffer) => chunks.push(d));
        socket.on('end', () => resolve({ ok: false, status, headers: head, body: Buffer.concat(chunks).toString() }));
        return;
      }
      socket.off('data', onData);
      socket.pause();
      const protocol = /x-stream-protocol-version:\s*(.*)/i.exec(head)?.[1]?.trim() ?? '';
      const conn = new SpdyConnection(socket, { server: false });
      if (rest.length > 0) socket.unshift(rest);
      socket.resume();
      resolve({ ok: true, conn, protocol });
    };
    socket.on('data', onData);
    socket.on('error', reject);
  });
}
