// SPDY/3.1 frames: their in-memory shape, their wire encoding and an incremental parser. No I/O and no
// compression here: frames that carry headers hold the *compressed* header block, which the connection
// inflates/deflates with its per-direction zlib context (header-compression.ts) in wire order.

export const SPDY_VERSION = 3;
/** Largest payload a frame length field (24 bits) can describe. */
export const MAX_FRAME_PAYLOAD = 0xffffff;

export const FrameType = {
  SynStream: 1,
  SynReply: 2,
  RstStream: 3,
  Settings: 4,
  Ping: 6,
  GoAway: 7,
  Headers: 8,
  WindowUpdate: 9,
} as const;

export const FLAG_FIN = 0x01;
export const FLAG_UNIDIRECTIONAL = 0x02;
export const FLAG_SETTINGS_CLEAR = 0x01;

/** RST_STREAM status codes. */
export const RstStatus = {
  ProtocolError: 1,
  InvalidStream: 2,
  RefusedStream: 3,
  UnsupportedVersion: 4,
  Cancel: 5,
  InternalError: 6,
  FlowControlError: 7,
  StreamInUse: 8,
  StreamAlreadyClosed: 9,
  FrameTooLarge: 11,
} as const;

export const GoAwayStatus = { Ok: 0, ProtocolError: 1, InternalError: 2 } as const;

export const SettingsId = {
  MaxConcurrentStreams: 4,
  InitialWindowSize: 7,
} as const;

export interface SettingEntry {
  id: number;
  value: number;
  flags?: number;
}

export type Frame =
  | { type: 'data'; streamId: number; fin: boolean; data: Buffer }
  | { type: 'syn_stream'; streamId: number; associatedTo: number; priority: number; fin: boolean; unidirectional: boolean; headerBlock: Buffer }
  | { type: 'syn_reply'; streamId: number; fin: boolean; headerBlock: Buffer }
  | { type: 'rst_stream'; streamId: number; status: number }
  | { type: 'settings'; clear: boolean; entries: SettingEntry[] }
  | { type: 'ping'; id: number }
  | { type: 'goaway'; lastGoodStreamId: number; status: number }
  | { type: 'headers'; streamId: number; fin: boolean; headerBlock: Buffer }
  | { type: 'window_update'; streamId: number; delta: number }
  /** A control frame type SPDY/3.1 does not define; the spec says to ignore it. */
  | { type: 'unknown'; frameType: number };

/** A violation of the framing layer; the connection answers it with GOAWAY(PROTOCOL_ERROR). */
export class SpdyProtocolError extends Error {
  constructor(message: string) {
    super(`spdy: ${message}`);
  }
}

function control(type: number, flags: number, payload: Buffer): Buffer {
  if (payload.length > MAX_FRAME_PAYLOAD) throw new SpdyProtocolError('frame too large');
  const out = Buffer.alloc(8 + payload.length);
  out.writeUInt16BE(0x8000 | SPDY_VERSION, 0);
  out.writeUInt16BE(type, 2);
  out.writeUInt32BE(((flags & 0xff) << 24 | payload.length) >>> 0, 4);
  payload.copy(out, 8);
  return out;
}

function words(...values: number[]): Buffer {
  const b = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => b.writeUInt32BE(v >>> 0, i * 4));
  return b;
}

const flags = (fin: boolean, uni = false) => (fin ? FLAG_FIN : 0) | (uni ? FLAG_UNIDIRECTIONAL : 0);

/** The wire bytes of one frame. */
export function encodeFrame(f: Frame): Buffer {
  switch (f.type) {
    case 'data': {
      if (f.data.length > MAX_FRAME_PAYLOAD) throw new SpdyProtocolError('data frame too large');
      const out = Buffer.alloc(8 + f.data.length);
      out.writeUInt32BE(f.streamId & 0x7fffffff, 0);
      out.writeUInt32BE(((f.fin ? FLAG_FIN : 0) << 24 | f.data.length) >>> 0, 4);
      f.data.copy(out, 8);
      return out;
    }
    case 'syn_stream': {
      const head = Buffer.alloc(10);
      head.writeUInt32BE(f.streamId & 0x7fffffff, 0);
      head.writeUInt32BE(f.associatedTo & 0x7fffffff, 4);
      head[8] = (f.priority & 0x7) << 5;
      head[9] = 0; // credential slot, unused
      return control(FrameType.SynStream, flags(f.fin, f.unidirectional), Buffer.concat([head, f.headerBlock]));
    }
    case 'syn_reply':
      return control(FrameType.SynReply, flags(f.fin), Buffer.concat([words(f.streamId & 0x7fffffff), f.headerBlock]));
    case 'headers':
      return control(FrameType.Headers, flags(f.fin), Buffer.concat([words(f.streamId & 0x7fffffff), f.headerBlock]));
    case 'rst_stream':
      return control(FrameType.RstStream, 0, words(f.streamId & 0x7fffffff, f.status));
    case 'settings': {
      const body = Buffer.alloc(4 + f.entries.length * 8);
      body.writeUInt32BE(f.entries.length, 0);
      f.entries.forEach((e, i) => {
        body.writeUInt32BE((((e.flags ?? 0) & 0xff) << 24 | (e.id & 0xffffff)) >>> 0, 4 + i * 8);
        body.writeUInt32BE(e.value >>> 0, 8 + i * 8);
      });
      return control(FrameType.Settings, f.clear ? FLAG_SETTINGS_CLEAR : 0, body);
    }
    case 'ping':
      return control(FrameType.Ping, 0, words(f.id));
    case 'goaway':
      return control(FrameType.GoAway, 0, words(f.lastGoodStreamId & 0x7fffffff, f.status));
    case 'window_update':
      return control(FrameType.WindowUpdate, 0, words(f.streamId & 0x7fffffff, f.delta & 0x7fffffff));
    case 'unknown':
      throw new SpdyProtocolError(`cannot encode unknown frame type ${f.frameType}`);
  }
}

