// Taint-based eviction (pkg/controller/tainteviction): pods on a node with NoExecute taints they
// do not tolerate are deleted at once; pods tolerating all of them, some for a limited
// tolerationSeconds, are deleted when the shortest of those runs out (counted from when the
// taint was first seen to apply to the pod); pods tolerating them forever stay.
//  - handlers only queue node names (NoExecute taints changed) and pod keys (node or tolerations
//    changed); node updates are handled before pod updates, as upstream's workers do;
//  - `taintedNodes` holds each node's NoExecute taints as last handled, so a pod handled later
//    is judged against the same taints;
//  - `evictions` holds one timer per pod (TimedWorkerQueue), on the injected clock. After a pod's
//    deletion went through its entry stays (without timer) until the pod is gone, so a pod in
//    graceful termination is not deleted again.
import type { Node, Pod, PodCondition, Taint, Toleration } from 'kubernetes-types/core/v1.js';
import {
  Queue, deletedObject, isNotFound, metaNamespaceKey, resources, sleep, splitMetaNamespaceKey,
  type DeletedFinalStateUnknown, type EventRecorder, type Lister, type SharedIndexInformer, type Timer,
} from '../../client/index.js';
import { rfc3339 } from '../../util/clock.js';
import type { Controller, ControllerContext } from '../types.js';
import { POD_NODE_NAME_INDEX, podNodeNameIndexFunc } from './pods.js';
import { getMatchingTolerations, getMinTolerationTime, noExecuteTaints } from './taints.js';

export const TAINT_EVICTION_CONTROLLER = 'taint-eviction-controller';
/** Attempts at deleting one pod (upstream's `retries`). */
const DELETE_RETRIES = 5;
const DELETE_RETRY_SLEEP_MS = 10;

interface Eviction {
  createdAt: number;
  fireAt: number;
  /** Undefined once fired. */
  timer: Timer | undefined;
}

export interface TaintEvictionOptions {
  onError?: (err: unknown) => void;
}

