// The node lifecycle controller against a real API server in this process. No kubelet exists:
// the test registers Nodes and renews their Leases by hand, with a short grace period.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { Node, Pod, Toleration } from 'kubernetes-types/core/v1.js';
import { resources } from '../../client/index.js';
import { rfc3339, rfc3339Micro } from '../../util/clock.js';
import { eventually, startTestCluster, type TestCluster } from '../testing/cluster.js';
import { nodeLifecycleFactory } from './index.js';

const NS = 'default';
let c: TestCluster;

beforeAll(async () => {
  c = await startTestCluster();
  await c.run({
    nodelifecycle: nodeLifecycleFactory({ nodeMonitorGracePeriodMs: 1_000, nodeStartupGracePeriodMs: 1_000, nodeMonitorPeriodMs: 100, evictionLimiterQPS: 100 }),
  });
});
afterAll(async () => {
  await c?.stop();
});

const nodes = () => c.admin.resource(resources.nodes);
const leases = () => c.admin.resource(resources.leases).namespace('kube-node-lease');
const pods = () => c.admin.resource(resources.pods).namespace(NS);

/** Registers a node that reports Ready, with its lease, as a kubelet would. */
async function registerNode(name: string): Promise<void> {
  await nodes().create({ metadata: { name, labels: { 'kubernetes.io/hostname': name } }, spec: {} } as Node);
  await heartbeat(name);
  await leases().create({ metadata: { name, namespace: 'kube-node-lease' }, spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: rfc3339Micro(Date.now()) } } as Lease);
}

async function heartbeat(name: string): Promise<void> {
  const n = await nodes().get(name);
  const now = rfc3339(Date.now());
  await nodes().updateStatus({ ...n, status: { ...n.status, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: now, lastTransitionTime: now }] } });
}

async function renewLease(name: string): Promise<void> {
  const l = await leases().get(name);
  await leases().update({ ...l, spec: { ...l.spec, renewTime: rfc3339Micro(Date.now()) } });
}

async function boundPod(name: string, nodeName: string, tolerations?: Toleration[]): Promise<Pod> {
  return pods().create({ metadata: { name, namespace: NS }, spec: { nodeName, tolerations, containers: [{ name: 'c', image: 'nginx' }] } });
}

const taintsOf = async (name: string) => ((await nodes().get(name)).spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`).sort();
const goneOrTerminating = async (name: string) => pods().get(name).then((p) => !!p.metadata?.deletionTimestamp, () => true);

describe('node lifecycle', () => {
  it('a node whose lease stops is marked Unknown and tainted unreachable, and its pods are evicted by their tolerations', async () => {
    await registerNode('alive');
    await registerNode('dead');
    // Only "alive" keeps renewing its lease.
    const renew = setInterval(() => void renewLease('alive').catch(() => {}), 200);
    try {
      // DefaultTolerationSeconds gives other pods 300 s; this one asks to go at once.
      await boundPod('doomed', 'dead', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 0 }]);
      await boundPod('patient', 'dead', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 2 }]);
      await boundPod('loyal', 'dead', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }]);
      await boundPod('elsewhere', 'alive');

      const ready = await eventually(async () => {
        const r = (await nodes().get('dead')).status?.conditions?.find((x) => x.type === 'Ready');
        return r?.status === 'Unknown' && r;
      });
      expect(ready).toMatchObject({ reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
      await eventually(async () => JSON.stringify(await taintsOf('dead')) === JSON.stringify(['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']));

      await eventually(() => goneOrTerminating('doomed'));
      expect(await goneOrTerminating('patient')).toBe(false); // tolerates 2 s
      await eventually(() => goneOrTerminating('patient'));
      const events = await c.admin.resource(resources.events).namespace(NS).list();
      const eviction = events.items.find((e) => e.reason === 'TaintManagerEviction' && e.involvedObject?.name === 'doomed');
      expect(eviction).toMatchObject({ type: 'Normal', message: `Marking for deletion Pod ${NS}/doomed`, source: { component: 'taint-eviction-controller' } });

      expect(await goneOrTerminating('loyal')).toBe(false);
      expect(await goneOrTerminating('elsewhere')).toBe(false);
      expect((await nodes().get('alive')).status?.conditions?.find((x) => x.type === 'Ready')?.status).toBe('True');
      expect(await taintsOf('alive')).toEqual([]);

      // The kubelet comes back: the taints go.
      await heartbeat('dead');
      await renewLease('dead');
      await eventually(async () => (await taintsOf('dead')).length === 0);
    } finally {
      clearInterval(renew);
    }
  });

  it('a cordoned node gets the unschedulable taint, and loses it when uncordoned', async () => {
    await nodes().create({ metadata: { name: 'cordoned' }, spec: { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] } } as Node);
    // What `kubectl cordon` sends.
    await nodes().patch('cordoned', { spec: { unschedulable: true } }, { type: 'strategic' });
    await eventually(async () => (await taintsOf('cordoned')).includes('node.kubernetes.io/unschedulable:NoSchedule'));
    const taint = (await nodes().get('cordoned')).spec!.taints!.find((t) => t.key === 'node.kubernetes.io/unschedulable');
    expect(taint?.timeAdded).toBeTruthy();
    await nodes().patch('cordoned', { spec: { unschedulable: null } }, { type: 'strategic' });
    await eventually(async () => JSON.stringify(await taintsOf('cordoned')) === JSON.stringify(['dedicated:NoSchedule']));
  });
});
