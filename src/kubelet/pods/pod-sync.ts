// One sync of one pod (upstream's SyncPod / SyncTerminatingPod, level-triggered): read what the
// runtime has, decide which containers to (re)start or kill, do it, and report status.
//   - init containers run one at a time, in order; restartable ones (sidecars) keep running;
//   - regular containers restart by restartPolicy, with CrashLoopBackOff between crashes;
//   - a failing liveness or startup probe kills the container, which then restarts by policy;
//   - activeDeadlineSeconds fails the pod; deletion runs preStop hooks, stops containers within
//     the grace period, and finally deletes the API object.
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import type { ContainerStatus as CriContainerStatus } from '../runtime/cri.js';
import { computePodStatus, type ContainerView } from '../status/pod-status.js';
import { LABEL_CONTAINER_NAME, LABEL_POD_UID, podRef, runHook, sandboxConfig, startContainer } from './container-start.js';
import { terminationMessage } from './termination-message.js';
import type { PodRecord, PodSyncDeps } from './types.js';

const nsToMs = (ns: number) => Math.floor(ns / 1e6);
const isSidecar = (c: Container) => c.restartPolicy === 'Always';

export class PodSyncer {
  constructor(private readonly deps: PodSyncDeps) {}

  /** Every instance of each container of the pod, newest attempt first. */
  async inspect(uid: string): Promise<Map<string, CriContainerStatus[]>> {
    const out = new Map<string, CriContainerStatus[]>();
    const list = await this.deps.runtime.listContainers({ labelSelector: { [LABEL_POD_UID]: uid } });
    for (const c of list) {
      const st = await this.deps.runtime.containerStatus(c.id).catch(() => undefined);
      if (!st) continue;
      const name = c.labels?.[LABEL_CONTAINER_NAME] ?? c.metadata.name;
      out.set(name, [...(out.get(name) ?? []), st]);
    }
    for (const l of out.values()) l.sort((a, b) => b.metadata.attempt - a.metadata.attempt);
    return out;
  }

  async sync(rec: PodRecord): Promise<void> {
    const { deps } = this;
    const pod = rec.pod;
    const now = deps.clock.now();
    rec.startTime ??= pod.status?.startTime ?? new Date(now).toISOString().replace(/\.\d+Z$/, 'Z');
    if (!rec.failed) rec.failed = this.deadlineExceeded(pod, rec.startTime, now);
    if (rec.failed || rec.terminated || isTerminalPhase(pod)) {
      await this.stopAll(rec, 0);
      rec.terminated = true;
      await this.report(rec, true);
      return;
    }

    if (!rec.sandboxId) {
      rec.sandboxId = await deps.runtime.runPodSandbox(sandboxConfig(pod, deps.logRoot));
    }
    try {
      await deps.volumes.setUpPod(pod);
    } catch (e) {
      // One FailedMount event per volume, as upstream records them.
      const each = (e as { errors?: Error[] }).errors ?? [e as Error];
      for (const err of each) deps.recorder.event(podRef(pod), 'Warning', 'FailedMount', err.message);
      await this.report(rec, false);
      deps.requeue(rec.uid, 2_000);
      return;
    }

    let containers = await this.inspect(rec.uid);
    if (await this.killUnhealthy(rec, containers)) containers = await this.inspect(rec.uid);
    const initOk = await this.syncInit(rec, containers);
    if (initOk === 'failed') {
      rec.failed = undefined;
      rec.terminated = true;
    } else if (initOk === 'done') {
      for (const c of pod.spec?.containers ?? []) await this.ensureRunning(rec, c, containers.get(c.name) ?? []);
    }
    containers = await this.inspect(rec.uid);
    if (!rec.terminated && this.allDone(pod, containers)) {
      rec.terminated = true;
      await this.stopAll(rec, pod.spec?.terminationGracePeriodSeconds ?? 30);
      containers = await this.inspect(rec.uid);
    }
    await this.report(rec, rec.terminated, containers);
  }

  /**
   * Graceful stop for a pod being deleted: preStop hooks and SIGTERM within the grace period,
   * then the final status and the API delete. Resolves once nothing runs.
   */
  async terminate(rec: PodRecord): Promise<void> {
    const pod = rec.pod;
    const grace = pod.metadata?.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
    await this.stopAll(rec, rec.removed ? Math.min(grace, 2) : grace, true);
    rec.terminated = true;
    if (!rec.removed && !rec.finished) {
      await this.report(rec, true);
      await this.deps.deletePod(pod);
      rec.finished = true;
    }
  }