export class TaintEvictionController implements Controller {
  readonly name = TAINT_EVICTION_CONTROLLER;
  /** Node names whose NoExecute taints changed (or that were deleted). */
  readonly nodeQueue = new Queue<string>({ name: 'noexec_taint_node' });
  /** `ns/name` of pods whose node or tolerations changed (or that were deleted). */
  readonly podQueue = new Queue<string>({ name: 'noexec_taint_pod' });
  /** Node name → its NoExecute taints, only for nodes that have some. */
  readonly taintedNodes = new Map<string, Taint[]>();
  /** Pod key → its scheduled (or fired, awaiting the pod's disappearance) eviction. */
  readonly evictions = new Map<string, Eviction>();
  private readonly nodeInformer: SharedIndexInformer<Node>;
  private readonly podInformer: SharedIndexInformer<Pod>;
  private readonly nodeLister: Lister<Node>;
  private readonly podLister: Lister<Pod>;
  private readonly recorder: EventRecorder;
  private readonly onError: (err: unknown) => void;
  /** Deletions in flight (tests await them). */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly ctx: ControllerContext,
    opts: TaintEvictionOptions = {},
  ) {
    this.recorder = ctx.recorder(TAINT_EVICTION_CONTROLLER);
    this.onError = opts.onError ?? ((e) => console.error(`k8ts: ${TAINT_EVICTION_CONTROLLER}:`, e));
    this.podInformer = ctx.informers.informerFor(resources.pods);
    if (!(POD_NODE_NAME_INDEX in this.podInformer.getIndexer().getIndexers())) {
      this.podInformer.addIndexers({ [POD_NODE_NAME_INDEX]: podNodeNameIndexFunc });
    }
    this.podLister = this.podInformer.lister();
    this.podInformer.addEventHandler({
      onAdd: (pod) => this.podUpdated(undefined, pod),
      onUpdate: (old, cur) => this.podUpdated(old, cur),
      onDelete: (pod) => this.podUpdated(deletedObject(pod), undefined),
    });
    this.nodeInformer = ctx.informers.informerFor(resources.nodes);
    this.nodeLister = this.nodeInformer.lister();
    this.nodeInformer.addEventHandler({
      onAdd: (node) => this.nodeUpdated(undefined, node),
      onUpdate: (old, cur) => this.nodeUpdated(old, cur),
      onDelete: (node: Node | DeletedFinalStateUnknown<Node>) => this.nodeUpdated(deletedObject(node), undefined),
    });
  }

  async run(): Promise<void> {
    const signal = this.ctx.signal;
    if (signal.aborted) return;
    signal.addEventListener('abort', () => this.shutDown(), { once: true });
    const synced = await Promise.all([this.nodeInformer.waitForSync(signal), this.podInformer.waitForSync(signal)]);
    if (!synced.every(Boolean)) return;
    await Promise.all([this.nodeWorker(), this.podWorker()]);
  }

  private shutDown(): void {
    this.nodeQueue.shutDown();
    this.podQueue.shutDown();
    for (const e of this.evictions.values()) e.timer?.cancel();
  }

  // ── event handlers ───────────────────────────────────────────────────────────────────────

  podUpdated(old: Pod | undefined, cur: Pod | undefined): void {
    if (old && cur && old.spec?.nodeName === cur.spec?.nodeName && JSON.stringify(old.spec?.tolerations ?? []) === JSON.stringify(cur.spec?.tolerations ?? [])) return;
    this.podQueue.add(metaNamespaceKey((cur ?? old)!));
  }

  nodeUpdated(old: Node | undefined, cur: Node | undefined): void {
    if (old && cur && JSON.stringify(noExecuteTaints(old.spec?.taints)) === JSON.stringify(noExecuteTaints(cur.spec?.taints))) return;
    this.nodeQueue.add((cur ?? old)!.metadata?.name ?? '');
  }

  // ── workers ──────────────────────────────────────────────────────────────────────────────

  private async nodeWorker(): Promise<void> {
    for (;;) {
      const next = await this.nodeQueue.get();
      if (next.shutdown) return;
      try {
        this.handleNodeUpdate(next.item);
      } catch (e) {
        this.onError(e);
      } finally {
        this.nodeQueue.done(next.item);
      }
    }
  }

  private async podWorker(): Promise<void> {
    for (;;) {
      const next = await this.podQueue.get();
      if (next.shutdown) return;
      // Node updates first: a pod is judged against its node's latest taints.
      while (this.nodeQueue.len() > 0 && !this.nodeQueue.shuttingDown()) await new Promise<void>((r) => setImmediate(r));
      try {
        this.handlePodUpdate(next.item);
      } catch (e) {
        this.onError(e);
      } finally {
        this.podQueue.done(next.item);
      }
    }
  }

  /** Records the node's NoExecute taints and (re)considers every pod on it. */
  handleNodeUpdate(nodeName: string): void {
    const node = this.nodeLister.get(nodeName);
    if (!node) {
      this.taintedNodes.delete(nodeName);
      return;
    }
    const taints = noExecuteTaints(node.spec?.taints);
    if (taints.length === 0) this.taintedNodes.delete(nodeName);
    else this.taintedNodes.set(nodeName, taints);
    const pods = this.podInformer.getIndexer().byIndex(POD_NODE_NAME_INDEX, nodeName);
    const now = this.ctx.clock.now();
    for (const pod of pods) {
      const key = metaNamespaceKey(pod);
      if (taints.length === 0) this.cancelWithEvent(key);
      else this.processPodOnNode(key, pod.spec?.tolerations, taints, now);
    }
  }

  /** Considers one pod against its node's recorded taints; a vanished pod's eviction is dropped. */
  handlePodUpdate(key: string): void {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const pod = this.podLister.namespace(namespace).get(name);
    if (!pod) {
      this.cancelWithEvent(key);
      return;
    }
    const nodeName = pod.spec?.nodeName;
    if (!nodeName) return;
    const taints = this.taintedNodes.get(nodeName);
    if (!taints) return; // untainted node: any eviction was cancelled when its taints went
    this.processPodOnNode(key, pod.spec?.tolerations, taints, this.ctx.clock.now());
  }

  /** The eviction decision for one pod on a node with NoExecute `taints` (processPodOnNode). */
  processPodOnNode(key: string, tolerations: Toleration[] | undefined, taints: Taint[], now: number): void {
    if (taints.length === 0) {
      this.cancelWithEvent(key);
      return;
    }
    const { allTolerated, used } = getMatchingTolerations(taints, tolerations);
    if (!allTolerated) {
      this.cancelWithEvent(key);
      this.addEviction(key, now, now);
      return;
    }
    const min = getMinTolerationTime(used);
    if (min < 0) {
      this.cancelWithEvent(key);
      return;
    }
    let startTime = now;
    const scheduled = this.evictions.get(key);
    if (scheduled) {
      if (!scheduled.timer) return; // fired: the pod is on its way out
      startTime = scheduled.createdAt;
      // Already due sooner than a fresh start would be: keep it.
      if (startTime + min < now + min) return;
      this.cancelWithEvent(key);
    }
    this.addEviction(key, startTime, startTime + min);
  }

  // ── timed evictions ──────────────────────────────────────────────────────────────────────

  private addEviction(key: string, createdAt: number, fireAt: number): void {
    if (this.evictions.has(key)) return;
    const e: Eviction = { createdAt, fireAt, timer: undefined };
    this.evictions.set(key, e);
    const fire = () => {
      e.timer = undefined;
      const p = this.evict(key, e).finally(() => this.inFlight.delete(p));
      this.inFlight.add(p);
    };
    const delay = fireAt - this.ctx.clock.now();
    if (delay <= 0) fire();
    else e.timer = this.ctx.clock.setTimer(fire, delay);
  }

  /** Cancels a pending eviction (with an event) or forgets a fired one; true when one was pending. */
  private cancelWithEvent(key: string): boolean {
    const e = this.evictions.get(key);
    if (!e) return false;
    this.evictions.delete(key);
    if (!e.timer) return false;
    e.timer.cancel();
    const { namespace, name } = splitMetaNamespaceKey(key);
    this.recorder.event({ apiVersion: 'v1', kind: 'Pod', namespace, name }, 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${key}`);
    return true;
  }

  private async evict(key: string, e: Eviction): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    this.recorder.event({ apiVersion: 'v1', kind: 'Pod', namespace, name }, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${key}`);
    let err: unknown;
    for (let i = 0; i < DELETE_RETRIES; i++) {
      try {
        await this.addConditionAndDeletePod(namespace, name);
        return; // the entry stays (no timer) until the pod is gone
      } catch (x) {
        if (isNotFound(x)) return;
        err = x;
        if (this.ctx.signal.aborted) break;
        await sleep(this.ctx.clock, DELETE_RETRY_SLEEP_MS, this.ctx.signal);
      }
    }
    if (this.evictions.get(key) === e) this.evictions.delete(key);
    if (!this.ctx.signal.aborted) this.onError(new Error(`deleting pod ${key}: ${(err as Error)?.message ?? err}`));
  }

  /** Marks the pod DisruptionTarget=True (DeletionByTaintManager), then deletes it. */
  private async addConditionAndDeletePod(namespace: string, name: string): Promise<void> {
    const client = this.ctx.client.resource(resources.pods).namespace(namespace);
    const pod = await client.get(name);
    const conditions = [...(pod.status?.conditions ?? [])];
    const cond: PodCondition = {
      type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint',
    };
    const i = conditions.findIndex((c) => c.type === cond.type);
    const old = i >= 0 ? conditions[i] : undefined;
    if (!old || old.status !== cond.status || old.reason !== cond.reason || old.message !== cond.message) {
      const lastTransitionTime = old && old.status === cond.status ? old.lastTransitionTime : rfc3339(this.ctx.clock.now());
      const next = { ...cond, lastTransitionTime, lastProbeTime: old?.lastProbeTime };
      if (i >= 0) conditions[i] = next;
      else conditions.push(next);
      await client.updateStatus({ ...pod, status: { ...pod.status, conditions } });
    }
    await client.delete(name);
  }

  /** Settles every deletion in flight (for tests). */
  async flush(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }
}
