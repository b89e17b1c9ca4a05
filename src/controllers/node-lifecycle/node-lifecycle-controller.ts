// The node lifecycle controller (pkg/controller/nodelifecycle). Kubelets prove they are alive by
// renewing their Lease in kube-node-lease and by posting node status; this controller:
//  - every nodeMonitorPeriod (monitorNodeHealth) marks a node whose signals are older than the
//    grace period Ready=Unknown (+ the pressure conditions), and queues nodes that are not Ready
//    for a NoExecute taint (unreachable for Unknown, not-ready for False) — per zone, at a limited
//    rate, and not at all when every node of the cluster is down (the control plane's network is
//    more likely at fault than every node); a Ready node loses those taints; pods on a node that
//    turns not Ready are marked not Ready;
//  - on every node change (node workers) keeps the NoSchedule taints in line with the node's
//    conditions and spec.unschedulable (TaintNodesByCondition, kubectl cordon) and the beta
//    OS/arch labels in line with the stable ones;
//  - runs the taint eviction controller, which deletes the pods those NoExecute taints evict.
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { Node, NodeCondition, Pod, Taint } from 'kubernetes-types/core/v1.js';
import {
  RateLimitingQueue, metaNamespaceKey, resources, splitMetaNamespaceKey,
  type EventRecorder, type Lister, type SharedIndexInformer, type Timer,
} from '../../client/index.js';
import type { Controller, ControllerContext } from '../types.js';
import { worker } from '../worker.js';
import { LABEL_EXCLUDE_DISRUPTION, decideNodeHealth, getNodeCondition, zoneKey, type NodeHealth } from './node-health.js';
import { reconcileNodeLabels, swapNodeTaints, type NodeWriter } from './node-updates.js';
import { NoExecuteTainter } from './no-execute-tainter.js';
import { POD_NODE_NAME_INDEX, markPodsNotReady, podNodeNameIndexFunc } from './pods.js';
import { TaintEvictionController } from './taint-eviction-controller.js';
import { CONTROLLER_NO_SCHEDULE_KEYS, NODE_CONDITION_TO_TAINT_KEY, TAINT_NODE_UNSCHEDULABLE, taintSetDiff } from './taints.js';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

export interface NodeLifecycleOptions {
  /** --node-monitor-grace-period: signals older than this make a node Unknown (default 40 s). */
  nodeMonitorGracePeriodMs?: number;
  /** --node-startup-grace-period: the same for a node that never posted a Ready condition (60 s). */
  nodeStartupGracePeriodMs?: number;
  /** --node-monitor-period: how often node health is checked (5 s). */
  nodeMonitorPeriodMs?: number;
  /** How often the NoExecute taint queues are drained (NodeEvictionPeriod, 100 ms). */
  nodeEvictionPeriodMs?: number;
  /** --node-eviction-rate: nodes tainted NoExecute per second per zone (0.1). */
  evictionLimiterQPS?: number;
  /** --secondary-node-eviction-rate: the same in a partially disrupted large zone (0.01). */
  secondaryEvictionLimiterQPS?: number;
  /** --large-cluster-size-threshold (50). */
  largeClusterSizeThreshold?: number;
  /** --unhealthy-zone-threshold (0.55). */
  unhealthyZoneThreshold?: number;
  /** Run the taint eviction controller inside this one (default true). */
  taintEviction?: boolean;
  onError?: (err: unknown) => void;
}

/** Attempts to write one node's health (NodeHealthUpdateRetry). */
const NODE_HEALTH_UPDATE_RETRY = 5;
/** Nodes whose health is checked at once. */
const NODE_UPDATE_PARALLELISM = 8;
const POD_WORKERS = 4;

