// A byte Duplex over a WebSocket's binary messages, for SPDY tunneled in WebSocket (kubectl 1.30+
// port-forward, subprotocol SPDY/3.1+portforward.k8s.io): every write is one binary message, every
// message's payload is appended to the byte stream. Message boundaries carry no meaning.
import { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';

export function websocketDuplex(ws: WebSocket): Duplex {
  const d = new Duplex({
    read() {
      ws.resume();
    },
    write(chunk: Buffer, _enc, cb) {
      if (ws.readyState !== ws.OPEN) return cb(new Error('websocket closed'));
      ws.send(chunk, { binary: true }, (err) => cb(err ?? null));
    },
    final(cb) {
      // Normal closure reads as EOF for client-go's TunnelingConnection.
      if (ws.readyState === ws.OPEN) ws.close(1000);
      cb();
    },
    destroy(err, cb) {
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.terminate();
      cb(err);
    },
  });
  ws.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
    if (!isBinary) {
      d.destroy(new Error('text message in a binary tunnel'));
      return;
    }
    const buf = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    if (!d.push(buf)) ws.pause();
  });
  ws.once('close', () => {
    d.push(null);
    if (!d.writableEnded) d.end();
  });
  ws.on('error', (err) => d.destroy(err));
  return d;
}
