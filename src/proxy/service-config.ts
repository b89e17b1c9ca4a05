// Feeds the proxy: informers over Services and EndpointSlices, and a fresh service map after
// each change. Changes arriving together (an informer's initial list, a rollout touching many
// slices) are coalesced into one rebuild on the next turn of the event loop; rebuilding the whole
// map keeps this level-triggered (no incremental state to get wrong) and is cheap at k8ts sizes.
import type { Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { resources, SharedInformerFactory, type RestClient, type TimerClock } from '../client/index.js';
import { buildServiceMap, type ServicePortInfo } from './service-map.js';

/** Upstream's label for services another proxy implementation handles. */
const SERVICE_PROXY_NAME = 'service.kubernetes.io/service-proxy-name';

export interface ServiceConfigOptions {
  client: RestClient;
  nodeName: string;
  clock?: TimerClock;
  /** A new map; `synced` once both informers have their initial lists. */
  onChange(map: ServicePortInfo[], synced: boolean): void;
  onError?: (e: unknown) => void;
}

export class ServiceConfig {
  private readonly informers: SharedInformerFactory;
  private scheduled = false;
  private synced = false;
  private stopped = false;

  constructor(private readonly opts: ServiceConfigOptions) {
    this.informers = new SharedInformerFactory(opts.client, {
      clock: opts.clock,
      onError: (resource, e) => opts.onError?.(new Error(`proxy informer ${resource}: ${(e as Error)?.message ?? e}`)),
    });
    const handler = { onAdd: () => this.schedule(), onUpdate: () => this.schedule(), onDelete: () => this.schedule() };
    this.informers.informerFor(resources.services).addEventHandler(handler);
    this.informers.informerFor(resources.endpointSlices).addEventHandler(handler);
  }

  /** Starts the informers; resolves once they synced (the first complete map was delivered). */
  async start(signal?: AbortSignal): Promise<void> {
    this.informers.start();
    const synced = await this.informers.waitForCacheSync(signal);
    if ([...synced.values()].every(Boolean)) {
      this.synced = true;
      this.rebuild();
    }
  }

  /** The map as the caches stand now. */
  current(): ServicePortInfo[] {
    const services = this.informers.lister(resources.services).list() as Service[];
    const slices = this.informers.lister(resources.endpointSlices).list() as EndpointSlice[];
    return buildServiceMap({
      services: services.filter((s) => !s.metadata?.labels?.[SERVICE_PROXY_NAME]),
      slices,
      nodeName: this.opts.nodeName,
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.informers.shutdown();
  }

  private schedule(): void {
    if (this.scheduled || !this.synced) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (!this.stopped) this.rebuild();
    });
  }

  private rebuild(): void {
    try {
      this.opts.onChange(this.current(), this.synced);
    } catch (e) {
      this.opts.onError?.(e);
    }
  }
}
