import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { computePodStatus, type ContainerView } from './pod-status.js';
import type { ContainerStatus } from '../runtime/cri.js';

const NOW = Date.parse('2026-11-21T10:00:00Z');
const ns = (iso: string) => Date.parse(iso) * 1e6;

function cri(name: string, attempt: number, state: ContainerStatus['state'], extra: Partial<ContainerStatus> = {}): ContainerStatus {
  return {
    id: `${name}-${attempt}`, metadata: { name, attempt }, state, createdAt: ns('2026-11-21T09:00:00Z'),
    startedAt: state === 'CONTAINER_CREATED' ? 0 : ns('2026-11-21T09:00:01Z'), finishedAt: state === 'CONTAINER_EXITED' ? ns('2026-11-21T09:00:05Z') : 0,
    exitCode: 0, image: { image: 'img' }, imageRef: 'img', reason: '', message: '', logPath: '/tmp/x.log', ...extra,
  };
}

function pod(spec: Partial<NonNullable<Pod['spec']>> = {}, status: Pod['status'] = {}): Pod {
  return {
    metadata: { name: 'p', namespace: 'default', uid: 'u1' },
    spec: { containers: [{ name: 'a', image: 'img' }], ...spec },
    status: { phase: 'Pending', qosClass: 'BestEffort', conditions: [{ type: 'PodScheduled', status: 'True' }], ...status },
  };
}

function compute(p: Pod, views: Record<string, ContainerView>, o: { ready?: boolean; terminal?: boolean; failed?: { reason: string; message: string } } = {}) {
  return computePodStatus({
    pod: p, runtimeName: 'process', sandboxReady: true, hostIP: '10.0.0.1', podIP: '10.0.0.1',
    containers: new Map(Object.entries(views)), isReady: () => o.ready ?? true, isStarted: () => true,
    terminal: o.terminal, failed: o.failed, now: NOW,
  });
}

const cond = (s: ReturnType<typeof compute>, type: string) => s.conditions?.find((c) => c.type === type);

