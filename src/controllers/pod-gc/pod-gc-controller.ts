// The pod garbage collector (pkg/controller/podgc/gc_controller.go). Not queue-driven: every
// gcCheckPeriod it reads the pod and node caches and runs four passes, each force-deleting
// (gracePeriodSeconds 0) after first marking a still-running pod Failed:
//  - terminated: Succeeded/Failed pods beyond the threshold, evicted first, then oldest first;
//  - terminating on out-of-service nodes: a not-Ready node with the out-of-service taint;
//  - orphaned: pods bound to a node that no longer exists — a node missing from the cache waits
//    out a quarantine (the cache may lag a new node), then a live GET must answer NotFound; the
//    pods (terminating ones too) get the DisruptionTarget condition and go;
//  - unscheduled terminating: pods being deleted that were never bound (no kubelet will finish them).
import type { Node, Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import {
  DelayingQueue, isNotFound, resources, sleep, type Lister, type SharedIndexInformer,
} from '../../client/index.js';
import type { Controller, ControllerContext } from '../types.js';
import {
  DEFAULT_TERMINATED_POD_THRESHOLD, GC_CHECK_PERIOD_MS, QUARANTINE_MS, failedStatusPatch, orphanedPodCondition,
  terminatedPodsToDelete, terminatingOutOfServicePods, unknownNodeNames, unscheduledTerminatingPods,
} from './pod-gc-utils.js';

export interface PodGCOptions {
  /** Terminated pods kept before the oldest are deleted (--terminated-pod-gc-threshold; ≤ 0 turns the pass off). Default 12500. */
  terminatedPodThreshold?: number;
  /** How often the collector runs. Default 20 s. */
  gcCheckPeriodMs?: number;
  /** How long a node missing from the cache waits before the live GET. Default 40 s. */
  quarantineMs?: number;
  /** Where unexpected errors go (default: stderr). */
  onError?: (err: unknown) => void;
}

export class PodGCController implements Controller {
  readonly name = 'pod-garbage-collector';
  /**
   * Names of nodes that bound pods named but the cache did not hold, each ready once its
   * quarantine is over; a node is in it at most once (re-adding keeps the earlier time).
   */
  readonly nodeQueue: DelayingQueue<string>;
  readonly terminatedPodThreshold: number;
  readonly gcCheckPeriodMs: number;
  readonly quarantineMs: number;
  private readonly podInformer: SharedIndexInformer<Pod>;
  private readonly nodeInformer: SharedIndexInformer<Node>;
  private readonly podLister: Lister<Pod>;
  private readonly nodeLister: Lister<Node>;
  private readonly onError: (err: unknown) => void;

  constructor(
    private readonly ctx: ControllerContext,
    opts: PodGCOptions = {},
  ) {
    this.terminatedPodThreshold = opts.terminatedPodThreshold ?? DEFAULT_TERMINATED_POD_THRESHOLD;
    this.gcCheckPeriodMs = opts.gcCheckPeriodMs ?? GC_CHECK_PERIOD_MS;
    this.quarantineMs = opts.quarantineMs ?? QUARANTINE_MS;
    this.onError = opts.onError ?? ((e) => console.error('k8ts: pod-garbage-collector:', e));
    this.nodeQueue = new DelayingQueue<string>({ name: 'orphaned_pods_nodes', clock: ctx.clock });
    this.podInformer = ctx.informers.informerFor(resources.pods);
    this.podLister = this.podInformer.lister();
    this.nodeInformer = ctx.informers.informerFor(resources.nodes);
    this.nodeLister = this.nodeInformer.lister();
  }

  /** Runs the collector every gcCheckPeriod until the context aborts (`workers` is unused: one loop). */
  async run(_workers?: number): Promise<void> {
    const signal = this.ctx.signal;
    if (signal.aborted) return;
    signal.addEventListener('abort', () => this.nodeQueue.shutDown(), { once: true });
    const synced = await Promise.all([this.podInformer.waitForSync(signal), this.nodeInformer.waitForSync(signal)]);
    if (!synced.every(Boolean)) return;
    while (!signal.aborted) {
      try {
        await this.gc();
      } catch (e) {
        if (!signal.aborted) this.onError(e);
      }
      await sleep(this.ctx.clock, this.gcCheckPeriodMs, signal);
    }
  }

  /** One collection: every pass over one read of the caches. */
  async gc(): Promise<void> {
    const pods = this.podLister.list();
    const nodes = this.nodeLister.list();
    if (this.terminatedPodThreshold > 0) await this.gcTerminated(pods);
    await this.gcTerminating(pods);
    await this.gcOrphaned(pods, nodes);
    await this.gcUnscheduledTerminating(pods);
  }

  private async gcTerminated(pods: Pod[]): Promise<void> {
    await this.deleteAll(terminatedPodsToDelete(pods, this.terminatedPodThreshold));
  }

  private async gcTerminating(pods: Pod[]): Promise<void> {
    await this.deleteAll(terminatingOutOfServicePods(pods, (name) => this.nodeLister.get(name)));
  }

  private async gcOrphaned(pods: Pod[], nodes: Node[]): Promise<void> {
    const existing = new Set(nodes.map((n) => n.metadata?.name ?? ''));
    for (const name of unknownNodeNames(pods, existing)) this.nodeQueue.addAfter(name, this.quarantineMs);
    const deleted = await this.discoverDeletedNodes(existing);
    if (!deleted) return;
    const orphans = pods.filter((p) => deleted.has(p.spec?.nodeName ?? ''));
    for (const pod of orphans) {
      try {
        await this.markFailedAndDeletePod(pod, orphanedPodCondition());
      } catch (e) {
        this.onError(e);
      }
    }
  }

  /**
   * Nodes whose quarantine is over and that a live GET confirms are gone. A node that failed to
   * answer is dropped: the next run quarantines it again if pods still name it. Undefined once
   * shut down.
   */
  private async discoverDeletedNodes(existing: ReadonlySet<string>): Promise<Set<string> | undefined> {
    const deleted = new Set<string>();
    while (this.nodeQueue.len() > 0) {
      const next = await this.nodeQueue.get();
      if (next.shutdown) return undefined;
      const name = next.item;
      try {
        if (!existing.has(name) && !(await this.nodeExists(name))) deleted.add(name);
      } catch (e) {
        this.onError(new Error(`error while getting node "${name}": ${(e as Error).message ?? e}`));
      } finally {
        this.nodeQueue.done(name);
      }
    }
    return deleted;
  }

  private async nodeExists(name: string): Promise<boolean> {
    try {
      await this.ctx.client.resource(resources.nodes).get(name);
      return true;
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
  }

  private async gcUnscheduledTerminating(pods: Pod[]): Promise<void> {
    for (const pod of unscheduledTerminatingPods(pods)) {
      try {
        await this.markFailedAndDeletePod(pod);
      } catch (e) {
        this.onError(e);
      }
    }
  }

  /** Deletes pods concurrently, reporting failures one by one. */
  private async deleteAll(pods: Pod[]): Promise<void> {
    const results = await Promise.allSettled(pods.map((p) => this.markFailedAndDeletePod(p)));
    for (const r of results) if (r.status === 'rejected') this.onError(r.reason);
  }

  /**
   * Marks a pod that has not finished Failed (with `condition`), so a pod whose kubelet is gone
   * does not stay Running forever, then deletes it with gracePeriodSeconds 0. A pod already gone
   * is not an error.
   */
  async markFailedAndDeletePod(pod: Pod, condition?: PodCondition): Promise<void> {
    const ns = pod.metadata?.namespace ?? '';
    const name = pod.metadata?.name ?? '';
    const client = this.ctx.client.resource(resources.pods).namespace(ns);
    try {
      const patch = failedStatusPatch(pod, condition, this.ctx.clock.now());
      if (patch) await client.patch(name, patch, { type: 'strategic', subresource: 'status' });
      await client.delete(name, { gracePeriodSeconds: 0 });
    } catch (e) {
      if (isNotFound(e)) return;
      throw new Error(`deleting pod ${ns}/${name}: ${(e as Error).message ?? e}`);
    }
  }
}
