// Protobuf wire format: a bounds-checked reader and a growable writer. Errors carry the texts of
// gogo-protobuf's generated unmarshalers (`unexpected EOF`, `proto: integer overflow`, …).

export class ProtobufError extends Error {}

export const errEOF = (): ProtobufError => new ProtobufError('unexpected EOF');

export class Reader {
  pos: number;

  constructor(
    readonly buf: Uint8Array,
    start: number,
    /** Where the current message ends; narrowed while a nested message is read. */
    public end: number,
  ) {
    this.pos = start;
  }

  /** A varint as a signed 64-bit integer (exact while |v| < 2^53). */
  varint(): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos >= this.end) throw errEOF();
    let b = buf[pos++]!;
    if (b < 0x80) {
      this.pos = pos;
      return b;
    }
    const start = pos - 1;
    let result = b & 0x7f;
    let mul = 128;
    for (let i = 1; i < 10; i++) {
      if (pos >= this.end) throw errEOF();
      b = buf[pos++]!;
      result += (b & 0x7f) * mul;
      if (b < 0x80) {
        this.pos = pos;
        return i < 7 ? result : this.bigVarint(start, pos);
      }
      mul *= 128;
    }
    throw new ProtobufError('proto: integer overflow');
  }

  private bigVarint(start: number, end: number): number {
    let v = 0n;
    for (let i = end - 1; i >= start; i--) v = (v << 7n) | BigInt(this.buf[i]! & 0x7f);
    return Number(BigInt.asIntN(64, v));
  }

  /** A length prefix and the bounds of what it covers; the reader moves past it. */
  length(): [number, number] {
    const end = this.prefix();
    const start = this.pos;
    this.pos = end;
    return [start, end];
  }

  /** A length prefix: returns where the value ends, leaving the reader at its start. */
  prefix(): number {
    const len = this.varint();
    if (len < 0) throw new ProtobufError('proto: negative length found during unmarshaling');
    const end = this.pos + len;
    if (end > this.end) throw errEOF();
    return end;
  }

  /** Runs `fn` with the reader narrowed to [pos, end), then moves past it. */
  within<T>(end: number, fn: () => T): T {
    const outer = this.end;
    this.end = end;
    try {
      return fn();
    } finally {
      this.pos = end;
      this.end = outer;
    }
  }

  fixed(bytes: 4 | 8): number {
    if (this.pos + bytes > this.end) throw errEOF();
    const dv = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, bytes);
    this.pos += bytes;
    return dv.getUint32(0, true);
  }

  double(): number {
    if (this.pos + 8 > this.end) throw errEOF();
    const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8).getFloat64(0, true);
    this.pos += 8;
    return v;
  }

  float(): number {
    if (this.pos + 4 > this.end) throw errEOF();
    const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 4).getFloat32(0, true);
    this.pos += 4;
    return v;
  }

  /** Skips a field of this wire type (gogo's skipGenerated). */
  skip(wire: number, message: string): void {
    switch (wire) {
      case 0:
        this.varint();
        return;
      case 1:
        this.fixed(8);
        return;
      case 2:
        this.length();
        return;
      case 3: {
        for (;;) {
          const tag = this.varint();
          if ((tag & 7) === 4) return;
          this.skip(tag & 7, message);
        }
      }
      case 5:
        this.fixed(4);
        return;
      case 4:
        throw new ProtobufError(`proto: ${message}: wiretype end group for non-group`);
      default:
        throw new ProtobufError(`proto: illegal wireType ${wire}`);
    }
  }
}

const textEncoder = new TextEncoder();

export class Writer {
  private buf = new Uint8Array(64);
  len = 0;

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.len++] = b;
  }

  /** A varint of a signed 64-bit value (negative numbers take ten bytes). */
  varint(v: number): void {
    if (v >= 0 && v < 2 ** 31) {
      this.ensure(5);
      while (v >= 0x80) {
        this.buf[this.len++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      this.buf[this.len++] = v;
      return;
    }
    let u = BigInt.asUintN(64, BigInt(Math.trunc(v)));
    this.ensure(10);
    while (u >= 0x80n) {
      this.buf[this.len++] = Number(u & 0x7fn) | 0x80;
      u >>= 7n;
    }
    this.buf[this.len++] = Number(u);
  }

  /** Starts a length-delimited value: reserves one byte for its length. */
  begin(): number {
    this.ensure(1);
    return this.len++;
  }

  /** Ends what `begin` started: writes the length, moving the value if it needs more bytes. */
  end(mark: number): void {
    const n = this.len - mark - 1;
    if (n < 0x80) {
      this.buf[mark] = n;
      return;
    }
    let size = 1;
    for (let v = n; v >= 0x80; v = Math.floor(v / 128)) size++;
    this.ensure(size - 1);
    this.buf.copyWithin(mark + size, mark + 1, this.len);
    this.len += size - 1;
    let v = n;
    for (let i = 0; i < size; i++) {
      this.buf[mark + i] = i < size - 1 ? (v & 0x7f) | 0x80 : v;
      v = Math.floor(v / 128);
    }
  }

  tag(n: number, wire: number): void {
    this.varint(n * 8 + wire);
  }

  bytes(b: Uint8Array): void {
    this.varint(b.length);
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  string(s: string): void {
    const n = s.length;
    if (n < 128) {
      this.ensure(n + 1);
      const start = this.len + 1;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        this.buf[start + i] = c;
      }
      if (i === n) {
        this.buf[this.len] = n;
        this.len = start + n;
        return;
      }
    }
    this.bytes(textEncoder.encode(s));
  }

  double(v: number): void {
    this.ensure(8);
    new DataView(this.buf.buffer, this.len, 8).setFloat64(0, v, true);
    this.len += 8;
  }

  float(v: number): void {
    this.ensure(4);
    new DataView(this.buf.buffer, this.len, 4).setFloat32(0, v, true);
    this.len += 4;
  }

  finish(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }
}
