// The garbage collector (upstream garbagecollector.go): informers ("monitors") over every
// resource that can be listed, watched and deleted feed the GraphBuilder, which queues nodes
// for the workers; the workers delete objects whose owners are gone, finish foreground
// deletions and orphan dependents. Discovery is re-read periodically so resources that appear
// later (custom resources) get monitors too; the rest mapper follows.
import { setMaxListeners } from 'node:events';
import {
  RateLimitingQueue,
  defaultControllerRateLimiter,
  deletedObject,
  gvrString,
  type EventRecorder,
  type KubeObject,
  type ResourceType,
  type SharedIndexInformer,
} from '../../client/index.js';
import type { Controller, ControllerContext } from '../types.js';
import { attemptToDeleteItem, attemptToOrphan, type CollectorDeps } from './attempt-to-delete.js';
import { RestMapper, discoverResources, preferredWithVerbs, type DiscoverFn } from './discovery.js';
import { GraphBuilder, type GraphEventType } from './graph-builder.js';
import { refString, type GraphNode } from './graph.js';
import { GcOperations, RestMappingError } from './operations.js';

/** Resources the collector never watches (upstream DefaultIgnoredResources): events. */
export const IGNORED_RESOURCES: ReadonlySet<string> = new Set(['events', 'events.events.k8s.io']);

export interface GarbageCollectorOptions {
  /** How often discovery is re-read for new resources (upstream: 30 s). */
  resyncPeriodMs?: number;
  /** How long run() waits for the monitors' first lists before collecting anyway. */
  initialSyncTimeoutMs?: number;
  /** Seam for tests: what the server serves (default: its discovery documents). */
  discover?: DiscoverFn;
  /** group-qualified resource names ("events", "events.events.k8s.io") not to watch. */
  ignoredResources?: ReadonlySet<string>;
}

interface Monitor {
  resource: ResourceType;
  informer: SharedIndexInformer<KubeObject>;
}

