// Pod sync against the fake runtime with fake time: restart policies, CrashLoopBackOff growing
// from 10 s, init containers in order, liveness kills, admission failures and graceful deletion.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Pod, PodStatus } from 'kubernetes-types/core/v1.js';
import { FakeClock } from '../../client/index.js';
import { FakeRuntime } from '../runtime/fake/fake-runtime.js';
import { ProbeManager } from '../probes/probe-manager.js';
import { RestartBackoff } from './backoff.js';
import { PodSyncer } from './pod-sync.js';
import type { PodRecord, PodSyncDeps } from './types.js';

const podRoot = mkdtempSync(join(tmpdir(), 'k8ts-pod-sync-'));
afterAll(() => rmSync(podRoot, { recursive: true, force: true }));

function setup(spec: Partial<NonNullable<Pod['spec']>> = {}) {
  const clock = new FakeClock(Date.parse('2026-11-21T10:00:00Z'));
  const runtime = new FakeRuntime({ now: () => clock.now(), writeLogFiles: false });
  const events: string[] = [];
  const statuses: PodStatus[] = [];
  const deleted: string[] = [];
  const requeued: number[] = [];
  const probes = new ProbeManager({ clock, running: () => undefined, target: () => { throw new Error('unused'); }, onChange: () => {}, onFailure: () => {} });
  const deps: PodSyncDeps = {
    nodeName: 'n1', nodeIP: '10.0.0.1', logRoot: join(podRoot, 'logs'), runtime, clock, probes,
    podDir: (uid) => join(podRoot, uid),
    backoff: new RestartBackoff(clock),
    recorder: { event: (_o, type, reason, message) => events.push(`${type} ${reason} ${message}`), annotatedEvent: () => {} },
    volumes: { setUpPod: async () => {}, mountsFor: () => [], tearDownPod: async () => {} },
    env: async () => [],
    expand: (a) => a,
    setStatus: async (_pod, s) => void statuses.push(s),
    deletePod: async (pod) => void deleted.push(pod.metadata!.name!),
    requeue: (_uid, ms) => void requeued.push(ms),
  };
  const pod: Pod = {
    metadata: { name: 'p', namespace: 'default', uid: 'u1' },
    spec: { containers: [{ name: 'main', image: 'x', command: ['run'] }], ...spec },
    status: { phase: 'Pending' },
  };
  const rec: PodRecord = { uid: 'u1', pod, removed: false, admitted: true, waiting: new Map(), terminated: false, finished: false };
  const syncer = new PodSyncer(deps);
  const current = async (name = 'main') => (await syncer.inspect('u1')).get(name)?.[0];
  const last = () => statuses[statuses.length - 1];
  const sync = async () => {
    await syncer.sync(rec);
    rec.pod = { ...rec.pod, status: last() };
  };
  return { clock, runtime, events, statuses, deleted, requeued, rec, syncer, current, last, sync, probes };
}

