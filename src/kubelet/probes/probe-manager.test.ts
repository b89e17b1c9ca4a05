import { describe, expect, it } from 'vitest';
import type { Pod, Probe } from 'kubernetes-types/core/v1.js';
import { FakeClock } from '../../client/index.js';
import { ProbeManager, type ProbeKind } from './probe-manager.js';
import type { ProbeOutcome } from './prober.js';

function setup(probes: { livenessProbe?: Probe; readinessProbe?: Probe; startupProbe?: Probe }, outcomes: ProbeOutcome['result'][]) {
  const clock = new FakeClock();
  const pod: Pod = { metadata: { uid: 'u', name: 'p', namespace: 'd' }, spec: { containers: [{ name: 'c', image: 'x', ...probes }] } };
  let container = { id: 'c1', startedAt: clock.now() };
  const changes: string[] = [];
  const failures: string[] = [];
  const results = [...outcomes];
  const m = new ProbeManager({
    clock,
    running: () => container,
    target: () => ({ podIP: '127.0.0.1', container: pod.spec!.containers[0], execSync: async () => ({ exitCode: 0, stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) }) }),
    onChange: (_uid, _c, kind: ProbeKind, id) => changes.push(`${kind}:${id}:${m.result(id, kind)}`),
    onFailure: (_p, _c, kind, o) => failures.push(`${kind}:${o.output}`),
    run: async () => ({ result: results.shift() ?? 'success', output: 'boom' }),
  });
  m.addPod(pod);
  return { clock, m, pod, changes, failures, restart: (id: string) => (container = { id, startedAt: clock.now() }) };
}

describe('ProbeManager', () => {
  it('marks a container ready after successThreshold successes and unready after failureThreshold failures', async () => {
    const t = setup({ readinessProbe: { exec: { command: ['true'] }, periodSeconds: 1, successThreshold: 2, failureThreshold: 2 } },
      ['success', 'success', 'failure', 'failure', 'success', 'success']);
    const c = t.pod.spec!.containers[0];
    expect(t.m.isReady(c, 'c1')).toBe(false);
    await t.clock.advance(0); // the first probe runs as soon as the container does
    expect(t.m.isReady(c, 'c1')).toBe(false);
    await t.clock.advance(1_000);
    expect(t.m.isReady(c, 'c1')).toBe(true);
    await t.clock.advance(2_000);
    expect(t.m.isReady(c, 'c1')).toBe(false);
    expect(t.failures).toEqual(['readiness:boom', 'readiness:boom']);
    expect(t.changes).toEqual(['readiness:c1:true', 'readiness:c1:false']);
  });

  it('waits initialDelaySeconds before the first probe', async () => {
    const t = setup({ readinessProbe: { exec: { command: ['true'] }, initialDelaySeconds: 5, periodSeconds: 1 } }, []);
    await t.clock.advance(4_000);
    expect(t.m.result('c1', 'readiness')).toBeUndefined();
    await t.clock.advance(2_000);
    expect(t.m.result('c1', 'readiness')).toBe(true);
  });

  it('asks for a restart after failureThreshold liveness failures, and starts over for the new container', async () => {
    const t = setup({ livenessProbe: { exec: { command: ['x'] }, periodSeconds: 1, failureThreshold: 3 } }, ['failure', 'failure', 'failure']);
    await t.clock.advance(1_000);
    expect(t.m.mustRestart('c1')).toBeUndefined();
    await t.clock.advance(1_000);
    expect(t.m.mustRestart('c1')).toBe('liveness');
    // On hold until the container is replaced.
    await t.clock.advance(5_000);
    expect(t.failures).toHaveLength(3);
    t.restart('c2');
    await t.clock.advance(1_000);
    expect(t.m.mustRestart('c2')).toBeUndefined();
  });

  it('holds liveness and readiness until the startup probe succeeds', async () => {
    const t = setup({
      startupProbe: { exec: { command: ['s'] }, periodSeconds: 1, failureThreshold: 10 },
      readinessProbe: { exec: { command: ['r'] }, periodSeconds: 1 },
    }, ['failure', 'failure', 'success']);
    const c = t.pod.spec!.containers[0];
    await t.clock.advance(1_000);
    expect(t.m.isStarted(c, 'c1')).toBe(false);
    expect(t.m.result('c1', 'readiness')).toBeUndefined();
    await t.clock.advance(3_000);
    expect(t.m.isStarted(c, 'c1')).toBe(true);
    await t.clock.advance(1_000);
    expect(t.m.isReady(c, 'c1')).toBe(true);
  });

  it('stops probing a removed pod', async () => {
    const t = setup({ readinessProbe: { exec: { command: ['r'] }, periodSeconds: 1 } }, ['failure', 'failure', 'failure', 'failure']);
    t.m.removePod('u');
    await t.clock.advance(5_000);
    expect(t.failures).toEqual([]);
  });
});
