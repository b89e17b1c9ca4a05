// Schema-aware walks over plain JSON objects, after structured-merge-diff's typed package:
// the field set a value sets, the comparison of two values (added/modified/removed paths),
// the merge of an applied configuration into a live object, and the removal of paths.
// Leaves are scalars and atomic lists/maps; empty lists and maps count as leaves too.
import { deepEqual, isObject, type Json, type JsonObject } from '../json.js';
import { FieldSet, pathString, peKey, type Path, type PathElement } from './fieldsets.js';
import { Shapes, VALUE_STRUCT_FIELDS, type Shape } from './shape.js';

type ListShape = Shape & { kind: 'list' };

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

/** Granular (non-atomic) map-like shapes: structs, maps and deduced objects. */
function isGranularMap(s: Shape): boolean {
  return (s.kind === 'struct' || s.kind === 'map' || s.kind === 'deduced') && !('atomic' in s && s.atomic);
}

function isEmptyContainer(v: Json | undefined): boolean {
  return v === undefined || v === null || (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0);
}

/** Items of an associative list with their path elements; undefined if an item cannot be named. */
function indexItems(shapes: Shapes, list: ListShape, items: Json[]): { pe: PathElement; key: string; item: Json }[] | undefined {
  const out: { pe: PathElement; key: string; item: Json }[] = [];
  for (let i = 0; i < items.length; i++) {
    const pe = shapes.itemElement(list, items[i]!, i);
    if (typeof pe === 'string') return undefined;
    out.push({ pe, key: peKey(pe), item: items[i]! });
  }
  return out;
}

export class Typed {
  constructor(readonly shapes: Shapes) {}

  /** The paths `v` sets: leaves, list items (also as members) and entries of maps. */
  toFieldSet(v: Json, shape: Shape): FieldSet {
    const set = new FieldSet();
    this.collect(v, shape, [], set);
    return set;
  }

  private collect(v: Json, declared: Shape, path: PathElement[], set: FieldSet): void {
    const shape = this.shapes.effective(declared, v);
    if (shape.kind === 'list' && shape.relation !== 'atomic') {
      const items = Array.isArray(v) ? v : [];
      const seen = new Map<string, number>();
      const named = items.map((item, i) => this.shapes.itemElement(shape, item, i));
      for (const pe of named) if (typeof pe !== 'string') seen.set(peKey(pe), (seen.get(peKey(pe)) ?? 0) + 1);
      named.forEach((pe, i) => {
        if (typeof pe === 'string') return;
        const p = [...path, pe];
        set.insert(p);
        // Duplicated items are owned as a whole, never field by field.
        if (seen.get(peKey(pe))! === 1) this.collect(items[i]!, this.shapes.elem(shape), p, set);
      });
      return;
    }
    if (isGranularMap(shape) && isObject(v)) {
      for (const [k, x] of Object.entries(v)) {
        if (x === undefined) continue; // absent, though present as a key
        const p = [...path, { field: k }];
        this.collect(x, this.shapes.child(shape, k), p, set);
        if (x === null || (isObject(x) && Object.keys(x).length === 0) || !this.shapes.declares(shape, k)) set.insert(p);
      }
      return;
    }
    set.insert(path);
  }

  /** Compares `lhs` (old) and `rhs` (new); either may be absent. */
  compare(lhs: Json | undefined, rhs: Json | undefined, shape: Shape): Comparison {
    const c: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
    // An absent old object compares like Go's empty object of the type: the root exists.
    this.cmp(lhs ?? {}, rhs ?? {}, shape, [], c);
    return c;
  }

  private cmp(l: Json | undefined, r: Json | undefined, declared: Shape, path: PathElement[], c: Comparison): void {
    if (l === undefined && r === undefined) return;
    const sl = this.shapes.effective(declared, l);
    const sr = this.shapes.effective(declared, r);
    const shape = r !== undefined ? sr : sl;
    const leaf = (l !== undefined && r !== undefined && sl.kind !== sr.kind) || !this.isContainer(shape) || (isEmptyContainer(l) && isEmptyContainer(r));
    if (leaf) {
      if (l === undefined) c.added.insert(path);
      else if (r === undefined) c.removed.insert(path);
      else if (!deepEqual(l, r)) c.modified.insert(path);
      return;
    }
    if (shape.kind === 'list') this.cmpList(asList(l), asList(r), shape, path, c);
    else this.cmpMap(l, r, shape, path, c);
    if (l === undefined) c.added.insert(path);
    else if (r === undefined) c.removed.insert(path);
  }

