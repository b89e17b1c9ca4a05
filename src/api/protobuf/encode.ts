// A JSON object of a schema type → its protobuf message, written as gogo-protobuf writes Go
// structs: fields in number order, every non-pointer field even when zero or absent (an absent
// `spec` is an empty message, an absent name is ""), pointers and empty lists/maps only when
// set, map entries sorted by key. The output is byte-for-byte what Go's client sends for the same
// object, which lets tests round-trip real kubectl captures.
import type { Schema } from '../schema/index.js';
import { parseQuantity, quantityString } from '../../util/quantity.js';
import { parseRFC3339 } from '../codec/go-values.js';
import { messagePlan, SCALAR_WIRE, type FieldPlan, type Special } from './plan.js';
import { ProtobufError, Writer } from './wire.js';

type Obj = Record<string, unknown>;

export interface EncodeHooks {
  /** Encodes an object found in a RawExtension that has apiVersion and kind (default: JSON). */
  envelope?: (obj: Obj) => Uint8Array | undefined;
}

/** Encodes `obj` as a message of schema type `typeName`. */
export function encodeMessage(schema: Schema, typeName: string, obj: Obj, hooks: EncodeHooks = {}): Uint8Array {
  const w = new Writer();
  new Encoder(schema, hooks).message(typeName, obj, w);
  return w.finish();
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

class Encoder {
  constructor(
    private readonly schema: Schema,
    private readonly hooks: EncodeHooks,
  ) {}

  message(typeName: string, obj: Obj, w: Writer): void {
    const plan = messagePlan(this.schema, typeName);
    if (!plan) throw new ProtobufError(`no protobuf message is known for ${typeName}`);
    for (const f of plan.fields) {
      const v = f.inline ? obj : obj[f.json];
      if (f.map) this.map(f, v, w);
      else if (f.repeated) {
        if (!Array.isArray(v)) continue;
        for (const item of v) {
          if (f.scalar) this.scalarField(f.n, f.scalar, item, w);
          else this.sub(f.n, w, (sw) => this.value(f.message!, f.special, item, sw));
        }
      } else if (f.scalar) {
        if (v === undefined || v === null) {
          if (f.pointer || f.scalar === 'bytes') continue;
          this.scalarField(f.n, f.scalar, zeroOf(f.scalar), w);
        } else this.scalarField(f.n, f.scalar, v, w);
      } else {
        if ((v === undefined || v === null) && (f.pointer || f.special === 'fieldsV1' || f.special === 'rawExtension')) continue;
        this.sub(f.n, w, (sw) => this.value(f.message!, f.special, v, sw));
      }
    }
  }

  private sub(n: number, w: Writer, fill: (w: Writer) => void): void {
    w.tag(n, 2);
    const mark = w.begin();
    fill(w);
    w.end(mark);
  }

  private scalarField(n: number, type: string, v: unknown, w: Writer): void {
    w.tag(n, SCALAR_WIRE[type]!);
    this.scalar(type, v, w);
  }

  private scalar(type: string, v: unknown, w: Writer): void {
    switch (type) {
      case 'string':
        return w.string(String(v));
      case 'bytes':
        return w.bytes(Buffer.from(String(v), 'base64'));
      case 'bool':
        return w.varint(v ? 1 : 0);
      case 'double':
        return w.double(Number(v));
      case 'float':
        return w.float(Number(v));
      case 'sint32':
      case 'sint64': {
        const x = Number(v);
        return w.varint(x >= 0 ? x * 2 : -x * 2 - 1);
      }
      default:
        return w.varint(Math.trunc(Number(v)));
    }
  }

  private value(type: string, special: Special | undefined, v: unknown, w: Writer): void {
    if (!special) return this.message(type, isObj(v) ? v : {}, w);
    switch (special) {
      case 'quantity': {
        const s = v === undefined || v === null ? '0' : String(v);
        w.tag(1, 2);
        w.string(quantityString(parseQuantity(s.trim())));
        return;
      }
      case 'intOrString': {
        const isStr = typeof v === 'string';
        w.tag(1, 0);
        w.varint(isStr ? 1 : 0);
        w.tag(2, 0);
        w.varint(isStr ? 0 : Number(v ?? 0) | 0);
        w.tag(3, 2);
        w.string(isStr ? v : '');
        return;
      }
      case 'time':
      case 'microTime': {
        if (typeof v !== 'string') return;
        const t = parseRFC3339(v, special === 'microTime');
        w.tag(1, 0);
        w.varint(t.seconds);
        w.tag(2, 0);
        w.varint(t.nanos);
        return;
      }
      case 'fieldsV1':
      case 'rawExtension': {
        if (v === undefined) return;
        const env = special === 'rawExtension' && isObj(v) && v.apiVersion && v.kind ? this.hooks.envelope?.(v) : undefined;
        w.tag(1, 2);
        w.bytes(env ?? Buffer.from(JSON.stringify(v), 'utf8'));
        return;
      }
      case 'extraValue':
        for (const s of Array.isArray(v) ? v : []) {
          w.tag(1, 2);
          w.string(String(s));
        }
        return;
    }
  }

  private map(f: FieldPlan, v: unknown, w: Writer): void {
    if (!isObj(v)) return;
    const m = f.map!;
    for (const key of Object.keys(v).sort()) {
      const val = v[key];
      this.sub(f.n, w, (ew) => {
        this.scalarField(1, m.key, SCALAR_WIRE[m.key] === 2 ? key : Number(key), ew);
        if (m.valueScalar) this.scalarField(2, m.value, val ?? zeroOf(m.value), ew);
        else this.sub(2, ew, (vw) => this.value(m.value, m.valueSpecial, val, vw));
      });
    }
  }
}

function zeroOf(type: string): unknown {
  if (type === 'string' || type === 'bytes') return '';
  if (type === 'bool') return false;
  return 0;
}
