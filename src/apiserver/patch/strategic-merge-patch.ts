// Strategic merge patch (application/strategic-merge-patch+json), following apimachinery's
// strategicpatch.StrategicMergeMapPatch. The schema's patchStrategy/patchMergeKey say how each
// field merges: lists with strategy "merge" merge by their merge key (scalar lists become set
// unions), other lists are replaced, maps merge unless their strategy is "replace". Directives:
// `$patch: replace|delete` (maps and list items), `$retainKeys`, `$setElementOrder/<field>`,
// `$deleteFromPrimitiveList/<field>`. Fields the schema does not know merge like a JSON merge
// patch (maps merge, lists are replaced, null deletes).
import type { FieldSchema, Schema } from '../../api/schema/index.js';
import type { StatusError } from '../../api/errors.js';
import { MergeError, badRequest } from './patch-errors.js';
import { clone, goFormat, goTypeName, isObject, jsonKindName, type Json, type JsonObject } from './json.js';
import { indexIn, noMergeKey, normalizeElementOrder, partition } from './strategic-order.js';

const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';
const SET_ELEMENT_ORDER = '$setElementOrder';

/** The schema of the value being merged; undefined where the schema knows nothing. */
type Node = FieldSchema | undefined;

/** Stands for the root of an object whose type is unknown: only `metadata` is typed. */
const UNTYPED_ROOT: FieldSchema = {};

/**
 * Applies `patch` (the decoded body) to a copy of `original`. `typeName` names the object's
 * schema type; when the schema has no such type, only `metadata` gets strategic semantics.
 * Malformed patches and directives throw a 400 StatusError (a list of lists is a 422).
 */
export function applyStrategicMergePatch(original: JsonObject, patch: unknown, schema: Schema, typeName: string | undefined): JsonObject {
  if (patch === null) return clone(original);
  if (!isObject(patch)) throw badRequest(`json: cannot unmarshal ${jsonKindName(patch)} into Go value of type map[string]interface {}`);
  const root: Node = typeName && schema.types[typeName] ? { ref: typeName } : UNTYPED_ROOT;
  try {
    return new Merger(schema).mergeMap(clone(original), clone(patch), root);
  } catch (e) {
    if (e instanceof MergeError) throw e.toStatusError() as StatusError;
    throw e;
  }
}

interface Strategy {
  /** 'merge', 'replace' or '' (the default: maps merge, lists are replaced). */
  strategy: string;
  mergeKey: string;
}

class Merger {
  constructor(private readonly schema: Schema) {}

  mergeMap(original: JsonObject | undefined, patch: JsonObject, node: Node): JsonObject {
    if (DIRECTIVE in patch) return this.mapDirective(patch);
    const out = original ?? {};
    applyRetainKeys(out, patch);
    this.applySetElementOrder(out, patch, node);
    for (const [rawKey, patchV] of Object.entries(patch)) {
      let key = rawKey;
      let isDeleteList = false;
      if (rawKey.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
        key = directiveTarget(rawKey, DELETE_FROM_PRIMITIVE_LIST, 'invalid patch format of primitive list');
        isDeleteList = true;
      }
      if (patchV === null) {
        delete out[key];
        continue;
      }
      const origV = out[key];
      if (origV === undefined || kindOf(origV) !== kindOf(patchV)) {
        // Absent or of another kind: the patch value is taken as it is, without nulls or directives.
        if (!isDeleteList) setOrDelete(out, key, cleanValue(patchV));
        continue;
      }
      const child = this.childOf(node, key);
      const { strategy, mergeKey } = strategyOf(child);
      if (isObject(origV) && isObject(patchV)) {
        out[key] = strategy === 'replace' ? (cleanValue(patchV) ?? {}) : this.mergeMap(origV, patchV, child);
      } else if (Array.isArray(origV) && Array.isArray(patchV)) {
        out[key] = strategy === 'merge' || isDeleteList ? this.mergeList(origV, patchV, elemOf(child), mergeKey, isDeleteList) : replacement(patchV);
      } else {
        setOrDelete(out, key, cleanValue(patchV));
      }
    }
    return out;
  }

  /** `$patch` in a map: replace takes the patch as it is, delete leaves an empty map. */
  private mapDirective(patch: JsonObject): JsonObject {
    const directive = patch[DIRECTIVE];
    if (directive === 'replace') {
      delete patch[DIRECTIVE];
      return (cleanValue(patch) ?? {}) as JsonObject;
    }
    if (directive === 'delete') return {};
    throw new MergeError(`unknown patch type: ${goFormat(directive)} in map: ${goFormat(patch)}`);
  }

  private mergeList(original: Json[], patch: Json[], elem: Node, mergeKey: string, isDeleteList: boolean): Json[] {
    return this.mergeListWithView(original, patch, elem, mergeKey, isDeleteList).merged;
  }

