// Schema-aware walks over plain JSON objects, after structured-merge-diff's typed package:
// the field set a value sets, the comparison of two values (added/modified/removed paths),
// the merge of an applied configuration into a live object, and the removal of paths.
// Leaves are scalars and atomic lists/maps; empty lists and maps count as leaves too.
import { isObject, type Json, type JsonObject } from '../json.js';
import { asList, compareInto, hasNoKeys, indexItems, isContainer, isEmptyContainer, isGranularMap, nameItems, type Changes, type Comparison, type ListShape } from './compare.js';
import { FieldSet, PathCursor, fieldElement, pathString, type Path } from './fieldsets.js';
import { elementKey } from './path.js';
import type { Shapes, Shape } from './shape.js';

export type { Changes, Comparison } from './compare.js';

const bySchema = new WeakMap<Shapes, Typed>();

export class Typed {
  constructor(readonly shapes: Shapes) {}

  /** The shared Typed over `shapes` (it holds no state of its own). */
  static of(shapes: Shapes): Typed {
    let t = bySchema.get(shapes);
    if (!t) bySchema.set(shapes, (t = new Typed(shapes)));
    return t;
  }

  /** The paths `v` sets: leaves, list items (also as members) and entries of maps. */
  toFieldSet(v: Json, shape: Shape): FieldSet {
    const set = new FieldSet();
    this.collect(v, shape, undefined, set);
    return set;
  }

  private collect(v: Json, declared: Shape, at: PathCursor | undefined, set: FieldSet): void {
    const shape = this.shapes.effective(declared, v);
    if (shape.kind === 'list' && shape.relation !== 'atomic') {
      const items = Array.isArray(v) ? v : [];
      const named = nameItems(this.shapes, shape, items);
      const counts = new Map<string, number>();
      for (const x of named) if (x) counts.set(x.key, (counts.get(x.key) ?? 0) + 1);
      const elem = this.shapes.elem(shape);
      for (const x of named) {
        if (!x) continue;
        const p = new PathCursor(at, x.pe, x.key);
        set.insertAt(p);
        // Duplicated items are owned as a whole, never field by field.
        if (counts.get(x.key) === 1) this.collect(x.item, elem, p, set);
      }
      return;
    }
    if (isGranularMap(shape) && isObject(v)) {
      for (const k in v) {
        const x = v[k];
        if (x === undefined) continue; // absent, though present as a key
        const p = PathCursor.field(at, k);
        this.collect(x, this.shapes.child(shape, k), p, set);
        if (x === null || (isObject(x) && hasNoKeys(x)) || !this.shapes.declares(shape, k)) set.insertAt(p);
      }
      return;
    }
    set.insertAt(at);
  }

  /** Compares `lhs` (old) and `rhs` (new); either may be absent. */
  compare(lhs: Json | undefined, rhs: Json | undefined, shape: Shape): Comparison {
    const c: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
    // An absent old object compares like Go's empty object of the type: the root exists.
    compareInto(this.shapes, lhs ?? {}, rhs ?? {}, shape, c);
    return c;
  }

  /** compare(), with the added and modified paths in one set. */
  changes(lhs: Json | undefined, rhs: Json | undefined, shape: Shape): Changes {
    const changed = new FieldSet();
    const removed = new FieldSet();
    compareInto(this.shapes, lhs ?? {}, rhs ?? {}, shape, { added: changed, modified: changed, removed });
    return { changed, removed };
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
    if ((lhs !== undefined && lhs !== null && sl.kind !== sr.kind) || !isContainer(shape) || (isEmptyContainer(lhs) && isEmptyContainer(rhs))) {
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
        const key = elementKey(pe);
        if (toRemove.hasMemberKey(key)) return;
        const kept = this.removeItems(item, toRemove.withPrefixKey(key), this.shapes.elem(shape));
        if (kept !== undefined) out.push(kept);
      });
      return out.length > 0 ? out : undefined;
    }
    if ((shape.kind === 'struct' || shape.kind === 'map' || shape.kind === 'deduced') && isObject(v)) {
      if (!isGranularMap(shape) || Object.keys(v).length === 0) return undefined;
      const out: JsonObject = {};
      for (const [k, x] of Object.entries(v)) {
        const key = fieldElement(k).key;
        if (toRemove.hasMemberKey(key)) continue;
        const kept = this.removeItems(x, toRemove.withPrefixKey(key), this.shapes.child(shape, k));
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
          const key = elementKey(pe);
          if (seen.has(key)) errs.push(at(`duplicate entries for key ${pathString([pe])}`));
          seen.add(key);
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
}

function unionKeys(a: JsonObject, b: JsonObject): string[] {
  const keys = Object.keys(a);
  for (const k of Object.keys(b)) if (!(k in a)) keys.push(k);
  return keys;
}