export class NodeLifecycleController implements Controller {
  readonly name = 'nodelifecycle';
  /** Node names to check for NoSchedule taints and labels. */
  readonly nodeQueue: RateLimitingQueue<string>;
  /** `ns/name` of pods newly bound to a node (marked not Ready when the node is not). */
  readonly podQueue: RateLimitingQueue<string>;
  /** Last observed health per node name, on this controller's clock. */
  readonly health = new Map<string, NodeHealth>();
  /** Nodes seen by the last monitor pass (to tell additions and deletions). */
  readonly knownNodes = new Map<string, Node>();
  /** Per-zone, rate-limited NoExecute tainting. */
  readonly noExecute: NoExecuteTainter;
  /** Nodes whose pods must still be marked not Ready (an earlier attempt failed). */
  readonly nodesToRetry = new Set<string>();
  readonly taintManager: TaintEvictionController | undefined;
  private readonly nodeInformer: SharedIndexInformer<Node>;
  private readonly leaseInformer: SharedIndexInformer<Lease>;
  private readonly podInformer: SharedIndexInformer<Pod>;
  private readonly nodeLister: Lister<Node>;
  private readonly leaseLister: Lister<Lease>;
  private readonly podLister: Lister<Pod>;
  private readonly recorder: EventRecorder;
  private readonly writer: NodeWriter;
  private readonly o: Required<Omit<NodeLifecycleOptions, 'onError' | 'taintEviction'>>;
  private readonly onError: (err: unknown) => void;
  private readonly timers = new Set<Timer>();

  constructor(
    private readonly ctx: ControllerContext,
    opts: NodeLifecycleOptions = {},
  ) {
    this.o = {
      nodeMonitorGracePeriodMs: opts.nodeMonitorGracePeriodMs ?? 40_000,
      nodeStartupGracePeriodMs: opts.nodeStartupGracePeriodMs ?? 60_000,
      nodeMonitorPeriodMs: opts.nodeMonitorPeriodMs ?? 5_000,
      nodeEvictionPeriodMs: opts.nodeEvictionPeriodMs ?? 100,
      evictionLimiterQPS: opts.evictionLimiterQPS ?? 0.1,
      secondaryEvictionLimiterQPS: opts.secondaryEvictionLimiterQPS ?? 0.01,
      largeClusterSizeThreshold: opts.largeClusterSizeThreshold ?? 50,
      unhealthyZoneThreshold: opts.unhealthyZoneThreshold ?? 0.55,
    };
    this.onError = opts.onError ?? ((e) => console.error('k8ts: nodelifecycle controller:', e));
    this.recorder = ctx.recorder('node-controller');
    this.nodeQueue = new RateLimitingQueue<string>({ name: 'node_lifecycle_controller', clock: ctx.clock });
    this.podQueue = new RateLimitingQueue<string>({ name: 'node_lifecycle_controller_pods', clock: ctx.clock });

    this.podInformer = ctx.informers.informerFor(resources.pods);
    if (!(POD_NODE_NAME_INDEX in this.podInformer.getIndexer().getIndexers())) {
      this.podInformer.addIndexers({ [POD_NODE_NAME_INDEX]: podNodeNameIndexFunc });
    }
    this.podLister = this.podInformer.lister();
    this.podInformer.addEventHandler({
      onAdd: (pod) => this.podUpdated(undefined, pod),
      onUpdate: (old, cur) => this.podUpdated(old, cur),
    });
    if (opts.taintEviction ?? true) this.taintManager = new TaintEvictionController(ctx, { onError: this.onError });
    this.nodeInformer = ctx.informers.informerFor(resources.nodes);
    this.nodeLister = this.nodeInformer.lister();
    this.nodeInformer.addEventHandler({
      onAdd: (node) => this.nodeQueue.add(node.metadata?.name ?? ''),
      onUpdate: (_old, cur) => this.nodeQueue.add(cur.metadata?.name ?? ''),
      onDelete: (node) => this.nodesToRetry.delete(metaNamespaceKey(node)),
    });
    this.leaseInformer = ctx.informers.informerFor(resources.leases);
    this.leaseLister = this.leaseInformer.lister();
    this.writer = { client: ctx.client, nodeLister: this.nodeLister, now: () => ctx.clock.now() };
    this.noExecute = new NoExecuteTainter(this.writer, this.nodeLister, ctx.clock, this.o, this.onError);
  }