  private deadlineExceeded(pod: Pod, startTime: string, now: number): PodRecord['failed'] {
    const ads = pod.spec?.activeDeadlineSeconds;
    if (ads === undefined || now - Date.parse(startTime) < ads * 1000) {
      if (ads !== undefined) this.deps.requeue(pod.metadata!.uid!, Date.parse(startTime) + ads * 1000 - now + 10);
      return undefined;
    }
    const message = `Pod was active on the node longer than the specified deadline`;
    this.deps.recorder.event(podRef(pod), 'Normal', 'DeadlineExceeded', message);
    return { reason: 'DeadlineExceeded', message };
  }

  /** Kills containers whose liveness or startup probe failed; true when it killed one. */
  private async killUnhealthy(rec: PodRecord, containers: Map<string, CriContainerStatus[]>): Promise<boolean> {
    let killed = false;
    for (const c of allContainers(rec.pod)) {
      const cur = containers.get(c.name)?.[0];
      if (cur?.state !== 'CONTAINER_RUNNING') continue;
      const why = this.deps.probes.mustRestart(cur.id);
      if (!why) continue;
      this.deps.recorder.event(podRef(rec.pod, c), 'Normal', 'Killing', `Container ${c.name} failed ${why} probe, will be restarted`);
      await this.stopContainer(rec, c, cur.id, rec.pod.spec?.terminationGracePeriodSeconds ?? 30);
      killed = true;
    }
    return killed;
  }

  /** Runs init containers in order: 'done' when all finished (sidecars started), 'failed' for good. */
  private async syncInit(rec: PodRecord, containers: Map<string, CriContainerStatus[]>): Promise<'done' | 'waiting' | 'failed'> {
    const policy = rec.pod.spec?.restartPolicy ?? 'Always';
    const regularStarted = (rec.pod.spec?.containers ?? []).some((c) => (containers.get(c.name)?.length ?? 0) > 0);
    for (const c of rec.pod.spec?.initContainers ?? []) {
      const instances = containers.get(c.name) ?? [];
      const cur = instances[0];
      if (isSidecar(c)) {
        await this.ensureRunning(rec, c, instances, 'Always');
        const now = (await this.inspect(rec.uid)).get(c.name)?.[0];
        if (!regularStarted && (!now || now.state !== 'CONTAINER_RUNNING' || !this.deps.probes.isStarted(c, now.id))) return 'waiting';
        continue;
      }
      if (regularStarted) continue;
      if (cur?.state === 'CONTAINER_EXITED' && cur.exitCode === 0) continue;
      if (cur?.state === 'CONTAINER_RUNNING') return 'waiting';
      if (cur?.state === 'CONTAINER_EXITED' && policy === 'Never') return 'failed';
      await this.ensureRunning(rec, c, instances, policy === 'Never' ? 'Never' : 'OnFailure');
      return 'waiting';
    }
    return 'done';
  }