describe('computePodStatus', () => {
  it('reports a waiting container as ContainerCreating and the pod Pending', () => {
    const s = compute(pod(), {});
    expect(s.phase).toBe('Pending');
    expect(s.containerStatuses?.[0].state).toEqual({ waiting: { reason: 'ContainerCreating' } });
    expect(cond(s, 'Ready')).toMatchObject({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [a]' });
    expect(cond(s, 'PodScheduled')?.status).toBe('True');
    expect(s.qosClass).toBe('BestEffort');
    expect(s.podIP).toBe('10.0.0.1');
  });

  it('reports a running, ready container as Running and Ready with containerID and started', () => {
    const s = compute(pod(), { a: { current: cri('a', 0, 'CONTAINER_RUNNING') } });
    expect(s.phase).toBe('Running');
    expect(s.containerStatuses?.[0]).toMatchObject({
      name: 'a', ready: true, started: true, restartCount: 0, containerID: 'process://a-0',
      state: { running: { startedAt: '2026-11-21T09:00:01Z' } },
    });
    for (const t of ['Initialized', 'ContainersReady', 'Ready', 'PodReadyToStartContainers']) expect(cond(s, t)?.status).toBe('True');
  });

  it('keeps a not-ready running container out of Ready', () => {
    const s = compute(pod(), { a: { current: cri('a', 0, 'CONTAINER_RUNNING') } }, { ready: false });
    expect(s.phase).toBe('Running');
    expect(cond(s, 'ContainersReady')?.status).toBe('False');
    expect(cond(s, 'Ready')?.status).toBe('False');
  });

  it('shows CrashLoopBackOff with the last exit in lastState and keeps the pod Running', () => {
    const s = compute(pod(), {
      a: {
        current: cri('a', 2, 'CONTAINER_EXITED', { exitCode: 1, reason: 'Error' }),
        previous: cri('a', 1, 'CONTAINER_EXITED', { exitCode: 1, reason: 'Error' }),
        waiting: { reason: 'CrashLoopBackOff', message: 'back-off 20s restarting failed container=a pod=p_default(u1)' },
      },
    });
    expect(s.phase).toBe('Running');
    const cs = s.containerStatuses![0];
    expect(cs.restartCount).toBe(2);
    expect(cs.state?.waiting?.reason).toBe('CrashLoopBackOff');
    expect(cs.lastState?.terminated).toMatchObject({ exitCode: 1, reason: 'Error', containerID: 'process://a-2' });
  });

  it('decides Succeeded and Failed by restartPolicy', () => {
    const ok = { a: { current: cri('a', 0, 'CONTAINER_EXITED', { exitCode: 0, reason: 'Completed' }) } };
    const bad = { a: { current: cri('a', 0, 'CONTAINER_EXITED', { exitCode: 3, reason: 'Error' }) } };
    expect(compute(pod({ restartPolicy: 'Never' }), ok).phase).toBe('Succeeded');
    expect(compute(pod({ restartPolicy: 'Never' }), bad).phase).toBe('Failed');
    expect(compute(pod({ restartPolicy: 'OnFailure' }), ok).phase).toBe('Succeeded');
    expect(compute(pod({ restartPolicy: 'OnFailure' }), bad).phase).toBe('Running');
    expect(compute(pod({ restartPolicy: 'Always' }), bad).phase).toBe('Running');
    const s = compute(pod({ restartPolicy: 'Never' }), ok);
    expect(cond(s, 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
    expect(s.containerStatuses?.[0].state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed', finishedAt: '2026-11-21T09:00:05Z' });
  });

  it('reports init containers in order: PodInitializing until they finish', () => {
    const p = pod({ initContainers: [{ name: 'i1', image: 'x' }, { name: 'i2', image: 'x' }] });
    const s = compute(p, { i1: { current: cri('i1', 0, 'CONTAINER_EXITED') }, i2: { current: cri('i2', 0, 'CONTAINER_RUNNING') } });
    expect(s.phase).toBe('Pending');
    expect(s.containerStatuses?.[0].state?.waiting?.reason).toBe('PodInitializing');
    expect(cond(s, 'Initialized')).toMatchObject({ status: 'False', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [i2]' });
    const done = compute(p, { i1: { current: cri('i1', 0, 'CONTAINER_EXITED') }, i2: { current: cri('i2', 0, 'CONTAINER_EXITED') } });
    expect(done.containerStatuses?.[0].state?.waiting?.reason).toBe('ContainerCreating');
    expect(cond(done, 'Initialized')?.status).toBe('True');
  });

  it('fails the pod when an init container fails under restartPolicy Never', () => {
    const p = pod({ restartPolicy: 'Never', initContainers: [{ name: 'i1', image: 'x' }] });
    expect(compute(p, { i1: { current: cri('i1', 0, 'CONTAINER_EXITED', { exitCode: 2 }) } }).phase).toBe('Failed');
  });

  it('reports a kubelet-decided failure with its reason, and terminal phases never change back', () => {
    const s = compute(pod(), {}, { failed: { reason: 'OutOfcpu', message: 'Pod was rejected: ...' } });
    expect(s).toMatchObject({ phase: 'Failed', reason: 'OutOfcpu' });
    const again = compute(pod({}, { phase: 'Succeeded' }), { a: { current: cri('a', 1, 'CONTAINER_RUNNING') } });
    expect(again.phase).toBe('Succeeded');
  });

  it('keeps lastTransitionTime while a condition holds', () => {
    const first = compute(pod(), { a: { current: cri('a', 0, 'CONTAINER_RUNNING') } });
    const later = computePodStatus({
      pod: pod({}, first), runtimeName: 'process', sandboxReady: true, hostIP: '10.0.0.1', podIP: '10.0.0.1',
      containers: new Map([['a', { current: cri('a', 0, 'CONTAINER_RUNNING') }]]), isReady: () => true, isStarted: () => true, now: NOW + 60_000,
    });
    expect(cond(later, 'Ready')?.lastTransitionTime).toBe(cond(first, 'Ready')?.lastTransitionTime);
  });

  it('treats a deleted pod with restartPolicy Always as finished: Failed unless every container succeeded', () => {
    const killed = { a: { current: cri('a', 0, 'CONTAINER_EXITED', { exitCode: 143, reason: 'Error' }) } };
    expect(compute(pod(), killed, { terminal: true }).phase).toBe('Failed');
    const clean = { a: { current: cri('a', 0, 'CONTAINER_EXITED', { exitCode: 0 }) } };
    expect(compute(pod(), clean, { terminal: true }).phase).toBe('Succeeded');
  });
});
