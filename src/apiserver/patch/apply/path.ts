// Path elements of field sets, as structured-merge-diff's fieldpath.PathElement: their FieldsV1
// keys (`f:name`, `k:{"name":"a"}`, `v:"x"`, `i:0`, byte-identical to upstream's), parsing,
// upstream's order and human form, and cursors for building paths during walks. Elements are
// shared (cached) and never mutated.
import { goJson, goString, isObject, type Json } from '../json.js';

export type PathElement =
  | { field: string }
  | { key: [string, Json][] }
  | { value: Json }
  | { index: number };

export type Path = readonly PathElement[];

/** Bounded caches: cleared when full (field names and keys repeat across objects of a kind). */
const CACHE_LIMIT = 20_000;
const fieldElements = new Map<string, { pe: PathElement; key: string }>();
const parsedKeys = new Map<string, { pe: PathElement; key: string } | undefined>();
const elementKeys = new WeakMap<PathElement, string>();

/** The (shared) element of field `name` with its FieldsV1 key. */
export function fieldElement(name: string): { pe: PathElement; key: string } {
  let e = fieldElements.get(name);
  if (e === undefined) {
    if (fieldElements.size >= CACHE_LIMIT) fieldElements.clear();
    fieldElements.set(name, (e = { pe: { field: name }, key: `f:${name}` }));
  }
  return e;
}

/** The FieldsV1 key of an element: `f:name`, `k:{"name":"a"}`, `v:"x"`, `i:0`. */
export function peKey(pe: PathElement): string {
  if ('field' in pe) return fieldElement(pe.field).key;
  let k = elementKeys.get(pe);
  if (k === undefined) elementKeys.set(pe, (k = elementKey(pe)));
  return k;
}

/** peKey, not cached: for elements made for one use (list items named during a walk). */
export function elementKey(pe: PathElement): string {
  if ('field' in pe) return fieldElement(pe.field).key;
  if ('key' in pe) return `k:${keyJson(pe.key)}`;
  if ('value' in pe) return `v:${goJson(pe.value)}`;
  return `i:${pe.index}`;
}

/** goJson of the object of `entries`, written directly when they are sorted and distinct. */
function keyJson(entries: [string, Json][]): string {
  let s = '{';
  for (let i = 0; i < entries.length; i++) {
    const [name, v] = entries[i]!;
    if (i > 0) {
      if (!(entries[i - 1]![0] < name)) return goJson(Object.fromEntries(entries));
      s += ',';
    }
    s += `${goString(name)}:${goJson(v)}`;
  }
  return `${s}}`;
}

/** Parses a FieldsV1 key; undefined for element types this version does not know. */
export function parsePeKey(s: string): PathElement | undefined {
  if (s.length < 2 || s[1] !== ':') throw new Error(`invalid path element ${JSON.stringify(s)}`);
  const body = s.slice(2);
  switch (s[0]) {
    case 'f':
      return { field: body };
    case 'k': {
      const obj: unknown = JSON.parse(body);
      if (!isObject(obj)) throw new Error(`invalid key element ${JSON.stringify(s)}`);
      return { key: Object.entries(obj).sort(([a], [b]) => cmpStr(a, b)) };
    }
    case 'v':
      return { value: JSON.parse(body) as Json };
    case 'i': {
      const n = Number(body);
      if (!Number.isInteger(n)) throw new Error(`invalid index element ${JSON.stringify(s)}`);
      return { index: n };
    }
    default:
      return undefined;
  }
}

/** parsePeKey with the element's canonical key, cached (the elements are shared). */
export function parseKeyed(s: string): { pe: PathElement; key: string } | undefined {
  let e = parsedKeys.get(s);
  if (e === undefined && !parsedKeys.has(s)) {
    const pe = parsePeKey(s);
    e = pe && ('field' in pe ? fieldElement(pe.field) : { pe, key: elementKey(pe) });
    if (parsedKeys.size >= CACHE_LIMIT) parsedKeys.clear();
    parsedKeys.set(s, e);
  }
  return e;
}

/** Upstream's human form: `.spec.containers[name="nginx"].ports[containerPort=80,protocol="TCP"]`. */
export function pathString(path: Path): string {
  return path.map(peString).join('');
}

function peString(pe: PathElement): string {
  if ('field' in pe) return `.${pe.field}`;
  if ('key' in pe) return `[${pe.key.map(([k, v]) => `${k}=${valueString(v)}`).join(',')}]`;
  if ('value' in pe) return `[=${valueString(pe.value)}]`;
  return `[${pe.index}]`;
}

function valueString(v: Json): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(valueString).join(',')}]`;
  if (isObject(v)) return Object.entries(v).map(([k, x]) => `${k}=${valueString(x)}`).join('');
  return String(v);
}

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function rank(pe: PathElement): number {
  return 'field' in pe ? 0 : 'key' in pe ? 1 : 'value' in pe ? 2 : 3;
}

/** Upstream's total order of path elements (fields, then keys, values, indexes). */
export function peCompare(a: PathElement, b: PathElement): number {
  const r = rank(a) - rank(b);
  if (r !== 0) return r;
  if ('field' in a && 'field' in b) return cmpStr(a.field, b.field);
  if ('key' in a && 'key' in b) {
    for (let i = 0; ; i++) {
      if (i >= a.key.length || i >= b.key.length) return a.key.length - b.key.length;
      const c = cmpStr(a.key[i]![0], b.key[i]![0]) || valueCompare(a.key[i]![1], b.key[i]![1]);
      if (c !== 0) return c;
    }
  }
  if ('value' in a && 'value' in b) return valueCompare(a.value, b.value);
  return (a as { index: number }).index - (b as { index: number }).index;
}

function valueRank(v: Json): number {
  return typeof v === 'number' ? 0 : typeof v === 'string' ? 1 : typeof v === 'boolean' ? 2 : Array.isArray(v) ? 3 : isObject(v) ? 4 : 5;
}

/** Orders values: numbers, strings, booleans, lists, maps, null. */
export function valueCompare(a: Json, b: Json): number {
  if (typeof a === 'string' && typeof b === 'string') return cmpStr(a, b);
  const r = valueRank(a) - valueRank(b);
  if (r !== 0) return Math.sign(r);
  if (typeof a === 'number') return Math.sign(a - (b as number));
  if (typeof a === 'boolean') return Number(a) - Number(b);
  if (Array.isArray(a)) {
    const bl = b as Json[];
    for (let i = 0; i < Math.min(a.length, bl.length); i++) {
      const c = valueCompare(a[i]!, bl[i]!);
      if (c !== 0) return c;
    }
    return Math.sign(a.length - bl.length);
  }
  if (isObject(a)) return cmpStr(goJson(a), goJson(b));
  return 0;
}

/**
 * A path being walked: its last element with that element's FieldsV1 key, and the path above
 * (undefined at the top). Cheaper to extend than an array; see FieldSet.insertAt.
 */
export class PathCursor {
  /** FieldSet.insertAt's memo: the node of this path in the set `owner`. */
  owner: object | undefined = undefined;
  node: object | undefined = undefined;

  constructor(readonly parent: PathCursor | undefined, readonly pe: PathElement, readonly key: string) {}

  static field(parent: PathCursor | undefined, name: string): PathCursor {
    const e = fieldElement(name);
    return new PathCursor(parent, e.pe, e.key);
  }
}
