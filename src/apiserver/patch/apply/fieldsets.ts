// Sets of field paths, as structured-merge-diff's fieldpath.Set, with upstream's FieldsV1
// encoding (`{"f:spec":{"f:containers":{"k:{\"name\":\"nginx\"}":{".":{},"f:image":{}}}}}`).
// A path is a list of elements: a field name (`f:`), an associative-list item by its key fields
// (`k:`), a set item by value (`v:`) or an atomic-list index (`i:`). A set is a tree: each node
// holds member elements (paths ending there) and children (paths continuing below); `.` marks
// a node that is both.
import { goJson, isObject, type Json, type JsonObject } from '../json.js';

export type PathElement =
  | { field: string }
  | { key: [string, Json][] }
  | { value: Json }
  | { index: number };

export type Path = readonly PathElement[];

/** The FieldsV1 key of an element: `f:name`, `k:{"name":"a"}`, `v:"x"`, `i:0`. */
export function peKey(pe: PathElement): string {
  if ('field' in pe) return `f:${pe.field}`;
  if ('key' in pe) return `k:${goJson(Object.fromEntries(pe.key))}`;
  if ('value' in pe) return `v:${goJson(pe.value)}`;
  return `i:${pe.index}`;
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

const RANK = (pe: PathElement) => ('field' in pe ? 0 : 'key' in pe ? 1 : 'value' in pe ? 2 : 3);

/** Upstream's total order of path elements (fields, then keys, values, indexes). */
export function peCompare(a: PathElement, b: PathElement): number {
  const r = RANK(a) - RANK(b);
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

/** Orders values: numbers, strings, booleans, lists, maps, null. */
export function valueCompare(a: Json, b: Json): number {
  const rank = (v: Json) => (typeof v === 'number' ? 0 : typeof v === 'string' ? 1 : typeof v === 'boolean' ? 2 : Array.isArray(v) ? 3 : isObject(v) ? 4 : 5);
  const r = rank(a) - rank(b);
  if (r !== 0) return Math.sign(r);
  if (typeof a === 'number') return Math.sign(a - (b as number));
  if (typeof a === 'string') return cmpStr(a, b as string);
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

interface Child {
  pe: PathElement;
  set: FieldSet;
}

export class FieldSet {
  /** Elements whose path ends at this node, by FieldsV1 key. */
  private readonly members = new Map<string, PathElement>();
  /** Subtrees of paths continuing below this node, by FieldsV1 key. */
  private readonly children = new Map<string, Child>();

  static of(...paths: Path[]): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.insert(p);
    return s;
  }

  /** Inserts a path; the empty path (the whole object) is not tracked, as upstream. */
  insert(path: Path): void {
    if (path.length === 0) return;
    let node: FieldSet = this;
    for (let i = 0; i < path.length - 1; i++) node = node.descend(path[i]!);
    const last = path[path.length - 1]!;
    node.members.set(peKey(last), last);
  }

  has(path: Path): boolean {
    if (path.length === 0) return false;
    let node: FieldSet | undefined = this;
    for (let i = 0; i < path.length - 1 && node; i++) node = node.children.get(peKey(path[i]!))?.set;
    return node?.members.has(peKey(path[path.length - 1]!)) ?? false;
  }

  hasMember(pe: PathElement): boolean {
    return this.members.has(peKey(pe));
  }

  /** The subtree below `pe` (empty when there is none). */
  withPrefix(pe: PathElement): FieldSet {
    return this.children.get(peKey(pe))?.set ?? new FieldSet();
  }

  memberElements(): PathElement[] {
    return [...this.members.values()];
  }

  childElements(): PathElement[] {
    return [...this.children.values()].map((c) => c.pe);
  }

  isEmpty(): boolean {
    return this.members.size === 0 && [...this.children.values()].every((c) => c.set.isEmpty());
  }

  union(o: FieldSet): FieldSet {
    const out = this.copy();
    for (const [k, pe] of o.members) out.members.set(k, pe);
    for (const [k, c] of o.children) {
      const mine = out.children.get(k);
      out.children.set(k, { pe: c.pe, set: mine ? mine.set.union(c.set) : c.set.copy() });
    }
    return out;
  }

  /** Paths in this set that are not in `o` (path by path, not by prefix). */
  difference(o: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, pe] of this.members) if (!o.members.has(k)) out.members.set(k, pe);
    for (const [k, c] of this.children) {
      const other = o.children.get(k);
      out.addChild(k, c.pe, other ? c.set.difference(other.set) : c.set.copy());
    }
    return out;
  }

  intersection(o: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, pe] of this.members) if (o.members.has(k)) out.members.set(k, pe);
    for (const [k, c] of this.children) {
      const other = o.children.get(k);
      if (other) out.addChild(k, c.pe, c.set.intersection(other.set));
    }
    return out;
  }

  /** Paths in this set that neither are in `o` nor lie below one of `o`'s paths. */
  recursiveDifference(o: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, pe] of this.members) if (!o.members.has(k)) out.members.set(k, pe);
    for (const [k, c] of this.children) {
      if (o.members.has(k)) continue;
      const other = o.children.get(k);
      out.addChild(k, c.pe, other ? c.set.recursiveDifference(other.set) : c.set.copy());
    }
    return out;
  }

  equals(o: FieldSet): boolean {
    return this.difference(o).isEmpty() && o.difference(this).isEmpty();
  }

  /** Every path, members before children at each level, each in upstream's order. */
  paths(): PathElement[][] {
    const out: PathElement[][] = [];
    const walk = (s: FieldSet, prefix: PathElement[]) => {
      for (const pe of sortPes([...s.members.values()])) out.push([...prefix, pe]);
      for (const c of sortChildren(s)) walk(c.set, [...prefix, c.pe]);
    };
    walk(this, []);
    return out;
  }

  toFieldsV1(): JsonObject {
    return this.emit(false);
  }

  static fromFieldsV1(obj: unknown): FieldSet {
    if (!isObject(obj)) throw new Error('FieldsV1 must be a JSON object');
    return readNode(obj).set;
  }

  toString(): string {
    return this.paths().map(pathString).join('\n');
  }

  private emit(includeSelf: boolean): JsonObject {
    const out: JsonObject = {};
    const keys = new Map<string, PathElement>([...this.members, ...[...this.children].filter(([, c]) => !c.set.isEmpty()).map(([k, c]) => [k, c.pe] as const)]);
    if (includeSelf && keys.size > 0) out['.'] = {};
    for (const pe of sortPes([...keys.values()])) {
      const k = peKey(pe);
      const child = this.children.get(k);
      out[k] = child && !child.set.isEmpty() ? child.set.emit(this.members.has(k)) : {};
    }
    return out;
  }

  private descend(pe: PathElement): FieldSet {
    const k = peKey(pe);
    let c = this.children.get(k);
    if (!c) {
      c = { pe, set: new FieldSet() };
      this.children.set(k, c);
    }
    return c.set;
  }

  private addChild(k: string, pe: PathElement, set: FieldSet): void {
    if (!set.isEmpty()) this.children.set(k, { pe, set });
  }

  private copy(): FieldSet {
    const out = new FieldSet();
    for (const [k, pe] of this.members) out.members.set(k, pe);
    for (const [k, c] of this.children) out.children.set(k, { pe: c.pe, set: c.set.copy() });
    return out;
  }

  /** Builds a node from its member elements and non-empty subtrees. */
  static build(members: PathElement[], children: Child[]): FieldSet {
    const s = new FieldSet();
    for (const pe of members) s.members.set(peKey(pe), pe);
    for (const c of children) if (!c.set.isEmpty()) s.children.set(peKey(c.pe), c);
    return s;
  }
}

function readNode(obj: JsonObject): { set: FieldSet; member: boolean } {
  const members: PathElement[] = [];
  const children: Child[] = [];
  let member = false;
  for (const [k, v] of Object.entries(obj)) {
    if (k === '.') {
      member = true;
      continue;
    }
    const pe = parsePeKey(k);
    if (!pe) continue; // element types from a newer version are dropped, as upstream does
    if (!isObject(v)) throw new Error(`FieldsV1 value of ${JSON.stringify(k)} must be an object`);
    const child = readNode(v);
    if (child.member) members.push(pe);
    if (!child.set.isEmpty()) children.push({ pe, set: child.set });
  }
  const set = FieldSet.build(members, children);
  // A node with nothing below it is a leaf, hence a member of its parent.
  return { set, member: member || set.isEmpty() };
}

function sortPes(pes: PathElement[]): PathElement[] {
  return pes.sort(peCompare);
}

function sortChildren(s: FieldSet): Child[] {
  return s.childElements().sort(peCompare).map((pe) => ({ pe, set: s.withPrefix(pe) }));
}
