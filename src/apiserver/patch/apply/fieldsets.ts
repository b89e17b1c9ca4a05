// Sets of field paths, as structured-merge-diff's fieldpath.Set, with upstream's FieldsV1
// encoding (`{"f:spec":{"f:containers":{"k:{\"name\":\"nginx\"}":{".":{},"f:image":{}}}}}`).
// A path is a list of elements: a field name (`f:`), an associative-list item by its key fields
// (`k:`), a set item by value (`v:`) or an atomic-list index (`i:`). A set is a tree: each node
// holds member elements (paths ending there) and children (paths continuing below); `.` marks
// a node that is both.
//
// Sets are immutable once built: the algebra shares unchanged subtrees between its operands and
// its results, and returns an operand itself when the operation leaves it unchanged. Only the
// code building a fresh set (insert, insertAt) mutates it. Every child node is non-empty, so
// isEmpty() is O(1). Path elements are shared too and never mutated.
import { isObject, type JsonObject } from '../json.js';
import { parseKeyed, pathString, peCompare, peKey, type Path, type PathCursor, type PathElement } from './path.js';

export { fieldElement, parsePeKey, pathString, peCompare, peKey, PathCursor, valueCompare, type Path, type PathElement } from './path.js';

interface Child {
  pe: PathElement;
  set: FieldSet;
}

type Keyed = [string, PathElement];

/** The maps of a node without members or children (shared, never written to). */
const NO_MEMBERS: Map<string, PathElement> = new Map();
const NO_CHILDREN: Map<string, Child> = new Map();

export class FieldSet {
  /**
   * Members: elements whose path ends at this node, by FieldsV1 key. Children: subtrees of
   * paths continuing below this node, by FieldsV1 key; never empty.
   */
  constructor(
    private members: Map<string, PathElement> = NO_MEMBERS,
    private children: Map<string, Child> = NO_CHILDREN,
  ) {}

  /** Adds a member to a set being built (maps are allocated on first use). */
  private addMember(k: string, pe: PathElement): void {
    if (this.members === NO_MEMBERS) this.members = new Map();
    this.members.set(k, pe);
  }

  private addChild(k: string, c: Child): void {
    if (this.children === NO_CHILDREN) this.children = new Map();
    this.children.set(k, c);
  }

