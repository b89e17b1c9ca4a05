// A Store is the cache an informer keeps: objects by key, replaced wholesale on (re-)list and
// updated by watch events. Implementations do all their work synchronously, so a caller never
// sees a half-applied change (client-go's thread-safe store, by design of the event loop).
// Objects in a store are shared: readers must not mutate them (copy first).
import { IndexedStore } from './indexer.js';
import { metaNamespaceKey, type KeyFunc } from './keys.js';

export interface Store<T> {
  add(obj: T): void;
  update(obj: T): void;
  delete(obj: T): void;
  /** The stored object with obj's key. */
  get(obj: T): T | undefined;
  getByKey(key: string): T | undefined;
  list(): T[];
  listKeys(): string[];
  /** Replaces the whole contents (a fresh list at `resourceVersion`). */
  replace(items: T[], resourceVersion: string): void;
  /** Number of objects. */
  readonly size: number;
}

/** A store without indexes. */
export function newStore<T>(keyFunc: KeyFunc = metaNamespaceKey): Store<T> {
  return new IndexedStore<T>({}, keyFunc);
}
