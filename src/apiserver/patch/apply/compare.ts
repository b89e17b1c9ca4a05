// The comparison of two values of a type, after structured-merge-diff's typed.Compare: the
// paths added, modified and removed from `lhs` (old) to `rhs` (new). Walks both values once,
// builds paths as cursors (no arrays), skips equal subtrees after a cheap structural check, and
// walks values that are only on one side without the other's half.
import { deepEqual, isObject, type Json, type JsonObject } from '../json.js';
import { PathCursor, type FieldSet, type PathElement } from './fieldsets.js';
import { elementKey } from './path.js';
import type { Shape, Shapes } from './shape.js';

export type ListShape = Shape & { kind: 'list' };

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

/** A comparison whose added and modified paths are one set (what a writer takes over). */
export interface Changes {
  changed: FieldSet;
  removed: FieldSet;
}

/** Granular (non-atomic) map-like shapes: structs, maps and deduced objects. */
export function isGranularMap(s: Shape): boolean {
  return (s.kind === 'struct' || s.kind === 'map' || s.kind === 'deduced') && !('atomic' in s && s.atomic);
}

export function isEmptyContainer(v: Json | undefined): boolean {
  if (v === undefined || v === null) return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && hasNoKeys(v);
}

export function hasNoKeys(o: JsonObject): boolean {
  for (const _ in o) return false;
  return true;
}

interface Item {
  pe: PathElement;
  key: string;
  item: Json;
}

/** Items of a list with their path elements; undefined for an item that cannot be named. */
export function nameItems(shapes: Shapes, list: ListShape, items: Json[]): (Item | undefined)[] {
  const out: (Item | undefined)[] = [];
  for (let i = 0; i < items.length; i++) {
    const pe = shapes.itemElement(list, items[i]!, i);
    out.push(typeof pe === 'string' ? undefined : { pe, key: elementKey(pe), item: items[i]! });
  }
  return out;
}

/** Items of an associative list with their path elements; undefined if an item cannot be named. */
export function indexItems(shapes: Shapes, list: ListShape, items: Json[]): Item[] | undefined {
  const out: Item[] = [];
  for (let i = 0; i < items.length; i++) {
    const pe = shapes.itemElement(list, items[i]!, i);
    if (typeof pe === 'string') return undefined;
    out.push({ pe, key: elementKey(pe), item: items[i]! });
  }
  return out;
}

export function isContainer(s: Shape): boolean {
  return (s.kind === 'list' && s.relation !== 'atomic') || isGranularMap(s);
}

/** Adds the differences between `lhs` and `rhs` to `c` (whose sets may be one and the same). */
export function compareInto(shapes: Shapes, lhs: Json | undefined, rhs: Json | undefined, shape: Shape, c: Comparison): void {
  new Comparer(shapes, c).cmp(lhs, rhs, shape, undefined);
}

/** Stands for "not an object" (never mutated); `k in EMPTY` holds for Object.prototype's keys. */
const EMPTY: JsonObject = Object.freeze({}) as JsonObject;

class Comparer {
  constructor(private readonly shapes: Shapes, private readonly c: Comparison) {}

  cmp(l: Json | undefined, r: Json | undefined, declared: Shape, at: PathCursor | undefined): void {
    // Equal values (the same object, in particular) differ nowhere.
    if (l === r) return;
    if (l === undefined) return this.added(r!, declared, at);
    const sl = this.shapes.effective(declared, l);
    const sr = this.shapes.effective(declared, r);
    const shape = r !== undefined ? sr : sl;
    const leaf = (r !== undefined && sl.kind !== sr.kind) || !isContainer(shape) || (isEmptyContainer(l) && isEmptyContainer(r));
    if (leaf) {
      if (r === undefined) this.c.removed.insertAt(at);
      else if (!deepEqual(l, r)) this.c.modified.insertAt(at);
      return;
    }
    if (shape.kind === 'list') this.cmpList(asList(l), asList(r), shape, at);
    else this.cmpMap(l, r, shape, at);
    if (r === undefined) this.c.removed.insertAt(at);
  }

  private cmpMap(l: Json | undefined, r: Json | undefined, shape: Shape, at: PathCursor | undefined): void {
    const lm = isObject(l) ? l : EMPTY;
    const rm = isObject(r) ? r : EMPTY;
    for (const k in lm) this.cmpEntry(lm, rm, k, shape, at);
    for (const k in rm) if (!(k in lm)) this.cmpEntry(lm, rm, k, shape, at);
  }