  private cmpMap(l: Json | undefined, r: Json | undefined, shape: Shape, path: PathElement[], c: Comparison): void {
    const lm = isObject(l) ? l : {};
    const rm = isObject(r) ? r : {};
    for (const k of unionKeys(lm, rm)) {
      let lv = lm[k];
      let rv = rm[k];
      const child = this.shapes.child(shape, k);
      // Go's zero object already holds value structs (empty) and required fields (null).
      if (shape.kind === 'struct' && VALUE_STRUCT_FIELDS.has(k) && child.kind === 'struct' && !child.atomic) {
        if (lv === undefined && isObject(l) && isObject(rv)) lv = {};
        if (rv === undefined && isObject(r) && isObject(lv)) rv = {};
      } else if (this.shapes.requires(shape, k)) {
        if (lv === undefined && isObject(l)) lv = null;
        if (rv === undefined && isObject(r)) rv = null;
      }
      this.cmp(lv, rv, child, [...path, { field: k }], c);
    }
  }

  private cmpList(l: Json[], r: Json[], shape: ListShape, path: PathElement[], c: Comparison): void {
    const li = indexItems(this.shapes, shape, l);
    const ri = indexItems(this.shapes, shape, r);
    if (!li || !ri) {
      if (!deepEqual(l, r)) c.modified.insert(path);
      return;
    }
    const groups = new Map<string, { pe: PathElement; l: Json[]; r: Json[] }>();
    const group = (x: { pe: PathElement; key: string }) => {
      let g = groups.get(x.key);
      if (!g) groups.set(x.key, (g = { pe: x.pe, l: [], r: [] }));
      return g;
    };
    for (const x of li) group(x).l.push(x.item);
    for (const x of ri) group(x).r.push(x.item);
    const elem = this.shapes.elem(shape);
    for (const g of groups.values()) {
      const p = [...path, g.pe];
      if (g.l.length <= 1 && g.r.length <= 1) this.cmp(g.l[0], g.r[0], elem, p, c);
      else if (g.l.length >= 2 && g.r.length >= 2) {
        if (!deepEqual(g.l, g.r)) c.modified.insert(p);
      } else if (g.l.length >= 2) {
        if (g.r.length === 1) this.cmp(undefined, g.r[0], elem, p, c);
        c.removed.insert(p);
      } else {
        if (g.l.length === 1) this.cmp(g.l[0], undefined, elem, p, c);
        c.added.insert(p);
      }
    }
  }

