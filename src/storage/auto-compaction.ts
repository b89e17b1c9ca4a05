// Periodic compaction that keeps a window of recent revisions, like kube-apiserver's
// --etcd-compaction-interval. Written against the Store interface so every backend shares it.
import { isStorageError } from './errors.js';
import type { Store } from './interface.js';

/** Compacts history older than the last `keepRevisions` revisions; returns the new compaction point, if any. */
export async function compactKeeping(store: Store, keepRevisions: number): Promise<number | undefined> {
  const target = (await store.currentRevision()) - Math.max(0, keepRevisions);
  if (target <= (await store.compactedRevision())) return undefined;
  await store.compact(target);
  return target;
}

export interface AutoCompactionOptions {
  intervalMs: number;
  keepRevisions: number;
  /** Failures of one round (the next round retries). Default: a warning on stderr. */
  onError?: (err: Error) => void;
}

/** Starts compacting every intervalMs; returns the function that stops it. The timer never keeps the process alive. */
export function startAutoCompaction(store: Store, opts: AutoCompactionOptions): () => void {
  const onError = opts.onError ?? ((err: Error) => console.warn(`storage: auto-compaction failed: ${err.message}`));
  let running = false;
  let stopped = false;
  const timer = setInterval(() => {
    if (running) return; // a long round must not pile up behind itself
    running = true;
    compactKeeping(store, opts.keepRevisions)
      .catch((err: unknown) => {
        if (stopped || isStorageError(err, 'Closed')) return;
        onError(err instanceof Error ? err : new Error(String(err)));
      })
      .finally(() => (running = false));
  }, opts.intervalMs);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
