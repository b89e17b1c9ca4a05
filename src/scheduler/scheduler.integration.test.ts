// The scheduler against a real in-process API server: pods are bound through pods/binding, an
// unschedulable pod gets upstream's FailedScheduling event and PodScheduled=False, and is
// scheduled once a node it fits is registered.
import type { Event, Node, Pod } from 'kubernetes-types/core/v1.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resources } from '../client/index.js';
import { eventually, startTestCluster, type TestCluster } from '../controllers/testing/cluster.js';
import { startScheduler, type RunningScheduler } from './index.js';
import { makeNode, makePod } from './testing/wrappers.js';

describe('scheduler (integration)', () => {
  let cluster: TestCluster;
  let running: RunningScheduler;

  const createNode = async (node: Node) => {
    const created = await cluster.admin.resource(resources.nodes).create(node);
    // Status may be dropped on create: write it through the status subresource too.
    if (!created.status?.allocatable) await cluster.admin.resource(resources.nodes).updateStatus({ ...created, status: node.status });
  };
  const pods = () => cluster.admin.resource(resources.pods).namespace('default');
  const scheduledCondition = (p: Pod) => p.status?.conditions?.find((c) => c.type === 'PodScheduled');

  beforeAll(async () => {
    cluster = await startTestCluster();
    await createNode(makeNode('small', { allocatable: { cpu: '1', memory: '1Gi', pods: '110' } }));
    await createNode(makeNode('tainted', { allocatable: { cpu: '8', memory: '16Gi', pods: '110' }, taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }));
    await createNode(makeNode('big', { allocatable: { cpu: '4', memory: '8Gi', pods: '110' } }));
    running = await startScheduler(cluster.ctx);
  });

  afterAll(async () => {
    await cluster?.stop();
    await running?.done;
  });

  it('binds pods to nodes they fit', async () => {
    await pods().create(strip(makePod('web-1', { containers: [{ cpu: '2', memory: '1Gi' }] })));
    await pods().create(strip(makePod('web-2', { containers: [{ cpu: '500m' }], tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }], nodeSelector: { 'kubernetes.io/hostname': 'tainted' } })));
    const p1 = await eventually(async () => {
      const p = await pods().get('web-1');
      return p.spec?.nodeName ? p : undefined;
    });
    expect(p1.spec?.nodeName).toBe('big');
    expect(scheduledCondition(p1)?.status).toBe('True');
    const p2 = await eventually(async () => {
      const p = await pods().get('web-2');
      return p.spec?.nodeName ? p : undefined;
    });
    expect(p2.spec?.nodeName).toBe('tainted');
    const events = await eventually(async () => {
      const list = await cluster.admin.resource(resources.events).namespace('default').list({ fieldSelector: 'involvedObject.name=web-1' });
      return list.items.find((e: Event) => e.reason === 'Scheduled');
    });
    expect(events.message).toBe('Successfully assigned default/web-1 to big');
    expect(events.source?.component).toBe('default-scheduler');
  });

  it('reports an unschedulable pod and schedules it when a fitting node appears', async () => {
    await pods().create(strip(makePod('huge', { containers: [{ cpu: '6', memory: '1Gi' }] })));
    const cond = await eventually(async () => {
      const c = scheduledCondition(await pods().get('huge'));
      return c?.status === 'False' ? c : undefined;
    });
    // small: 1 cpu; big: 4 cpu with web-1's 2 in use; tainted: not tolerated.
    const msg = '0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 Insufficient cpu. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.';
    expect(cond).toMatchObject({ reason: 'Unschedulable', message: msg });
    const ev = await eventually(async () => {
      const list = await cluster.admin.resource(resources.events).namespace('default').list({ fieldSelector: 'involvedObject.name=huge' });
      return list.items.find((e: Event) => e.reason === 'FailedScheduling');
    });
    expect(ev).toMatchObject({ type: 'Warning', message: msg });

    await createNode(makeNode('large', { allocatable: { cpu: '16', memory: '32Gi', pods: '110' } }));
    const bound = await eventually(async () => {
      const p = await pods().get('huge');
      return p.spec?.nodeName ? p : undefined;
    });
    expect(bound.spec?.nodeName).toBe('large');
    expect(scheduledCondition(bound)?.status).toBe('True');
  });

  it('leaves pods of other schedulers alone', async () => {
    await pods().create(strip(makePod('other', { schedulerName: 'my-scheduler' })));
    await new Promise((r) => setTimeout(r, 300));
    expect((await pods().get('other')).spec?.nodeName).toBeUndefined();
  });
});

/** A pod as a user would create it (no uid). */
function strip(p: Pod): Pod {
  const { uid: _uid, ...metadata } = p.metadata ?? {};
  return { ...p, metadata };
}
