// One shared informer per resource (and narrowing) for a whole component: controllers ask the
// factory for the informers they need while wiring up, then the component calls start() and
// waitForCacheSync() once (client-go's SharedInformerFactory).
import { realTimerClock, type TimerClock } from '../clock.js';
import type { RestClient } from '../rest-client.js';
import { gvrString, type GroupVersionResource, type KubeObject, type ResourceType, type UnstructuredObject } from '../resource.js';
import { NAMESPACE_INDEX, metaNamespaceIndexFunc, type Indexers } from './indexer.js';
import type { Lister } from './lister.js';
import { listWatch, type ListWatchOptions } from './list-watch.js';
import { SharedIndexInformer, type SharedInformerOptions } from './shared-informer.js';

export interface InformerFactoryOptions {
  /** Default resync period of every informer's handlers (0: never). */
  defaultResyncMs?: number;
  /** Watch only this namespace (default: all). */
  namespace?: string;
  /** Narrow every list and watch (label/field selectors). */
  narrow?: ListWatchOptions;
  clock?: TimerClock;
  /** Errors of reflectors (default: logged). */
  onError?: (resource: string, err: unknown) => void;
}

export interface InformerOptions<T> {
  resyncMs?: number;
  indexers?: Indexers<T>;
  transform?: SharedInformerOptions<T>['transform'];
}

export class SharedInformerFactory {
  /** GVR → informer; at most one per resource for the factory's namespace and narrowing. */
  private readonly informers = new Map<string, SharedIndexInformer<KubeObject>>();
  private readonly clock: TimerClock;

  constructor(
    private readonly client: RestClient,
    private readonly opts: InformerFactoryOptions = {},
  ) {
    this.clock = opts.clock ?? realTimerClock;
  }

  /**
   * The shared informer of a resource, created on first request. Namespaced resources get the
   * `namespace` index. Options only apply to the first request (later ones share it).
   */
  informerFor<T extends KubeObject = UnstructuredObject>(r: ResourceType<T> | GroupVersionResource, o: InformerOptions<T> = {}): SharedIndexInformer<T> {
    const key = gvrString(r);
    const found = this.informers.get(key);
    if (found) return found as unknown as SharedIndexInformer<T>;
    const client = this.client.resource<T>(r).namespace(this.opts.namespace);
    const indexers: Indexers<T> = { ...o.indexers };
    if (client.type.namespaced && !indexers[NAMESPACE_INDEX]) indexers[NAMESPACE_INDEX] = metaNamespaceIndexFunc as (obj: T) => string[];
    const onError = this.opts.onError;
    const inf = new SharedIndexInformer<T>(listWatch(client, this.opts.narrow), {
      resyncPeriodMs: o.resyncMs ?? this.opts.defaultResyncMs ?? 0,
      indexers,
      clock: this.clock,
      transform: o.transform,
      reflector: { name: key, onError: onError ? (e) => onError(key, e) : undefined },
    });
    this.informers.set(key, inf as unknown as SharedIndexInformer<KubeObject>);
    return inf;
  }

  lister<T extends KubeObject = UnstructuredObject>(r: ResourceType<T> | GroupVersionResource): Lister<T> {
    return this.informerFor<T>(r).lister();
  }

  /** Starts every informer not started yet (informers requested later need another start()). */
  start(): void {
    for (const inf of this.informers.values()) inf.run();
  }

  /** Waits until every started informer has synced; answers per resource whether it did. */
  async waitForCacheSync(signal?: AbortSignal): Promise<Map<string, boolean>> {
    const out = new Map<string, boolean>();
    await Promise.all(
      [...this.informers].filter(([, inf]) => inf.isStarted()).map(async ([key, inf]) => {
        out.set(key, await inf.waitForSync(signal));
      }),
    );
    return out;
  }

  /** Stops every informer and waits for their reflectors to end. */
  async shutdown(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
  }
}