  private cmpEntry(lm: JsonObject, rm: JsonObject, k: string, shape: Shape, at: PathCursor | undefined): void {
    let lv: Json | undefined = lm[k];
    let rv: Json | undefined = rm[k];
    const m = this.shapes.member(shape, k);
    // Go's zero object already holds value structs (empty) and required fields (null).
    if (m.valueStruct) {
      if (lv === undefined && lm !== EMPTY && isObject(rv)) lv = {};
      if (rv === undefined && rm !== EMPTY && isObject(lv)) rv = {};
    } else if (m.required) {
      if (lv === undefined && lm !== EMPTY) lv = null;
      if (rv === undefined && rm !== EMPTY) rv = null;
    }
    if (lv === rv || sameContainer(lv, rv)) return;
    this.cmp(lv, rv, m.shape, new PathCursor(at, m.pe, m.key));
  }

  private cmpList(l: Json[], r: Json[], shape: ListShape, at: PathCursor | undefined): void {
    const li = indexItems(this.shapes, shape, l);
    const ri = indexItems(this.shapes, shape, r);
    if (!li || !ri) {
      if (!deepEqual(l, r)) this.c.modified.insertAt(at);
      return;
    }
    const groups = new Map<string, { pe: PathElement; l: Json[]; r: Json[] }>();
    for (const x of li) {
      const g = groups.get(x.key);
      if (g) g.l.push(x.item);
      else groups.set(x.key, { pe: x.pe, l: [x.item], r: [] });
    }
    for (const x of ri) {
      const g = groups.get(x.key);
      if (g) g.r.push(x.item);
      else groups.set(x.key, { pe: x.pe, l: [], r: [x.item] });
    }
    const elem = this.shapes.elem(shape);
    for (const [key, g] of groups) {
      if (g.l.length <= 1 && g.r.length <= 1 && sameContainer(g.l[0], g.r[0])) continue;
      const p = new PathCursor(at, g.pe, key);
      if (g.l.length <= 1 && g.r.length <= 1) this.cmp(g.l[0], g.r[0], elem, p);
      else if (g.l.length >= 2 && g.r.length >= 2) {
        if (!deepEqual(g.l, g.r)) this.c.modified.insertAt(p);
      } else if (g.l.length >= 2) {
        if (g.r.length === 1) this.cmp(undefined, g.r[0], elem, p);
        this.c.removed.insertAt(p);
      } else {
        if (g.l.length === 1) this.cmp(g.l[0], undefined, elem, p);
        this.c.added.insertAt(p);
      }
    }
  }

  /** cmp(undefined, r): a value only on the new side (r is defined). */
  private added(r: Json, declared: Shape, at: PathCursor | undefined): void {
    const shape = this.shapes.effective(declared, r);
    if (!isContainer(shape) || isEmptyContainer(r)) return this.c.added.insertAt(at);
    if (shape.kind === 'list') {
      // A non-empty list: items named by their keys; duplicates are added as a whole.
      const ri = indexItems(this.shapes, shape, r as Json[]);
      if (!ri) this.c.modified.insertAt(at);
      else if (ri.length > 0) this.addedItems(ri, this.shapes.elem(shape), at);
    } else {
      const rm = r as JsonObject;
      for (const k in rm) {
        const m = this.shapes.member(shape, k);
        if (m.inherited) continue; // as cmpMap, which skips keys the empty side has (`k in {}`)
        let rv = rm[k];
        if (rv === undefined) {
          if (m.valueStruct || !m.required) continue;
          rv = null;
        }
        this.added(rv, m.shape, new PathCursor(at, m.pe, m.key));
      }
    }
    this.c.added.insertAt(at);
  }

  private addedItems(items: Item[], elem: Shape, at: PathCursor | undefined): void {
    const dups = duplicateKeys(items);
    const done = dups && new Set<string>();
    for (const x of items) {
      if (done) {
        if (done.has(x.key)) continue;
        done.add(x.key);
      }
      if (dups?.has(x.key)) this.c.added.insertAt(new PathCursor(at, x.pe, x.key));
      else if (x.item !== undefined) this.added(x.item, elem, new PathCursor(at, x.pe, x.key));
    }
  }
}

/** The keys more than one item has; undefined when there are none (the usual case). */
function duplicateKeys(items: Item[]): Set<string> | undefined {
  let dups: Set<string> | undefined;
  if (items.length <= 16) {
    for (let i = 1; i < items.length; i++) {
      const k = items[i]!.key;
      for (let j = 0; j < i; j++) {
        if (items[j]!.key === k) {
          (dups ??= new Set()).add(k);
          break;
        }
      }
    }
    return dups;
  }
  const seen = new Set<string>();
  for (const x of items) {
    if (seen.has(x.key)) (dups ??= new Set()).add(x.key);
    else seen.add(x.key);
  }
  return dups;
}

/**
 * Whether two values are equal containers: equal values differ nowhere, and checking that
 * first is much cheaper than the typed walk (most of an update's object is unchanged).
 */
function sameContainer(l: Json | undefined, r: Json | undefined): boolean {
  return typeof l === 'object' && l !== null && typeof r === 'object' && r !== null && deepEqual(l, r);
}

export function asList(v: Json | undefined): Json[] {
  return Array.isArray(v) ? v : [];
}