  /**
   * Merges a list; `view` is what upstream's caller still sees of the live list afterwards:
   * Go deletes and appends in the live slice's backing array, and `$setElementOrder` then orders
   * server-only items by that mutated array. We replay those writes to order items the same way.
   */
  private mergeListWithView(original: Json[], patch: Json[], elem: Node, mergeKey: string, isDeleteList: boolean): { merged: Json[]; view: Json[] } {
    if (original.length === 0 && patch.length === 0) return { merged: original, view: original };
    const isMap = elementKind(original, patch) === 'map';
    if (!isMap) {
      if (isDeleteList) return { merged: original.filter((v) => !patch.includes(v)), view: original };
      const [patchItems, serverOnly] = partition(dedupe([...original, ...patch]), patch, '', false);
      return { merged: normalizeElementOrder(patchItems, serverOnly, patch, original, '', false), view: original };
    }
    if (!mergeKey) throw new MergeError('cannot merge lists without merge key for struct');
    const { base, named, replaced, view } = applyListDirectives(original, patch, mergeKey);
    const merged = this.mergeListItems(base, named, elem, mergeKey);
    if (!replaced) replayAppends(view, base.length, merged.slice(base.length));
    const [patchItems, serverOnly] = partition(merged, named, mergeKey, true);
    return { merged: normalizeElementOrder(patchItems, serverOnly, named, base, mergeKey, true), view };
  }

  /** Merges patch items into the live item with the same merge key, or appends them. */
  private mergeListItems(original: Json[], patch: Json[], elem: Node, mergeKey: string): Json[] {
    const out = [...original];
    for (const item of patch) {
      if (!isObject(item) || !(mergeKey in item)) throw noMergeKey(item, mergeKey);
      const at = out.findIndex((v) => isObject(v) && v[mergeKey] === item[mergeKey]);
      if (at >= 0) out[at] = this.mergeMap(out[at] as JsonObject, item, elem);
      else out.push(cleanValue(item) ?? {});
    }
    return out;
  }

  /** Handles every `$setElementOrder/<field>` of `patch`, merging and ordering that field. */
  private applySetElementOrder(original: JsonObject, patch: JsonObject, node: Node): void {
    for (const [rawKey, order] of Object.entries(patch)) {
      if (!rawKey.startsWith(SET_ELEMENT_ORDER)) continue;
      delete patch[rawKey];
      if (!Array.isArray(order)) throw new MergeError(`expected a []interface {}, but received a ${goTypeName(order)}`);
      const key = directiveTarget(rawKey, SET_ELEMENT_ORDER, 'invalid patch format of setElementOrder list');
      const origV = original[key];
      const patchV = patch[key];
      if (origV !== undefined && !Array.isArray(origV)) throw new MergeError(`expected a []interface {}, but received a ${goTypeName(origV)}`);
      if (patchV !== undefined && !Array.isArray(patchV)) throw new MergeError(`expected a []interface {}, but received a ${goTypeName(patchV)}`);
      const child = this.childOf(node, key);
      const { strategy, mergeKey } = strategyOf(child);
      const patchList = Array.isArray(patchV) ? patchV : undefined;
      validateAgainstOrder(patchList ?? [], order, mergeKey);
      let merged: Json[];
      let serverOrder: Json[] = origV ?? [];
      if (origV !== undefined && patchList) {
        if (strategy === 'merge') ({ merged, view: serverOrder } = this.mergeListWithView(origV, patchList, elemOf(child), mergeKey, false));
        else merged = replacement(patchList);
      } else if (patchList) merged = replacement(patchList);
      else if (origV !== undefined) merged = origV;
      else continue;
      const isMap = elementKind(origV ?? [], patchList ?? []) === 'map';
      // Lists of maps the schema gives no merge key cannot be ordered by identity.
      if (merged.length > 0 && (!isMap || mergeKey)) {
        const [patchItems, serverOnly] = partition(merged, order, mergeKey, isMap);
        merged = normalizeElementOrder(patchItems, serverOnly, order, serverOrder, mergeKey, isMap);
      }
      original[key] = merged;
      delete patch[key];
    }
  }

  private childOf(node: Node, key: string): Node {
    if (node === UNTYPED_ROOT) return key === 'metadata' ? { ref: OBJECT_META } : undefined;
    if (node?.ref) return this.schema.types[node.ref]?.properties?.[key];
    return node?.additionalProperties;
  }
}

/** The schema of a list's items (a merge-strategy field given as a type stands for its items). */
function elemOf(f: Node): Node {
  return f?.items ?? (f?.ref ? { ref: f.ref } : undefined);
}

function strategyOf(f: Node): Strategy {
  const parts = (f?.patchStrategy ?? '').split(',').filter((s) => s && s !== 'retainKeys');
  return { strategy: parts[0] ?? '', mergeKey: f?.patchMergeKey ?? '' };
}

/** `$retainKeys`: drop live keys not listed; every key the patch sets must be listed. */
function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!(RETAIN_KEYS in patch)) return;
  const list = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(list)) throw new MergeError('invalid patch format of retainKeys');
  const keep = new Set(list);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) continue;
    if (!keep.has(k)) throw new MergeError('invalid patch format of retainKeys');
  }
  for (const k of Object.keys(original)) if (!keep.has(k)) delete original[k];
}