export class GarbageCollector implements Controller {
  readonly name = 'garbagecollector';
  /** Nodes that may be garbage; workers run attemptToDeleteItem on them. */
  readonly attemptToDelete: RateLimitingQueue<GraphNode>;
  /** Owners deleted with the orphan finalizer; workers orphan their dependents. */
  readonly attemptToOrphan: RateLimitingQueue<GraphNode>;
  readonly builder: GraphBuilder;
  readonly mapper = new RestMapper();
  /** GVR string → its monitor; only grows (an informer of the shared factory cannot be stopped). */
  private readonly monitors = new Map<string, Monitor>();
  private readonly ops: GcOperations;
  private readonly deps: CollectorDeps;
  private readonly recorder: EventRecorder;
  private readonly discover: DiscoverFn;
  private readonly ignored: ReadonlySet<string>;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly opts: GarbageCollectorOptions = {},
  ) {
    this.attemptToDelete = new RateLimitingQueue<GraphNode>({ name: 'garbage_collector_attempt_to_delete', clock: ctx.clock, rateLimiter: defaultControllerRateLimiter(ctx.clock) });
    this.attemptToOrphan = new RateLimitingQueue<GraphNode>({ name: 'garbage_collector_attempt_to_orphan', clock: ctx.clock, rateLimiter: defaultControllerRateLimiter(ctx.clock) });
    this.recorder = ctx.recorder('garbage-collector-controller');
    this.builder = new GraphBuilder(
      { attemptToDelete: this.attemptToDelete, attemptToOrphan: this.attemptToOrphan },
      {
        onInvalidNamespaceOwnerRef: (dep, owner) => {
          const ref = { apiVersion: dep.identity.apiVersion, kind: dep.identity.kind, name: dep.identity.name, namespace: dep.identity.namespace, uid: dep.identity.uid };
          this.recorder.event(ref, 'Warning', 'OwnerRefInvalidNamespace', `ownerRef ${refString(owner)} does not exist in namespace "${dep.identity.namespace}"`);
        },
      },
    );
    this.ops = new GcOperations(ctx.client, this.mapper);
    this.deps = { ops: this.ops, builder: this.builder, attemptToDelete: this.attemptToDelete };
    this.discover = opts.discover ?? (() => discoverResources(ctx.client));
    this.ignored = opts.ignoredResources ?? IGNORED_RESOURCES;
  }

  async run(workers: number): Promise<void> {
    const signal = this.ctx.signal;
    const stop = () => {
      this.attemptToDelete.shutDown();
      this.attemptToOrphan.shutDown();
    };
    signal.addEventListener('abort', stop, { once: true });
    await this.sync().catch((e) => console.error('k8ts: garbage collector: initial discovery failed:', e));
    await this.waitForMonitors(this.opts.initialSyncTimeoutMs ?? 30_000);
    const loops: Promise<void>[] = [];
    for (let i = 0; i < workers; i++) {
      loops.push(this.worker(this.attemptToDelete, (n) => this.attemptToDeleteWorker(n)));
      loops.push(this.worker(this.attemptToOrphan, (n) => this.attemptToOrphanWorker(n)));
    }
    const period = this.opts.resyncPeriodMs ?? 30_000;
    const resync = () => {
      if (signal.aborted) return;
      this.sync()
        .catch((e) => console.error('k8ts: garbage collector: discovery failed:', e))
        .finally(() => {
          if (!signal.aborted) timer = this.ctx.clock.setTimer(resync, period);
        });
    };
    let timer = this.ctx.clock.setTimer(resync, period);
    signal.addEventListener('abort', () => timer.cancel(), { once: true });
    await Promise.all(loops);
  }

  /** True once every monitor has listed its resource. */
  isSynced(): boolean {
    return this.monitors.size > 0 && [...this.monitors.values()].every((m) => m.informer.hasSynced());
  }

  /** Reads discovery, resets the mapper and adds monitors for new deletable resources. */
  async sync(): Promise<void> {
    const { resources, error } = await this.discover();
    if (resources.length === 0) throw error ?? new Error('no resources reported by discovery');
    if (error) console.warn(`k8ts: garbage collector: ${error.message}`);
    this.mapper.reset(resources);
    let added = 0;
    for (const r of preferredWithVerbs(resources, ['delete', 'list', 'watch'])) {
      const key = gvrString(r);
      const groupResource = r.group ? `${r.resource}.${r.group}` : r.resource;
      if (this.ignored.has(groupResource) || this.monitors.has(key)) continue;
      this.monitors.set(key, { resource: r, informer: this.monitor(r) });
      added++;
    }
    if (added) this.ctx.informers.start();
  }

  private monitor(r: ResourceType): SharedIndexInformer<KubeObject> {
    const informer = this.ctx.informers.informerFor<KubeObject>(r);
    const apiVersion = r.group ? `${r.group}/${r.version}` : r.version;
    const send = (type: GraphEventType, obj: KubeObject, oldObj?: KubeObject) => this.builder.process({ type, obj, oldObj, apiVersion, kind: r.kind });
    informer.addEventHandler(
      {
        onAdd: (obj) => send('add', obj),
        onUpdate: (oldObj, obj) => send('update', obj, oldObj),
        onDelete: (obj) => send('delete', deletedObject(obj)),
      },
      0,
    );
    return informer;
  }

  private async waitForMonitors(timeoutMs: number): Promise<void> {
    const timeout = new AbortController();
    setMaxListeners(0, timeout.signal); // one waiter per monitor
    const timer = this.ctx.clock.setTimer(() => timeout.abort(), timeoutMs);
    const onAbort = () => timeout.abort();
    this.ctx.signal.addEventListener('abort', onAbort, { once: true });
    await Promise.all([...this.monitors.values()].map((m) => m.informer.waitForSync(timeout.signal)));
    timer.cancel();
    this.ctx.signal.removeEventListener('abort', onAbort);
    if (!this.isSynced() && !this.ctx.signal.aborted) console.warn('k8ts: garbage collector: not all resource monitors could be synced, proceeding anyways');
  }

  private async worker(q: RateLimitingQueue<GraphNode>, fn: (n: GraphNode) => Promise<'forget' | 'requeue'>): Promise<void> {
    for (;;) {
      const next = await q.get();
      if (next.shutdown) return;
      try {
        if ((await fn(next.item)) === 'forget') q.forget(next.item);
        else q.addRateLimited(next.item);
      } finally {
        q.done(next.item);
      }
    }
  }

  /** attemptToDelete's worker: which nodes to skip, and whether to retry (upstream attemptToDeleteWorker). */
  async attemptToDeleteWorker(n: GraphNode): Promise<'forget' | 'requeue'> {
    const inGraph = this.builder.uidToNode.get(n.identity.uid);
    // A virtual node retried meanwhile removed from the graph, or replaced by the observed object.
    if (n.virtual && (!inGraph || inGraph.isObserved())) return 'forget';
    let item = n;
    if (inGraph && (n.identity.apiVersion !== inGraph.identity.apiVersion || n.identity.kind !== inGraph.identity.kind)) {
      item = n.clone();
      item.identity.apiVersion = inGraph.identity.apiVersion;
      item.identity.kind = inGraph.identity.kind;
    }
    try {
      const outcome = await attemptToDeleteItem(this.deps, item);
      if (outcome !== 'done') return 'forget';
    } catch (e) {
      if (!(e instanceof RestMappingError)) console.error(`k8ts: garbage collector: error syncing item ${refString(item.identity)}:`, (e as Error).message ?? e);
      else console.error(`k8ts: garbage collector: ${e.message}`);
      return 'requeue';
    }
    // A virtual node not yet seen by an informer is checked again until it is (issue 56121).
    return item.virtual ? 'requeue' : 'forget';
  }

  async attemptToOrphanWorker(owner: GraphNode): Promise<'forget' | 'requeue'> {
    try {
      await attemptToOrphan(this.deps, owner);
      return 'forget';
    } catch (e) {
      console.error(`k8ts: garbage collector: orphaning dependents of ${refString(owner.identity)} failed: ${(e as Error).message}`);
      return 'requeue';
    }
  }
}