  /** Starts the container if it never ran, or restarts it by policy once its back-off allows. */
  private async ensureRunning(rec: PodRecord, c: Container, instances: CriContainerStatus[], policy = rec.pod.spec?.restartPolicy ?? 'Always'): Promise<void> {
    const { deps } = this;
    const cur = instances[0];
    if (cur?.state === 'CONTAINER_RUNNING' || cur?.state === 'CONTAINER_CREATED') return;
    if (cur?.state === 'CONTAINER_EXITED') {
      const restart = policy === 'Always' || (policy === 'OnFailure' && cur.exitCode !== 0);
      if (!restart) return;
      const key = `${rec.uid}/${c.name}`;
      const finished = nsToMs(cur.finishedAt || cur.createdAt);
      if (deps.backoff.isInBackOffSince(key, finished)) {
        const secs = Math.round(deps.backoff.get(key) / 1000);
        const m = rec.pod.metadata!;
        rec.waiting.set(c.name, { reason: 'CrashLoopBackOff', message: `back-off ${secs}s restarting failed container=${c.name} pod=${m.name}_${m.namespace}(${m.uid})` });
        deps.recorder.event(podRef(rec.pod, c), 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${m.name}_${m.namespace}(${m.uid})`);
        deps.requeue(rec.uid, deps.backoff.dueAt(key, finished) - deps.clock.now() + 10);
        return;
      }
      deps.backoff.next(key);
    } else if (rec.waiting.has(c.name)) {
      // A previous start failed (config error, create error): retry with back-off too.
      const key = `${rec.uid}/${c.name}/start`;
      if (deps.backoff.isInBackOff(key)) {
        deps.requeue(rec.uid, 1_000);
        return;
      }
    }
    const attempt = cur ? cur.metadata.attempt + 1 : 0;
    const r = await startContainer(deps, rec.pod, c, attempt, rec.sandboxId!);
    if ('failure' in r) {
      rec.waiting.set(c.name, r.failure);
      deps.backoff.next(`${rec.uid}/${c.name}/start`);
      deps.requeue(rec.uid, 1_000);
      return;
    }
    rec.waiting.delete(c.name);
    // Keep only the previous instance (for `logs --previous`); older ones go.
    for (const old of instances.slice(1)) {
      await deps.runtime.removeContainer(old.id).catch(() => {});
      deps.probes.forgetContainer(old.id);
    }
  }

  /** Regular containers all exited for good under the restart policy. */
  private allDone(pod: Pod, containers: Map<string, CriContainerStatus[]>): boolean {
    const policy = pod.spec?.restartPolicy ?? 'Always';
    if (policy === 'Always') return false;
    return (pod.spec?.containers ?? []).every((c) => {
      const cur = containers.get(c.name)?.[0];
      return cur?.state === 'CONTAINER_EXITED' && (policy === 'Never' || cur.exitCode === 0);
    });
  }

  private async stopContainer(rec: PodRecord, c: Container, id: string, graceSeconds: number, runPreStop = false): Promise<void> {
    const started = this.deps.clock.now();
    if (runPreStop && c.lifecycle?.preStop) {
      const err = await runHook(this.deps, rec.pod, c, id, c.lifecycle.preStop, graceSeconds);
      if (err) this.deps.recorder.event(podRef(rec.pod, c), 'Warning', 'FailedPreStopHook', err);
    }
    const left = Math.max(0, graceSeconds - Math.floor((this.deps.clock.now() - started) / 1000));
    await this.deps.runtime.stopContainer(id, left).catch(() => {});
  }

  /** Stops every running container of the pod (regular ones first, then sidecars). */
  async stopAll(rec: PodRecord, graceSeconds: number, deleting = false): Promise<void> {
    const containers = await this.inspect(rec.uid);
    const running = (list: Container[]) => list.flatMap((c) => {
      const cur = containers.get(c.name)?.[0];
      return cur && cur.state !== 'CONTAINER_EXITED' ? [{ c, id: cur.id }] : [];
    });
    const stop = async (items: { c: Container; id: string }[]) => {
      await Promise.all(items.map(({ c, id }) => {
        this.deps.recorder.event(podRef(rec.pod, c), 'Normal', 'Killing', `Stopping container ${c.name}`);
        return this.stopContainer(rec, c, id, graceSeconds, deleting);
      }));
    };
    await stop(running(rec.pod.spec?.containers ?? []));
    await stop(running(rec.pod.spec?.initContainers ?? []));
  }

  async report(rec: PodRecord, terminal: boolean, known?: Map<string, CriContainerStatus[]>): Promise<void> {
    if (rec.removed || rec.finished) return;
    const containers = known ?? (await this.inspect(rec.uid));
    const views = new Map<string, ContainerView>();
    for (const c of allContainers(rec.pod)) {
      const [current, previous] = containers.get(c.name) ?? [];
      views.set(c.name, {
        current, previous,
        waiting: current?.state === 'CONTAINER_RUNNING' ? undefined : rec.waiting.get(c.name),
        terminationMessage: current ? await terminationMessage(c, current) : undefined,
        previousTerminationMessage: previous ? await terminationMessage(c, previous) : undefined,
      });
    }
    const status = computePodStatus({
      pod: rec.pod,
      runtimeName: this.deps.runtime.name,
      sandboxReady: !!rec.sandboxId && !rec.terminated,
      hostIP: this.deps.nodeIP,
      podIP: this.deps.nodeIP,
      containers: views,
      isReady: (c, id) => this.deps.probes.isReady(c, id),
      isStarted: (c, id) => this.deps.probes.isStarted(c, id),
      terminal,
      failed: rec.failed,
      startTime: rec.startTime,
      now: this.deps.clock.now(),
    });
    await this.deps.setStatus(rec.pod, status);
  }
}

export function allContainers(pod: Pod): Container[] {
  return [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
}

function isTerminalPhase(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}