  static of(...paths: Path[]): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.insert(p);
    return s;
  }

  /** Inserts a path; the empty path (the whole object) is not tracked, as upstream. */
  insert(path: Path): void {
    if (path.length === 0) return;
    let node: FieldSet = this;
    for (let i = 0; i < path.length - 1; i++) node = node.descend(peKey(path[i]!), path[i]!);
    const last = path[path.length - 1]!;
    node.addMember(peKey(last), last);
  }

  /** Inserts the path a cursor stands for (nothing for the top). Only for sets being built. */
  insertAt(at: PathCursor | undefined): void {
    if (at) this.nodeAt(at.parent).addMember(at.key, at.pe);
  }

  /** The node of `at`'s path (created as needed), remembered on the cursor. */
  private nodeAt(at: PathCursor | undefined): FieldSet {
    if (!at) return this;
    if (at.owner === this) return at.node as FieldSet;
    const node = this.nodeAt(at.parent).descend(at.key, at.pe);
    at.owner = this;
    at.node = node;
    return node;
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

  hasMemberKey(key: string): boolean {
    return this.members.has(key);
  }

  /** The subtree below `pe` (empty when there is none). */
  withPrefix(pe: PathElement): FieldSet {
    return this.withPrefixKey(peKey(pe));
  }

  withPrefixKey(key: string): FieldSet {
    return this.children.get(key)?.set ?? new FieldSet();
  }

  memberElements(): PathElement[] {
    return [...this.members.values()];
  }

  childElements(): PathElement[] {
    return [...this.children.values()].map((c) => c.pe);
  }

  isEmpty(): boolean {
    return this.members.size === 0 && this.children.size === 0;
  }

  union(o: FieldSet): FieldSet {
    if (o === this || o.isEmpty()) return this;
    if (this.isEmpty()) return o;
    const members = new Map(this.members);
    for (const [k, pe] of o.members) members.set(k, pe);
    const children = new Map(this.children);
    for (const [k, c] of o.children) {
      const mine = this.children.get(k);
      children.set(k, mine ? { pe: c.pe, set: mine.set.union(c.set) } : c);
    }
    return new FieldSet(members, children);
  }

  /** Paths in this set that are not in `o` (path by path, not by prefix). */
  difference(o: FieldSet): FieldSet {
    if (o === this) return new FieldSet();
    if (o.isEmpty() || this.isEmpty()) return this;
    let members = this.members;
    for (const k of smaller(this.members, o.members)) {
      if (this.members.has(k) && o.members.has(k)) {
        if (members === this.members) members = new Map(members);
        members.delete(k);
      }
    }
    let children = this.children;
    for (const k of smaller(this.children, o.children)) {
      const mine = this.children.get(k);
      const other = o.children.get(k);
      if (!mine || !other) continue;
      const d = mine.set.difference(other.set);
      if (d === mine.set) continue;
      if (children === this.children) children = new Map(children);
      if (d.isEmpty()) children.delete(k);
      else children.set(k, { pe: mine.pe, set: d });
    }
    return members === this.members && children === this.children ? this : new FieldSet(members, children);
  }

  intersection(o: FieldSet): FieldSet {
    const out = new FieldSet();
    if (o.isEmpty() || this.isEmpty()) return out;
    for (const k of smaller(this.members, o.members)) {
      const pe = this.members.get(k);
      if (pe !== undefined && o.members.has(k)) out.addMember(k, pe);
    }
    for (const k of smaller(this.children, o.children)) {
      const mine = this.children.get(k);
      const other = o.children.get(k);
      if (!mine || !other) continue;
      const i = mine.set.intersection(other.set);
      if (!i.isEmpty()) out.addChild(k, { pe: mine.pe, set: i });
    }
    return out;
  }

  /** Paths in this set that neither are in `o` nor lie below one of `o`'s paths. */
  recursiveDifference(o: FieldSet): FieldSet {
    if (o.isEmpty() || this.isEmpty()) return this;
    let members = this.members;
    let children = this.children;
    for (const k of smaller(this.members, o.members)) {
      if (this.members.has(k) && o.members.has(k)) {
        if (members === this.members) members = new Map(members);
        members.delete(k);
      }
    }
    for (const k of smaller(this.children, o.members)) {
      if (this.children.has(k) && o.members.has(k)) {
        if (children === this.children) children = new Map(children);
        children.delete(k);
      }
    }
    for (const k of smaller(this.children, o.children)) {
      const mine = this.children.get(k);
      const other = o.children.get(k);
      if (!mine || !other || o.members.has(k)) continue;
      const d = mine.set.recursiveDifference(other.set);
      if (d === mine.set) continue;
      if (children === this.children) children = new Map(children);
      if (d.isEmpty()) children.delete(k);
      else children.set(k, { pe: mine.pe, set: d });
    }
    return members === this.members && children === this.children ? this : new FieldSet(members, children);
  }

  equals(o: FieldSet): boolean {
    return this.difference(o).isEmpty() && o.difference(this).isEmpty();
  }

  /** Every path, members before children at each level, each in upstream's order. */
  paths(): PathElement[][] {
    const out: PathElement[][] = [];
    const walk = (s: FieldSet, prefix: PathElement[]) => {
      for (const [, pe] of sortKeyed([...s.members])) out.push([...prefix, pe]);
      for (const [k, pe] of sortKeyed([...s.children].map(([k, c]): Keyed => [k, c.pe]))) walk(s.children.get(k)!.set, [...prefix, pe]);
    };
    walk(this, []);
    return out;
  }

  toFieldsV1(): JsonObject {
    return this.emit(false);
  }

  static fromFieldsV1(obj: unknown): FieldSet {
    if (!isObject(obj)) throw new Error('FieldsV1 must be a JSON object');
    return FieldSet.read(obj, new FieldSet());
  }

  toString(): string {
    return this.paths().map(pathString).join('\n');
  }

  private emit(includeSelf: boolean): JsonObject {
    const out: JsonObject = {};
    if (includeSelf) out['.'] = {};
    const keys: string[] = [];
    let fieldsOnly = true;
    for (const k of this.members.keys()) {
      keys.push(k);
      if (!isFieldKey(k)) fieldsOnly = false;
    }
    for (const k of this.children.keys()) {
      if (this.members.has(k)) continue;
      keys.push(k);
      if (!isFieldKey(k)) fieldsOnly = false;
    }
    if (fieldsOnly) sortStrings(keys);
    else keys.sort((a, b) => peCompare(this.elementOf(a), this.elementOf(b)));
    for (const k of keys) {
      const child = this.children.get(k);
      out[k] = child ? child.set.emit(this.members.has(k)) : {};
    }
    return out;
  }

  private elementOf(k: string): PathElement {
    return this.members.get(k) ?? this.children.get(k)!.pe;
  }

  private descend(k: string, pe: PathElement): FieldSet {
    let c = this.children.get(k);
    if (!c) {
      c = { pe, set: new FieldSet() };
      this.addChild(k, c);
    }
    return c.set;
  }

  /** Builds a node from its member elements and non-empty subtrees. */
  static build(members: PathElement[], children: Child[]): FieldSet {
    const s = new FieldSet();
    for (const pe of members) s.addMember(peKey(pe), pe);
    for (const c of children) if (!c.set.isEmpty()) s.addChild(peKey(c.pe), c);
    return s;
  }

  /** Decodes a FieldsV1 node into `set` (empty). */
  private static read(obj: JsonObject, set: FieldSet): FieldSet {
    for (const k in obj) {
      if (k === '.') continue;
      const e = parseKeyed(k);
      if (!e) continue; // element types from a newer version are dropped, as upstream does
      const v = obj[k];
      if (!isObject(v)) throw new Error(`FieldsV1 value of ${JSON.stringify(k)} must be an object`);
      // A node with nothing below it is a leaf, hence a member of its parent.
      if (isLeaf(v)) {
        set.addMember(e.key, e.pe);
        continue;
      }
      const child = FieldSet.read(v, new FieldSet());
      if ('.' in v || child.isEmpty()) set.addMember(e.key, e.pe);
      if (!child.isEmpty()) set.addChild(e.key, { pe: e.pe, set: child });
    }
    return set;
  }
}