describe('PodSyncer', () => {
  it('starts the containers and reports Running and Ready', async () => {
    const t = setup();
    await t.sync();
    expect(t.last().phase).toBe('Running');
    expect(t.last().containerStatuses?.[0]).toMatchObject({ ready: true, restartCount: 0, state: { running: {} } });
    expect(t.events.filter((e) => e.startsWith('Normal'))).toEqual([
      'Normal Pulling Pulling image "x"',
      expect.stringMatching(/^Normal Pulled Successfully pulled image "x"/),
      'Normal Created Created container: main',
      'Normal Started Started container main',
    ]);
  });

  it('restarts a crashing container with back-off growing from 10 s (CrashLoopBackOff)', async () => {
    const t = setup();
    await t.sync();
    const waits: number[] = [];
    for (let round = 0; round < 4; round++) {
      t.runtime.exitContainer((await t.current())!.id, 1);
      await t.sync();
      let waited = 0;
      while ((await t.current())!.state !== 'CONTAINER_RUNNING') {
        expect(t.last().containerStatuses?.[0].state?.waiting?.reason).toBe('CrashLoopBackOff');
        await t.clock.advance(1_000);
        waited += 1;
        await t.sync();
      }
      waits.push(waited);
    }
    expect(waits).toEqual([0, 10, 20, 40]);
    expect(t.last().containerStatuses?.[0].restartCount).toBe(4);
    expect(t.last().containerStatuses?.[0].lastState?.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(t.events.some((e) => e.startsWith('Warning BackOff Back-off restarting failed container main in pod p_default(u1)'))).toBe(true);
  });

  it('finishes a restartPolicy Never pod as Succeeded or Failed and does not restart it', async () => {
    for (const [code, phase] of [[0, 'Succeeded'], [3, 'Failed']] as const) {
      const t = setup({ restartPolicy: 'Never' });
      await t.sync();
      t.runtime.exitContainer((await t.current())!.id, code);
      await t.sync();
      expect(t.last().phase).toBe(phase);
      await t.clock.advance(60_000);
      await t.sync();
      expect((await t.current())!.metadata.attempt).toBe(0);
    }
  });

  it('restarts only failures under OnFailure', async () => {
    const t = setup({ restartPolicy: 'OnFailure' });
    await t.sync();
    t.runtime.exitContainer((await t.current())!.id, 2);
    await t.sync();
    expect((await t.current())!.state).toBe('CONTAINER_RUNNING');
    t.runtime.exitContainer((await t.current())!.id, 0);
    await t.sync();
    expect(t.last().phase).toBe('Succeeded');
  });

  it('reports what the container wrote to its termination-message file, per instance', async () => {
    const t = setup({ restartPolicy: 'OnFailure', containers: [{ name: 'main', image: 'x', command: ['run'], terminationMessagePath: '/dev/termination-log' }] });
    await t.sync();
    const first = (await t.current())!;
    const mount = first.mounts!.find((m) => m.containerPath === '/dev/termination-log')!;
    expect(mount).toMatchObject({ optional: true, hostPath: expect.stringContaining(join(podRoot, 'u1', 'containers', 'main')) });
    expect(readFileSync(mount.hostPath, 'utf8')).toBe('');
    writeFileSync(mount.hostPath, 'x'.repeat(5000) + 'the end');
    t.runtime.exitContainer(first.id, 2);
    await t.sync();
    // The restarted instance writes a file of its own; the first one's message stays as lastState.
    const second = (await t.current())!;
    expect(second.mounts!.find((m) => m.containerPath === '/dev/termination-log')!.hostPath).not.toBe(mount.hostPath);
    const msg = t.last().containerStatuses![0].lastState!.terminated!.message!;
    expect(msg).toHaveLength(4096);
    expect(msg.endsWith('the end')).toBe(true);
  });

  it('falls back to the log tail only for failures under FallbackToLogsOnError', async () => {
    const t = setup({ restartPolicy: 'Never', containers: [{ name: 'main', image: 'x', command: ['run'], terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'FallbackToLogsOnError' }] });
    await t.sync();
    const c = (await t.current())!;
    mkdirSync(dirname(c.logPath), { recursive: true });
    writeFileSync(c.logPath, '2026-11-21T10:00:00.000000000Z stdout F starting\n2026-11-21T10:00:01.000000000Z stderr F boom: disk full\n');
    t.runtime.exitContainer(c.id, 1);
    await t.sync();
    expect(t.last().containerStatuses![0].state!.terminated).toMatchObject({ exitCode: 1, message: 'starting\nboom: disk full\n' });

    // A success, or the default policy, gives no message from the log.
    const ok = setup({ restartPolicy: 'Never', containers: [{ name: 'main', image: 'x', command: ['run'], terminationMessagePolicy: 'FallbackToLogsOnError' }] });
    await ok.sync();
    const okc = (await ok.current())!;
    mkdirSync(dirname(okc.logPath), { recursive: true });
    writeFileSync(okc.logPath, '2026-11-21T10:00:00.000000000Z stdout F done\n');
    ok.runtime.exitContainer(okc.id, 0);
    await ok.sync();
    expect(ok.last().containerStatuses![0].state!.terminated!.message).toBeUndefined();
  });

  it('runs init containers one at a time before the regular ones', async () => {
    const t = setup({ initContainers: [{ name: 'i1', image: 'x', command: ['a'] }, { name: 'i2', image: 'x', command: ['b'] }] });
    await t.sync();
    expect((await t.current('i1'))?.state).toBe('CONTAINER_RUNNING');
    expect(await t.current('i2')).toBeUndefined();
    expect(await t.current('main')).toBeUndefined();
    expect(t.last().containerStatuses?.[0].state?.waiting?.reason).toBe('PodInitializing');
    t.runtime.exitContainer((await t.current('i1'))!.id, 0);
    await t.sync();
    expect((await t.current('i2'))?.state).toBe('CONTAINER_RUNNING');
    t.runtime.exitContainer((await t.current('i2'))!.id, 0);
    await t.sync();
    expect((await t.current('main'))?.state).toBe('CONTAINER_RUNNING');
    expect(t.last().conditions?.find((c) => c.type === 'Initialized')?.status).toBe('True');
  });

  it('kills a container whose liveness probe failed, and restarts it', async () => {
    const t = setup({ containers: [{ name: 'main', image: 'x', command: ['run'], livenessProbe: { exec: { command: ['x'] } } }] });
    await t.sync();
    const first = (await t.current())!.id;
    t.probes.set(first, 'liveness', false);
    await t.sync();
    const now = (await t.current())!;
    expect(now.id).not.toBe(first);
    expect(now.metadata.attempt).toBe(1);
    expect(t.events).toContain('Normal Killing Container main failed liveness probe, will be restarted');
  });

  it('fails a pod past activeDeadlineSeconds', async () => {
    const t = setup({ activeDeadlineSeconds: 30 });
    await t.sync();
    await t.clock.advance(31_000);
    await t.sync();
    expect(t.last()).toMatchObject({ phase: 'Failed', reason: 'DeadlineExceeded' });
    expect((await t.current())!.state).toBe('CONTAINER_EXITED');
  });

  it('terminates a deleted pod: stops containers, reports, then deletes the API object', async () => {
    const t = setup();
    await t.sync();
    t.rec.pod = { ...t.rec.pod, metadata: { ...t.rec.pod.metadata, deletionTimestamp: '2026-11-21T10:00:05Z', deletionGracePeriodSeconds: 30 } };
    await t.syncer.terminate(t.rec);
    expect((await t.current())!.state).toBe('CONTAINER_EXITED');
    expect(t.deleted).toEqual(['p']);
    expect(t.events).toContain('Normal Killing Stopping container main');
    expect(t.last().containerStatuses?.[0].ready).toBe(false);
  });

  it('reports a container whose config cannot be built with its reason, and retries it', async () => {
    const t = setup();
    let missing = true;
    (t.syncer as unknown as { deps: PodSyncDeps }).deps.env = async () => {
      if (missing) throw Object.assign(new Error('configmap "cfg" not found'), { reason: 'CreateContainerConfigError' });
      return [];
    };
    await t.sync();
    expect(t.last().containerStatuses?.[0].state?.waiting).toEqual({ reason: 'CreateContainerConfigError', message: 'configmap "cfg" not found' });
    expect(t.events).toContain('Warning Failed Error: configmap "cfg" not found');
    missing = false;
    await t.clock.advance(20_000);
    await t.sync();
    expect((await t.current())?.state).toBe('CONTAINER_RUNNING');
  });
});
