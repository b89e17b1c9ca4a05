// The Deployment controller (pkg/controller/deployment). It rolls a Deployment's pod template
// out through ReplicaSets:
//  - handlers only turn informer events (Deployments, their ReplicaSets, deleted pods of
//    Recreate Deployments) into `ns/name` keys;
//  - sync(key) is level-triggered and idempotent: claim the ReplicaSets, then by state — being
//    deleted (status only), paused or resized (proportional scaling, sync.ts), a deprecated
//    rollback request (rollback.ts), else the strategy (rolling.ts, recreate.ts) — and finally
//    the status with the Progressing estimate (progress.ts);
//  - a failed sync is retried with per-key back-off, up to 15 times (upstream's maxRetries).
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { fromLabelSelector, type LabelSelector } from '../../api/selectors/index.js';
import {
  RateLimitingQueue, deletedObject, hasStatusCause, metaNamespaceKey, resources, splitMetaNamespaceKey,
  type DeletedFinalStateUnknown, type Lister, type SharedIndexInformer,
} from '../../client/index.js';
import type { Controller, ControllerContext } from '../types.js';
import { runWorkers } from '../worker.js';
import { claimReplicaSets, getControllerOf, podMapForDeployment } from './claim.js';
import { deploymentRef, type DeploymentSyncContext } from './context.js';
import { rolloutRecreate } from './recreate.js';
import { rollback } from './rollback.js';
import { rolloutRolling } from './rolling.js';
import { syncDeploymentStatus, updateDeploymentStatus } from './status.js';
import { checkPausedConditions, getAllReplicaSetsAndSyncRevision, getRollbackTo, isScalingEvent, sync } from './sync.js';

/** How often a failing key is retried before it is dropped (until its next event). */
export const MAX_RETRIES = 15;

export interface DeploymentControllerOptions {
  /** Where sync errors go (default: stderr). */
  onError?: (err: unknown) => void;
}

export class DeploymentController implements Controller {
  readonly name = 'deployment';
  /** Keys (`ns/name`) of Deployments to sync; a key is never synced by two workers at once. */
  readonly queue: RateLimitingQueue<string>;
  /** Seam for tests: the function workers call for a key. */
  syncHandler: (key: string) => Promise<void> = (key) => this.sync(key);
  /** What the strategy functions work with (client, listers, recorder, clock, requeue). */
  readonly syncContext: DeploymentSyncContext;
  private readonly dInformer: SharedIndexInformer<Deployment>;
  private readonly rsInformer: SharedIndexInformer<ReplicaSet>;
  private readonly podInformer: SharedIndexInformer<Pod>;
  private readonly dLister: Lister<Deployment>;
  private readonly rsLister: Lister<ReplicaSet>;
  private readonly onError: (err: unknown) => void;

  constructor(
    private readonly ctx: ControllerContext,
    opts: DeploymentControllerOptions = {},
  ) {
    this.onError = opts.onError ?? ((e) => console.error('k8ts: deployment controller:', e));
    this.queue = new RateLimitingQueue<string>({ name: 'deployment', clock: ctx.clock });
    this.dInformer = ctx.informers.informerFor(resources.deployments);
    this.rsInformer = ctx.informers.informerFor(resources.replicaSets);
    this.podInformer = ctx.informers.informerFor(resources.pods);
    this.dLister = this.dInformer.lister();
    this.rsLister = this.rsInformer.lister();
    this.syncContext = {
      client: ctx.client,
      rsLister: this.rsLister,
      podLister: this.podInformer.lister(),
      recorder: ctx.recorder('deployment-controller'),
      clock: ctx.clock,
      enqueueAfter: (d, ms) => this.queue.addAfter(metaNamespaceKey(d), ms),
      enqueueRateLimited: (d) => this.queue.addRateLimited(metaNamespaceKey(d)),
    };
    this.dInformer.addEventHandler({
      onAdd: (d) => this.enqueue(d),
      onUpdate: (_old, cur) => this.enqueue(cur),
      onDelete: (d) => this.queue.add(metaNamespaceKey(d)),
    });
    this.rsInformer.addEventHandler({
      onAdd: (rs) => this.addReplicaSet(rs),
      onUpdate: (old, cur) => this.updateReplicaSet(old, cur),
      onDelete: (rs) => this.deleteReplicaSet(rs),
    });
    this.podInformer.addEventHandler({ onDelete: (pod) => this.deletePod(pod) });
  }

  /** Runs `workers` workers until the context aborts. */
  async run(workers: number): Promise<void> {
    await runWorkers(this.queue, (key) => this.syncHandler(key), workers, {
      signal: this.ctx.signal,
      informers: [this.dInformer, this.rsInformer, this.podInformer],
      onError: this.onError,
      forgetOn: (e) => hasStatusCause(e, 'NamespaceTerminating') || this.ctx.signal.aborted,
      maxRetries: MAX_RETRIES,
      describeDropped: (key, e) => `dropping deployment "${key}" out of the queue: ${(e as Error).message ?? e}`,
    });
  }

  // ── event handlers: keys into the queue ──────────────────────────────────────────────────

