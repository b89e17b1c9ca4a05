// A protobuf message of a schema type → the JSON object upstream's apiserver would have after
// decoding it: JSON field names, Go embedded structs merged into the parent, maps and repeated
// fields (packed or not), int64 as numbers, bytes as base64, and the special types in their JSON
// forms. gogo-protobuf writes every non-pointer field, zero or not, so a zero scalar is kept only
// where Go's JSON prints it (pointers, fields without omitempty); messages that are present are
// kept, empty or not (`spec: {}`, `creationTimestamp: null`), as Go prints them.
import type { Schema } from '../schema/index.js';
import { canonicalQuantity, QuantityError } from '../../util/quantity.js';
import { formatMicroTime, formatTime } from '../codec/go-values.js';
import { messagePlan, SCALAR_WIRE, type FieldPlan, type MessagePlan, type Special } from './plan.js';
import { ProtobufError, Reader } from './wire.js';

export const PROTOBUF_MAGIC = Uint8Array.of(0x6b, 0x38, 0x73, 0x00);

export interface DecodeHooks {
  /** Decodes a nested `k8s\0` envelope found in a RawExtension. */
  envelope?: (buf: Uint8Array) => Record<string, unknown>;
}

type Obj = Record<string, unknown>;

/** Decodes the bytes [start, end) of `buf` as a message of schema type `typeName`. */
export function decodeMessage(schema: Schema, typeName: string, buf: Uint8Array, start = 0, end = buf.length, hooks: DecodeHooks = {}): Obj {
  const plan = messagePlan(schema, typeName);
  if (!plan) throw new ProtobufError(`no protobuf message is known for ${typeName}`);
  const out: Obj = {};
  new Decoder(schema, buf, hooks).message(plan, new Reader(buf, start, end), out);
  return out;
}

class Decoder {
  constructor(
    private readonly schema: Schema,
    private readonly buf: Uint8Array,
    private readonly hooks: DecodeHooks,
  ) {}

  message(plan: MessagePlan, r: Reader, out: Obj): void {
    while (r.pos < r.end) {
      const tag = r.varint();
      const n = Math.floor(tag / 8);
      const wire = tag & 7;
      if (wire === 4) throw new ProtobufError(`proto: ${plan.short}: wiretype end group for non-group`);
      if (n <= 0) throw new ProtobufError(`proto: ${plan.short}: illegal tag ${n} (wire type ${tag})`);
      const f = plan.byNumber[n];
      if (!f) {
        r.skip(wire, plan.short);
        continue;
      }
      if (f.map) this.mapEntry(f, r, wire, out);
      else if (f.scalar) this.scalarField(f, r, wire, out);
      else this.messageField(f, r, wire, out);
    }
  }

  private wrongWire(f: FieldPlan, wire: number): ProtobufError {
    return new ProtobufError(`proto: wrong wireType = ${wire} for field ${f.goName}`);
  }

  private scalarField(f: FieldPlan, r: Reader, wire: number, out: Obj): void {
    const type = f.scalar!;
    const want = SCALAR_WIRE[type]!;
    if (f.repeated) {
      let arr = out[f.json] as unknown[] | undefined;
      if (!Array.isArray(arr)) out[f.json] = arr = [];
      if (wire === 2 && want !== 2) {
        const [s, e] = r.length();
        const sub = new Reader(this.buf, s, e);
        while (sub.pos < sub.end) arr.push(this.scalar(type, sub));
        return;
      }
      if (wire !== want) throw this.wrongWire(f, wire);
      arr.push(this.scalar(type, r));
      return;
    }
    if (wire !== want) throw this.wrongWire(f, wire);
    const v = this.scalar(type, r);
    if (f.emitZero || !isZero(v)) out[f.json] = v;
    else if (out[f.json] !== undefined) delete out[f.json];
  }

  private scalar(type: string, r: Reader): unknown {
    switch (type) {
      case 'string': {
        const [s, e] = r.length();
        return utf8(this.buf, s, e);
      }
      case 'bytes': {
        const [s, e] = r.length();
        return Buffer.from(this.buf.buffer, this.buf.byteOffset + s, e - s).toString('base64');
      }
      case 'bool':
        return r.varint() !== 0;
      case 'int32':
      case 'enum':
        return r.varint() | 0;
      case 'uint32':
        return r.varint() >>> 0;
      case 'uint64': {
        const v = r.varint();
        return v < 0 ? v + 2 ** 64 : v;
      }
      case 'sint32':
      case 'sint64': {
        const v = r.varint();
        return v % 2 === 0 ? v / 2 : -(v + 1) / 2;
      }
      case 'double':
        return r.double();
      case 'float':
        return r.float();
      case 'fixed32':
        return r.fixed(4);
      case 'sfixed32':
        return r.fixed(4) | 0;
      default:
        return r.varint();
    }
  }

  private messageField(f: FieldPlan, r: Reader, wire: number, out: Obj): void {
    if (wire !== 2) throw this.wrongWire(f, wire);
    const end = r.prefix();
    if (f.inline) return r.within(end, () => this.message(this.plan(f.message!), r, out));
    if (f.repeated) {
      let arr = out[f.json] as unknown[] | undefined;
      if (!Array.isArray(arr)) out[f.json] = arr = [];
      arr.push(r.within(end, () => this.value(f.message!, f.special, r)));
      return;
    }
    const prev = out[f.json];
    if (!f.special && typeof prev === 'object' && prev !== null && !Array.isArray(prev)) r.within(end, () => this.message(this.plan(f.message!), r, prev as Obj));
    else out[f.json] = r.within(end, () => this.value(f.message!, f.special, r));
  }