  async run(workers: number): Promise<void> {
    const signal = this.ctx.signal;
    if (signal.aborted) return;
    signal.addEventListener('abort', () => {
      this.nodeQueue.shutDown();
      this.podQueue.shutDown();
      for (const t of this.timers) t.cancel();
    }, { once: true });
    const synced = await Promise.all([this.nodeInformer, this.leaseInformer, this.podInformer].map((i) => i.waitForSync(signal)));
    if (!synced.every(Boolean)) return;
    const running: Promise<void>[] = [];
    if (this.taintManager) running.push(this.taintManager.run());
    const opts = { signal, onError: this.onError };
    for (let i = 0; i < Math.max(1, workers); i++) running.push(worker(this.nodeQueue, (n) => this.syncNode(n), opts));
    for (let i = 0; i < POD_WORKERS; i++) running.push(worker(this.podQueue, (k) => this.processPod(k), opts));
    this.every(this.o.nodeEvictionPeriodMs, () => this.noExecute.doNoExecuteTaintingPass());
    this.every(this.o.nodeMonitorPeriodMs, () => this.monitorNodeHealth());
    await Promise.all(running);
  }

  /** Runs `fn` now and then `periodMs` after each run ends (wait.Until), until the context aborts. */
  private every(periodMs: number, fn: () => Promise<void>): void {
    const tick = async () => {
      try {
        await fn();
      } catch (e) {
        if (!this.ctx.signal.aborted) this.onError(e);
      }
      if (this.ctx.signal.aborted) return;
      const t = this.ctx.clock.setTimer(() => {
        this.timers.delete(t);
        void tick();
      }, periodMs);
      this.timers.add(t);
    };
    void tick();
  }

  private podUpdated(old: Pod | undefined, cur: Pod): void {
    const nodeName = cur.spec?.nodeName;
    if (nodeName && (!old || old.spec?.nodeName !== nodeName)) this.podQueue.add(metaNamespaceKey(cur));
  }

  // ── per node change: NoSchedule taints and labels ────────────────────────────────────────

  async syncNode(nodeName: string): Promise<void> {
    await this.doNoScheduleTaintingPass(nodeName);
    await reconcileNodeLabels(this.writer, nodeName);
  }

  /** NoSchedule taints from the node's conditions and spec.unschedulable; others are left alone. */
  async doNoScheduleTaintingPass(nodeName: string): Promise<void> {
    const node = this.nodeLister.get(nodeName);
    if (!node) return;
    const want: Taint[] = [];
    for (const c of node.status?.conditions ?? []) {
      const key = NODE_CONDITION_TO_TAINT_KEY[c.type]?.[c.status];
      if (key) want.push({ key, effect: 'NoSchedule' });
    }
    if (node.spec?.unschedulable) want.push({ key: TAINT_NODE_UNSCHEDULABLE, effect: 'NoSchedule' });
    const have = (node.spec?.taints ?? []).filter((t) => t.effect === 'NoSchedule' && CONTROLLER_NO_SCHEDULE_KEYS.has(t.key));
    const { add, remove } = taintSetDiff(want, have);
    if (add.length === 0 && remove.length === 0) return;
    await swapNodeTaints(this.writer, nodeName, add, remove);
  }

  // ── health monitoring ────────────────────────────────────────────────────────────────────

  /** One pass over all nodes: stale → Unknown, taint queues, pods not Ready, zone states. */
  async monitorNodeHealth(): Promise<void> {
    const nodes = this.nodeLister.list();
    const seen = new Set(nodes.map((n) => n.metadata?.name ?? ''));
    for (const node of nodes) {
      const name = node.metadata?.name ?? '';
      if (this.knownNodes.has(name)) {
        this.noExecute.tainterFor(node); // a node may have moved to a zone not seen yet
        continue;
      }
      this.nodeEvent(node, 'RegisteredNode', `Registered Node ${name} in Controller`);
      this.knownNodes.set(name, node);
      this.noExecute.tainterFor(node);
      await this.noExecute.markNodeAsReachable(node).catch((e) => this.onError(e));
    }
    for (const [name, node] of this.knownNodes) {
      if (seen.has(name)) continue;
      this.nodeEvent(node, 'RemovingNode', `Removing Node ${name} from Controller`);
      this.knownNodes.delete(name);
      this.health.delete(name);
    }

    const zoneToConditions = new Map<string, (NodeCondition | undefined)[]>();
    let next = 0;
    const runOne = async (): Promise<void> => {
      for (let i = next++; i < nodes.length; i = next++) {
        const ready = await this.updateNodeHealth(nodes[i]!).catch((e) => void this.onError(e));
        if (ready === undefined) continue;
        const node = nodes[i]!;
        if (node.metadata?.labels?.[LABEL_EXCLUDE_DISRUPTION] !== undefined) continue;
        const zone = zoneKey(node);
        zoneToConditions.set(zone, [...(zoneToConditions.get(zone) ?? []), ready ?? undefined]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(NODE_UPDATE_PARALLELISM, nodes.length) }, runOne));
    if (await this.noExecute.handleDisruption(zoneToConditions, nodes)) {
      // Leaving full disruption: every node gets a fresh grace period.
      const now = this.ctx.clock.now();
      for (const [name, h] of this.health) this.health.set(name, { ...h, probeTimestamp: now, readyTransitionTimestamp: now });
    }
  }