/** `$patch: delete` items remove live items; `$patch: replace` makes the list the patch's items. */
function applyListDirectives(original: Json[], patch: Json[], mergeKey: string): { base: Json[]; named: Json[]; replaced: boolean; view: Json[] } {
  // `view` replays Go's in-place deletions on the live slice (see mergeListWithView).
  const view = [...original];
  let len = view.length;
  const plain: Json[] = [];
  let replaced = false;
  for (const item of patch) {
    if (!isObject(item) || !(DIRECTIVE in item)) {
      plain.push(item);
      continue;
    }
    const directive = item[DIRECTIVE];
    if (directive === 'delete') {
      if (!(mergeKey in item)) throw noMergeKey(item, mergeKey);
      for (let i = 0; i < len; ) {
        const v = view[i];
        if (isObject(v) && v[mergeKey] === item[mergeKey]) {
          view.copyWithin(i, i + 1, len);
          len--;
        } else i++;
      }
    } else if (directive === 'replace') {
      replaced = true;
    } else if (directive === 'merge') {
      throw new MergeError('merging lists cannot yet be specified in the patch');
    } else {
      throw new MergeError(`unknown patch type: ${goFormat(directive)} in map: ${goFormat(item)}`);
    }
  }
  if (replaced) return { base: plain.map((v) => cleanValue(v) ?? {}), named: [], replaced, view };
  return { base: view.slice(0, len), named: plain, replaced, view };
}

/** Appends land in the live slice's backing array while it has room (capacity = its length). */
function replayAppends(view: Json[], len: number, appended: Json[]): void {
  for (const item of appended) {
    if (len >= view.length) return; // Go reallocates: later writes no longer touch the live slice
    view[len++] = item;
  }
}

/** The patch list must follow `$setElementOrder`'s relative order (deletions aside). */
function validateAgainstOrder(patchList: Json[], order: Json[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  const items = mergeKey ? patchList.filter((v) => !(isObject(v) && v[DIRECTIVE] === 'delete')) : patchList;
  const keyOf = (v: Json): Json | undefined => {
    if (!mergeKey) return v;
    if (!isObject(v)) throw new MergeError(`expected a map[string]interface {}, but received a ${goTypeName(v)}`);
    if (!(mergeKey in v)) throw noMergeKey(v, mergeKey);
    return v[mergeKey];
  };
  let p = 0;
  let o = 0;
  while (p < items.length && o < order.length) {
    if (isObject(items[p]) && DIRECTIVE in (items[p] as JsonObject)) {
      p++;
      continue;
    }
    if (keyOf(items[p]!) === keyOf(order[o]!)) p++;
    o++;
  }
  if (p < items.length) {
    throw new MergeError(`The order in patch list:\n${goFormat(patchList)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${goFormat(order)}\n`);
  }
}

/** `$deleteFromPrimitiveList/finalizers` → `finalizers`. */
function directiveTarget(key: string, prefix: string, malformed: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) throw new MergeError(malformed);
  return key.slice(slash + 1);
}

type Kind = 'map' | 'list' | 'null' | 'scalar';
function kindOf(v: Json): Kind | string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  if (isObject(v)) return 'map';
  // Go compares reflect types: a string never merges with a number.
  return typeof v;
}

/** All items of both lists must share one kind; lists of lists are not supported (422). */
function elementKind(...lists: Json[][]): Kind | string | undefined {
  let kind: Kind | string | undefined;
  for (const list of lists) {
    for (const v of list) {
      const k = kindOf(v);
      if (kind === undefined) {
        if (k === 'list') throw new MergeError('lists of lists are not supported', 422);
        kind = k;
      } else if (k !== kind) {
        throw new MergeError(`list element types are not identical: ${goFormat(lists)}`);
      }
    }
  }
  return kind;
}

function dedupe(list: Json[]): Json[] {
  return list.filter((v, i) => indexIn(list, v, '', false) === i);
}

function setOrDelete(obj: JsonObject, key: string, v: Json | undefined): void {
  if (v === undefined) delete obj[key];
  else obj[key] = v;
}

/**
 * A patch value taken as a whole, as it ends up once Go decodes it into the typed object: null
 * members gone, directives dropped (maps carrying `$patch` vanish).
 */
function cleanValue(v: Json): Json | undefined {
  if (isObject(v)) {
    if (DIRECTIVE in v) return undefined;
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) {
      if (x === null || isDirectiveKey(k)) continue;
      const c = cleanValue(x);
      if (c !== undefined) out[k] = c;
    }
    return out;
  }
  if (Array.isArray(v)) return v.map(cleanValue).filter((x): x is Json => x !== undefined);
  return v;
}

/** A list that replaces the live one, as Go would decode it: no nulls, no directive items. */
function replacement(list: Json[]): Json[] {
  return cleanValue(list) as Json[];
}

function isDirectiveKey(k: string): boolean {
  return k === DIRECTIVE || k === RETAIN_KEYS || k.startsWith(SET_ELEMENT_ORDER) || k.startsWith(DELETE_FROM_PRIMITIVE_LIST);
}
