// One SPDY stream as a Node Duplex: the readable side yields the peer's DATA, the writable side sends
// DATA, and end() sends FIN (a half-close, like Go's stream.Close()). A RST_STREAM from either side
// ends both directions. The connection owns the wire; the stream calls back into it through StreamSink.
import { Duplex } from 'node:stream';
import { RstStatus } from './frames.js';
import type { SpdyHeaders } from './header-block.js';
import { ReceiveWindow, SendWindow } from './flow-window.js';

/** What a stream needs from its connection. */
export interface StreamSink {
  sendData(stream: SpdyStream, data: Buffer, fin: boolean): Promise<void>;
  sendReply(stream: SpdyStream, headers: SpdyHeaders): Promise<void>;
  sendReset(stream: SpdyStream, status: number): void;
  sendWindowUpdate(stream: SpdyStream, delta: number): void;
  streamDone(stream: SpdyStream): void;
}

export interface StreamInit {
  /** Locally initiated streams have been "replied" from our side by definition. */
  replied: boolean;
  localClosed?: boolean;
  remoteClosed?: boolean;
  initialSendWindow: number;
  initialReceiveWindow: number;
}

export class StreamResetError extends Error {
  constructor(readonly status: number) {
    super(`spdy stream reset (status ${status})`);
  }
}

export class SpdyStream extends Duplex {
  /** Headers of the SYN_STREAM (ours or the peer's). */
  readonly headers: SpdyHeaders;
  readonly sendWindow: SendWindow;
  /** True once we sent FIN or the stream was reset. */
  localClosed: boolean;
  /** True once the peer sent FIN or the stream was reset. */
  remoteClosed: boolean;
  wasReset = false;

  private readonly receiveWindow: ReceiveWindow;
  /** Bytes pushed to the reader, and how many of them have been credited back to the peer. */
  private pushedTotal = 0;
  private creditedTotal = 0;
  private replied: boolean;
  private replyWaiters: Array<() => void> = [];

  constructor(private readonly sink: StreamSink, readonly id: number, headers: SpdyHeaders, init: StreamInit) {
    super({ allowHalfOpen: true, readableHighWaterMark: init.initialReceiveWindow });
    this.headers = headers;
    this.replied = init.replied;
    this.localClosed = init.localClosed ?? false;
    this.remoteClosed = init.remoteClosed ?? false;
    this.sendWindow = new SendWindow(init.initialSendWindow);
    this.receiveWindow = new ReceiveWindow(init.initialReceiveWindow);
    if (this.remoteClosed) this.push(null);
    if (this.localClosed) this.end();
  }

  /** Accepts a peer-initiated stream (SYN_REPLY). Data written before is held until then. */
  async accept(headers: SpdyHeaders = {}): Promise<void> {
    if (this.replied) return;
    this.replied = true;
    await this.sink.sendReply(this, headers);
    for (const w of this.replyWaiters.splice(0)) w();
  }

  /** Aborts the stream in both directions (RST_STREAM). */
  reset(status: number = RstStatus.Cancel): void {
    if (this.wasReset) return;
    if (!(this.localClosed && this.remoteClosed)) this.sink.sendReset(this, status);
    this.markReset();
  }

  // --- called by the connection -------------------------------------------------------------

  /** DATA from the peer. */
  receive(data: Buffer): void {
    if (this.remoteClosed || data.length === 0) return;
    this.pushedTotal += data.length;
    this.push(data);
    this.creditConsumed();
  }

  /** FIN from the peer. */
  receiveFin(): void {
    if (this.remoteClosed) return;
    this.remoteClosed = true;
    this.push(null);
    this.maybeDone();
  }

  /** RST_STREAM from the peer, or the connection went away. */
  receiveReset(): void {
    this.markReset();
  }

  // --- Duplex plumbing ------------------------------------------------------------------------

  override _read(): void {
    this.creditConsumed();
  }

  // Every consumer (data events, pipe, async iteration) takes bytes out through read(); credit there,
  // since _read() alone is not called again once the buffer empties without a new push.
  override read(size?: number): unknown {
    const chunk: unknown = super.read(size);
    this.creditConsumed();
    return chunk;
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    // After a reset, writes go nowhere (like writing to a closed socket the peer will never read).
    this.whenReplied()
      .then(() => (this.wasReset ? undefined : this.sink.sendData(this, chunk, false)))
      .then(() => cb(), (err: Error) => cb(err instanceof StreamResetError || this.wasReset ? null : err));
  }

  override _final(cb: (err?: Error | null) => void): void {
    if (this.localClosed || this.wasReset) return cb();
    this.whenReplied()
      .then(() => this.sink.sendData(this, Buffer.alloc(0), true))
      .then(() => {
        this.localClosed = true;
        this.maybeDone();
        cb();
      }, (err: Error) => cb(this.wasReset ? null : err));
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    // A stream dropped by its user while open must not leave the peer waiting.
    if (!this.wasReset && !(this.localClosed && this.remoteClosed)) {
      this.sink.sendReset(this, RstStatus.Cancel);
      this.wasReset = true;
      this.localClosed = this.remoteClosed = true;
      this.sink.streamDone(this);
    }
    for (const w of this.replyWaiters.splice(0)) w();
    cb(err);
  }

  /** Credits bytes that have left our buffer (read by the user), never bytes still queued in it. */
  private creditConsumed(): void {
    const n = this.pushedTotal - this.readableLength - this.creditedTotal;
    if (n <= 0) return;
    this.creditedTotal += n;
    const delta = this.receiveWindow.consumed(n);
    if (delta > 0 && !this.remoteClosed) this.sink.sendWindowUpdate(this, delta);
  }

  private whenReplied(): Promise<void> {
    if (this.replied || this.wasReset) return Promise.resolve();
    return new Promise((resolve) => this.replyWaiters.push(resolve));
  }

  private markReset(): void {
    if (this.wasReset) return;
    this.wasReset = true;
    const wasRemoteOpen = !this.remoteClosed;
    this.localClosed = this.remoteClosed = true;
    this.sink.streamDone(this);
    // Data already received stays readable; the reader then sees a normal end.
    if (wasRemoteOpen) this.push(null);
    for (const w of this.replyWaiters.splice(0)) w();
    this.emit('reset');
  }

  private maybeDone(): void {
    if (this.localClosed && this.remoteClosed) this.sink.streamDone(this);
  }
}