  /**
   * Decides one node's health and writes a stale node's status; then taints or untaints it and
   * marks its pods not Ready on a Ready→not Ready transition. Resolves the node's current Ready
   * condition (null when it has none), undefined when the node could not be updated.
   */
  private async updateNodeHealth(cached: Node): Promise<NodeCondition | null | undefined> {
    const name = cached.metadata?.name ?? '';
    const lease = this.leaseLister.namespace(NODE_LEASE_NAMESPACE).get(name);
    let node = cached;
    let decision: ReturnType<typeof decideNodeHealth> | undefined;
    for (let i = 0; i < NODE_HEALTH_UPDATE_RETRY && !decision; i++) {
      const now = this.ctx.clock.now();
      const d = decideNodeHealth(node, lease, this.health.get(name), now, { monitorGraceMs: this.o.nodeMonitorGracePeriodMs, startupGraceMs: this.o.nodeStartupGracePeriodMs });
      if (!d.statusUpdate) {
        this.health.set(name, d.health);
        decision = d;
        break;
      }
      try {
        const written = await this.ctx.client.resource(resources.nodes).updateStatus({ ...node, status: d.statusUpdate });
        this.health.set(name, { status: written.status ?? {}, probeTimestamp: d.health.probeTimestamp, readyTransitionTimestamp: now, lease });
        node = written;
        decision = d;
      } catch (e) {
        this.health.set(name, d.health);
        if (i + 1 >= NODE_HEALTH_UPDATE_RETRY) throw e;
        node = await this.ctx.client.resource(resources.nodes).get(name); // NotFound: the node is gone
      }
    }
    if (!decision) return undefined;
    const { observedReady, currentReady } = decision;
    if (!currentReady) return null;

    await this.noExecute.processTaintBasedEviction(node, observedReady);
    const wasReady = observedReady.status === 'True';
    const transition = currentReady.status !== 'True' && wasReady;
    if (transition) this.nodeEvent(node, 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
    if (transition || (this.nodesToRetry.has(name) && !wasReady)) {
      const pods = this.podInformer.getIndexer().byIndex(POD_NODE_NAME_INDEX, name);
      try {
        await markPodsNotReady(this.ctx.client, this.recorder, pods, name, this.ctx.clock.now());
      } catch (e) {
        this.onError(new Error(`unable to mark all pods NotReady on node ${name}: ${(e as Error).message}; queuing for retry`));
        this.nodesToRetry.add(name);
        return currentReady;
      }
    }
    this.nodesToRetry.delete(name);
    return currentReady;
  }

  // ── pods bound to a node that is not Ready ───────────────────────────────────────────────

  async processPod(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const pod = this.podLister.namespace(namespace).get(name);
    const nodeName = pod?.spec?.nodeName;
    if (!pod || !nodeName) return;
    const health = this.health.get(nodeName);
    if (!health) return; // not observed yet: the next monitor pass handles it
    if (!this.nodeLister.get(nodeName)) throw new Error(`node ${nodeName} of pod ${key} not in cache`);
    const ready = getNodeCondition(health.status, 'Ready');
    if (ready && ready.status !== 'True') await markPodsNotReady(this.ctx.client, this.recorder, [pod], nodeName, this.ctx.clock.now());
  }

  private nodeEvent(node: Node, reason: string, message: string): void {
    this.recorder.event({ apiVersion: 'v1', kind: 'Node', name: node.metadata?.name, uid: node.metadata?.uid }, 'Normal', reason, message);
  }
}
