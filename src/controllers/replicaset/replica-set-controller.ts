// The ReplicaSet controller (pkg/controller/replicaset), which also serves ReplicationControllers
// through a ReplicaSetKind. It keeps spec.replicas pods alive for each ReplicaSet:
//  - handlers only turn informer events into `ns/name` keys (and note observed creations and
//    deletions in the expectations);
//  - sync(key) is level-triggered: claim the matching pods (adopt orphans, release pods that no
//    longer match), create or delete the difference — unless earlier writes are not yet seen in
//    the informers (expectations), so watch lag never causes over-creation — then write status;
//  - creations go in slow-start batches (1, 2, 4, …) of at most BURST_REPLICAS per sync;
//    deletions take the best victims by upstream's ActivePods ranking.
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { ObjectReference, Pod } from 'kubernetes-types/core/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { fromLabelSelector, type LabelSelector } from '../../api/selectors/index.js';
import {
  RateLimitingQueue, deletedObject, hasStatusCause, isNotFound, metaNamespaceKey, resources, splitMetaNamespaceKey,
  type DeletedFinalStateUnknown, type KubeObject, type Lister, type SharedIndexInformer, type TimerClock,
} from '../../client/index.js';
import type { Controller, ControllerContext } from '../types.js';
import { runWorkers } from '../worker.js';
import { filterActivePods, filterTerminatingPods, getPodsToDelete, isPodReady } from './active-pods.js';
import { claimPods } from './controller-ref-manager.js';
import { UIDTrackingExpectations } from './expectations.js';
import type { ReplicaSetKind } from './kinds.js';
import { RealPodControl, NAMESPACE_TERMINATING_CAUSE, type PodControl } from './pod-control.js';
import {
  BURST_REPLICAS, SLOW_START_INITIAL_BATCH_SIZE, STATUS_UPDATE_RETRIES, calculateStatus, getControllerOf, newControllerRef,
  slowStartBatch, specReplicas, statusUnchanged, type RSStatus,
} from './replica-set-utils.js';

/** Index of ReplicaSets by the uid of their controller (a Deployment). */
const CONTROLLER_UID_INDEX = 'controllerUID';

export interface ReplicaSetControllerOptions {
  /** Seam for tests: how pods are written (default: through ctx.client, events through ctx.recorder). */
  podControl?: PodControl;
  burstReplicas?: number;
  /** Where unexpected errors go (default: stderr). */
  onError?: (err: unknown) => void;
}

