// Small helpers over plain JSON values shared by the patch engines, plus the renderings of
// values that upstream's Go error messages use (`%v` of a map, reflect type names), so that
// clients see the same text they would see from kube-apiserver.

export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function clone<T>(v: T): T {
  return structuredClone(v);
}

/**
 * A deep copy of plain JSON data, several times faster than structuredClone. Anything else
 * (class instances, objects without the plain prototype, functions) is left to structuredClone,
 * which copies or rejects it as before.
 */
export function cloneJson<T>(v: T): T {
  if (typeof v !== 'object' || v === null) return typeof v === 'function' || typeof v === 'symbol' ? structuredClone(v) : v;
  if (Array.isArray(v)) return v.map(cloneJson) as T;
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return structuredClone(v);
  const src = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(src)) {
    if (k === '__proto__') Object.defineProperty(out, k, { value: cloneJson(src[k]), enumerable: true, writable: true, configurable: true });
    else out[k] = cloneJson(src[k]);
  }
  return out as T;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  // Members set to undefined (possible in objects built in code) count as absent.
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  let n = 0;
  for (const k in ao) {
    const v = ao[k];
    if (v === undefined) continue;
    if (!deepEqual(v, bo[k])) return false;
    n++;
  }
  for (const k in bo) if (bo[k] !== undefined) n--;
  return n === 0;
}

/** Go's reflect type name of a decoded JSON value (for `expected a X, but received a Y`). */
export function goTypeName(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return '[]interface {}';
  if (isObject(v)) return 'map[string]interface {}';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  return typeof v === 'boolean' ? 'bool' : 'string';
}

/** The JSON kind Go's encoding/json names in `cannot unmarshal X into …`. */
export function jsonKindName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (isObject(v)) return 'object';
  return typeof v === 'boolean' ? 'bool' : typeof v;
}

/** Go's `%v` of a decoded JSON value: `map[a:1 b:[x y]]`. */
export function goFormat(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goFormat).join(' ')}]`;
  if (isObject(v)) {
    const keys = Object.keys(v).sort();
    return `map[${keys.map((k) => `${k}:${goFormat(v[k])}`).join(' ')}]`;
  }
  return String(v);
}

/**
 * JSON text as Go's encoding/json writes it: object keys sorted, and `<`, `>`, `&`, U+2028 and
 * U+2029 escaped. Field-path keys (`k:{…}`, `v:…`) must be byte-identical to upstream's.
 */
export function goJson(v: unknown): string {
  if (typeof v === 'string') return goString(v);
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
  if (isObject(v)) {
    return `{${Object.keys(v).sort().map((k) => `${goString(k)}:${goJson(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

/** Characters JSON.stringify or Go escape (controls, quote, backslash, HTML, U+2028/9, surrogates). */
const NEEDS_ESCAPE = /[\u0000-\u001f"\\<>&\u2028\u2029\ud800-\udfff]/;

/** A JSON string as Go writes it. */
export function goString(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return `"${s}"`;
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
