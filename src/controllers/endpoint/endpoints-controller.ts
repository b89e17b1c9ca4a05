// The endpoints controller (pkg/controller/endpoint): keeps one core/v1 Endpoints per Service
// with a selector, named like the Service, listing the selected pods' addresses.
//  - handlers turn Service events, pod events that may change endpoints, and Endpoints
//    deletions into the Service's `ns/name` key;
//  - sync(key) is level-triggered: no Service → delete its Endpoints; ExternalName or no
//    selector → leave the (hand-made) Endpoints alone; else compute the subsets from the pods
//    and create or update the Endpoints when subsets, labels or the capacity annotation differ;
//  - at start every existing Endpoints is enqueued once, so ones whose Service went away while
//    the controller was down are deleted.
import type { Endpoints, Pod, Service } from 'kubernetes-types/core/v1.js';
import {
  RateLimitingQueue, deletedObject, hasStatusCause, isConflict, isForbidden, isNotFound, metaNamespaceKey, resources,
  splitMetaNamespaceKey, type EventRecorder, type Lister, type SharedIndexInformer,
} from '../../client/index.js';
import type { Controller, ControllerContext } from '../types.js';
import { runWorkers } from '../worker.js';
import { rfc3339Nano, serviceSelector, isServiceIPSet } from '../endpointslice/util/pods.js';
import { enqueueServicesOnChange } from '../endpointslice/util/service-membership.js';
import { semanticEqual } from '../endpointslice/util/semantic.js';
import { TriggerTimeTracker } from '../endpointslice/util/trigger-time-tracker.js';
import { OVER_CAPACITY_ANNOTATION, TRUNCATED, capacityAnnotationSetCorrectly, truncateSubsets } from './capacity.js';
import { computeSubsets } from './subsets.js';

export const LAST_CHANGE_TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';
/** Endpoints used as leader-election locks have no Service and must survive the leftover sweep. */
const LEADER_ANNOTATION = 'control-plane.alpha.kubernetes.io/leader';
const MAX_RETRIES = 15;

export interface EndpointsControllerOptions {
  /** Delay of syncs triggered by pod changes, to batch them (--endpoint-updates-batch-period; default 0). */
  batchPeriodMs?: number;
  /** Where failures go (default: stderr). */
  onError?: (err: unknown) => void;
}

export class EndpointsController implements Controller {
  readonly name = 'endpoint';
  /** Keys (`ns/name`) of Services to sync; a key is synced by one worker at a time. */
  readonly queue: RateLimitingQueue<string>;
  /** Seam for tests: what workers call for a key. */
  syncHandler: (key: string) => Promise<void> = (key) => this.sync(key);
  private readonly serviceLister: Lister<Service>;
  private readonly podLister: Lister<Pod>;
  private readonly endpointsLister: Lister<Endpoints>;
  private readonly informers: Array<SharedIndexInformer<never>>;
  private readonly recorder: EventRecorder;
  private readonly triggerTimes = new TriggerTimeTracker();
  /**
   * `ns/name` → a resourceVersion of the Endpoints we already replaced: while the cache still
   * shows it, a sync would work from stale data and waits instead.
   */
  private readonly staleVersions = new Map<string, string>();
  private readonly batchPeriodMs: number;
  private readonly onError: (err: unknown) => void;

  constructor(private readonly ctx: ControllerContext, opts: EndpointsControllerOptions = {}) {
    this.batchPeriodMs = opts.batchPeriodMs ?? 0;
    this.onError = opts.onError ?? ((e) => console.error('k8ts: endpoint controller:', e));
    this.recorder = ctx.recorder('endpoint-controller');
    this.queue = new RateLimitingQueue<string>({ name: 'endpoint', clock: ctx.clock });

    const { services, pods } = enqueueServicesOnChange(ctx.informers, this.queue, this.batchPeriodMs);
    this.serviceLister = services.lister();
    this.podLister = pods.lister();
    const endpoints = ctx.informers.informerFor(resources.endpoints);
    this.endpointsLister = endpoints.lister();
    endpoints.addEventHandler({ onDelete: (ep) => this.queue.add(metaNamespaceKey(deletedObject(ep))) });
    this.informers = [services, pods, endpoints] as unknown as Array<SharedIndexInformer<never>>;
  }

  async run(workers: number): Promise<void> {
    const signal = this.ctx.signal;
    if (signal.aborted) return;
    // The sweep needs synced caches; runWorkers' own wait then returns at once.
    const synced = await Promise.all(this.informers.map((i) => i.waitForSync(signal)));
    if (!synced.every(Boolean)) return;
    this.checkLeftoverEndpoints();
    await runWorkers(this.queue, this.syncHandler, workers, {
      signal, informers: this.informers, onError: this.onError, silent: isConflict, maxRetries: MAX_RETRIES,
    });
  }