export class ReplicaSetController<T extends KubeObject> implements Controller {
  readonly name: string;
  /** Keys (`ns/name`) of ReplicaSets to sync; a key is never synced by two workers at once. */
  readonly queue: RateLimitingQueue<string>;
  /** Creations and deletions each ReplicaSet waits to see before it manages replicas again. */
  readonly expectations: UIDTrackingExpectations;
  /** Seam for tests: the function workers call for a key. */
  syncHandler: (key: string) => Promise<void> = (key) => this.sync(key);
  private readonly rsInformer: SharedIndexInformer<T>;
  private readonly podInformer: SharedIndexInformer<Pod>;
  private readonly rsLister: Lister<T>;
  private readonly podLister: Lister<Pod>;
  private readonly podControl: PodControl;
  private readonly clock: TimerClock;
  private readonly burstReplicas: number;
  private readonly onError: (err: unknown) => void;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly kind: ReplicaSetKind<T>,
    opts: ReplicaSetControllerOptions = {},
  ) {
    this.name = kind.name;
    this.clock = ctx.clock;
    this.burstReplicas = opts.burstReplicas ?? BURST_REPLICAS;
    this.onError = opts.onError ?? ((e) => console.error(`k8ts: ${kind.name} controller:`, e));
    this.podControl = opts.podControl ?? new RealPodControl(ctx.client, ctx.recorder(kind.component));
    this.queue = new RateLimitingQueue<string>({ name: kind.name, clock: ctx.clock });
    this.expectations = new UIDTrackingExpectations(ctx.clock);

    this.rsInformer = ctx.informers.informerFor(kind.resource);
    if (!(CONTROLLER_UID_INDEX in this.rsInformer.getIndexer().getIndexers())) {
      this.rsInformer.addIndexers({ [CONTROLLER_UID_INDEX]: (o: T) => { const r = getControllerOf(o); return r?.uid ? [r.uid] : []; } });
    }
    this.rsLister = this.rsInformer.lister();
    this.rsInformer.addEventHandler({
      onAdd: (rs) => this.enqueue(rs),
      onUpdate: (old, cur) => this.updateRS(old, cur),
      onDelete: (rs) => this.deleteRS(rs),
    });
    this.podInformer = ctx.informers.informerFor(resources.pods);
    this.podLister = this.podInformer.lister();
    this.podInformer.addEventHandler({
      onAdd: (pod) => this.addPod(pod),
      onUpdate: (old, cur) => this.updatePod(old, cur),
      onDelete: (pod) => this.deletePod(pod),
    });
  }

  /** Runs `workers` workers until the context aborts. */
  async run(workers: number): Promise<void> {
    await runWorkers(this.queue, (key) => this.syncHandler(key), workers, {
      signal: this.ctx.signal,
      informers: [this.rsInformer, this.podInformer],
      onError: this.onError,
    });
  }

  // ── event handlers: keys into the queue, observations into the expectations ────────────

  private enqueue(rs: T, afterMs = 0): void {
    const key = metaNamespaceKey(rs);
    if (afterMs > 0) this.queue.addAfter(key, afterMs);
    else this.queue.add(key);
  }

  private updateRS(old: T, cur: T): void {
    // Deleted and re-created between two list/watch rounds: the old one's expectations go.
    if (old.metadata?.uid !== cur.metadata?.uid) this.deleteRS(old);
    this.enqueue(cur);
  }

  private deleteRS(obj: T | DeletedFinalStateUnknown<T>): void {
    const key = metaNamespaceKey(obj);
    this.expectations.deleteExpectations(key);
    this.queue.add(key);
  }

  private addPod(pod: Pod): void {
    if (pod.metadata?.deletionTimestamp) {
      // Seen for the first time already being deleted (e.g. after a restart): not a creation.
      this.deletePod(pod);
      return;
    }
    const ref = getControllerOf(pod);
    if (ref) {
      const rs = this.resolveControllerRef(pod.metadata?.namespace ?? '', ref);
      if (!rs) return;
      const key = metaNamespaceKey(rs);
      this.expectations.creationObserved(key);
      this.queue.add(key);
      return;
    }
    // An orphan: whoever selects it may want to adopt it. No creation is observed.
    for (const rs of this.getPodReplicaSets(pod)) this.enqueue(rs);
  }

  private updatePod(old: Pod, cur: Pod): void {
    if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return; // resync
    const labelChanged = JSON.stringify(old.metadata?.labels ?? {}) !== JSON.stringify(cur.metadata?.labels ?? {});
    if (cur.metadata?.deletionTimestamp) {
      // Graceful deletion began: replace the pod now rather than when it is finally gone.
      this.deletePod(cur);
      if (labelChanged) this.deletePod(old);
      return;
    }
    const curRef = getControllerOf(cur);
    const oldRef = getControllerOf(old);
    const refChanged = JSON.stringify(curRef) !== JSON.stringify(oldRef);
    if (refChanged && oldRef) {
      const rs = this.resolveControllerRef(old.metadata?.namespace ?? '', oldRef);
      if (rs) this.enqueue(rs);
    }
    if (curRef) {
      const rs = this.resolveControllerRef(cur.metadata?.namespace ?? '', curRef);
      if (!rs) return;
      this.enqueue(rs);
      // Availability needs another look once minReadySeconds have passed (+1 s for skew).
      const minReady = this.kind.toReplicaSet(rs).spec?.minReadySeconds ?? 0;
      if (!isPodReady(old) && isPodReady(cur) && minReady > 0) this.enqueue(rs, minReady * 1000 + 1000);
      return;
    }
    if (labelChanged || refChanged) for (const rs of this.getPodReplicaSets(cur)) this.enqueue(rs);
  }

  private deletePod(obj: Pod | DeletedFinalStateUnknown<Pod>): void {
    const pod = deletedObject(obj);
    const ref = getControllerOf(pod);
    if (!ref) return; // nobody waits for an orphan's deletion
    const rs = this.resolveControllerRef(pod.metadata?.namespace ?? '', ref);
    if (!rs) return;
    const key = metaNamespaceKey(rs);
    this.expectations.deletionObserved(key, podKey(pod));
    this.queue.add(key);
  }

  /** The ReplicaSet a controller reference names, if it is of our kind and the uid matches. */
  private resolveControllerRef(namespace: string, ref: OwnerReference): T | undefined {
    if (ref.kind !== this.kind.kind) return undefined;
    const rs = this.rsLister.namespace(namespace).get(ref.name);
    return rs && rs.metadata?.uid === ref.uid ? rs : undefined;
  }

  /** ReplicaSets whose (non-empty) selector matches the pod's labels. */
  private getPodReplicaSets(pod: Pod): T[] {
    return this.rsLister.namespace(pod.metadata?.namespace ?? '').list().filter((o) => {
      const sel = selectorOf(this.kind.toReplicaSet(o));
      return !!sel && !sel.isEmpty() && sel.matches(pod.metadata?.labels);
    });
  }

  // ── sync ─────────────────────────────────────────────────────────────────────────────────

  /** Brings one ReplicaSet's pods and status in line with its spec. Idempotent. */
  async sync(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const obj = this.rsLister.namespace(namespace).get(name);
    if (!obj) {
      this.expectations.deleteExpectations(key);
      return;
    }
    const rs = this.kind.toReplicaSet(obj);
    const needsSync = this.expectations.satisfiedExpectations(key);
    const selector = selectorOf(rs);
    if (!selector) return; // an invalid selector matches nothing; validation keeps these out

    const allPods = this.podLister.namespace(namespace).list();
    const terminating = this.kind.terminatingReplicas ? filterClaimed(rs, selector, filterTerminatingPods(allPods)) : undefined;
    const { claimed, errors } = await claimPods(filterActivePods(allPods), {
      controller: rs,
      kind: this.kind,
      selector,
      canAdopt: () => this.recheckDeletion(rs),
      patchPod: (ns, n, patch) => this.podControl.patchPod(ns, n, patch),
    });
    if (errors.length) throw errors[0];

    let manageErr: unknown;
    if (needsSync && !rs.metadata?.deletionTimestamp) {
      manageErr = await this.manageReplicas(key, claimed, rs).then(() => undefined, (e: unknown) => e ?? new Error('unknown error'));
    }
    const status = calculateStatus(rs, claimed, terminating, manageErr, this.clock.now());
    const updated = await this.updateStatus(obj, rs, status);
    // Look again once the ready pods should have become available.
    const minReady = updated.spec?.minReadySeconds ?? 0;
    const want = specReplicas(updated);
    if (manageErr === undefined && minReady > 0 && updated.status?.readyReplicas === want && updated.status?.availableReplicas !== want) {
      this.queue.addAfter(key, minReady * 1000);
    }
    if (manageErr !== undefined) throw manageErr;
  }

  /** Creates or deletes pods so that `pods` (the claimed, active ones) reaches spec.replicas. */
  private async manageReplicas(key: string, pods: Pod[], rs: ReplicaSet): Promise<void> {
    const namespace = rs.metadata?.namespace ?? '';
    const diff = pods.length - specReplicas(rs);
    if (diff < 0) {
      const count = Math.min(-diff, this.burstReplicas);
      this.expectations.expectCreations(key, count);
      const parent = this.reference(rs);
      const controllerRef = newControllerRef(rs, this.kind);
      const { successes, error } = await slowStartBatch(count, SLOW_START_INITIAL_BATCH_SIZE, async () => {
        try {
          await this.podControl.createPod(namespace, rs.spec?.template, parent, controllerRef);
        } catch (e) {
          // Creation is pointless while the namespace goes away; not an error.
          if (!hasStatusCause(e, NAMESPACE_TERMINATING_CAUSE)) throw e;
        }
      });
      // Pods never attempted (or failed) will never be observed: stop waiting for them.
      for (let i = successes; i < count; i++) this.expectations.creationObserved(key);
      if (error !== undefined) throw error;
    } else if (diff > 0) {
      const count = Math.min(diff, this.burstReplicas);
      const victims = getPodsToDelete(pods, this.getIndirectlyRelatedPods(rs), count, this.clock.now());
      this.expectations.expectDeletions(key, victims.map(podKey));
      const parent = this.reference(rs);
      const results = await Promise.allSettled(victims.map(async (pod) => {
        try {
          await this.podControl.deletePod(namespace, pod.metadata?.name ?? '', parent);
        } catch (e) {
          // This deletion will not be observed (not by us, anyway).
          this.expectations.deletionObserved(key, podKey(pod));
          if (!isNotFound(e)) throw e;
        }
      }));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    }
  }

  /** Pods of every ReplicaSet sharing this one's controller (for colocation ranking). */
  private getIndirectlyRelatedPods(rs: ReplicaSet): Pod[] {
    const ref = getControllerOf(rs);
    if (!ref?.uid) return [];
    const seen = new Set<string>();
    const out: Pod[] = [];
    for (const o of this.rsInformer.getIndexer().byIndex(CONTROLLER_UID_INDEX, ref.uid)) {
      const related = this.kind.toReplicaSet(o);
      const sel = selectorOf(related);
      if (!sel) continue;
      for (const pod of this.podLister.namespace(related.metadata?.namespace ?? '').list(sel)) {
        const uid = pod.metadata?.uid ?? podKey(pod);
        if (seen.has(uid)) continue;
        seen.add(uid);
        out.push(pod);
      }
    }
    return out;
  }

  /** Adoption only by a ReplicaSet that still exists (same uid) and is not being deleted; read uncached. */
  private async recheckDeletion(rs: ReplicaSet): Promise<void> {
    const fresh = await this.ctx.client.resource(this.kind.resource).namespace(rs.metadata?.namespace).get(rs.metadata?.name ?? '');
    const m = fresh.metadata ?? {};
    if (m.uid !== rs.metadata?.uid) throw new Error(`original ${this.kind.kind} ${rs.metadata?.namespace}/${rs.metadata?.name} is gone: got uid ${m.uid}, wanted ${rs.metadata?.uid}`);
    if (m.deletionTimestamp) throw new Error(`${rs.metadata?.namespace}/${rs.metadata?.name} has just been deleted at ${m.deletionTimestamp}`);
  }

  /** Writes status through the status subresource unless unchanged; one GET-and-retry on failure. */
  private async updateStatus(obj: T, rs: ReplicaSet, status: RSStatus): Promise<ReplicaSet> {
    if (statusUnchanged(rs, status)) return rs;
    const next: RSStatus = { ...status, observedGeneration: rs.metadata?.generation };
    const client = this.ctx.client.resource(this.kind.resource).namespace(rs.metadata?.namespace);
    let current = obj;
    for (let i = 0; ; i++) {
      try {
        return this.kind.toReplicaSet(await client.updateStatus(this.kind.withStatus(current, next)));
      } catch (e) {
        if (i >= STATUS_UPDATE_RETRIES) throw e;
        current = await client.get(rs.metadata?.name ?? '');
      }
    }
  }

  private reference(rs: ReplicaSet): ObjectReference {
    const m = rs.metadata ?? {};
    return { apiVersion: this.kind.apiVersion, kind: this.kind.kind, namespace: m.namespace, name: m.name, uid: m.uid, resourceVersion: m.resourceVersion };
  }
}

/** `ns/name` of a pod (PodKey). */
export function podKey(pod: Pod): string {
  return `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
}

/** The selector of a ReplicaSet, or undefined when it does not parse. */
function selectorOf(rs: ReplicaSet): LabelSelector | undefined {
  try {
    return fromLabelSelector(rs.spec?.selector);
  } catch {
    return undefined;
  }
}

/** Pods this ReplicaSet controls and selects (FilterClaimedPods). */
function filterClaimed(rs: ReplicaSet, selector: LabelSelector, pods: Pod[]): Pod[] {
  return pods.filter((p) => getControllerOf(p)?.uid === rs.metadata?.uid && selector.matches(p.metadata?.labels));
}
