// How each protobuf message maps to JSON, computed once per type from the schema: field number →
// JSON name, wire handling, special types (Quantity, IntOrString, Time…), Go embedded structs
// (inline), and which zero values Go's JSON would still print (pointers, fields without
// omitempty — from go-fields.generated.ts, since neither generated.proto nor OpenAPI says).
import type { ProtoField, Schema } from '../schema/index.js';
import { GO_FIELDS } from './go-fields.generated.js';

export type Special = 'quantity' | 'intOrString' | 'time' | 'microTime' | 'fieldsV1' | 'rawExtension' | 'extraValue';

const SPECIAL: Readonly<Record<string, Special>> = {
  'io.k8s.apimachinery.pkg.api.resource.Quantity': 'quantity',
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': 'intOrString',
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time': 'time',
  'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime': 'microTime',
  'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1': 'fieldsV1',
  'io.k8s.apimachinery.pkg.runtime.RawExtension': 'rawExtension',
};

export function specialOf(typeName: string): Special | undefined {
  return SPECIAL[typeName] ?? (typeName.endsWith('.ExtraValue') ? 'extraValue' : undefined);
}

/** Protobuf scalar types; wire type 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32. */
export const SCALAR_WIRE: Readonly<Record<string, number>> = {
  string: 2, bytes: 2, bool: 0, int32: 0, int64: 0, uint32: 0, uint64: 0, sint32: 0, sint64: 0, enum: 0,
  double: 1, fixed64: 1, sfixed64: 1, float: 5, fixed32: 5, sfixed32: 5,
};

export interface FieldPlan {
  n: number;
  /** JSON property name. */
  json: string;
  /** Go-style field name for error messages (`Name`). */
  goName: string;
  /** Scalar type, or undefined for messages and maps. */
  scalar?: string;
  /** Message type name (for messages, and map values that are messages). */
  message?: string;
  special?: Special;
  map?: { key: string; value: string; valueScalar: boolean; valueSpecial?: Special };
  repeated: boolean;
  /** A Go embedded struct: its fields are the parent's JSON fields. */
  inline: boolean;
  /** Go pointer: nil is absent, a set zero value is still printed/encoded. */
  pointer: boolean;
  /** Go's JSON prints this field's zero value (pointer, or no omitempty). */
  emitZero: boolean;
}

export interface MessagePlan {
  name: string;
  short: string;
  /** Fields sorted by number (gogo-protobuf writes them in this order). */
  fields: FieldPlan[];
  /** Fields by number (a sparse array: field numbers are small). */
  byNumber: Array<FieldPlan | undefined>;
}

const caches = new WeakMap<Schema, Map<string, MessagePlan>>();

export function messagePlan(schema: Schema, name: string): MessagePlan | undefined {
  let cache = caches.get(schema);
  if (!cache) caches.set(schema, (cache = new Map()));
  const hit = cache.get(name);
  if (hit) return hit;
  const t = schema.types[name];
  if (!t?.proto) return undefined;
  const [ptrs = '', plain = ''] = GO_FIELDS[name] ?? [];
  const pointers = new Set(ptrs.split(' '));
  const nonOmitEmpty = new Set(plain.split(' '));
  const props = t.properties ?? {};
  const fields = t.proto.map((f): FieldPlan => {
    const inline = isInline(schema, f, props);
    const json = f.json ?? f.name;
    const pointer = pointers.has(json);
    const base = {
      n: f.n,
      json,
      goName: f.name.charAt(0).toUpperCase() + f.name.slice(1),
      repeated: f.repeated === true,
      inline,
      pointer,
      emitZero: pointer || nonOmitEmpty.has(json),
    };
    if (f.t === 'map') {
      const value = f.value ?? 'string';
      const valueScalar = SCALAR_WIRE[value] !== undefined;
      return { ...base, map: { key: f.key ?? 'string', value, valueScalar, valueSpecial: valueScalar ? undefined : specialOf(value) } };
    }
    if (SCALAR_WIRE[f.t] !== undefined) return { ...base, scalar: f.t };
    return { ...base, message: f.t, special: specialOf(f.t) };
  });
  fields.sort((a, b) => a.n - b.n);
  const parts = name.split('.');
  const byNumber: Array<FieldPlan | undefined> = [];
  for (const f of fields) byNumber[f.n] = f;
  const plan: MessagePlan = { name, short: parts[parts.length - 1] ?? name, fields, byNumber };
  cache.set(name, plan);
  return plan;
}

/**
 * The generated schema marks a proto field inline when no JSON property has its name. That is
 * right for Go embedded structs (VolumeSource, ProbeHandler…) but also catches fields missing
 * from the OpenAPI (PodSpec.workloadRef): only trust it when the inner message's properties
 * all appear in the parent.
 */
function isInline(schema: Schema, f: ProtoField, props: Record<string, unknown>): boolean {
  if (!f.inline) return false;
  const t = schema.types[f.t];
  const inner = t?.properties ? Object.keys(t.properties) : (t?.proto ?? []).map((p) => p.json ?? p.name);
  return inner.length > 0 && inner.every((k) => Object.hasOwn(props, k));
}