  // ── event handlers ─────────────────────────────────────────────────────────────────────

  /** Enqueues every Endpoints but leader-election locks: those without a Service get deleted. */
  checkLeftoverEndpoints(): void {
    for (const ep of this.endpointsLister.list()) {
      if (ep.metadata?.annotations?.[LEADER_ANNOTATION] !== undefined) continue;
      this.queue.add(metaNamespaceKey(ep));
    }
  }

  // ── sync ───────────────────────────────────────────────────────────────────────────────

  /** Brings the Service's Endpoints in line with its pods. Idempotent. */
  async sync(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const service = this.serviceLister.namespace(namespace).get(name);
    if (!service) {
      // The Service is gone: so are its Endpoints (the garbage collector has no owner to go by).
      try {
        await this.ctx.client.resource(resources.endpoints).namespace(namespace).delete(name);
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
      this.triggerTimes.deleteService(namespace, name);
      this.staleVersions.delete(key);
      return;
    }
    if (service.spec?.type === 'ExternalName') return;
    const selector = serviceSelector(service);
    if (!selector) return; // endpoints of selector-less services are made by hand (or by the apiserver)

    const pods = this.podLister.namespace(namespace).list(selector);
    // Computed even when nothing gets written, so the tracker's state stays current.
    const triggerTime = this.triggerTimes.compute(namespace, service, pods);
    const { subsets } = computeSubsets(service, pods);

    const current = this.endpointsLister.namespace(namespace).get(name);
    if (current && this.staleVersions.get(key) === current.metadata?.resourceVersion) {
      throw new Error(`endpoints informer cache is out of date, resource version ${current.metadata?.resourceVersion} already processed for endpoints ${key}`);
    }
    const svcLabels = service.metadata?.labels ?? {};
    if (current) {
      const { [HEADLESS_LABEL]: _headless, ...compareLabels } = current.metadata?.labels ?? {};
      if (semanticEqual(current.subsets, subsets) && semanticEqual(compareLabels, svcLabels) &&
        capacityAnnotationSetCorrectly(current.metadata?.annotations, current.subsets)) return;
    }

    const next = this.desiredEndpoints(service, current, subsets, triggerTime);
    await this.write(key, service, current, next);
  }

  /** The Endpoints to write: the current one (or a new one) with subsets, labels and annotations replaced. */
  private desiredEndpoints(service: Service, current: Endpoints | undefined, subsets: Endpoints['subsets'], triggerTime: number | undefined): Endpoints {
    const base: Endpoints = current ? structuredClone(current) : { metadata: { name: service.metadata?.name } };
    const annotations: Record<string, string> = { ...base.metadata?.annotations };
    if (triggerTime !== undefined) annotations[LAST_CHANGE_TRIGGER_TIME] = rfc3339Nano(triggerTime);
    else delete annotations[LAST_CHANGE_TRIGGER_TIME];
    const truncated = truncateSubsets(subsets ?? []);
    if (truncated) annotations[OVER_CAPACITY_ANNOTATION] = TRUNCATED;
    else delete annotations[OVER_CAPACITY_ANNOTATION];
    const labels: Record<string, string> = { ...service.metadata?.labels };
    if (!isServiceIPSet(service)) labels[HEADLESS_LABEL] = '';
    else delete labels[HEADLESS_LABEL];
    return { ...base, metadata: { ...base.metadata, labels, annotations }, subsets: truncated ?? subsets };
  }

  private async write(key: string, service: Service, current: Endpoints | undefined, next: Endpoints): Promise<void> {
    const client = this.ctx.client.resource(resources.endpoints).namespace(service.metadata?.namespace);
    const ref = { ...next, apiVersion: 'v1', kind: 'Endpoints', metadata: { ...next.metadata, namespace: service.metadata?.namespace } };
    try {
      if (!current) {
        await client.create(next);
        return;
      }
      const updated = await client.update(next);
      // Until the cache shows a newer version, the one we replaced is stale.
      if (updated.metadata?.resourceVersion !== current.metadata?.resourceVersion) this.staleVersions.set(key, current.metadata?.resourceVersion ?? '');
    } catch (e) {
      // A terminating namespace refuses creations for good: drop the key.
      if (!current && isForbidden(e) && hasStatusCause(e, 'NamespaceTerminating')) return;
      const msg = (e as Error).message ?? String(e);
      if (!current) this.recorder.event(ref, 'Warning', 'FailedToCreateEndpoint', `Failed to create endpoint for service ${key}: ${msg}`);
      else this.recorder.event(ref, 'Warning', 'FailedToUpdateEndpoint', `Failed to update endpoint ${key}: ${msg}`);
      throw e;
    }
  }
}
