import type { Pod } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../client/index.js';
import { AssignedPodDelete, NodeAdd, QueueingHint, type ClusterEventWithHint } from '../framework/events.js';
import { podPriority, type QueuedPodInfo } from '../framework/types.js';
import { SchedulingQueue } from './scheduling-queue.js';

const pod = (name: string, priority = 0): Pod => ({ metadata: { name, namespace: 'ns', uid: name }, spec: { containers: [], priority } });
const less = (a: QueuedPodInfo, b: QueuedPodInfo) => {
  const pa = podPriority(a.podInfo.pod);
  const pb = podPriority(b.podInfo.pod);
  return pa > pb || (pa === pb && a.timestamp < b.timestamp);
};

function setup(events?: Map<string, ClusterEventWithHint[]>) {
  const clock = new FakeClock();
  const q = new SchedulingQueue({ clock, less, enqueueEvents: events });
  return { clock, q };
}

async function popName(q: SchedulingQueue): Promise<string | undefined> {
  return (await q.pop())?.podInfo.pod.metadata?.name;
}

/** Fails a popped pod as rejected by `plugins`. */
function fail(q: SchedulingQueue, p: QueuedPodInfo, plugins: string[]): void {
  p.unschedulablePlugins = new Set(plugins);
  if (plugins.length) p.unschedulableCount++;
  else p.consecutiveErrorsCount++;
  q.addUnschedulableIfNotPresent(p, q.currentCycle());
}

describe('SchedulingQueue', () => {
  it('pops by priority, then by age', async () => {
    const { clock, q } = setup();
    q.add(pod('low', 1));
    clock.step(10);
    q.add(pod('high', 10));
    clock.step(10);
    q.add(pod('low2', 1));
    expect([await popName(q), await popName(q), await popName(q)]).toEqual(['high', 'low', 'low2']);
  });

  it('pop waits for a pod and ends on abort', async () => {
    const { q } = setup();
    const waiting = q.pop();
    q.add(pod('a'));
    expect((await waiting)?.podInfo.pod.metadata?.name).toBe('a');
    const ac = new AbortController();
    const w2 = q.pop(ac.signal);
    ac.abort();
    expect(await w2).toBeUndefined();
  });

  it('backs off 1 s doubling to 10 s', async () => {
    const { q } = setup();
    const p = { podInfo: { pod: pod('a') } } as QueuedPodInfo;
    const durations = [1, 2, 3, 4, 5, 6].map((n) => q.backoffDuration({ ...p, unschedulableCount: n, consecutiveErrorsCount: 0 }));
    expect(durations).toEqual([1000, 2000, 4000, 8000, 10000, 10000]);
  });

  it('errors go to backoffQ and come back when the back-off ends', async () => {
    const { clock, q } = setup();
    q.add(pod('a'));
    const p = (await q.pop())!;
    fail(q, p, []);
    expect(q.pendingPods().backoff.map((x) => x.metadata?.name)).toEqual(['a']);
    clock.step(999);
    expect(q.pendingPods().active).toHaveLength(0);
    clock.step(1);
    expect(q.pendingPods().active.map((x) => x.metadata?.name)).toEqual(['a']);
  });

  it('unschedulable pods wait for an event their plugins registered', async () => {
    const events = new Map<string, ClusterEventWithHint[]>([
      ['NodeResourcesFit', [{ event: { resource: 'Node', actions: ['Add', 'Update'] } }, { event: { resource: 'Pod', actions: ['Delete'] } }]],
      ['TaintToleration', [{ event: { resource: 'Node', actions: ['Add'] }, hint: (_p, _o, n) => ((n as { metadata: { name: string } }).metadata.name === 'good' ? QueueingHint.Queue : QueueingHint.Skip) }]],
    ]);
    const { clock, q } = setup(events);
    q.add(pod('fit'));
    q.add(pod('taint'));
    const a = (await q.pop())!;
    const b = (await q.pop())!;
    fail(q, a, ['NodeResourcesFit']);
    fail(q, b, ['TaintToleration']);
    expect(q.pendingPods().unschedulable).toHaveLength(2);
    clock.step(5000);
    q.moveAllToActiveOrBackoffQueue(AssignedPodDelete, pod('x'));
    expect(q.pendingPods().active.map((x) => x.metadata?.name)).toEqual(['fit']);
    q.moveAllToActiveOrBackoffQueue(NodeAdd, undefined, { metadata: { name: 'bad' } });
    expect(q.pendingPods().unschedulable.map((x) => x.metadata?.name)).toEqual(['taint']);
    q.moveAllToActiveOrBackoffQueue(NodeAdd, undefined, { metadata: { name: 'good' } });
    expect(q.pendingPods().active.map((x) => x.metadata?.name).sort()).toEqual(['fit', 'taint']);
  });

  it('a pod moved while backing off goes to backoffQ', async () => {
    const { clock, q } = setup();
    q.add(pod('a'));
    const p = (await q.pop())!;
    fail(q, p, ['X']);
    clock.step(100);
    q.moveAllToActiveOrBackoffQueue(NodeAdd);
    expect(q.pendingPods().backoff).toHaveLength(1);
    clock.step(900);
    expect(q.pendingPods().active).toHaveLength(1);
  });

  it('an event during the cycle sends the failed pod to backoffQ', async () => {
    const { q } = setup();
    q.add(pod('a'));
    const p = (await q.pop())!;
    const cycle = q.currentCycle();
    q.moveAllToActiveOrBackoffQueue(NodeAdd);
    p.unschedulablePlugins = new Set(['X']);
    p.unschedulableCount++;
    q.addUnschedulableIfNotPresent(p, cycle);
    expect(q.pendingPods().backoff).toHaveLength(1);
  });

  it('a spec change moves an unschedulable pod, a status change does not', async () => {
    const { clock, q } = setup();
    const a = pod('a');
    q.add(a);
    fail(q, (await q.pop())!, ['X']);
    clock.step(2000);
    const withStatus = { ...a, metadata: { ...a.metadata, resourceVersion: '2' }, status: { conditions: [{ type: 'PodScheduled', status: 'False' }] } };
    q.update(a, withStatus);
    expect(q.pendingPods().unschedulable).toHaveLength(1);
    q.update(withStatus, { ...withStatus, metadata: { ...withStatus.metadata, labels: { x: 'y' } } });
    expect(q.pendingPods().active).toHaveLength(1);
  });

  it('flushes pods left unschedulable for 5 minutes', async () => {
    const { clock, q } = setup();
    q.run();
    q.add(pod('a'));
    fail(q, (await q.pop())!, ['X']);
    clock.step(5 * 60_000 + 30_000);
    expect(q.pendingPods().active).toHaveLength(1);
    q.close();
  });

  it('delete removes the pod everywhere', async () => {
    const { q } = setup();
    q.add(pod('a'));
    q.add(pod('b'));
    q.delete(pod('a'));
    expect(await popName(q)).toBe('b');
  });
});
