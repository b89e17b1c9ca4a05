// A SPDY/3.1 session over any byte Duplex (a TLS socket after a 101, or a WebSocket carrying SPDY as
// kubectl's port-forward tunnel does). Usable as server (peer streams are odd, ours even) or client.
//
// Ordering is the one invariant that matters: header blocks share one zlib stream per direction, so
// frames are compressed and written strictly in the order they are queued (writeChain), and received
// frames are handled strictly in wire order (readChain).
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { encodeFrame, FrameParser, GoAwayStatus, RstStatus, SettingsId, SpdyProtocolError, type Frame } from './frames.js';
import { HeaderCompressor, HeaderDecompressor } from './header-compression.js';
import { normalizeHeaders, type HeadersInit, type SpdyHeaders } from './header-block.js';
import { DEFAULT_INITIAL_WINDOW, ReceiveWindow, SendWindow, sendable } from './flow-window.js';
import { SpdyStream, StreamResetError, type StreamSink } from './stream.js';

export interface SpdyConnectionOptions {
  /** Server sessions accept odd (client) streams and create even ones. */
  server: boolean;
  /** Called for each stream the peer opens; call stream.accept() or stream.reset(). None: refused. */
  onStream?: (stream: SpdyStream) => void;
  /** Largest DATA payload we send in one frame. */
  maxFrameData?: number;
  /** Announce our receive window with SETTINGS at start (tells a flow-controlling peer we do it too). */
  sendInitialSettings?: boolean;
}

export class SpdyConnection extends EventEmitter implements StreamSink {
  /** Resolves once the transport is gone. */
  readonly closed: Promise<void>;

  private readonly streams = new Map<number, SpdyStream>();
  private readonly parser = new FrameParser();
  private readonly deflate = new HeaderCompressor();
  private readonly inflate = new HeaderDecompressor();
  private readonly pendingReplies = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private readonly pendingPings = new Map<number, () => void>();
  private readonly sessionSend = new SendWindow();
  private readonly sessionReceive = new ReceiveWindow();
  private readonly windowWaiters = new Set<() => void>();
  private writeChain: Promise<void> = Promise.resolve();
  private readChain: Promise<void> = Promise.resolve();
  private nextStreamId: number;
  private nextPingId: number;
  private lastRemoteStreamId = 0;
  private peerInitialWindow = DEFAULT_INITIAL_WINDOW;
  /** Set once the peer shows it does flow control (see flow-window.ts). */
  private enforceSendWindow = false;
  private goneAway = false;
  private dead = false;
  private readonly maxFrameData: number;

  constructor(private readonly transport: Duplex, private readonly opts: SpdyConnectionOptions) {
    super();
    this.nextStreamId = opts.server ? 2 : 1;
    this.nextPingId = opts.server ? 2 : 1;
    this.maxFrameData = opts.maxFrameData ?? 32 * 1024;
    this.closed = new Promise((resolve) => this.once('close', resolve));
    transport.on('data', (chunk: Buffer) => this.onBytes(chunk));
    transport.on('end', () => this.teardown());
    transport.on('close', () => this.teardown());
    transport.on('error', (err) => this.teardown(err));
    if (opts.sendInitialSettings ?? true) {
      void this.enqueue(() => encodeFrame({ type: 'settings', clear: false, entries: [{ id: SettingsId.InitialWindowSize, value: DEFAULT_INITIAL_WINDOW }] })).catch(() => undefined);
    }
  }

  /** Opens a stream and resolves once the peer replied (rejects if it refused). */
  async createStream(init: HeadersInit, opts: { fin?: boolean } = {}): Promise<SpdyStream> {
    if (this.dead || this.goneAway) throw new Error('spdy: connection is closing');
    const id = this.nextStreamId;
    this.nextStreamId += 2;
    const headers = normalizeHeaders(init);
    const stream = this.newStream(id, headers, { replied: true, localClosed: opts.fin });
    const replied = new Promise<void>((resolve, reject) => this.pendingReplies.set(id, { resolve, reject }));
    await this.enqueue(async () =>
      encodeFrame({ type: 'syn_stream', streamId: id, associatedTo: 0, priority: 0, fin: !!opts.fin, unidirectional: false, headerBlock: await this.deflate.compress(headers) }),
    );
    await replied;
    return stream;
  }

  /** Sends a PING and resolves when the peer echoes it. */
  ping(): Promise<void> {
    const id = this.nextPingId;
    this.nextPingId = this.nextPingId + 2 > 0x7fffffff ? (this.opts.server ? 2 : 1) : this.nextPingId + 2;
    const echoed = new Promise<void>((resolve) => this.pendingPings.set(id, resolve));
    return this.enqueue(() => encodeFrame({ type: 'ping', id })).then(() => echoed);
  }

