// An Indexer is a Store with named secondary indexes: each IndexFunc maps an object to the
// values it is filed under (e.g. its namespace, its node name), and byIndex answers "all objects
// filed under v" without scanning. Indexes are maintained on every add/update/delete/replace.
import type { KubeObject } from '../resource.js';
import type { Store } from './store.js';
import { metaNamespaceKey, type KeyFunc } from './keys.js';

export type IndexFunc<T> = (obj: T) => string[];
export type Indexers<T> = Record<string, IndexFunc<T>>;

export const NAMESPACE_INDEX = 'namespace';

/** Files an object under its namespace (MetaNamespaceIndexFunc). */
export const metaNamespaceIndexFunc: IndexFunc<KubeObject> = (obj) => [obj.metadata?.namespace ?? ''];

export interface Indexer<T> extends Store<T> {
  /** Objects sharing at least one `indexName` value with `obj`. */
  index(indexName: string, obj: T): T[];
  /** Keys of the objects filed under `value`. */
  indexKeys(indexName: string, value: string): string[];
  /** Objects filed under `value`. */
  byIndex(indexName: string, value: string): T[];
  /** Every value some object is filed under. */
  listIndexFuncValues(indexName: string): string[];
  getIndexers(): Indexers<T>;
  /** Adds indexes (existing objects are indexed at once). Names must be new. */
  addIndexers(indexers: Indexers<T>): void;
}

export class IndexedStore<T> implements Indexer<T> {
  /** key → object. */
  private readonly items = new Map<string, T>();
  /** index name → value → keys filed under it. Always consistent with `items`. */
  private readonly indices = new Map<string, Map<string, Set<string>>>();
  private readonly indexers: Indexers<T> = {};

  constructor(
    indexers: Indexers<T> = {},
    readonly keyFunc: KeyFunc = metaNamespaceKey,
  ) {
    this.addIndexers(indexers);
  }

  get size(): number {
    return this.items.size;
  }

  add(obj: T): void {
    this.put(this.keyFunc(obj), obj);
  }

  update(obj: T): void {
    this.put(this.keyFunc(obj), obj);
  }

  delete(obj: T): void {
    const key = this.keyFunc(obj);
    const old = this.items.get(key);
    if (old === undefined) return;
    this.unindex(key, old);
    this.items.delete(key);
  }

  get(obj: T): T | undefined {
    return this.items.get(this.keyFunc(obj));
  }

  getByKey(key: string): T | undefined {
    return this.items.get(key);
  }

  list(): T[] {
    return [...this.items.values()];
  }

  listKeys(): string[] {
    return [...this.items.keys()];
  }

  replace(items: T[], _resourceVersion: string): void {
    this.items.clear();
    for (const idx of this.indices.values()) idx.clear();
    for (const obj of items) this.put(this.keyFunc(obj), obj);
  }

  index(indexName: string, obj: T): T[] {
    const fn = this.indexFunc(indexName);
    const keys = new Set<string>();
    for (const v of fn(obj)) for (const k of this.indices.get(indexName)!.get(v) ?? []) keys.add(k);
    return [...keys].map((k) => this.items.get(k)!);
  }

  indexKeys(indexName: string, value: string): string[] {
    this.indexFunc(indexName);
    return [...(this.indices.get(indexName)!.get(value) ?? [])];
  }

  byIndex(indexName: string, value: string): T[] {
    return this.indexKeys(indexName, value).map((k) => this.items.get(k)!);
  }

  listIndexFuncValues(indexName: string): string[] {
    this.indexFunc(indexName);
    return [...this.indices.get(indexName)!.keys()];
  }

  getIndexers(): Indexers<T> {
    return { ...this.indexers };
  }

  addIndexers(indexers: Indexers<T>): void {
    for (const name of Object.keys(indexers)) {
      if (this.indexers[name]) throw new Error(`indexer conflict: ${name}`);
    }
    for (const [name, fn] of Object.entries(indexers)) {
      this.indexers[name] = fn;
      const idx = new Map<string, Set<string>>();
      this.indices.set(name, idx);
      for (const [key, obj] of this.items) for (const v of fn(obj)) addTo(idx, v, key);
    }
  }

  private indexFunc(name: string): IndexFunc<T> {
    const fn = this.indexers[name];
    if (!fn) throw new Error(`index with name ${name} does not exist`);
    return fn;
  }

  private put(key: string, obj: T): void {
    const old = this.items.get(key);
    if (old !== undefined) this.unindex(key, old);
    this.items.set(key, obj);
    for (const [name, fn] of Object.entries(this.indexers)) {
      const idx = this.indices.get(name)!;
      for (const v of fn(obj)) addTo(idx, v, key);
    }
  }

  private unindex(key: string, obj: T): void {
    for (const [name, fn] of Object.entries(this.indexers)) {
      const idx = this.indices.get(name)!;
      for (const v of fn(obj)) {
        const set = idx.get(v);
        if (!set) continue;
        set.delete(key);
        if (set.size === 0) idx.delete(v);
      }
    }
  }
}

function addTo(idx: Map<string, Set<string>>, v: string, key: string): void {
  let set = idx.get(v);
  if (!set) idx.set(v, (set = new Set()));
  set.add(key);
}
