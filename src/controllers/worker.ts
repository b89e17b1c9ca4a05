// The worker loop the controllers share (upstream's processNextWorkItem): take a key from the
// queue, sync it, forget its failure history on success; on failure report it (unless the
// controller is stopping) and retry it with the queue's per-key back-off; always mark it done.
// What a controller does differently — a retry cap, failures it forgets or requeues its own
// way, its messages — comes in as options.
import type { RateLimitingQueue } from '../client/index.js';

export interface WorkerOptions<K> {
  /** The controller's context signal: failures once it aborted are not reported. */
  signal: AbortSignal;
  /** Reports a failure, as an Error with the message `describe` (or `describeDropped`) gives. */
  onError: (err: Error) => void;
  /** The report for a failure that is retried. Default: `sync "<key>" failed: <message>`. */
  describe?: (key: K, err: unknown) => string;
  /** Failures that are retried without being reported (e.g. conflicts). */
  silent?: (err: unknown) => boolean;
  /** Failures after which the key is forgotten: neither reported nor retried. */
  forgetOn?: (err: unknown) => boolean;
  /** Requeues a failed key its own way; true if it did (nothing else happens then). */
  requeue?: (key: K, err: unknown) => boolean;
  /** After this many retries a failing key is reported with `describeDropped` and forgotten (until its next event). */
  maxRetries?: number;
  /** The report for a key dropped after maxRetries. Default: `dropping "<key>" out of the queue: <message>`. */
  describeDropped?: (key: K, err: unknown) => string;
}

/** Anything whose cache can be waited for (an informer). */
export interface Syncable {
  waitForSync(signal: AbortSignal): Promise<boolean>;
}

const defaultDescribe = (key: unknown, e: unknown): string => `sync "${key}" failed: ${(e as Error).message ?? e}`;
const defaultDescribeDropped = (key: unknown, e: unknown): string => `dropping "${key}" out of the queue: ${(e as Error).message ?? e}`;

/** Syncs one key from the queue; a failure is handled as `opts` says. False once the queue shut down. */
export async function processNextItem<K>(queue: RateLimitingQueue<K>, sync: (key: K) => Promise<void>, opts: WorkerOptions<K>): Promise<boolean> {
  const next = await queue.get();
  if (next.shutdown) return false;
  const key = next.item;
  try {
    await sync(key);
    queue.forget(key);
  } catch (e) {
    if (opts.forgetOn?.(e)) queue.forget(key);
    else if (opts.requeue?.(key, e)) {
      // requeued by the controller
    } else if (opts.maxRetries === undefined || queue.numRequeues(key) < opts.maxRetries) {
      if (!opts.signal.aborted && !opts.silent?.(e)) opts.onError(new Error((opts.describe ?? defaultDescribe)(key, e)));
      queue.addRateLimited(key);
    } else {
      opts.onError(new Error((opts.describeDropped ?? defaultDescribeDropped)(key, e)));
      queue.forget(key);
    }
  } finally {
    queue.done(key);
  }
  return true;
}

/** Processes keys from the queue until it shuts down. */
export async function worker<K>(queue: RateLimitingQueue<K>, sync: (key: K) => Promise<void>, opts: WorkerOptions<K>): Promise<void> {
  while (await processNextItem(queue, sync, opts)) {
    // next
  }
}

/**
 * The usual run(): unless the signal already aborted, shut the queue down when it aborts, wait
 * for the informers' caches, then run `workers` (at least one) workers until the queue shuts down.
 */
export async function runWorkers<K>(
  queue: RateLimitingQueue<K>,
  sync: (key: K) => Promise<void>,
  workers: number,
  opts: WorkerOptions<K> & { informers: readonly Syncable[] },
): Promise<void> {
  const signal = opts.signal;
  if (signal.aborted) return;
  signal.addEventListener('abort', () => queue.shutDown(), { once: true });
  const synced = await Promise.all(opts.informers.map((i) => i.waitForSync(signal)));
  if (!synced.every(Boolean)) return;
  await Promise.all(Array.from({ length: Math.max(1, workers) }, () => worker(queue, sync, opts)));
}
