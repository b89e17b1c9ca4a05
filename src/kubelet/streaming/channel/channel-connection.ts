// Channels multiplexed over one WebSocket (the server side of wsstream): a Readable per channel the
// client writes to, a Writable per channel we write to. The connection ends every readable when the
// socket closes; a v5 close signal ends one. Backpressure on client input pauses the socket.
import { PassThrough, Writable, type Readable } from 'node:stream';
import type { WebSocket } from 'ws';
import { decodeChannelMessage, encodeChannelMessage, type ChannelProtocol } from './protocol.js';

export class ChannelConnection {
  readonly closed: Promise<void>;
  private readonly inputs = new Map<number, PassThrough>();
  private isClosed = false;

  /** `readable` lists the channels the client may send on; data for others is dropped. */
  constructor(private readonly ws: WebSocket, readonly protocol: ChannelProtocol, readable: number[]) {
    for (const ch of readable) this.inputs.set(ch, new PassThrough());
    this.closed = new Promise((resolve) => ws.once('close', () => resolve()));
    ws.on('message', (raw: Buffer | ArrayBuffer | Buffer[]) => this.onMessage(toBuffer(raw)));
    ws.once('close', () => {
      this.isClosed = true;
      for (const input of this.inputs.values()) if (!input.writableEnded) input.end();
    });
    ws.on('error', () => undefined); // a broken socket also emits 'close'
  }

  /** What the client sends on `channel` (ends on its close signal or when the socket closes). */
  input(channel: number): Readable {
    const input = this.inputs.get(channel);
    if (!input) throw new Error(`channel ${channel} is not readable`);
    return input;
  }

  /** A Writable whose chunks go to `channel`. Ending it sends nothing: the protocol has no per-channel end. */
  output(channel: number): Writable {
    return new Writable({
      write: (chunk: Buffer, _enc, cb) => {
        this.send(channel, chunk).then(() => cb(), () => cb());
      },
    });
  }

  /** Sends one message on `channel` (an empty payload is a bare channel byte). */
  send(channel: number, data: Buffer): Promise<void> {
    if (this.isClosed || this.ws.readyState !== this.ws.OPEN) return Promise.resolve();
    const msg = encodeChannelMessage(this.protocol.codec, channel, data);
    return new Promise((resolve) => this.ws.send(msg, { binary: typeof msg !== 'string' }, () => resolve()));
  }

  /** Normal closure (1000): Go clients read it as EOF on every stream. */
  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.ws.close(1000);
  }

  private onMessage(message: Buffer): void {
    const m = decodeChannelMessage(this.protocol, message);
    if (!m) return;
    if (m.kind === 'invalid') {
      this.ws.close(1002, m.reason.slice(0, 120));
      return;
    }
    const input = this.inputs.get(m.channel);
    if (!input || input.writableEnded) return;
    if (m.kind === 'close') {
      input.end();
      return;
    }
    if (!input.write(m.data)) {
      this.ws.pause();
      input.once('drain', () => this.ws.resume());
    }
  }
}

function toBuffer(raw: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Buffer.isBuffer(raw)) return raw;
  if (Array.isArray(raw)) return Buffer.concat(raw);
  return Buffer.from(raw);
}