  private plan(name: string): MessagePlan {
    const p = messagePlan(this.schema, name);
    if (!p) throw new ProtobufError(`no protobuf message is known for ${name}`);
    return p;
  }

  /** A message value: an object, or a special type's JSON form. */
  private value(type: string, special: Special | undefined, r: Reader): unknown {
    if (!special) {
      const o: Obj = {};
      this.message(this.plan(type), r, o);
      return o;
    }
    const empty = r.pos === r.end;
    const { v, b } = this.fields(r);
    const str = (n: number): string | undefined => {
      const last = b[n]?.at(-1);
      return last ? utf8(this.buf, last[0], last[1]) : undefined;
    };
    switch (special) {
      case 'quantity':
        try {
          return canonicalQuantity(str(1) ?? '0');
        } catch (e) {
          if (e instanceof QuantityError) throw new ProtobufError(e.message);
          throw e;
        }
      case 'intOrString':
        return v[1] === 1 ? (str(3) ?? '') : (v[2] ?? 0) | 0;
      case 'time':
      case 'microTime': {
        if (empty) return null;
        const t = { seconds: v[1] ?? 0, nanos: (v[2] ?? 0) | 0 };
        return special === 'time' ? formatTime(t) : formatMicroTime(t);
      }
      case 'fieldsV1':
      case 'rawExtension': {
        const last = b[1]?.at(-1);
        return this.rawJson(last ? this.buf.subarray(last[0], last[1]) : undefined, special);
      }
      case 'extraValue':
        return (b[1] ?? []).map(([s, e]) => utf8(this.buf, s, e));
    }
  }

  /** The varint and length-delimited fields of a small special message, by number. */
  private fields(r: Reader): { v: Record<number, number>; b: Record<number, Array<[number, number]>> } {
    const v: Record<number, number> = {};
    const b: Record<number, Array<[number, number]>> = {};
    while (r.pos < r.end) {
      const tag = r.varint();
      const n = Math.floor(tag / 8);
      const wire = tag & 7;
      if (n <= 0) throw new ProtobufError(`proto: illegal tag ${n} (wire type ${tag})`);
      if (wire === 0) v[n] = r.varint();
      else if (wire === 2) (b[n] ??= []).push(r.length());
      else r.skip(wire, 'message');
    }
    return { v, b };
  }

  private rawJson(raw: Uint8Array | undefined, special: Special): unknown {
    if (raw === undefined) return null;
    if (special === 'rawExtension' && raw.length >= 4 && raw[0] === 0x6b && raw[1] === 0x38 && raw[2] === 0x73 && raw[3] === 0 && this.hooks.envelope) {
      return this.hooks.envelope(raw);
    }
    if (raw.length === 0) return special === 'fieldsV1' ? {} : null;
    try {
      return JSON.parse(Buffer.from(raw.buffer, raw.byteOffset, raw.length).toString('utf8'));
    } catch {
      throw new ProtobufError(`${special === 'fieldsV1' ? 'FieldsV1' : 'RawExtension'} does not hold JSON`);
    }
  }

  private mapEntry(f: FieldPlan, r: Reader, wire: number, out: Obj): void {
    if (wire !== 2) throw this.wrongWire(f, wire);
    const m = f.map!;
    const [s, e] = r.length();
    const sub = new Reader(this.buf, s, e);
    let key: unknown = SCALAR_WIRE[m.key] === 2 ? '' : 0;
    let value: unknown;
    while (sub.pos < sub.end) {
      const tag = sub.varint();
      const n = Math.floor(tag / 8);
      const w = tag & 7;
      if (n === 1 && w === SCALAR_WIRE[m.key]) key = this.scalar(m.key, sub);
      else if (n === 2 && m.valueScalar && w === SCALAR_WIRE[m.value]) value = this.scalar(m.value, sub);
      else if (n === 2 && !m.valueScalar && w === 2) value = sub.within(sub.prefix(), () => this.value(m.value, m.valueSpecial, sub));
      else if (n <= 0) throw new ProtobufError(`proto: illegal tag ${n} (wire type ${tag})`);
      else sub.skip(w, 'map entry');
    }
    if (value === undefined) value = m.valueScalar ? (SCALAR_WIRE[m.value] === 2 ? '' : m.value === 'bool' ? false : 0) : this.value(m.value, m.valueSpecial, new Reader(this.buf, 0, 0));
    let map = out[f.json] as Obj | undefined;
    if (typeof map !== 'object' || map === null) out[f.json] = map = {};
    const k = String(key);
    if (k === '__proto__') Object.defineProperty(map, k, { value, enumerable: true, writable: true, configurable: true });
    else map[k] = value;
  }
}

function isZero(v: unknown): boolean {
  return v === '' || v === 0 || v === false;
}

const decoder = new TextDecoder();

function utf8(buf: Uint8Array, s: number, e: number): string {
  if (e - s < 32) {
    let ascii = true;
    let out = '';
    for (let i = s; i < e; i++) {
      const c = buf[i]!;
      if (c >= 0x80) {
        ascii = false;
        break;
      }
      out += String.fromCharCode(c);
    }
    if (ascii) return out;
  }
  return decoder.decode(buf.subarray(s, e));
}
