// The EndpointSlice controller (pkg/controller/endpointslice): keeps the discovery.k8s.io/v1
// EndpointSlices of every Service with a selector in line with its pods.
//  - handlers turn Service events, relevant pod changes, and changes to our slices that we did
//    not make ourselves (tracked by version) into the Service's `ns/name` key;
//  - sync(key) is level-triggered: no Service → forget it (the garbage collector deletes the
//    owned slices); ExternalName or no selector → nothing; a cache behind our own writes →
//    retry later; else the reconciler writes the difference.
import type { Node, Pod, Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import {
  BucketRateLimiter, ItemExponentialFailureRateLimiter, MaxOfRateLimiter, RateLimitingQueue, TokenBucket, deletedObject, isConflict,
  resources, splitMetaNamespaceKey, type DeletedFinalStateUnknown, type EventRecorder, type Lister, type SharedIndexInformer,
} from '../../client/index.js';
import type { Controller, ControllerContext } from '../types.js';
import { runWorkers } from '../worker.js';
import { Reconciler } from './reconciler.js';
import { EndpointSliceTracker } from './slice-tracker.js';
import { CONTROLLER_NAME, LABEL_MANAGED_BY, LABEL_SERVICE_NAME, serviceKeyOfSlice } from './slice-utils.js';
import { serviceSelector } from './util/pods.js';
import { enqueueServicesOnChange } from './util/service-membership.js';
import { TriggerTimeTracker } from './util/trigger-time-tracker.js';

export const DEFAULT_MAX_ENDPOINTS_PER_SLICE = 100;
const MAX_RETRIES = 15;
/** Changes to slices are batched at least this long (upstream's endpointSliceChangeMinSyncDelay). */
const SLICE_CHANGE_MIN_DELAY_MS = 1000;

export interface EndpointSliceControllerOptions {
  /** --max-endpoints-per-slice (default 100). */
  maxEndpointsPerSlice?: number;
  /** Delay of syncs triggered by pod changes (--endpoint-updates-batch-period; default 0). */
  batchPeriodMs?: number;
  /** Seam for tests: the least delay before a sync triggered by a slice change. */
  sliceChangeDelayMs?: number;
  onError?: (err: unknown) => void;
}

class StaleInformerCache extends Error {}

export class EndpointSliceController implements Controller {
  readonly name = 'endpointslice';
  /** Keys (`ns/name`) of Services to sync; a key is synced by one worker at a time. */
  readonly queue: RateLimitingQueue<string>;
  /** Seam for tests: what workers call for a key. */
  syncHandler: (key: string) => Promise<void> = (key) => this.sync(key);
  readonly tracker = new EndpointSliceTracker();
  private readonly reconciler: Reconciler;
  private readonly serviceLister: Lister<Service>;
  private readonly podLister: Lister<Pod>;
  private readonly sliceLister: Lister<EndpointSlice>;
  private readonly informers: Array<SharedIndexInformer<never>>;
  private readonly recorder: EventRecorder;
  private readonly triggerTimes = new TriggerTimeTracker();
  private readonly batchPeriodMs: number;
  private readonly sliceChangeDelayMs: number;
  private readonly onError: (err: unknown) => void;

  constructor(private readonly ctx: ControllerContext, opts: EndpointSliceControllerOptions = {}) {
    this.batchPeriodMs = opts.batchPeriodMs ?? 0;
    this.sliceChangeDelayMs = Math.max(opts.sliceChangeDelayMs ?? SLICE_CHANGE_MIN_DELAY_MS, this.batchPeriodMs);
    this.onError = opts.onError ?? ((e) => console.error('k8ts: endpointslice controller:', e));
    this.recorder = ctx.recorder('endpoint-slice-controller');
    // A slower back-off than other controllers (1 s doubling to 1000 s): a sync may rewrite many slices.
    this.queue = new RateLimitingQueue<string>({
      name: 'endpoint_slice',
      clock: ctx.clock,
      rateLimiter: new MaxOfRateLimiter<string>(new ItemExponentialFailureRateLimiter<string>(1000, 1000_000), new BucketRateLimiter<string>(new TokenBucket(10, 100, ctx.clock))),
    });

    const { services, pods } = enqueueServicesOnChange(ctx.informers, this.queue, this.batchPeriodMs);
    this.serviceLister = services.lister();
    this.podLister = pods.lister();
    const nodes = ctx.informers.informerFor(resources.nodes);
    const nodeLister: Lister<Node> = nodes.lister();
    const slices = ctx.informers.informerFor(resources.endpointSlices);
    this.sliceLister = slices.lister();
    slices.addEventHandler({
      onAdd: (s) => this.sliceAdded(s),
      onUpdate: (old, cur) => this.sliceUpdated(old, cur),
      onDelete: (s) => this.sliceDeleted(s),
    });
    this.informers = [services, pods, nodes, slices] as unknown as Array<SharedIndexInformer<never>>;
    this.reconciler = new Reconciler({
      client: ctx.client, nodeLister, tracker: this.tracker,
      maxEndpointsPerSlice: opts.maxEndpointsPerSlice ?? DEFAULT_MAX_ENDPOINTS_PER_SLICE,
    });
  }

  async run(workers: number): Promise<void> {
    await runWorkers(this.queue, this.syncHandler, workers, {
      signal: this.ctx.signal, informers: this.informers, onError: this.onError, maxRetries: MAX_RETRIES,
      // Conflicts and a lagging cache only mean "later".
      silent: (e) => isConflict(e) || e instanceof StaleInformerCache,
    });
  }

  // ── event handlers ─────────────────────────────────────────────────────────────────────

  private managed(slice: EndpointSlice): boolean {
    return slice.metadata?.labels?.[LABEL_MANAGED_BY] === CONTROLLER_NAME;
  }

  private enqueueForSlice(slice: EndpointSlice): void {
    const key = serviceKeyOfSlice(slice);
    if (key) this.queue.addAfter(key, this.sliceChangeDelayMs);
  }

  private sliceAdded(slice: EndpointSlice): void {
    if (this.managed(slice) && this.tracker.shouldSync(slice)) this.enqueueForSlice(slice);
  }

  private sliceUpdated(old: EndpointSlice, cur: EndpointSlice): void {
    // Someone moved the slice to another Service: both need a look.
    if (old.metadata?.labels?.[LABEL_SERVICE_NAME] !== cur.metadata?.labels?.[LABEL_SERVICE_NAME]) {
      this.enqueueForSlice(cur);
      this.enqueueForSlice(old);
      return;
    }
    if (this.managed(old) !== this.managed(cur) || (this.managed(cur) && this.tracker.shouldSync(cur))) this.enqueueForSlice(cur);
  }

  private sliceDeleted(obj: EndpointSlice | DeletedFinalStateUnknown<EndpointSlice>): void {
    const slice = deletedObject(obj);
    // A deletion we did not make (someone deleted our slice): put it back.
    if (this.managed(slice) && this.tracker.has(slice) && !this.tracker.handleDeletion(slice)) this.enqueueForSlice(slice);
  }

  // ── sync ───────────────────────────────────────────────────────────────────────────────

  /** Brings the Service's EndpointSlices in line with its pods. Idempotent. */
  async sync(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const service = this.serviceLister.namespace(namespace).get(name);
    if (!service) {
      this.triggerTimes.deleteService(namespace, name);
      this.tracker.deleteService(namespace, name);
      return;
    }
    if (service.spec?.type === 'ExternalName') return;
    const selector = serviceSelector(service);
    if (!selector) return; // selector-less Services get hand-made (or mirrored) slices

    const pods = this.podLister.namespace(namespace).list(selector);
    const slices = this.sliceLister.namespace(namespace)
      .list({ matches: (l) => l?.[LABEL_SERVICE_NAME] === name && l?.[LABEL_MANAGED_BY] === CONTROLLER_NAME })
      // Slices being deleted would keep the controller stuck.
      .filter((s) => !s.metadata?.deletionTimestamp);
    if (this.tracker.staleSlices(service, slices)) throw new StaleInformerCache('EndpointSlice informer cache is out of date');
    const triggerTime = this.triggerTimes.compute(namespace, service, pods);
    try {
      await this.reconciler.reconcile(service, pods, slices, triggerTime);
    } catch (e) {
      const ref = { ...service, apiVersion: 'v1', kind: 'Service' };
      this.recorder.event(ref, 'Warning', 'FailedToUpdateEndpointSlices', `Error updating Endpoint Slices for Service ${key}: ${(e as Error).message}`);
      throw e;
    }
  }
}
