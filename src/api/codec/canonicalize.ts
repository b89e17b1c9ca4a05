// Values rewritten as upstream stores and returns them after a decode: quantities in canonical
// form (`resources.requests.cpu: 0.5` → `"500m"`, `1024Mi` → `1Gi`), and times in UTC at the
// precision of their type (Time → seconds, MicroTime → microseconds). Values that do not parse
// are left alone (the schema check reports them).
import type { FieldSchema, Schema } from '../schema/index.js';
import { formatMicroTime, formatTime, GoValueError, parseRFC3339 } from './go-values.js';
import { canonicalQuantityValue } from '../../util/quantity.js';
import { isPlainObject, typeInfo, type SpecialKind } from './type-info.js';

type Rewrite = (v: unknown, kind: SpecialKind) => unknown;

/** Rewrites every Quantity in `obj` (a `typeName` object) to upstream's canonical string. */
export function canonicalizeQuantities(obj: unknown, schema: Schema, typeName: string): void {
  rewrite(obj, schema, typeName, (v, kind) => (kind === 'quantity' ? canonicalQuantityValue(v) : v));
}

/** Rewrites every Time/MicroTime in `obj` to the UTC form upstream serializes. */
export function canonicalizeTimes(obj: unknown, schema: Schema, typeName: string): void {
  rewrite(obj, schema, typeName, (v, kind) => {
    if ((kind !== 'time' && kind !== 'microTime') || typeof v !== 'string') return v;
    try {
      const t = parseRFC3339(v, kind === 'microTime');
      return kind === 'time' ? formatTime(t) : formatMicroTime(t);
    } catch (e) {
      if (e instanceof GoValueError) return v;
      throw e;
    }
  });
}

function rewrite(obj: unknown, schema: Schema, typeName: string, fn: Rewrite): void {
  if (isPlainObject(obj)) struct(obj, schema, typeName, fn);
}

function struct(obj: Record<string, unknown>, schema: Schema, typeName: string, fn: Rewrite): void {
  const info = typeInfo(schema, typeName);
  for (const key of Object.keys(obj)) {
    const f = info.props.get(key);
    const v = obj[key];
    if (f && v !== null && v !== undefined) {
      const nv = value(v, f, schema, fn);
      if (nv !== v) obj[key] = nv;
    }
  }
}

function value(v: unknown, f: FieldSchema, schema: Schema, fn: Rewrite): unknown {
  if (f.ref) {
    const info = typeInfo(schema, f.ref);
    if (info.special) return info.special === 'any' ? v : fn(v, info.special);
    if (isPlainObject(v)) struct(v, schema, f.ref, fn);
    return v;
  }
  if (f.type === 'array' && f.items && Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (v[i] !== null) v[i] = value(v[i], f.items, schema, fn);
  } else if (f.type === 'object' && f.additionalProperties && isPlainObject(v)) {
    for (const k of Object.keys(v)) if (v[k] !== null) v[k] = value(v[k], f.additionalProperties, schema, fn);
  }
  return v;
}
