// The pod status the kubelet reports (upstream's generateAPIPodStatus and getPhase), computed
// from the runtime's view of the pod's containers without I/O: container states with lastState
// and restartCount, the phase, and the kubelet-owned conditions. Conditions owned by others
// (PodScheduled, DisruptionTarget, readiness gates) are kept as they are.
import type { Container, ContainerState, ContainerStatus, Pod, PodCondition, PodStatus } from 'kubernetes-types/core/v1.js';
import type { ContainerStatus as CriContainerStatus } from '../runtime/cri.js';

export interface ContainerView {
  /** The latest instance, if one was created. */
  current?: CriContainerStatus;
  /** The instance before it (lastState). */
  previous?: CriContainerStatus;
  /** Why the container is not running, when the kubelet knows (back-off, create errors). */
  waiting?: { reason: string; message?: string };
  /** The termination message of `current` (file or logs fallback), when it exited. */
  terminationMessage?: string;
  previousTerminationMessage?: string;
}

export interface PodStatusInput {
  pod: Pod;
  runtimeName: string;
  sandboxReady: boolean;
  hostIP: string;
  podIP?: string;
  containers: Map<string, ContainerView>;
  isReady(container: Container, containerId: string): boolean;
  isStarted(container: Container, containerId: string): boolean;
  /** The pod is finished or being torn down: restartPolicy no longer keeps it Running. */
  terminal?: boolean;
  /** A terminal outcome decided by the kubelet (admission rejection, activeDeadlineSeconds). */
  failed?: { reason: string; message: string };
  startTime?: string;
  now: number;
}

const KUBELET_CONDITIONS = new Set(['PodReadyToStartContainers', 'Initialized', 'ContainersReady', 'Ready']);

export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}

const nsToMs = (ns: number) => Math.floor(ns / 1e6);

function terminatedState(c: CriContainerStatus, runtime: string, message?: string): ContainerState {
  return {
    terminated: {
      exitCode: c.exitCode,
      reason: c.reason || (c.exitCode === 0 ? 'Completed' : 'Error'),
      ...(message ? { message } : {}),
      startedAt: c.startedAt ? rfc3339(nsToMs(c.startedAt)) : undefined,
      finishedAt: rfc3339(nsToMs(c.finishedAt || c.createdAt)),
      containerID: `${runtime}://${c.id}`,
    },
  };
}

function containerStatus(spec: Container, view: ContainerView | undefined, input: PodStatusInput, defaultWaiting: string): ContainerStatus {
  const cur = view?.current;
  const status: ContainerStatus = {
    name: spec.name,
    image: spec.image ?? '',
    imageID: cur?.imageRef ?? '',
    ready: false,
    restartCount: cur?.metadata.attempt ?? 0,
    started: false,
    state: {},
    lastState: {},
  };
  if (cur) status.containerID = `${input.runtimeName}://${cur.id}`;
  if (view?.previous && view.previous.state === 'CONTAINER_EXITED') status.lastState = terminatedState(view.previous, input.runtimeName, view.previousTerminationMessage);
  if (cur?.state === 'CONTAINER_RUNNING') {
    status.state = { running: { startedAt: rfc3339(nsToMs(cur.startedAt)) } };
    status.started = input.isStarted(spec, cur.id);
    status.ready = !input.terminal && input.isReady(spec, cur.id);
  } else if (cur?.state === 'CONTAINER_EXITED' && !view?.waiting) {
    status.state = terminatedState(cur, input.runtimeName, view?.terminationMessage);
  } else {
    // Exited and waiting to restart: the exit moves to lastState, as upstream shows it.
    if (cur?.state === 'CONTAINER_EXITED') status.lastState = terminatedState(cur, input.runtimeName, view?.terminationMessage);
    const w = view?.waiting ?? { reason: defaultWaiting };
    status.state = { waiting: { reason: w.reason, ...(w.message ? { message: w.message } : {}) } };
  }
  return status;
}

const isSidecar = (c: Container) => c.restartPolicy === 'Always';

/** getPhase: Pending while initializing or waiting, Running, Succeeded or Failed. */
export function podPhase(pod: Pod, init: ContainerStatus[], regular: ContainerStatus[], terminal: boolean): PodStatus['phase'] {
  const restartPolicy = pod.spec?.restartPolicy ?? 'Always';
  const initSpecs = pod.spec?.initContainers ?? [];
  let initFailed = false;
  let initPending = false;
  // Once a regular container has run, the pod never goes back to initializing (a restarting
  // sidecar does not make it Pending again).
  const initialized = regular.some((r) => r.state?.running || r.state?.terminated || r.lastState?.terminated);
  for (const s of initialized ? [] : init) {
    const spec = initSpecs.find((c) => c.name === s.name);
    if (spec && isSidecar(spec)) {
      if (!s.started) initPending = true;
      continue;
    }
    const t = s.state?.terminated;
    if (t && t.exitCode === 0) continue;
    if (t) initFailed = true;
    else if (s.state?.waiting && s.lastState?.terminated && s.lastState.terminated.exitCode !== 0) initFailed = true;
    initPending = true;
  }
  if (initFailed && restartPolicy === 'Never') return 'Failed';
  if (initPending) return 'Pending';

  let running = 0, waiting = 0, stopped = 0, succeeded = 0;
  for (const s of regular) {
    if (s.state?.running) running++;
    else if (s.state?.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.state?.waiting) {
      if (s.lastState?.terminated) {
        stopped++;
        if (s.lastState.terminated.exitCode === 0) succeeded++;
      } else waiting++;
    }
  }
  if (waiting > 0 && !terminal) return 'Pending';
  if (running > 0 && !terminal) return 'Running';
  if (running === 0 && stopped === 0 && waiting === 0) return 'Pending';
  if (terminal) return stopped === succeeded && waiting === 0 && running === 0 ? 'Succeeded' : 'Failed';
  if (restartPolicy === 'Always') return 'Running';
  if (stopped === succeeded) return running > 0 ? 'Running' : 'Succeeded';
  if (restartPolicy === 'Never') return running > 0 ? 'Running' : 'Failed';
  return 'Running';
}

