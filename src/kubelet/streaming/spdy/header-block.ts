// SPDY/3 name/value header blocks (before compression): a 32-bit count, then per header a 32-bit
// length + lowercase name and a 32-bit length + value, several values of one name joined by NUL.
import { SpdyProtocolError } from './frames.js';

/** Header names are lowercase; a name may carry several values. */
export type SpdyHeaders = Record<string, string[]>;

/** Headers as callers like to write them. */
export type HeadersInit = Record<string, string | string[]>;

export function normalizeHeaders(init: HeadersInit = {}): SpdyHeaders {
  const out: SpdyHeaders = {};
  for (const [name, value] of Object.entries(init)) {
    const key = name.toLowerCase();
    out[key] = [...(out[key] ?? []), ...(Array.isArray(value) ? value : [value])];
  }
  return out;
}

/** The first value of `name` (case-insensitive), or '' like Go's http.Header.Get. */
export function headerValue(headers: SpdyHeaders, name: string): string {
  return headers[name.toLowerCase()]?.[0] ?? '';
}

export function encodeHeaderBlock(headers: SpdyHeaders): Buffer {
  const parts: Buffer[] = [];
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  const entries = Object.entries(headers);
  parts.push(u32(entries.length));
  for (const [name, values] of entries) {
    const n = Buffer.from(name.toLowerCase(), 'utf8');
    const v = Buffer.from(values.join('\0'), 'utf8');
    parts.push(u32(n.length), n, u32(v.length), v);
  }
  return Buffer.concat(parts);
}

export function decodeHeaderBlock(block: Buffer): SpdyHeaders {
  let off = 0;
  const u32 = () => {
    if (off + 4 > block.length) throw new SpdyProtocolError('truncated header block');
    const v = block.readUInt32BE(off);
    off += 4;
    return v;
  };
  const str = () => {
    const len = u32();
    if (off + len > block.length) throw new SpdyProtocolError('truncated header block');
    const s = block.toString('utf8', off, off + len);
    off += len;
    return s;
  };
  const count = u32();
  const out: SpdyHeaders = {};
  for (let i = 0; i < count; i++) {
    const name = str().toLowerCase();
    const value = str();
    if (out[name]) throw new SpdyProtocolError(`duplicate header ${name}`);
    out[name] = value.split('\0');
  }
  return out;
}