  private enqueue(d: Deployment): void {
    this.queue.add(metaNamespaceKey(d));
  }

  private addReplicaSet(rs: ReplicaSet): void {
    if (rs.metadata?.deletionTimestamp) return this.deleteReplicaSet(rs);
    const ref = getControllerOf(rs);
    if (ref) {
      const d = this.resolveControllerRef(rs.metadata?.namespace ?? '', ref);
      if (d) this.enqueue(d);
      return;
    }
    // An orphan: any Deployment selecting it may adopt it.
    for (const d of this.getDeploymentsForReplicaSet(rs)) this.enqueue(d);
  }

  private updateReplicaSet(old: ReplicaSet, cur: ReplicaSet): void {
    if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return; // resync
    const curRef = getControllerOf(cur);
    const oldRef = getControllerOf(old);
    const refChanged = JSON.stringify(curRef) !== JSON.stringify(oldRef);
    if (refChanged && oldRef) {
      const d = this.resolveControllerRef(old.metadata?.namespace ?? '', oldRef);
      if (d) this.enqueue(d);
    }
    if (curRef) {
      const d = this.resolveControllerRef(cur.metadata?.namespace ?? '', curRef);
      if (d) this.enqueue(d);
      return;
    }
    const labelChanged = JSON.stringify(old.metadata?.labels ?? {}) !== JSON.stringify(cur.metadata?.labels ?? {});
    if (labelChanged || refChanged) for (const d of this.getDeploymentsForReplicaSet(cur)) this.enqueue(d);
  }

  private deleteReplicaSet(obj: ReplicaSet | DeletedFinalStateUnknown<ReplicaSet>): void {
    const rs = deletedObject(obj);
    const ref = getControllerOf(rs);
    if (!ref) return; // orphans do not matter when deleted
    const d = this.resolveControllerRef(rs.metadata?.namespace ?? '', ref);
    if (d) this.enqueue(d);
  }

  /** A Recreate Deployment waits for its old pods to be gone. */
  private deletePod(obj: Pod | DeletedFinalStateUnknown<Pod>): void {
    const pod = deletedObject(obj);
    const ref = getControllerOf(pod);
    if (!ref || ref.kind !== 'ReplicaSet') return;
    const rs = this.rsLister.namespace(pod.metadata?.namespace ?? '').get(ref.name);
    if (!rs || rs.metadata?.uid !== ref.uid) return;
    const dRef = getControllerOf(rs);
    const d = dRef && this.resolveControllerRef(rs.metadata?.namespace ?? '', dRef);
    if (d && d.spec?.strategy?.type === 'Recreate') this.enqueue(d);
  }

  private resolveControllerRef(namespace: string, ref: OwnerReference): Deployment | undefined {
    if (ref.kind !== 'Deployment') return undefined;
    const d = this.dLister.namespace(namespace).get(ref.name);
    return d && d.metadata?.uid === ref.uid ? d : undefined;
  }

  private getDeploymentsForReplicaSet(rs: ReplicaSet): Deployment[] {
    return this.dLister.namespace(rs.metadata?.namespace ?? '').list().filter((d) => {
      const sel = selectorOf(d);
      return !!sel && !sel.isEmpty() && sel.matches(rs.metadata?.labels);
    });
  }

  // ── sync ─────────────────────────────────────────────────────────────────────────────────

  /** Brings one Deployment's ReplicaSets and status in line with its spec. Idempotent. */
  async sync(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const cached = this.dLister.namespace(namespace).get(name);
    if (!cached) return;
    const d = structuredClone(cached);
    const c = this.syncContext;
    const selector = selectorOf(d);
    if (!selector || selector.isEmpty()) {
      c.recorder.event(deploymentRef(d), 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((d.status?.observedGeneration ?? 0) < (d.metadata?.generation ?? 0)) {
        (d.status ??= {}).observedGeneration = d.metadata?.generation;
        await updateDeploymentStatus(c, d);
      }
      return;
    }
    const rsList = await claimReplicaSets(c, d, selector);
    const podMap = podMapForDeployment(c, d, rsList, selector);
    if (d.metadata?.deletionTimestamp) {
      const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(c, d, rsList, false);
      return syncDeploymentStatus(c, [...oldRSs, newRS], newRS, d);
    }
    await checkPausedConditions(c, d);
    if (d.spec?.paused) return sync(c, d, rsList);
    // A rollback is not re-entrant: finish it (and clear the request) before anything else.
    if (getRollbackTo(d) !== undefined) return rollback(c, d, rsList);
    if (await isScalingEvent(c, d, rsList)) return sync(c, d, rsList);
    switch (d.spec?.strategy?.type ?? 'RollingUpdate') {
      case 'Recreate':
        return rolloutRecreate(c, d, rsList, podMap);
      case 'RollingUpdate':
        return rolloutRolling(c, d, rsList);
      default:
        throw new Error(`unexpected deployment strategy type: ${d.spec?.strategy?.type}`);
    }
  }
}

function selectorOf(d: Deployment): LabelSelector | undefined {
  try {
    return fromLabelSelector(d.spec?.selector);
  } catch {
    return undefined;
  }
}
