// The storage package's face: the Store contract, its errors, and openStore(), which picks the
// backend from the endpoint's URL scheme the way k3s's --datastore-endpoint does.
import { join, resolve } from 'node:path';
import type { Store } from './interface.js';
import { MemoryStore } from './memory/memory-store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';

export type * from './interface.js';
export * from './errors.js';
export { compactKeeping, startAutoCompaction } from './auto-compaction.js';
export { MemoryStore } from './memory/memory-store.js';
export { SqliteStore } from './sqlite/sqlite-store.js';

/** A store as the server owns it: the contract plus the housekeeping the owner schedules. */
export interface ManagedStore extends Store {
  /** Keeps the last `keepRevisions` revisions, compacting every intervalMs; returns the stop function. */
  startAutoCompaction(intervalMs: number, keepRevisions: number, onError?: (err: Error) => void): () => void;
}

/** Where the default SQLite database lives inside the data dir (as k3s: server/db/state.db). */
export function defaultSqlitePath(dataDir: string): string {
  return join(dataDir, 'db', 'state.db');
}

/**
 * Opens the store named by `endpoint`:
 *  - undefined, '' or `sqlite://` → SQLite at `<dataDir>/db/state.db`;
 *  - `sqlite://PATH` (`sqlite:///abs/state.db`, `sqlite://rel/state.db`; `?options` ignored) → SQLite at PATH;
 *  - `memory://` → in-memory, nothing persisted;
 *  - `etcd://…`, `http(s)://…` → etcd, which is not available yet.
 */
export async function openStore(endpoint: string | undefined, dataDir: string): Promise<ManagedStore> {
  const ep = endpoint?.trim() ?? '';
  if (ep === '') return SqliteStore.open(defaultSqlitePath(dataDir));
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(ep)?.[1]?.toLowerCase();
  switch (scheme) {
    case 'sqlite': {
      const path = ep.slice('sqlite://'.length).split('?')[0]!;
      return SqliteStore.open(path === '' ? defaultSqlitePath(dataDir) : resolve(path));
    }
    case 'memory':
      return new MemoryStore();
    case 'etcd':
    case 'http':
    case 'https':
      throw new Error(
        `datastore endpoint ${ep}: the etcd backend is not built yet; ` +
          `use sqlite:// (the default) or memory:// for now`,
      );
    default:
      throw new Error(
        `datastore endpoint ${ep}: unsupported scheme ${scheme ? `"${scheme}://"` : '(none)'}; ` +
          `expected sqlite://PATH, memory:// or etcd://HOST:PORT`,
      );
  }
}
