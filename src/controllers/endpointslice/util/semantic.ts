// Equality as apimachinery's Semantic.DeepEqual sees API objects: a missing field, null, an
// empty list and an empty map are all "unset"; a targetRef's resourceVersion is ignored so a
// pod write that changes nothing else does not rewrite endpoints.
import { isDeepStrictEqual } from 'node:util';

export function semanticEqual(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(normalize(a), normalize(b));
}

function normalize(v: unknown, key = ''): unknown {
  if (Array.isArray(v)) return v.length ? v.map((x) => normalize(x)) : undefined;
  if (v === null || v === undefined) return undefined;
  if (typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (key === 'targetRef' && k === 'resourceVersion') continue;
    const n = normalize(x, k);
    if (n !== undefined) out[k] = n;
  }
  return Object.keys(out).length || key === '' ? out : undefined;
}
