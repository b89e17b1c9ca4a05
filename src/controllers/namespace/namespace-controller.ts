// The namespace controller (upstream namespace_controller.go): every namespace with a
// deletionTimestamp is queued — a little later, so object creations racing the deletion are
// visible — and handed to the NamespacedResourcesDeleter until it is finalized. Content that
// is still going away is looked at again after about half its estimate; other failures back off
// exponentially (5 ms doubling up to 60 s, so a namespace is retried at least every minute).
import type { Namespace } from 'kubernetes-types/core/v1.js';
import {
  BucketRateLimiter,
  ItemExponentialFailureRateLimiter,
  MaxOfRateLimiter,
  RateLimitingQueue,
  TokenBucket,
  metaNamespaceKey,
  resources,
  type Lister,
  type SharedIndexInformer,
} from '../../client/index.js';
import type { Controller, ControllerContext } from '../types.js';
import { worker } from '../worker.js';
import { discoverResources, type DiscoverFn } from '../garbage-collector/discovery.js';
import { NamespacedResourcesDeleter, ResourcesRemainingError } from './namespaced-resources-deleter.js';

/** How long a namespace event waits before it is processed (upstream: 5 s). */
export const NAMESPACE_DELETION_GRACE_PERIOD_MS = 5000;

export interface NamespaceControllerOptions {
  /** Delay before a deleted namespace is processed (default 5 s). */
  deletionGracePeriodMs?: number;
  /** Resync period of the namespace informer handler (upstream: 5 min). */
  resyncMs?: number;
  /** Seam for tests: what the server serves (default: its discovery documents). */
  discover?: DiscoverFn;
}

export class NamespaceController implements Controller {
  readonly name = 'namespace';
  /** Names of namespaces being deleted, each at most once in the queue. */
  readonly queue: RateLimitingQueue<string>;
  private readonly informer: SharedIndexInformer<Namespace>;
  private readonly lister: Lister<Namespace>;
  readonly deleter: NamespacedResourcesDeleter;
  private readonly gracePeriodMs: number;

  constructor(
    private readonly ctx: ControllerContext,
    opts: NamespaceControllerOptions = {},
  ) {
    this.queue = new RateLimitingQueue<string>({ name: 'namespace', clock: ctx.clock, rateLimiter: nsControllerRateLimiter(ctx) });
    this.gracePeriodMs = opts.deletionGracePeriodMs ?? NAMESPACE_DELETION_GRACE_PERIOD_MS;
    this.deleter = new NamespacedResourcesDeleter({
      client: ctx.client,
      discover: opts.discover ?? (() => discoverResources(ctx.client)),
      finalizerToken: 'kubernetes',
      now: () => ctx.clock.now(),
    });
    this.informer = ctx.informers.informerFor(resources.namespaces);
    this.lister = this.informer.lister();
    this.informer.addEventHandler(
      {
        onAdd: (ns) => this.enqueueNamespace(ns),
        onUpdate: (_old, ns) => this.enqueueNamespace(ns),
      },
      opts.resyncMs ?? 5 * 60_000,
    );
  }

  async run(workers: number): Promise<void> {
    this.ctx.signal.addEventListener('abort', () => this.queue.shutDown(), { once: true });
    if (!(await this.informer.waitForSync(this.ctx.signal))) return;
    await Promise.all(Array.from({ length: workers }, () => this.worker()));
  }

  /** Queues a namespace being deleted, after the grace period. */
  private enqueueNamespace(ns: Namespace): void {
    if (!ns.metadata?.deletionTimestamp) return;
    this.queue.addAfter(metaNamespaceKey(ns), this.gracePeriodMs);
  }

  /** Content still going away is looked at again after about half its estimate; other failures back off. */
  private worker(): Promise<void> {
    return worker(this.queue, (key) => this.syncNamespaceFromKey(key), {
      signal: this.ctx.signal,
      onError: (err) => console.error(err.message),
      describe: (key, e) => `k8ts: namespace controller: deletion of namespace ${key} failed: ${(e as Error).message}`,
      requeue: (key, e) => {
        if (!(e instanceof ResourcesRemainingError)) return false;
        this.queue.addAfter(key, (Math.floor(e.estimate / 2) + 1) * 1000);
        return true;
      },
    });
  }

  /** Level-triggered: the namespace as the cache has it, handed to the deleter. */
  async syncNamespaceFromKey(key: string): Promise<void> {
    const ns = this.lister.get(key);
    if (!ns) return;
    await this.deleter.delete(ns.metadata!.name!);
  }
}

/** Faster than the default: namespaces are few, and their cleanup should be prompt. */
function nsControllerRateLimiter(ctx: ControllerContext) {
  return new MaxOfRateLimiter<string>(new ItemExponentialFailureRateLimiter<string>(5, 60_000), new BucketRateLimiter<string>(new TokenBucket(10, 100, ctx.clock)));
}