function condition(old: PodCondition[] | undefined, type: string, status: 'True' | 'False', now: number, reason?: string, message?: string): PodCondition {
  const prev = old?.find((c) => c.type === type);
  const transition = prev && prev.status === status && prev.lastTransitionTime ? prev.lastTransitionTime : rfc3339(now);
  return { type, status, lastProbeTime: null as unknown as string, lastTransitionTime: transition, ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
}

export function computePodStatus(input: PodStatusInput): PodStatus {
  const { pod, now } = input;
  const old = pod.status ?? {};
  const specInit = pod.spec?.initContainers ?? [];
  const specRegular = pod.spec?.containers ?? [];
  const init = specInit.map((c) => containerStatus(c, input.containers.get(c.name), input, 'PodInitializing'));
  // Regular containers wait for init containers: PodInitializing, then ContainerCreating.
  const initDone = init.every((s, i) => isSidecar(specInit[i]) ? s.started : s.state?.terminated?.exitCode === 0);
  const regular = specRegular.map((c) => containerStatus(c, input.containers.get(c.name), input, initDone ? 'ContainerCreating' : 'PodInitializing'));

  let phase = podPhase(pod, init, regular, !!input.terminal);
  if (input.failed) phase = 'Failed';
  if (old.phase === 'Succeeded' || old.phase === 'Failed') phase = old.phase; // terminal phases never change back

  const conditions: PodCondition[] = (old.conditions ?? []).filter((c) => !KUBELET_CONDITIONS.has(c.type));
  const oldConds = old.conditions;
  conditions.push(condition(oldConds, 'PodReadyToStartContainers', input.sandboxReady ? 'True' : 'False', now));
  const initialized = regular.some((r) => r.state?.running || r.state?.terminated || r.lastState?.terminated);
  const incompleteInit = initialized ? [] : init.filter((s, i) => !(isSidecar(specInit[i]) ? s.started : s.state?.terminated?.exitCode === 0)).map((s) => s.name);
  conditions.push(incompleteInit.length === 0 || phase === 'Succeeded'
    ? condition(oldConds, 'Initialized', 'True', now)
    : condition(oldConds, 'Initialized', 'False', now, 'ContainersNotInitialized', `containers with incomplete status: [${incompleteInit.join(' ')}]`));
  const unready = [...init.filter((s, i) => isSidecar(specInit[i]) && !s.ready), ...regular.filter((s) => !s.ready)].map((s) => s.name);
  const gatesPending = (pod.spec?.readinessGates ?? []).filter((g) => old.conditions?.find((c) => c.type === g.conditionType)?.status !== 'True').map((g) => g.conditionType);
  if (phase === 'Succeeded') {
    conditions.push(condition(oldConds, 'ContainersReady', 'False', now, 'PodCompleted'));
    conditions.push(condition(oldConds, 'Ready', 'False', now, 'PodCompleted'));
  } else if (unready.length > 0) {
    const msg = `containers with unready status: [${unready.join(' ')}]`;
    conditions.push(condition(oldConds, 'ContainersReady', 'False', now, 'ContainersNotReady', msg));
    conditions.push(condition(oldConds, 'Ready', 'False', now, 'ContainersNotReady', msg));
  } else {
    conditions.push(condition(oldConds, 'ContainersReady', 'True', now));
    conditions.push(gatesPending.length > 0
      ? condition(oldConds, 'Ready', 'False', now, 'ReadinessGatesNotReady', `corresponding condition of pod readiness gate "${gatesPending[0]}" does not exist.`)
      : condition(oldConds, 'Ready', 'True', now));
  }

  const status: PodStatus = {
    ...old,
    phase,
    conditions,
    hostIP: input.hostIP,
    hostIPs: [{ ip: input.hostIP }],
    startTime: old.startTime ?? input.startTime ?? rfc3339(now),
    containerStatuses: regular,
  };
  if (init.length > 0) status.initContainerStatuses = init;
  else delete status.initContainerStatuses;
  if (input.podIP) {
    status.podIP = input.podIP;
    status.podIPs = [{ ip: input.podIP }];
  }
  if (input.failed) {
    status.reason = input.failed.reason;
    status.message = input.failed.message;
  }
  return status;
}
