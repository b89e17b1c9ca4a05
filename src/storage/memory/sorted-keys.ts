// The memory backend's key index: every key that still has history, in sorted order, so a range
// is a binary search plus a walk. New keys are buffered and merged when the order is next needed:
// a burst of creates costs one sort instead of one array shift per key.
// Order is JavaScript's (UTF-16 code units): the same as SQLite's byte order except between
// characters beyond U+FFFF and U+E000–U+FFFF, which Kubernetes keys never contain.

/** Merging a few keys by binary insertion beats re-merging the whole array. */
const INSERT_ONE_BY_ONE = 16;

export class SortedKeys {
  private sorted: string[] = [];
  /** Keys added since the last merge; disjoint from `sorted`. */
  private added: string[] = [];

  get size(): number {
    return this.sorted.length + this.added.length;
  }

  /** Adds a key not yet present. */
  add(key: string): void {
    this.added.push(key);
  }

  /** All keys in ascending order. The array is shared: read it, don't keep it across writes. */
  keys(): readonly string[] {
    if (this.added.length > 0) this.merge();
    return this.sorted;
  }

  /** Index of the first key >= `key` in keys(). */
  lowerBound(key: string): number {
    return lowerBound(this.keys(), key);
  }

  /** Drops the keys for which `keep` answers false. */
  retain(keep: (key: string) => boolean): void {
    this.sorted = this.keys().filter(keep);
  }

  private merge(): void {
    const added = this.added.sort();
    this.added = [];
    if (added.length <= INSERT_ONE_BY_ONE) {
      for (const key of added) this.sorted.splice(lowerBound(this.sorted, key), 0, key);
      return;
    }
    const a = this.sorted;
    const out: string[] = new Array(a.length + added.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < a.length && j < added.length) out[k++] = a[i]! < added[j]! ? a[i++]! : added[j++]!;
    while (i < a.length) out[k++] = a[i++]!;
    while (j < added.length) out[k++] = added[j++]!;
    this.sorted = out;
  }
}

export function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