/** The keys of the smaller of two maps (for walks that only look at shared keys). */
function smaller(a: Map<string, unknown>, b: Map<string, unknown>): IterableIterator<string> {
  return (a.size <= b.size ? a : b).keys();
}

function byElement(a: Keyed, b: Keyed): number {
  return peCompare(a[1], b[1]);
}

/** A FieldsV1 node without elements below it (`{}` or `{".":{}}`). */
function isLeaf(v: JsonObject): boolean {
  for (const k in v) if (k !== '.') return false;
  return true;
}

/** Whether a canonical key is a field's (`f:` + name). */
function isFieldKey(k: string): boolean {
  return k.charCodeAt(0) === 102; // f
}

/** Sorts distinct strings in place: insertion sort (nodes are small, often already sorted). */
function sortStrings(keys: string[]): void {
  if (keys.length > 32) {
    keys.sort();
    return;
  }
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > k) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = k;
  }
}

/** Field keys (`f:` + name) sort as their names do; often they already are sorted. */
function sortFieldKeys(keyed: Keyed[]): Keyed[] {
  for (let i = 1; i < keyed.length; i++) {
    if (!(keyed[i - 1]![0] < keyed[i]![0])) return keyed.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }
  return keyed;
}

function sortKeyed(keyed: Keyed[]): Keyed[] {
  return keyed.every(([, pe]) => 'field' in pe) ? sortFieldKeys(keyed) : keyed.sort(byElement);
}