  /** GOAWAY, flush what is queued, end the transport. Streams still open are reset. */
  async close(): Promise<void> {
    if (this.dead) return;
    for (const s of [...this.streams.values()]) if (!s.localClosed) s.reset(RstStatus.Cancel);
    this.goneAway = true;
    await this.enqueue(() => encodeFrame({ type: 'goaway', lastGoodStreamId: this.lastRemoteStreamId, status: GoAwayStatus.Ok })).catch(() => undefined);
    this.transport.end();
    await this.closed;
  }

  destroy(err?: Error): void {
    this.transport.destroy();
    this.teardown(err);
  }

  get activeStreams(): number {
    return this.streams.size;
  }

  // --- StreamSink ---------------------------------------------------------------------------------

  async sendData(stream: SpdyStream, data: Buffer, fin: boolean): Promise<void> {
    let off = 0;
    do {
      let n = sendable(data.length - off, this.maxFrameData, this.enforceSendWindow, stream.sendWindow, this.sessionSend);
      while (n === 0 && off < data.length) {
        await this.windowOpened(stream);
        n = sendable(data.length - off, this.maxFrameData, this.enforceSendWindow, stream.sendWindow, this.sessionSend);
      }
      const piece = data.subarray(off, off + n);
      off += n;
      stream.sendWindow.consume(n);
      this.sessionSend.consume(n);
      const last = off >= data.length;
      await this.enqueue(() => encodeFrame({ type: 'data', streamId: stream.id, fin: fin && last, data: piece }));
    } while (off < data.length);
  }

  async sendReply(stream: SpdyStream, headers: SpdyHeaders): Promise<void> {
    await this.enqueue(async () => encodeFrame({ type: 'syn_reply', streamId: stream.id, fin: false, headerBlock: await this.deflate.compress(headers) }));
  }

  sendReset(stream: SpdyStream, status: number): void {
    void this.enqueue(() => encodeFrame({ type: 'rst_stream', streamId: stream.id, status })).catch(() => undefined);
  }

  sendWindowUpdate(stream: SpdyStream, delta: number): void {
    void this.enqueue(() => encodeFrame({ type: 'window_update', streamId: stream.id, delta })).catch(() => undefined);
  }

  streamDone(stream: SpdyStream): void {
    if (this.streams.get(stream.id) !== stream) return;
    this.streams.delete(stream.id);
    this.pendingReplies.get(stream.id)?.reject(new StreamResetError(RstStatus.RefusedStream));
    this.pendingReplies.delete(stream.id);
    this.wakeWindowWaiters();
    if (this.goneAway && this.streams.size === 0 && !this.dead) this.transport.end();
  }

  // --- reading ------------------------------------------------------------------------------------

  private onBytes(chunk: Buffer): void {
    let frames: Frame[];
    try {
      frames = this.parser.push(chunk);
    } catch (err) {
      return this.protocolError(err as Error);
    }
    for (const f of frames) {
      this.readChain = this.readChain.then(() => (this.dead ? undefined : this.handle(f))).catch((err: Error) => this.protocolError(err));
    }
  }

