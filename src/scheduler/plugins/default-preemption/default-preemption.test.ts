import type { Pod } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { FakeClock, resources, RestClient, type EventRecorder } from '../../../client/index.js';
import { FakeApiServer } from '../../../client/testing/index.js';
import { AssignedPodDelete } from '../../framework/events.js';
import type { BindPlugin } from '../../framework/interface.js';
import { inTreeRegistry } from '../registry.js';
import { Scheduler } from '../../scheduler.js';
import { makeNode, makePod } from '../../testing/wrappers.js';
import { pickOneNode, type Candidate } from './candidates.js';

function setup() {
  const api = new FakeApiServer();
  const clock = new FakeClock();
  const events: string[] = [];
  const bound: string[] = [];
  const recorder: EventRecorder = { event: (_o, _t, reason, message) => events.push(`${reason}: ${message}`), annotatedEvent: () => undefined };
  const binder: BindPlugin = { name: 'DefaultBinder', bind: async (_s, pod, node) => void bound.push(`${pod.metadata!.name}→${node}`) };
  const registry = inTreeRegistry();
  registry.set('DefaultBinder', () => binder);
  const s = new Scheduler({ client: new RestClient(api), clock, recorder }, { registry, random: () => 0 });
  s.cache.addNode(makeNode('n1', { allocatable: { cpu: '2', memory: '4Gi', pods: '10' } }));
  const low = api.seed(resources.pods, makePod('low', { nodeName: 'n1', priority: 0, containers: [{ cpu: '2' }] }));
  s.cache.addPod(low);
  return { api, clock, events, bound, s, low };
}

async function attempt(s: Scheduler, api: FakeApiServer, pod: Pod): Promise<void> {
  api.seed(resources.pods, pod);
  s.queue.add(pod);
  await s.scheduleOne();
  await s.flushBindings();
  await new Promise((r) => setTimeout(r, 10));
}

describe('DefaultPreemption', () => {
  it('evicts a lower-priority pod and nominates the node', async () => {
    const { api, clock, events, bound, s, low } = setup();
    await attempt(s, api, makePod('high', { priority: 100, containers: [{ cpu: '2' }] }));
    expect(events).toEqual(['FailedScheduling: 0/1 nodes are available: 1 Insufficient cpu.']);
    expect(api.get(resources.pods, 'default', 'low')).toBeUndefined();
    // The victim was marked as upstream marks it, then deleted.
    const [mark, del] = api.writes().filter((w) => w.name === 'low');
    expect(mark).toMatchObject({ verb: 'patch', subresource: 'status', contentType: 'application/strategic-merge-patch+json' });
    expect((mark!.body as Pod).status!.conditions).toEqual([expect.objectContaining({
      type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler', message: 'default-scheduler: preempting to accommodate a higher priority pod',
    })]);
    expect(del).toMatchObject({ verb: 'delete' });
    expect(api.get(resources.pods, 'default', 'high')!.status?.nominatedNodeName).toBe('n1');
    expect(s.queue.nominator.nominatedNodeFor(makePod('high'))).toBe('n1');
    // A lower-priority pod may not take the room held for the nominated one.
    s.cache.removePod(low);
    await attempt(s, api, makePod('mid', { priority: 50, containers: [{ cpu: '1' }] }));
    expect(bound).toEqual([]);
    // The victim's deletion brings the preemptor back; it binds to its node.
    s.queue.moveAllToActiveOrBackoffQueue(AssignedPodDelete, low);
    clock.step(1000);
    await s.scheduleOne();
    await s.flushBindings();
    expect(bound).toEqual(['high→n1']);
  });

  it('finds no victims among pods of equal priority', async () => {
    const { api, events, s } = setup();
    await attempt(s, api, makePod('peer', { priority: 0, containers: [{ cpu: '1' }] }));
    expect(events).toEqual(['FailedScheduling: 0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.']);
    expect(api.get(resources.pods, 'default', 'low')).toBeDefined();
  });

  it('respects preemptionPolicy Never', async () => {
    const { api, events, s } = setup();
    const pod = makePod('polite', { priority: 100, containers: [{ cpu: '1' }] });
    await attempt(s, api, { ...pod, spec: { ...pod.spec!, preemptionPolicy: 'Never' } });
    expect(events).toEqual(['FailedScheduling: 0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.']);
  });
});

describe('pickOneNode', () => {
  const v = (name: string, priority: number, start = '2025-01-01T00:00:00Z'): Pod => ({ metadata: { name }, spec: { containers: [], priority }, status: { startTime: start } });
  const table: Array<{ name: string; candidates: Candidate[]; want: string }> = [
    { name: 'fewest PDB violations', candidates: [{ nodeName: 'a', victims: [v('x', 1)], numPDBViolations: 1 }, { nodeName: 'b', victims: [v('y', 5), v('z', 5)], numPDBViolations: 0 }], want: 'b' },
    { name: 'lowest highest priority', candidates: [{ nodeName: 'a', victims: [v('x', 10)], numPDBViolations: 0 }, { nodeName: 'b', victims: [v('y', 5), v('z', 5)], numPDBViolations: 0 }], want: 'b' },
    { name: 'smallest sum of priorities', candidates: [{ nodeName: 'a', victims: [v('x', 5), v('w', 5)], numPDBViolations: 0 }, { nodeName: 'b', victims: [v('y', 5), v('z', 1)], numPDBViolations: 0 }], want: 'b' },
    { name: 'fewest victims', candidates: [{ nodeName: 'a', victims: [v('x', -5), v('w', -5)], numPDBViolations: 0 }, { nodeName: 'b', victims: [v('y', -5)], numPDBViolations: 0 }], want: 'b' },
    { name: 'latest started', candidates: [{ nodeName: 'a', victims: [v('x', 5, '2025-01-01T00:00:00Z')], numPDBViolations: 0 }, { nodeName: 'b', victims: [v('y', 5, '2025-06-01T00:00:00Z')], numPDBViolations: 0 }], want: 'b' },
  ];
  for (const t of table) it(t.name, () => expect(pickOneNode(t.candidates)?.nodeName).toBe(t.want));
});
