// The scheduler (upstream's Scheduler and schedule_one.go): pops one pod at a time from the
// queue and runs its scheduling cycle synchronously over a fresh snapshot — schedule, assume the
// pod on the chosen node in the cache, Reserve, Permit — then starts its binding cycle
// asynchronously (wait on Permit, PreBind, Bind, PostBind) and goes on with the next pod.
// A failure at any step undoes what was done (Unreserve, forget the assumed pod), records a
// FailedScheduling event and the PodScheduled=False condition, and re-queues the pod.
import type { Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import type { ObjectReference } from 'kubernetes-types/core/v1.js';
import { resources, type EventRecorder, type RestClient, type SharedInformerFactory, type TimerClock } from '../client/index.js';
import { rfc3339 } from '../util/clock.js';
import { Cache } from './cache/cache.js';
import { Snapshot } from './cache/snapshot.js';
import { CycleState } from './framework/cycle-state.js';
import { AssignedPodDelete, type ClusterEventWithHint } from './framework/events.js';
import type { PostFilterResult, Registry } from './framework/interface.js';
import { defaultProfile, type Profile } from './framework/profile.js';
import { Framework } from './framework/runtime.js';
import { Code, isRejected, isSuccess, Status, type MaybeStatus } from './framework/status.js';
import { podUid, PodInfo, type QueuedPodInfo } from './framework/types.js';
import { FitError, NoNodesAvailableError, truncateMessage } from './fit-error.js';
import { inTreeRegistry } from './plugins/registry.js';
import { SchedulingQueue } from './queue/scheduling-queue.js';
import { PluginError, PodScheduler } from './schedule-pod.js';

export interface SchedulerDeps {
  client?: RestClient;
  informers?: SharedInformerFactory;
  recorder: EventRecorder;
  clock: TimerClock;
  /** The latest known state of a pod (the informer's), to skip re-queueing pods bound or gone meanwhile. */
  getPod?: (namespace: string, name: string) => Pod | undefined;
  /** Seam: writes a pod's status patch (default: strategic merge patch of pods/status). */
  patchPodStatus?: (pod: Pod, patch: { status: Record<string, unknown> }) => Promise<void>;
}

export interface SchedulerOptions {
  profiles?: Profile[];
  registry?: Registry;
  podInitialBackoffMs?: number;
  podMaxBackoffMs?: number;
  podMaxInUnschedulablePodsDurationMs?: number;
  random?: () => number;
  /**
   * Binding cycles under way at most (default 64). Past it the next scheduling cycle waits for
   * one to finish: back-pressure, so that a burst of scheduled pods does not run into the API
   * server's max-in-flight limit (429s would fail the bindings).
   */
  maxInFlightBindings?: number;
}

interface CycleOutcome {
  host: string;
  assumedPod: Pod;
}

class SchedulingFailure {
  constructor(
    readonly status: Status,
    readonly nominating?: PostFilterResult,
  ) {}
}

export class Scheduler {
  readonly cache = new Cache();
  readonly snapshot = new Snapshot();
  readonly queue: SchedulingQueue;
  /** schedulerName → its framework. */
  readonly profiles = new Map<string, Framework>();
  private readonly algorithm: PodScheduler;
  /** Binding cycles under way (awaited on stop); at most maxInFlightBindings. */
  private readonly binding = new Set<Promise<void>>();
  private readonly maxInFlightBindings: number;
  /** Resolves the scheduling loop waiting for a binding slot. */
  private bindingSlotFreed: (() => void) | undefined;

  constructor(
    private readonly deps: SchedulerDeps,
    opts: SchedulerOptions = {},
  ) {
    const registry = opts.registry ?? inTreeRegistry();
    const events = new Map<string, ClusterEventWithHint[]>();
    for (const profile of opts.profiles ?? [defaultProfile()]) {
      const fwk = new Framework(registry, profile, {
        client: deps.client,
        informers: deps.informers,
        clock: deps.clock,
        schedulerName: profile.schedulerName,
        snapshot: () => this.snapshot,
        nominator: () => this.queue.nominator,
      });
      this.profiles.set(profile.schedulerName, fwk);
      for (const [k, v] of fwk.enqueueEvents) events.set(k, v);
    }
    const first = this.profiles.values().next().value as Framework;
    this.queue = new SchedulingQueue({
      clock: deps.clock,
      less: first.less,
      enqueueEvents: events,
      podInitialBackoffMs: opts.podInitialBackoffMs,
      podMaxBackoffMs: opts.podMaxBackoffMs,
      podMaxInUnschedulablePodsDurationMs: opts.podMaxInUnschedulablePodsDurationMs,
    });
    this.algorithm = new PodScheduler(this.snapshot, opts.random);
    this.maxInFlightBindings = Math.max(1, opts.maxInFlightBindings ?? 64);
  }

  /** Whether one of this scheduler's profiles handles the pod. */
  responsibleFor(pod: Pod): boolean {
    return this.profiles.has(pod.spec?.schedulerName || 'default-scheduler');
  }

  /** Schedules pods one at a time until `signal` aborts; then waits for binding cycles. */
  async run(signal: AbortSignal): Promise<void> {
    this.queue.run();
    signal.addEventListener('abort', () => this.queue.close(), { once: true });
    while (!signal.aborted) {
      const ok = await this.scheduleOne(signal);
      if (!ok) break;
    }
    this.queue.close();
    await Promise.allSettled([...this.binding]);
  }

  /** Pops and schedules one pod; false when the queue closed. The binding cycle is started, not awaited. */
  async scheduleOne(signal?: AbortSignal): Promise<boolean> {
    while (this.binding.size >= this.maxInFlightBindings) await new Promise<void>((r) => (this.bindingSlotFreed = r));
    const qp = await this.queue.pop(signal);
    if (!qp) return false;
    const pod = qp.podInfo.pod;
    const fwk = this.profiles.get(pod.spec?.schedulerName || 'default-scheduler');
    if (!fwk || pod.metadata?.deletionTimestamp || this.cache.isAssumedPod(pod)) {
      this.queue.done(podUid(pod));
      return true;
    }
    const cycle = this.queue.currentCycle();
    const state = new CycleState();
    const outcome = this.schedulingCycle(fwk, state, qp);
    if (outcome instanceof SchedulingFailure) {
      this.handleSchedulingFailure(qp, outcome.status, outcome.nominating, cycle);
      return true;
    }
    const p = this.bindingCycle(fwk, state, qp, outcome, cycle).catch((e) => console.error('scheduler: binding cycle failed:', e));
    this.binding.add(p);
    void p.finally(() => {
      this.binding.delete(p);
      const freed = this.bindingSlotFreed;
      this.bindingSlotFreed = undefined;
      freed?.();
    });
    return true;
  }

  /** Waits for every binding cycle started so far (tests). */
  async flushBindings(): Promise<void> {
    while (this.binding.size) await Promise.allSettled([...this.binding]);
  }

  private schedulingCycle(fwk: Framework, state: CycleState, qp: QueuedPodInfo): CycleOutcome | SchedulingFailure {
    const pod = qp.podInfo.pod;
    this.cache.updateSnapshot(this.snapshot);
    let host: string;
    try {
      host = this.algorithm.schedule(fwk, state, pod).suggestedHost;
    } catch (e) {
      if (e instanceof NoNodesAvailableError) return new SchedulingFailure(new Status(Code.UnschedulableAndUnresolvable, [], e), { nominatedNodeName: '' });
      if (e instanceof PluginError) return new SchedulingFailure(e.status, { nominatedNodeName: '' });
      if (!(e instanceof FitError)) return new SchedulingFailure(Status.error(e), { nominatedNodeName: '' });
      if (fwk.postFilter.length === 0) return new SchedulingFailure(new Status(Code.Unschedulable, [], e));
      const { result, status } = fwk.runPostFilterPlugins(state, pod, e.diagnosis.nodeToStatus);
      e.diagnosis.postFilterMsg = status?.message() ?? '';
      return new SchedulingFailure(new Status(Code.Unschedulable, [], e), result);
    }
    // Assume the pod on the node so the next cycle counts it without waiting for the binding.
    const assumedPod: Pod = { ...pod, spec: { ...pod.spec!, nodeName: host } };
    // Its terms and requests are the queued pod's: registered so the cache does not parse them again.
    PodInfo.assumed(assumedPod, qp.podInfo);
    try {
      this.cache.assumePod(assumedPod);
    } catch (e) {
      return new SchedulingFailure(Status.error(e), { nominatedNodeName: '' });
    }
    const reserve = fwk.runReservePluginsReserve(state, assumedPod, host);
    if (!isSuccess(reserve)) {
      this.undo(fwk, state, assumedPod, host);
      return new SchedulingFailure(reserve!, { nominatedNodeName: '' });
    }
    const permit = fwk.runPermitPlugins(state, assumedPod, host);
    if (!isSuccess(permit) && permit!.code !== Code.Wait) {
      this.undo(fwk, state, assumedPod, host);
      return new SchedulingFailure(permit!, { nominatedNodeName: '' });
    }
    // The pod is placed: it no longer needs the room a nomination held for it.
    this.queue.nominator.delete(pod);
    return { host, assumedPod };
  }

  private async bindingCycle(fwk: Framework, state: CycleState, qp: QueuedPodInfo, { host, assumedPod }: CycleOutcome, cycle: number): Promise<void> {
    let status: MaybeStatus = await fwk.waitOnPermit(assumedPod);
    if (isSuccess(status)) status = await fwk.runPreBindPlugins(state, assumedPod, host);
    if (isSuccess(status)) {
      status = await fwk.runBindPlugins(state, assumedPod, host);
      if (status?.code === Code.Skip) status = Status.error(new Error('no bind plugin bound the pod'));
    }
    if (!isSuccess(status)) {
      this.undo(fwk, state, assumedPod, host);
      // Forgetting the pod frees its room: pods waiting for room may try again.
      this.queue.moveAllToActiveOrBackoffQueue(AssignedPodDelete, assumedPod);
      this.handleSchedulingFailure(qp, status!, { nominatedNodeName: '' }, cycle);
      return;
    }
    this.cache.finishBinding(assumedPod);
    this.queue.done(podUid(assumedPod));
    const md = assumedPod.metadata ?? {};
    this.deps.recorder.event(podRef(assumedPod), 'Normal', 'Scheduled', `Successfully assigned ${md.namespace}/${md.name} to ${host}`);
    fwk.runPostBindPlugins(state, assumedPod, host);
  }

  private undo(fwk: Framework, state: CycleState, assumedPod: Pod, host: string): void {
    fwk.runReservePluginsUnreserve(state, assumedPod, host);
    this.cache.forgetPod(assumedPod);
  }

  /** Records why the pod failed, re-queues it and writes the event and the PodScheduled condition. */
  private handleSchedulingFailure(qp: QueuedPodInfo, status: Status, nominating: PostFilterResult | undefined, cycle: number): void {
    const pod = qp.podInfo.pod;
    const fitError = status.error instanceof FitError ? status.error : undefined;
    qp.unschedulablePlugins = new Set();
    qp.pendingPlugins = new Set();
    if (fitError) {
      qp.unschedulablePlugins = new Set(fitError.diagnosis.unschedulablePlugins);
      qp.pendingPlugins = new Set(fitError.diagnosis.pendingPlugins);
    } else if (isRejected(status) && status.plugin) {
      qp.unschedulablePlugins.add(status.plugin);
    }
    if (isRejected(status)) {
      qp.unschedulableCount++;
      qp.consecutiveErrorsCount = 0;
    } else {
      qp.consecutiveErrorsCount++;
    }
    const md = pod.metadata ?? {};
    const current = this.deps.getPod?.(md.namespace ?? '', md.name ?? '');
    const gone = this.deps.getPod !== undefined && (!current || current.metadata?.uid !== md.uid);
    if (gone || current?.spec?.nodeName) {
      // Deleted, or bound meanwhile (e.g. by another scheduler): nothing to retry.
      this.queue.done(podUid(pod));
      return;
    }
    this.queue.addUnschedulableIfNotPresent(qp, cycle);
    if (nominating?.nominatedNodeName !== undefined) {
      if (nominating.nominatedNodeName) this.queue.nominator.add(qp.podInfo, nominating.nominatedNodeName);
      else this.queue.nominator.delete(pod);
    }
    const errMsg = status.message();
    const reason = isRejected(status) ? 'Unschedulable' : 'SchedulerError';
    this.deps.recorder.event(podRef(pod), 'Warning', 'FailedScheduling', truncateMessage(errMsg));
    const condition: PodCondition = { type: 'PodScheduled', status: 'False', reason, message: errMsg };
    void this.updatePodStatus(current ?? pod, condition, nominating?.nominatedNodeName).catch((e) => console.error(`scheduler: updating status of pod ${md.namespace}/${md.name}:`, e));
  }

  /** Writes the PodScheduled condition (and nominatedNodeName) when they change (upstream's updatePod). */
  private async updatePodStatus(pod: Pod, condition: PodCondition, nominatedNodeName: string | undefined): Promise<void> {
    const old = (pod.status?.conditions ?? []).find((c) => c.type === condition.type);
    const nnnChanged = nominatedNodeName !== undefined && (pod.status?.nominatedNodeName ?? '') !== nominatedNodeName;
    const same = old && old.status === condition.status && old.reason === condition.reason && old.message === condition.message;
    if (same && !nnnChanged) return;
    const cond = { ...condition, lastProbeTime: null, lastTransitionTime: old && old.status === condition.status && old.lastTransitionTime ? old.lastTransitionTime : rfc3339(this.deps.clock.now()) };
    const status: Record<string, unknown> = { conditions: [cond] };
    if (nnnChanged) status.nominatedNodeName = nominatedNodeName || null;
    if (this.deps.patchPodStatus) return this.deps.patchPodStatus(pod, { status });
    if (!this.deps.client) return;
    const md = pod.metadata ?? {};
    await this.deps.client.resource(resources.pods).namespace(md.namespace).patch(md.name!, { status }, { type: 'strategic', subresource: 'status' });
  }
}

/** A reference to a pod for events (informer objects may lack kind and apiVersion). */
export function podRef(pod: Pod): ObjectReference {
  const md = pod.metadata ?? {};
  return { kind: 'Pod', apiVersion: 'v1', namespace: md.namespace, name: md.name, uid: md.uid, resourceVersion: md.resourceVersion };
}
