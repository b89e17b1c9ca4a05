// The MVCC store contract the apiserver is written against. It mirrors etcd's model so that
// an etcd backend (etcd3 client) slots in beside SQLite and memory without touching callers:
//  - one global revision counter; every write (create, update, delete) takes the next revision;
//  - writes are conditional (create-if-absent; update/delete only at the key's expected mod revision);
//  - ranges read a consistent snapshot at a revision, paged by limit + startKey;
//  - watches deliver every event after a revision, in revision order, with the previous value;
//  - history older than the compaction point answers CompactedError ("too old").
// Values are opaque strings (the apiserver stores JSON).

export interface KeyValue {
  key: string;
  value: string;
  /** Revision at which the key was (last) created. */
  createRevision: number;
  /** Revision of the last write to the key; the object's resourceVersion. */
  modRevision: number;
}

export type WatchEventType = 'create' | 'update' | 'delete';

export interface WatchEvent {
  type: WatchEventType;
  /** For delete: the key with the value it had when deleted and modRevision = the delete's revision. */
  kv: KeyValue;
  /** The value before this event (absent for create). */
  prevKv?: KeyValue;
  revision: number;
}

export interface RangeOptions {
  /** Read at this revision; 0 or absent = current. Older than compaction → CompactedError; newer than current → FutureRevisionError. */
  revision?: number;
  /** Maximum number of keys returned; 0 or absent = all. */
  limit?: number;
  /** Start listing at this key (inclusive), for paging. */
  startKey?: string;
}

export interface RangeResult {
  kvs: KeyValue[];
  /** The revision the range was read at. */
  revision: number;
  /** True when keys remain after the last one returned. */
  more: boolean;
  /** Number of keys remaining after this page (0 when !more). */
  remaining: number;
}

export interface WatchOptions {
  /**
   * Deliver events with revision > afterRevision: a list's revision, or currentRevision() to start
   * from now (no gap: writes after that revision are replayed). Below the compaction point →
   * onError(CompactedError); the compaction point itself is fine; a future revision waits.
   */
  afterRevision: number;
}

export interface Watch {
  cancel(): void;
}

export interface Store {
  /** Current (latest committed) revision. */
  currentRevision(): Promise<number>;
  get(key: string, opts?: { revision?: number }): Promise<{ kv: KeyValue | null; revision: number }>;
  /** Keys with the prefix in byte order. */
  range(prefix: string, opts?: RangeOptions): Promise<RangeResult>;
  /** Number of live keys under a prefix. */
  count(prefix: string): Promise<number>;
  /** Creates the key; throws KeyExistsError when it exists. */
  create(key: string, value: string): Promise<KeyValue>;
  /** Updates the key if its modRevision equals expected; else throws ConflictError (with the current kv) or NotFoundError. */
  update(key: string, value: string, expectedModRevision: number): Promise<KeyValue>;
  /**
   * Deletes the key (if expectedModRevision is given, only at that revision; else ConflictError with
   * the current kv; NotFoundError when absent). Returns the deleted kv (the value it had) with
   * modRevision = the delete's revision, which is also `revision`.
   */
  delete(key: string, expectedModRevision?: number): Promise<{ prev: KeyValue; revision: number }>;
  /**
   * Watches keys under a prefix. Events arrive in revision order, each once, batched (per commit or
   * more). Callbacks run asynchronously, never inside watch() or a write. onError ends the watch:
   * CompactedError, StoreClosedError on close(), or the error onEvents itself threw.
   */
  watch(prefix: string, opts: WatchOptions, onEvents: (events: WatchEvent[]) => void, onError: (err: Error) => void): Watch;
  /**
   * Drops history older than revision (current values, and every key's state at `revision`, stay).
   * At or below the compaction point: no-op. Above the current revision: FutureRevisionError.
   */
  compact(revision: number): Promise<void>;
  /** Revision up to which history has been compacted (0 = none). */
  compactedRevision(): Promise<number>;
  /** Commits writes already accepted, ends watches, releases the backend; later calls → StoreClosedError. */
  close(): Promise<void>;
}
