// Element order after a strategic merge of a list, as upstream computes it: items named by the
// patch (or by `$setElementOrder`) follow the patch's order, items only on the server keep the
// live order, and the two runs are interleaved using the live order as the reference.
// Ref: design-proposals-archive/cli/preserve-order-in-strategic-merge-patch.md
import { MergeError } from './patch-errors.js';
import { goFormat, isObject, type Json } from './json.js';

/** The identity of a list item: its merge key value for maps, the item itself for scalars. */
function identity(item: Json, mergeKey: string, isMap: boolean): Json | undefined {
  if (!isMap) return item;
  return isObject(item) ? item[mergeKey] : undefined;
}

export function indexIn(list: readonly Json[], item: Json, mergeKey: string, isMap: boolean): number {
  const id = identity(item, mergeKey, isMap);
  return list.findIndex((v) => identity(v, mergeKey, isMap) === id);
}

/** Every map in the lists must carry the merge key (upstream's validateMergeKeyInLists). */
export function requireMergeKey(mergeKey: string, ...lists: (readonly Json[])[]): void {
  for (const list of lists) {
    for (const item of list) {
      if (!isObject(item)) throw new MergeError(`expected a map[string]interface {}, but received a ${typeof item}`);
      if (!(mergeKey in item)) throw noMergeKey(item, mergeKey);
    }
  }
}

export function noMergeKey(item: Json, mergeKey: string): MergeError {
  return new MergeError(`map: ${goFormat(item)} does not contain declared merge key: ${mergeKey}`);
}

/** Splits `merged` into items named in `by` and items only on the server, keeping merged order. */
export function partition(merged: readonly Json[], by: readonly Json[], mergeKey: string, isMap: boolean): [Json[], Json[]] {
  const named: Json[] = [];
  const serverOnly: Json[] = [];
  for (const v of merged) {
    if (isMap && (!isObject(v) || !(mergeKey in v))) throw noMergeKey(v, mergeKey);
    (indexIn(by, v, mergeKey, isMap) >= 0 ? named : serverOnly).push(v);
  }
  return [named, serverOnly];
}

/** Sorts `toSort` by position in `order`; `$patch: delete` items go last. */
function sortByOrder(toSort: Json[], order: readonly Json[], mergeKey: string, isMap: boolean): Json[] {
  let keep = toSort;
  let deletes: Json[] = [];
  if (isMap) {
    requireMergeKey(mergeKey, toSort, order);
    keep = toSort.filter((v) => !(isObject(v) && v.$patch === 'delete'));
    deletes = toSort.filter((v) => isObject(v) && v.$patch === 'delete');
  }
  const pos = (v: Json) => indexIn(order, v, mergeKey, isMap);
  // Array.prototype.sort is stable; items missing from `order` keep their place relative to others.
  const sorted = keep
    .map((v, i) => ({ v, i, p: pos(v) }))
    .sort((a, b) => (a.p >= 0 && b.p >= 0 ? a.p - b.p : a.i - b.i))
    .map((x) => x.v);
  return [...sorted, ...deletes];
}

/**
 * Orders `patchItems` by `patchOrder` and `serverOnly` by `serverOrder`, then interleaves them:
 * a server-only item goes first only when the live order puts it before the next patch item.
 */
export function normalizeElementOrder(
  patchItems: Json[],
  serverOnly: Json[],
  patchOrder: readonly Json[],
  serverOrder: readonly Json[],
  mergeKey: string,
  isMap: boolean,
): Json[] {
  const right = sortByOrder(patchItems, patchOrder, mergeKey, isMap);
  const left = sortByOrder(serverOnly, serverOrder, mergeKey, isMap);
  const out: Json[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]!);
    else if (j >= right.length) out.push(left[i++]!);
    else {
      const li = indexIn(serverOrder, left[i]!, mergeKey, isMap);
      const ri = indexIn(serverOrder, right[j]!, mergeKey, isMap);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]!);
      else out.push(right[j++]!);
    }
  }
  return out;
}