  private async handle(f: Frame): Promise<void> {
    switch (f.type) {
      case 'syn_stream': {
        // Inflate even a stream we refuse: the zlib context must see every block.
        const headers = await this.inflate.decompress(f.headerBlock);
        const peerParity = this.opts.server ? 1 : 0;
        if (f.streamId % 2 !== peerParity || f.streamId <= this.lastRemoteStreamId) {
          this.sendRstId(f.streamId, RstStatus.ProtocolError);
          return;
        }
        this.lastRemoteStreamId = f.streamId;
        if (this.goneAway || !this.opts.onStream) {
          this.sendRstId(f.streamId, RstStatus.RefusedStream);
          return;
        }
        const stream = this.newStream(f.streamId, headers, { replied: false, remoteClosed: f.fin, localClosed: f.unidirectional });
        this.opts.onStream(stream);
        return;
      }
      case 'syn_reply': {
        await this.inflate.decompress(f.headerBlock);
        const pending = this.pendingReplies.get(f.streamId);
        this.pendingReplies.delete(f.streamId);
        pending?.resolve();
        if (f.fin) this.streams.get(f.streamId)?.receiveFin();
        return;
      }
      case 'headers':
        await this.inflate.decompress(f.headerBlock);
        if (f.fin) this.streams.get(f.streamId)?.receiveFin();
        return;
      case 'data': {
        const delta = this.sessionReceive.consumed(f.data.length);
        if (delta > 0) this.sendRstOrUpdate({ type: 'window_update', streamId: 0, delta });
        const stream = this.streams.get(f.streamId);
        if (!stream) return; // late data for a stream already gone: dropped, as spdystream does
        stream.receive(f.data);
        if (f.fin) stream.receiveFin();
        return;
      }
      case 'rst_stream':
        this.pendingReplies.get(f.streamId)?.reject(new StreamResetError(f.status));
        this.pendingReplies.delete(f.streamId);
        this.streams.get(f.streamId)?.receiveReset();
        return;
      case 'settings':
        for (const e of f.entries) {
          if (e.id !== SettingsId.InitialWindowSize) continue;
          const diff = e.value - this.peerInitialWindow;
          this.peerInitialWindow = e.value;
          for (const s of this.streams.values()) s.sendWindow.grow(diff);
          this.enforceSendWindow = true;
        }
        this.wakeWindowWaiters();
        return;
      case 'window_update':
        this.enforceSendWindow = true;
        if (f.streamId === 0) this.sessionSend.grow(f.delta);
        else this.streams.get(f.streamId)?.sendWindow.grow(f.delta);
        this.wakeWindowWaiters();
        return;
      case 'ping': {
        const ours = f.id % 2 === (this.opts.server ? 0 : 1);
        if (!ours) {
          this.sendRstOrUpdate({ type: 'ping', id: f.id });
          return;
        }
        this.pendingPings.get(f.id)?.();
        this.pendingPings.delete(f.id);
        return;
      }
      case 'goaway':
        this.goneAway = true;
        if (this.streams.size === 0) this.transport.end();
        return;
      case 'unknown':
        return;
    }
  }

  // --- writing ------------------------------------------------------------------------------------

  /** Queues one frame; `make` runs in queue order (so header compression happens in wire order). */
  private enqueue(make: () => Buffer | Promise<Buffer>): Promise<void> {
    const step = async () => {
      if (this.dead) throw new Error('spdy: connection closed');
      const bytes = await make();
      if (this.dead) throw new Error('spdy: connection closed');
      if (!this.transport.write(bytes)) {
        await new Promise<void>((resolve) => {
          const done = () => {
            this.transport.off('drain', done);
            this.off('close', done);
            resolve();
          };
          this.transport.on('drain', done);
          this.once('close', done);
        });
      }
    };
    const p = this.writeChain.then(step, step);
    this.writeChain = p.catch(() => undefined);
    return p;
  }

  private sendRstId(streamId: number, status: number): void {
    this.sendRstOrUpdate({ type: 'rst_stream', streamId, status });
  }

  private sendRstOrUpdate(f: Frame): void {
    void this.enqueue(() => encodeFrame(f)).catch(() => undefined);
  }

  private newStream(id: number, headers: SpdyHeaders, init: { replied: boolean; localClosed?: boolean; remoteClosed?: boolean }): SpdyStream {
    const stream = new SpdyStream(this, id, headers, {
      ...init,
      initialSendWindow: this.peerInitialWindow,
      initialReceiveWindow: DEFAULT_INITIAL_WINDOW,
    });
    stream.on('error', () => undefined); // errors surface to the stream's user through its pipes/awaits
    if (!(stream.localClosed && stream.remoteClosed)) this.streams.set(id, stream);
    return stream;
  }

  private windowOpened(stream: SpdyStream): Promise<void> {
    if (this.dead || stream.wasReset) return Promise.reject(new StreamResetError(RstStatus.Cancel));
    return new Promise((resolve, reject) => {
      const wake = () => {
        this.windowWaiters.delete(wake);
        if (this.dead || stream.wasReset) reject(new StreamResetError(RstStatus.Cancel));
        else resolve();
      };
      this.windowWaiters.add(wake);
    });
  }

  private wakeWindowWaiters(): void {
    for (const w of [...this.windowWaiters]) w();
  }

  private protocolError(err: Error): void {
    if (this.dead) return;
    const status = err instanceof SpdyProtocolError ? GoAwayStatus.ProtocolError : GoAwayStatus.InternalError;
    void this.enqueue(() => encodeFrame({ type: 'goaway', lastGoodStreamId: this.lastRemoteStreamId, status }))
      .catch(() => undefined)
      .finally(() => this.destroy(err));
  }

  private teardown(err?: Error): void {
    if (this.dead) return;
    this.dead = true;
    for (const s of [...this.streams.values()]) s.receiveReset();
    this.streams.clear();
    for (const p of this.pendingReplies.values()) p.reject(new Error('spdy: connection closed'));
    this.pendingReplies.clear();
    this.wakeWindowWaiters();
    this.deflate.close();
    this.inflate.close();
    if (!this.transport.destroyed) this.transport.destroy();
    this.emit('close', err);
  }
}
