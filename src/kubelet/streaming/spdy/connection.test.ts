import { describe, expect, it } from 'vitest';
import type { Duplex } from 'node:stream';
import { SpdyConnection } from './connection.js';
import type { SpdyStream } from './stream.js';
import { encodeFrame, FrameParser, RstStatus, type Frame } from './frames.js';
import { HeaderCompressor, HeaderDecompressor } from './header-compression.js';
import { headerValue } from './header-block.js';
import { duplexPair } from '../testing/duplex-pair.js';

function pair(onStream: (s: SpdyStream) => void) {
  const [a, b] = duplexPair();
  const server = new SpdyConnection(a, { server: true, onStream });
  const client = new SpdyConnection(b, { server: false });
  return { server, client };
}

function readAll(s: Duplex): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    s.on('data', (c: Buffer) => parts.push(c));
    s.on('end', () => resolve(Buffer.concat(parts).toString()));
    s.on('error', reject);
  });
}

/** A peer that speaks raw frames like Go's spdystream: no SETTINGS, no WINDOW_UPDATE, no flow control. */
function goLikePeer(transport: Duplex) {
  const parser = new FrameParser();
  const deflate = new HeaderCompressor();
  const inflate = new HeaderDecompressor();
  const frames: Frame[] = [];
  let wake: () => void = () => undefined;
  transport.on('data', (c: Buffer) => {
    frames.push(...parser.push(c));
    wake();
  });
  return {
    frames,
    inflate,
    async send(f: Frame | ((block: Buffer) => Frame), headers?: Record<string, string[]>) {
      const frame = typeof f === 'function' ? f(await deflate.compress(headers ?? {})) : f;
      transport.write(encodeFrame(frame));
    },
    async until(pred: () => boolean) {
      while (!pred()) await new Promise<void>((r) => (wake = r));
    },
  };
}

describe('SpdyConnection', () => {
  it('opens a stream, carries data both ways and half-closes with FIN', async () => {
    const { server, client } = pair((s) => {
      expect(headerValue(s.headers, 'streamType')).toBe('stdin');
      void s.accept();
      const chunks: Buffer[] = [];
      s.on('data', (c: Buffer) => chunks.push(c));
      s.on('end', () => s.end(Buffer.concat(chunks).toString().toUpperCase()));
    });
    const s = await client.createStream({ streamType: 'stdin' });
    const reply = readAll(s);
    s.write('hello ');
    s.end('world');
    expect(await reply).toBe('HELLO WORLD');
    expect(client.activeStreams).toBe(0);
    await client.close();
    await server.closed;
  });

  it('answers pings from the peer', async () => {
    const { server, client } = pair(() => undefined);
    await client.ping();
    await server.ping();
    await client.close();
  });

  it('rejects createStream when the peer refuses, and a reset ends the reader', async () => {
    const { client } = pair((s) => {
      if (headerValue(s.headers, 'kind') === 'no') return s.reset(RstStatus.RefusedStream);
      void s.accept().then(() => s.reset());
    });
    await expect(client.createStream({ kind: 'no' })).rejects.toThrow(/reset/);
    const s = await client.createStream({ kind: 'yes' });
    await new Promise((r) => s.once('reset', r));
    expect(await readAll(s)).toBe('');
    await client.close();
  });

  it('runs many concurrent streams over one connection', async () => {
    const { client } = pair((s) => {
      void s.accept();
      s.pipe(s);
    });
    const results = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const s = await client.createStream({ n: String(i) });
        const out = readAll(s);
        s.end(`stream ${i}`);
        return out;
      }),
    );
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => `stream ${i}`));
    await client.close();
  });

  it('flow-controls a peer that does flow control: the sender waits for WINDOW_UPDATE', async () => {
    let serverSide!: SpdyStream;
    const accepted = new Promise<void>((r) => {
      const { client } = pair((s) => {
        serverSide = s;
        void s.accept();
        s.pause();
        r();
      });
      void run(client);
    });
    let written = 0;
    let finished = false;
    async function run(client: SpdyConnection) {
      const s = await client.createStream({});
      const big = Buffer.alloc(256 * 1024, 7);
      s.write(big, () => (finished = true));
      written = big.length;
    }
    await accepted;
    // Give the sender ample chances to overrun: it must stop at the 64 KiB window.
    for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
    expect(serverSide.readableLength).toBeLessThanOrEqual(64 * 1024);
    expect(finished).toBe(false);
    let got = 0;
    serverSide.on('data', (c: Buffer) => (got += c.length));
    serverSide.resume();
    while (got < written || written === 0) await new Promise((r) => setImmediate(r));
    expect(got).toBe(256 * 1024);
  });

  it('does not stall on a peer without flow control (Go spdystream), and credits what it reads', async () => {
    const [a, b] = duplexPair();
    let serverStream!: SpdyStream;
    new SpdyConnection(a, {
      server: true,
      onStream: (s) => {
        serverStream = s;
        void s.accept().then(() => s.end(Buffer.alloc(200 * 1024, 1)));
        s.resume();
      },
    });
    const go = goLikePeer(b);
    await go.send((block) => ({ type: 'syn_stream', streamId: 1, associatedTo: 0, priority: 0, fin: false, unidirectional: false, headerBlock: block }), { streamtype: ['stdout'] });
    await go.until(() => go.frames.some((f) => f.type === 'data' && f.fin));
    const data = go.frames.filter((f): f is Extract<Frame, { type: 'data' }> => f.type === 'data');
    expect(data.reduce((n, f) => n + f.data.length, 0)).toBe(200 * 1024);
    expect(go.frames[0]).toMatchObject({ type: 'settings' });
    expect(go.frames.find((f) => f.type === 'syn_reply')).toMatchObject({ streamId: 1 });
    // 100 KiB from the peer: we send WINDOW_UPDATEs as our reader consumes.
    await go.send({ type: 'data', streamId: 1, fin: false, data: Buffer.alloc(100 * 1024) });
    await go.until(() => go.frames.some((f) => f.type === 'window_update' && f.streamId === 1));
    expect(serverStream.id).toBe(1);
  });

  it('answers a protocol violation with GOAWAY and closes', async () => {
    const [a, b] = duplexPair();
    const server = new SpdyConnection(a, { server: true, onStream: () => undefined });
    const go = goLikePeer(b);
    b.write(Buffer.from('800200060000000400000001', 'hex')); // SPDY/2 PING
    await server.closed;
    await go.until(() => go.frames.some((f) => f.type === 'goaway'));
    expect(go.frames.find((f) => f.type === 'goaway')).toMatchObject({ status: 1 });
  });
});