  /**
   * Merges an applied configuration `rhs` into `lhs`: leaves and atomic values from `rhs` win,
   * maps merge per key, associative lists merge per item keeping a stable order. A null leaf in
   * `rhs` clears the value (a Go decode of null). Returns undefined for "no value".
   */
  merge(lhs: Json | undefined, rhs: Json | undefined, declared: Shape): Json | undefined {
    if (rhs === undefined) return lhs;
    if (lhs === undefined && rhs === null) return undefined;
    const sl = this.shapes.effective(declared, lhs);
    const sr = this.shapes.effective(declared, rhs);
    if (rhs === null) return sl.kind === 'list' || isGranularMap(sl) ? lhs : undefined;
    const shape = sr;
    if ((lhs !== undefined && lhs !== null && sl.kind !== sr.kind) || !this.isContainer(shape) || (isEmptyContainer(lhs) && isEmptyContainer(rhs))) {
      return rhs;
    }
    if (shape.kind === 'list') return this.mergeList(asList(lhs), asList(rhs), shape);
    const lm = isObject(lhs) ? lhs : {};
    const rm = rhs as JsonObject;
    const out: JsonObject = {};
    for (const k of unionKeys(lm, rm)) {
      const v = this.merge(lm[k], rm[k], this.shapes.child(shape, k));
      if (v !== undefined) out[k] = v;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }

  /** Associative-list merge; the order interleaves live and applied items as upstream does. */
  private mergeList(lhs: Json[], rhs: Json[], shape: ListShape): Json | undefined {
    const li = indexItems(this.shapes, shape, lhs);
    const ri = indexItems(this.shapes, shape, rhs);
    if (!li || !ri) return rhs; // unnamed items: the applied list wins (validation reports them)
    const elem = this.shapes.elem(shape);
    const lFirst = new Map<string, Json | null>();
    for (const x of li) lFirst.set(x.key, lFirst.has(x.key) ? null : x.item); // null marks duplicates
    const rByKey = new Map(ri.map((x) => [x.key, x.item]));
    const shared = ri.filter((x) => lFirst.has(x.key)).map((x) => x.key);
    let next = shared.shift();
    const done = new Set<string>();
    const out: Json[] = [];
    const push = (v: Json | undefined) => {
      if (v !== undefined) out.push(v);
    };
    let l = 0;
    let r = 0;
    while (l < li.length || r < ri.length) {
      if (l < li.length && r < ri.length) {
        const lk = li[l]!.key;
        if (lk === ri[r]!.key) {
          done.add(lk);
          push(this.merge(lFirst.get(lk) ?? undefined, rByKey.get(lk), elem));
          l++;
          r++;
          next = shared.shift();
          continue;
        }
        if (rByKey.has(lk) && next !== undefined && next !== lk) {
          l++;
          continue;
        }
      }
      if (l < li.length) {
        const lk = li[l]!.key;
        if (!rByKey.has(lk)) {
          push(this.merge(li[l]!.item, undefined, elem));
          l++;
          continue;
        } else if (done.has(lk)) l++;
      }
      if (r < ri.length) {
        const rk = ri[r]!.key;
        done.add(rk);
        push(this.merge(lFirst.get(rk) ?? undefined, rByKey.get(rk), elem));
        r++;
        if (next === rk) next = shared.shift();
      }
    }
    return out.length > 0 ? out : undefined;
  }

  /** `v` without the paths in `toRemove`; containers emptied by the removal disappear. */
  removeItems(v: Json | undefined, toRemove: FieldSet, declared: Shape): Json | undefined {
    if (v === undefined || toRemove.isEmpty()) return v;
    const shape = this.shapes.effective(declared, v);
    if (shape.kind === 'list' && Array.isArray(v)) {
      if (shape.relation === 'atomic' || v.length === 0) return undefined;
      const out: Json[] = [];
      v.forEach((item, i) => {
        const pe = this.shapes.itemElement(shape, item, i);
        if (typeof pe === 'string') return void out.push(item);
        if (toRemove.hasMember(pe)) return;
        const kept = this.removeItems(item, toRemove.withPrefix(pe), this.shapes.elem(shape));
        if (kept !== undefined) out.push(kept);
      });
      return out.length > 0 ? out : undefined;
    }
    if ((shape.kind === 'struct' || shape.kind === 'map' || shape.kind === 'deduced') && isObject(v)) {
      if (!isGranularMap(shape) || Object.keys(v).length === 0) return undefined;
      const out: JsonObject = {};
      for (const [k, x] of Object.entries(v)) {
        const pe = { field: k };
        if (toRemove.hasMember(pe)) continue;
        const kept = this.removeItems(x, toRemove.withPrefix(pe), this.shapes.child(shape, k));
        if (kept !== undefined) out[k] = kept;
      }
      return Object.keys(out).length > 0 ? out : undefined;
    }
    return v;
  }

  /** Adds to `set` every declared struct field it has paths below (upstream's "named fields"). */
  ensureNamedFieldsAreMembers(set: FieldSet, shape: Shape): FieldSet {
    const members = set.memberElements();
    const children = set.childElements().map((pe) => ({ pe, set: this.ensureNamedFieldsAreMembers(set.withPrefix(pe), this.shapes.below(shape, pe)) }));
    for (const { pe } of children) if ('field' in pe && this.shapes.declares(shape, pe.field)) members.push(pe);
    return FieldSet.build(members, children);
  }

  /**
   * Errors upstream's typed conversion reports for an applied configuration, as
   * `.path: message`: undeclared fields, duplicate or unnamed associative-list items.
   */
  validate(v: Json, declared: Shape, path: Path = []): string[] {
    const shape = this.shapes.effective(declared, v);
    const at = (msg: string) => (path.length ? `${pathString(path)}: ${msg}` : msg);
    if (shape.kind === 'list' && Array.isArray(v)) {
      const errs: string[] = [];
      const seen = new Set<string>();
      for (let i = 0; i < v.length; i++) {
        const pe = this.shapes.itemElement(shape, v[i]!, i);
        if (typeof pe === 'string') return [...errs, at(`element ${i}: ${pe}`)];
        if (shape.relation !== 'atomic') {
          if (seen.has(peKey(pe))) errs.push(at(`duplicate entries for key ${pathString([pe])}`));
          seen.add(peKey(pe));
        }
        errs.push(...this.validate(v[i]!, this.shapes.elem(shape), [...path, pe]));
      }
      return errs;
    }
    if ((shape.kind === 'struct' || (shape.kind === 'deduced' && shape.root)) && isObject(v)) {
      const errs: string[] = [];
      for (const [k, x] of Object.entries(v)) {
        if (shape.kind === 'struct' && !this.shapes.declares(shape, k)) return [...errs, `${pathString([...path, { field: k }])}: field not declared in schema`];
        errs.push(...this.validate(x, this.shapes.child(shape, k), [...path, { field: k }]));
      }
      return errs;
    }
    if (shape.kind === 'map' && isObject(v)) {
      return Object.entries(v).flatMap(([k, x]) => this.validate(x, this.shapes.child(shape, k), [...path, { field: k }]));
    }
    return [];
  }

  private isContainer(s: Shape): boolean {
    return (s.kind === 'list' && s.relation !== 'atomic') || isGranularMap(s);
  }
}

function asList(v: Json | undefined): Json[] {
  return Array.isArray(v) ? v : [];
}

function unionKeys(a: JsonObject, b: JsonObject): string[] {
  const keys = Object.keys(a);
  for (const k of Object.keys(b)) if (!(k in a)) keys.push(k);
  return keys;
}
