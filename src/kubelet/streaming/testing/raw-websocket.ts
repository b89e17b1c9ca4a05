// Test helper: a minimal WebSocket client (binary messages only) that can offer any subprotocol name,
// such as kubectl's "SPDY/3.1+portforward.k8s.io" which the ws package refuses to send. The returned
// Duplex writes each chunk as one masked binary message and reads message payloads as a byte stream.
import { randomBytes } from 'node:crypto';
import { Duplex } from 'node:stream';
import tls from 'node:tls';

export interface RawWebSocketOptions {
  port: number;
  path: string;
  protocol: string;
  tls: { ca: string; cert?: string; key?: string };
}

function frame(opcode: number, payload: Buffer): Buffer {
  const mask = randomBytes(4);
  const len = payload.length;
  const head = len < 126 ? Buffer.from([0x80 | opcode, 0x80 | len]) : len < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
  if (len >= 126 && len < 65536) {
    head[0] = 0x80 | opcode;
    head[1] = 0x80 | 126;
    head.writeUInt16BE(len, 2);
  } else if (len >= 65536) {
    head[0] = 0x80 | opcode;
    head[1] = 0x80 | 127;
    head.writeBigUInt64BE(BigInt(len), 2);
  }
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i]! ^= mask[i % 4]!;
  return Buffer.concat([head, mask, body]);
}

export function dialRawWebSocket(o: RawWebSocketOptions): Promise<{ protocol: string; stream: Duplex }> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port: o.port, ca: o.tls.ca, cert: o.tls.cert, key: o.tls.key }, () => {
      socket.write(
        `GET ${o.path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Protocol: ${o.protocol}\r\n\r\n`,
      );
    });
    let buf: Buffer = Buffer.alloc(0);
    let upgraded = false;
    let protocol = '';
    const stream = new Duplex({
      read() {},
      write(chunk: Buffer, _enc, cb) {
        socket.write(frame(0x2, chunk), cb);
      },
      final(cb) {
        socket.end(frame(0x8, Buffer.from([0x03, 0xe8])), () => cb());
      },
    });
    socket.on('data', (c: Buffer) => {
      buf = Buffer.concat([buf, c]);
      if (!upgraded) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buf.subarray(0, end).toString();
        buf = buf.subarray(end + 4);
        if (!head.startsWith('HTTP/1.1 101')) return reject(new Error(head.split('\r\n')[0]));
        upgraded = true;
        protocol = /sec-websocket-protocol:\s*(.*)/i.exec(head)?.[1]?.trim() ?? '';
        resolve({ protocol, stream });
      }
      // Server frames are unmasked.
      while (buf.length >= 2) {
        let len = buf[1]! & 0x7f;
        let off = 2;
        if (len === 126) {
          if (buf.length < 4) return;
          len = buf.readUInt16BE(2);
          off = 4;
        } else if (len === 127) {
          if (buf.length < 10) return;
          len = Number(buf.readBigUInt64BE(2));
          off = 10;
        }
        if (buf.length < off + len) return;
        const opcode = buf[0]! & 0x0f;
        const payload = buf.subarray(off, off + len);
        buf = buf.subarray(off + len);
        if (opcode === 0x2 || opcode === 0x0) stream.push(Buffer.from(payload));
        else if (opcode === 0x8) stream.push(null);
        else if (opcode === 0x9) socket.write(frame(0xa, payload));
      }
    });
    socket.on('end', () => stream.push(null));
    socket.on('error', (e) => (upgraded ? stream.destroy(e) : reject(e)));
  });
}
