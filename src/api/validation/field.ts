// Small helpers shared by the validators: the error constructors errors.ts lacks, upstream's
// immutability and non-negativity checks, and JSON "semantic" equality (Go's apiequality.Semantic
// treats nil and empty collections alike; over JSON we also treat an omitted scalar as its zero).
import { FieldError, field } from '../errors.js';

export { FieldError, field };

export const FIELD_IMMUTABLE = 'field is immutable';
export const IS_NEGATIVE = 'must be greater than or equal to 0';

export function notFound(path: string, value: unknown, detail = ''): FieldError {
  return new FieldError('FieldValueNotFound', path, value, detail);
}

export function internalError(path: string, detail: string): FieldError {
  return new FieldError('InternalError', path, undefined, detail);
}

/** A JSON object or undefined, for reading nested optional fields without casts everywhere. */
export type Obj = Record<string, any>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function asObj(v: unknown): Obj {
  return isObj(v) ? v : {};
}

export function asArray(v: unknown): any[] {
  return Array.isArray(v) ? v : [];
}

export function asString(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** Go's `map[string]string` as json.Marshal writes it: keys in order. */
export function sortedMap<T>(m: Record<string, T> | undefined | null): Record<string, T> | null {
  if (!m) return null;
  const out: Record<string, T> = {};
  for (const k of Object.keys(m).sort()) out[k] = m[k]!;
  return out;
}

/** Keys of a map in Go's sorted iteration order (upstream iterates maps randomly; we pick a stable order). */
export function keysOf(m: unknown): string[] {
  return isObj(m) ? Object.keys(m).sort() : [];
}

function isEmptyish(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === 0 || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (isObj(v)) return Object.keys(v).every((k) => isEmptyish(v[k]));
  return false;
}

/** Deep equality where an omitted field equals its zero value and empty collections equal absent ones. */
export function semanticEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isEmptyish(a) && isEmptyish(b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => semanticEqual(x, b[i]));
  }
  if (isObj(a) && isObj(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) if (!semanticEqual(a[k], b[k])) return false;
    return true;
  }
  return false;
}

/** `path: Invalid value: <new>: field is immutable` when the value changed. */
export function validateImmutableField(newVal: unknown, oldVal: unknown, path: string, render: unknown = newVal): FieldError[] {
  return semanticEqual(newVal, oldVal) ? [] : [field.invalid(path, render === undefined ? null : render, FIELD_IMMUTABLE)];
}

export function validateNonnegativeField(value: unknown, path: string): FieldError[] {
  return typeof value === 'number' && value < 0 ? [field.invalid(path, value, IS_NEGATIVE)] : [];
}

/** Drops repeated messages, as upstream's ErrorList.ToAggregate does. */
export function uniqueErrors(errs: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errs.filter((e) => {
    const s = e.toString();
    if (seen.has(s)) return false;
    seen.add(s);
    return true;
  });
}

/** Go's %#v of a []string: `[]string{"a", "b"}`. */
export function goStringSlice(values: readonly string[]): string {
  return `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`;
}

/** Renders a value as json.Marshal would for an internal Go struct without JSON tags. */
export function goStructJSON(fields: [string, unknown][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of fields) out[k] = v === undefined ? null : v;
  return out;
}
