// Node lifecycle with the real kubectl: a node whose "kubelet" dies (its Lease is no longer
// renewed) turns Unknown after --node-monitor-grace-period, gets the unreachable taints, and its
// pods are evicted once their tolerationSeconds run out; replacements go to the healthy nodes.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { haveKubectl } from './harness.js';
import { countByNode, deployment, pod, startCluster, until, type Cluster } from './cluster.js';

const enabled = haveKubectl();
const UNREACHABLE = 'node.kubernetes.io/unreachable';
const NOT_READY = 'node.kubernetes.io/not-ready';

/** Explicit short NoExecute tolerations (DefaultTolerationSeconds would add 300 s ones). */
const tolerate = (seconds: number) => [UNREACHABLE, NOT_READY].map((key) => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds }));

describe.skipIf(!enabled)('node lifecycle through kubectl', () => {
  let c: Cluster;
  beforeAll(async () => {
    c = await startCluster(['node-0', 'node-1', 'node-2'], ['--node-monitor-grace-period=4s', '--node-monitor-period=1s']);
  });
  afterAll(async () => {
    await c?.stop();
  });

  it('pods get the 300 s NoExecute tolerations by default (DefaultTolerationSeconds)', async () => {
    const p = await c.json('run', 'check', '--image=registry.local/app:1', '--dry-run=server');
    expect(p.spec.tolerations).toEqual(expect.arrayContaining([
      { key: NOT_READY, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]));
  });

  it('a node whose lease stops is Unknown and tainted; its pods are evicted after their tolerationSeconds', async () => {
    await c.apply(deployment('web', 3, { tolerations: tolerate(2) }));
    const web = await until(async () => {
      const l = await c.pods('app=web');
      return l.length === 3 && l.every((p) => p.status.phase === 'Running') ? l : undefined;
    }, '3 web pods running');
    expect(countByNode(web)).toEqual({ 'node-0': 1, 'node-1': 1, 'node-2': 1 });
    const doomed = web.find((p) => p.spec.nodeName === 'node-0').metadata.name as string;
    const onNode0 = { nodeSelector: { 'kubernetes.io/hostname': 'node-0' } };
    await c.apply(pod('patient', { ...onNode0, tolerations: tolerate(3600) }), pod('plain', onNode0));
    await until(async () => ((await c.json('get', 'pod', 'patient')).status.phase === 'Running' ? true : undefined), 'patient running');
    await until(async () => ((await c.json('get', 'pod', 'plain')).status.phase === 'Running' ? true : undefined), 'plain running');

    c.double.stopNode('node-0');
    const node = await until(async () => {
      const n = await c.json('get', 'node', 'node-0');
      const keys = (n.spec.taints ?? []).map((t: any) => `${t.key}:${t.effect}`);
      return keys.includes(`${UNREACHABLE}:NoExecute`) && keys.includes(`${UNREACHABLE}:NoSchedule`) ? n : undefined;
    }, 'the unreachable taints');
    expect(node.status.conditions.find((x: any) => x.type === 'Ready')).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
    expect((await c.k('get', 'nodes')).stdout).toMatch(/^node-0\s+NotReady\s/m);
    const describe = await c.k('describe', 'node', 'node-0');
    expect(describe.stdout).toMatch(/^Taints:\s+node\.kubernetes\.io\/unreachable:NoExecute\n\s+node\.kubernetes\.io\/unreachable:NoSchedule$/m);

    // The web pod on node-0 tolerates the taint for 2 s, then is marked for deletion; with its
    // kubelet gone it stays Terminating, and the ReplicaSet replaces it on a healthy node.
    const evicted = await until(async () => {
      const p = await c.json('get', 'pod', doomed);
      return p.metadata.deletionTimestamp ? p : undefined;
    }, 'the web pod on node-0 evicted');
    // Deleted (deletionTimestamp = deletion + its 30 s grace) no sooner than 2 s after the taint.
    const added = Date.parse(node.spec.taints.find((t: any) => t.key === UNREACHABLE && t.effect === 'NoExecute').timeAdded);
    expect(Date.parse(evicted.metadata.deletionTimestamp) - 30_000 - added).toBeGreaterThanOrEqual(2_000);
    expect(evicted.status.conditions).toContainEqual(expect.objectContaining({ type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager' }));
    expect(evicted.status.conditions).toContainEqual(expect.objectContaining({ type: 'Ready', status: 'False' }));
    const events = await c.k('events', '--for', `pod/${doomed}`);
    expect(events.stdout).toContain(`Marking for deletion Pod default/${doomed}`);
    expect((await c.k('get', 'pod', doomed)).stdout).toMatch(new RegExp(`^${doomed}\\s+\\S+\\s+Terminating\\s`, 'm'));
    const replaced = await until(async () => {
      const l = await c.pods('app=web');
      return l.length === 3 && l.every((p) => p.status.phase === 'Running') ? l : undefined;
    }, '3 live web pods again');
    const spread = countByNode(replaced);
    expect(spread['node-0']).toBeUndefined();
    expect((spread['node-1'] ?? 0) + (spread['node-2'] ?? 0)).toBe(3);

    // Pods tolerating longer stay (3600 s explicitly, 300 s by default).
    for (const name of ['patient', 'plain']) {
      const p = await c.json('get', 'pod', name);
      expect(p.metadata.deletionTimestamp, name).toBeUndefined();
      expect(p.spec.nodeName).toBe('node-0');
    }
  });

  it('new pods avoid the unreachable node', async () => {
    await c.apply(deployment('more', 4));
    const more = await until(async () => {
      const l = await c.pods('app=more');
      return l.length === 4 && l.every((p) => p.spec.nodeName) ? l : undefined;
    }, '4 more pods bound');
    expect(countByNode(more)['node-0']).toBeUndefined();
  });
});