function need(payload: Buffer, n: number, what: string): void {
  if (payload.length < n) throw new SpdyProtocolError(`${what} frame too short (${payload.length} bytes)`);
}

function decodeControl(type: number, fl: number, p: Buffer): Frame {
  const fin = (fl & FLAG_FIN) !== 0;
  switch (type) {
    case FrameType.SynStream:
      need(p, 10, 'SYN_STREAM');
      return {
        type: 'syn_stream',
        streamId: p.readUInt32BE(0) & 0x7fffffff,
        associatedTo: p.readUInt32BE(4) & 0x7fffffff,
        priority: p[8]! >> 5,
        fin,
        unidirectional: (fl & FLAG_UNIDIRECTIONAL) !== 0,
        headerBlock: p.subarray(10),
      };
    case FrameType.SynReply:
      need(p, 4, 'SYN_REPLY');
      return { type: 'syn_reply', streamId: p.readUInt32BE(0) & 0x7fffffff, fin, headerBlock: p.subarray(4) };
    case FrameType.Headers:
      need(p, 4, 'HEADERS');
      return { type: 'headers', streamId: p.readUInt32BE(0) & 0x7fffffff, fin, headerBlock: p.subarray(4) };
    case FrameType.RstStream:
      need(p, 8, 'RST_STREAM');
      return { type: 'rst_stream', streamId: p.readUInt32BE(0) & 0x7fffffff, status: p.readUInt32BE(4) };
    case FrameType.Settings: {
      need(p, 4, 'SETTINGS');
      const n = p.readUInt32BE(0);
      need(p, 4 + n * 8, 'SETTINGS');
      const entries: SettingEntry[] = [];
      for (let i = 0; i < n; i++) {
        const idf = p.readUInt32BE(4 + i * 8);
        entries.push({ flags: idf >>> 24, id: idf & 0xffffff, value: p.readUInt32BE(8 + i * 8) });
      }
      return { type: 'settings', clear: (fl & FLAG_SETTINGS_CLEAR) !== 0, entries };
    }
    case FrameType.Ping:
      need(p, 4, 'PING');
      return { type: 'ping', id: p.readUInt32BE(0) };
    case FrameType.GoAway:
      need(p, 4, 'GOAWAY');
      // SPDY/3 adds a status word; tolerate SPDY/2-sized frames without it.
      return { type: 'goaway', lastGoodStreamId: p.readUInt32BE(0) & 0x7fffffff, status: p.length >= 8 ? p.readUInt32BE(4) : 0 };
    case FrameType.WindowUpdate:
      need(p, 8, 'WINDOW_UPDATE');
      return { type: 'window_update', streamId: p.readUInt32BE(0) & 0x7fffffff, delta: p.readUInt32BE(4) & 0x7fffffff };
    default:
      return { type: 'unknown', frameType: type };
  }
}

/**
 * Splits a byte stream into frames. Feed it whatever the transport delivers (frames may straddle
 * chunks, a chunk may hold many frames); it returns the frames completed so far.
 */
export class FrameParser {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const frames: Frame[] = [];
    while (this.buf.length >= 8) {
      const length = this.buf.readUInt32BE(4) & 0xffffff;
      if (this.buf.length < 8 + length) break;
      const first = this.buf.readUInt32BE(0);
      const fl = this.buf[4]!;
      const payload = this.buf.subarray(8, 8 + length);
      this.buf = this.buf.subarray(8 + length);
      if (first & 0x80000000) {
        const version = (first >>> 16) & 0x7fff;
        if (version !== SPDY_VERSION) throw new SpdyProtocolError(`unsupported version ${version}`);
        frames.push(decodeControl(first & 0xffff, fl, Buffer.from(payload)));
      } else {
        frames.push({ type: 'data', streamId: first & 0x7fffffff, fin: (fl & FLAG_FIN) !== 0, data: Buffer.from(payload) });
      }
    }
    return frames;
  }

  /** Bytes received that do not yet form a whole frame. */
  get pending(): number {
    return this.buf.length;
  }
}
