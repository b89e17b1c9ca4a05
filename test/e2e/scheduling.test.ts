// Placements with the real kubectl against `k8ts server`: nodes registered by the pod double
// with labels, taints and capacities; each case asserts the node upstream's scheduler would pick
// and, where a pod fits nowhere, the FailedScheduling event in upstream's words.
import { describe, it, expect } from 'vitest';
import { haveKubectl } from './harness.js';
import { countByNode, deployment, pod, startCluster, until, type Cluster } from './cluster.js';
import type { NodeSpec } from './pod-double.js';

const enabled = haveKubectl();

async function withCluster(nodes: (string | NodeSpec)[], body: (c: Cluster) => Promise<void>): Promise<void> {
  const c = await startCluster(nodes);
  try {
    await body(c);
    expect(c.double.errors).toEqual([]);
  } finally {
    await c.stop();
  }
}

/** The node a pod is bound to, once it is. */
const boundNode = (c: Cluster, name: string) => until(async () => {
  const r = await c.k('get', 'pod', name, '-o', 'jsonpath={.spec.nodeName}');
  return r.stdout || undefined;
}, `pod ${name} bound`);

/** The FailedScheduling message of a pod, as `kubectl events --for` shows it. */
const failedScheduling = (c: Cluster, name: string) => until(async () => {
  const r = await c.k('events', '--for', `pod/${name}`);
  const line = r.stdout.split('\n').find((l) => /\bFailedScheduling\b/.test(l));
  return line ? line : undefined;
}, `FailedScheduling for ${name}`);

const hostAntiAffinity = (app: string) => ({
  podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app } }, topologyKey: 'kubernetes.io/hostname' }] },
});

describe.skipIf(!enabled)('scheduling placements through kubectl', () => {
  it('a NoSchedule taint keeps pods off a node; a pod tolerating it may land there', async () => {
    const taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' as const };
    await withCluster([{ name: 'tainted', taints: [taint] }, 'plain'], async (c) => {
      await c.apply(deployment('web', 4, { cpu: '500m' }));
      const web = await until(async () => {
        const l = await c.pods('app=web');
        return l.length === 4 && l.every((p) => p.spec.nodeName) ? l : undefined;
      }, '4 web pods bound');
      expect(countByNode(web)).toEqual({ plain: 4 });
      // Tolerating, it may use the tainted node, and does: it is the less loaded one.
      await c.apply(pod('tolerant', { cpu: '500m', tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] }));
      expect(await boundNode(c, 'tolerant')).toBe('tainted');
      // Asked onto the tainted node without a toleration, a pod fits nowhere.
      await c.apply(pod('picky', { nodeSelector: { 'kubernetes.io/hostname': 'tainted' } }));
      const ev = await failedScheduling(c, 'picky');
      expect(ev).toContain("0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {dedicated: gpu}. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.");
      expect((await c.k('get', 'pod', 'picky')).stdout).toMatch(/^picky\s+0\/1\s+Pending\s/m);
    });
  });

  it('nodeSelector, required node affinity (In / NotIn) and preferred node affinity weights', async () => {
    const nodes = [{ name: 'fast', labels: { disktype: 'ssd' } }, { name: 'slow', labels: { disktype: 'hdd' } }, { name: 'bare' }];
    await withCluster(nodes, async (c) => {
      const required = (operator: string, values: string[]) => ({
        nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'disktype', operator, values }] }] } },
      });
      const preferred = {
        nodeAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 20, preference: { matchExpressions: [{ key: 'disktype', operator: 'In', values: ['ssd'] }] } },
            { weight: 80, preference: { matchExpressions: [{ key: 'disktype', operator: 'In', values: ['hdd'] }] } },
          ],
        },
      };
      await c.apply(
        pod('by-selector', { nodeSelector: { disktype: 'ssd' } }),
        pod('by-in', { affinity: required('In', ['hdd']) }),
        pod('by-notin', { affinity: required('NotIn', ['ssd', 'hdd']) }),
        pod('ballast', { nodeSelector: { 'kubernetes.io/hostname': 'slow' }, cpu: '1' }),
      );
      expect(await boundNode(c, 'by-selector')).toBe('fast');
      expect(await boundNode(c, 'by-in')).toBe('slow');
      expect(await boundNode(c, 'by-notin')).toBe('bare');
      expect(await boundNode(c, 'ballast')).toBe('slow');
      // The most loaded node, but the one preferred with the greater weight.
      await c.apply(pod('by-preference', { affinity: preferred }));
      expect(await boundNode(c, 'by-preference')).toBe('slow');
      const wide = await c.k('get', 'pods', '-o', 'wide');
      expect(wide.stdout).toMatch(/^by-notin\s+1\/1\s+Running\s+0\s+\S+\s+10\.244\.2\.\d+\s+bare\s/m);
    });
  });

  it('required pod anti-affinity spreads 3 replicas over 3 nodes and leaves the 4th Pending', async () => {
    await withCluster(['node-0', 'node-1', 'node-2'], async (c) => {
      await c.apply(deployment('db', 4, { affinity: hostAntiAffinity('db') }));
      const all = await until(async () => {
        const l = await c.pods('app=db');
        return l.length === 4 && l.filter((p) => p.spec.nodeName).length === 3 ? l : undefined;
      }, '3 of 4 db pods bound');
      expect(countByNode(all)).toEqual({ 'node-0': 1, 'node-1': 1, 'node-2': 1 });
      const pending = all.find((p) => !p.spec.nodeName).metadata.name as string;
      const message = "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.";
      expect(await failedScheduling(c, pending)).toContain(message);
      const cond = await until(async () => {
        const p = await c.json('get', 'pod', pending);
        return p.status.conditions?.find((x: any) => x.type === 'PodScheduled');
      }, 'PodScheduled condition');
      expect(cond).toMatchObject({ status: 'False', reason: 'Unschedulable', message });
      const describe = await c.k('describe', 'pod', pending);
      expect(describe.stdout).toMatch(/Warning\s+FailedScheduling\s+.*?\s+default-scheduler\s+0\/3 nodes are available: 3 node\(s\) didn't match pod anti-affinity rules\./);
    });
  });

  it('required pod affinity co-locates pods with the pod they follow', async () => {
    await withCluster(['node-0', 'node-1', 'node-2'], async (c) => {
      await c.apply(pod('cache', { labels: { app: 'cache' } }));
      const home = await boundNode(c, 'cache');
      await c.apply(deployment('web', 3, {
        affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'cache' } }, topologyKey: 'kubernetes.io/hostname' }] } },
      }));
      const web = await until(async () => {
        const l = await c.pods('app=web');
        return l.length === 3 && l.every((p) => p.spec.nodeName) ? l : undefined;
      }, '3 web pods bound');
      expect(countByNode(web)).toEqual({ [home]: 3 });
    });
  });

  it('topology spread with maxSkew 1 over zones balances two zones of unequal size', async () => {
    const zone = (name: string, z: string) => ({ name, labels: { 'topology.kubernetes.io/zone': z } });
    await withCluster([zone('a-0', 'a'), zone('a-1', 'a'), zone('a-2', 'a'), zone('b-0', 'b')], async (c) => {
      await c.apply(deployment('web', 6, {
        topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }],
      }));
      const web = await until(async () => {
        const l = await c.pods('app=web');
        return l.length === 6 && l.every((p) => p.spec.nodeName) ? l : undefined;
      }, '6 web pods bound');
      const byNode = countByNode(web);
      // Zone b has one node, so it takes half of the pods; zone a's three share the other half.
      expect(byNode['b-0']).toBe(3);
      expect((byNode['a-0'] ?? 0) + (byNode['a-1'] ?? 0) + (byNode['a-2'] ?? 0)).toBe(3);
    });
  });

  it('preemption: a high-priority pod evicts a low-priority one, is nominated, and is bound once the victim is gone', async () => {
    const small = { resources: { cpu: '2' } };
    await withCluster([{ name: 'node-0', ...small }, { name: 'node-1', ...small }], async (c) => {
      for (const [name, value] of [['low', 100], ['high', 1000]] as const) {
        const r = await c.k('create', 'priorityclass', name, `--value=${value}`);
        expect(r.code, r.stderr).toBe(0);
      }
      await c.apply(...['l0', 'l1', 'l2', 'l3'].map((n) => pod(n, { labels: { tier: 'low' }, cpu: '1', priorityClassName: 'low' })));
      const lows = await until(async () => {
        const l = await c.pods('tier=low');
        return l.length === 4 && l.every((p) => p.status.phase === 'Running') ? l : undefined;
      }, '4 low pods running');
      expect(countByNode(lows)).toEqual({ 'node-0': 2, 'node-1': 2 });
      // Victims stay Terminating until let go, so the nomination can be seen.
      c.double.setFinishDeletions(false);
      await c.apply(pod('vip', { cpu: '1', priorityClassName: 'high' }));
      const nominated = await until(async () => {
        const p = await c.json('get', 'pod', 'vip');
        return p.status.nominatedNodeName as string | undefined;
      }, 'vip nominated');
      const vip = await c.json('get', 'pod', 'vip');
      expect(vip.spec.priority).toBe(1000);
      expect(vip.spec.nodeName).toBeUndefined();
      expect((await c.k('get', 'pod', 'vip', '-o', 'wide')).stdout).toMatch(new RegExp(`^vip\\s+0/1\\s+Pending\\s+0\\s+\\S+\\s+<none>\\s+<none>\\s+${nominated}\\s`, 'm'));
      const all = (await c.json('get', 'pods', '-l', 'tier=low')).items;
      const victims = all.filter((p: any) => p.metadata.deletionTimestamp);
      expect(victims).toHaveLength(1);
      expect(victims[0].spec.nodeName).toBe(nominated);
      expect(victims[0].status.conditions).toContainEqual(expect.objectContaining({ type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler' }));
      c.double.setFinishDeletions(true);
      expect(await boundNode(c, 'vip')).toBe(nominated);
      const left = await until(async () => {
        const l = (await c.json('get', 'pods', '-l', 'tier=low')).items;
        return l.length === 3 ? l : undefined;
      }, 'the victim deleted');
      expect(left.map((p: any) => p.metadata.name)).not.toContain(victims[0].metadata.name);
    });
  });

  it('an unschedulable pod gets FailedScheduling and PodScheduled=False, then is scheduled once a fitting node appears', async () => {
    await withCluster([{ name: 'small', resources: { cpu: '2' } }], async (c) => {
      await c.apply(pod('filler', { cpu: '1500m' }));
      expect(await boundNode(c, 'filler')).toBe('small');
      // Fits the node's allocatable but not what is left of it; no lower-priority pod to preempt.
      await c.apply(pod('big', { cpu: '1' }), pod('huge', { cpu: '16' }));
      const message = '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.';
      expect(await failedScheduling(c, 'big')).toContain(message);
      // More than the node has at all: preemption cannot help (UnschedulableAndUnresolvable).
      expect(await failedScheduling(c, 'huge')).toContain('0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.');
      const describe = await c.k('describe', 'pod', 'big');
      expect(describe.stdout).toMatch(/^\s+PodScheduled\s+False\s*$/m);
      expect(describe.stdout).toMatch(/Warning\s+FailedScheduling\s+.*?\s+default-scheduler\s+0\/1 nodes are available: 1 Insufficient cpu\. preemption: 0\/1 nodes are available: 1 No preemption victims found for incoming pod\./);
      const cond = (await c.json('get', 'pod', 'big')).status.conditions.find((x: any) => x.type === 'PodScheduled');
      expect(cond).toMatchObject({ status: 'False', reason: 'Unschedulable', message });
      await c.double.addNode({ name: 'large', resources: { cpu: '8' } });
      expect(await boundNode(c, 'big')).toBe('large');
      const ev = await until(async () => {
        const r = await c.k('events', '--for', 'pod/big');
        return /\bScheduled\b/.test(r.stdout) ? r.stdout : undefined;
      }, 'Scheduled event');
      expect(ev).toContain('Successfully assigned default/big to large');
      await until(async () => ((await c.json('get', 'pod', 'big')).status.phase === 'Running' ? true : undefined), 'big running');
      // huge still fits nowhere (and the new node, too small for it, does not even re-queue it).
      expect((await c.json('get', 'pod', 'huge')).spec.nodeName).toBeUndefined();
    });
  });

  it('kubectl cordon keeps new pods off a node; drain evicts, held back by a PodDisruptionBudget', async () => {
    await withCluster(['node-0', 'node-1'], async (c) => {
      await c.apply(deployment('web', 2));
      await until(async () => {
        const l = await c.pods('app=web');
        return l.length === 2 && l.every((p) => p.status.phase === 'Running') ? true : undefined;
      }, '2 web pods running');
      expect(countByNode(await c.pods('app=web'))).toEqual({ 'node-0': 1, 'node-1': 1 });
      const cordon = await c.k('cordon', 'node-0');
      expect(cordon.stdout.trim()).toBe('node/node-0 cordoned');
      expect((await c.k('get', 'node', 'node-0')).stdout).toMatch(/^node-0\s+Ready,SchedulingDisabled\s/m);
      const taints = await until(async () => {
        const n = await c.json('get', 'node', 'node-0');
        return n.spec.taints?.some((t: any) => t.key === 'node.kubernetes.io/unschedulable') ? n.spec.taints : undefined;
      }, 'the unschedulable taint');
      expect(taints).toContainEqual(expect.objectContaining({ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }));
      expect((await c.k('scale', 'deployment', 'web', '--replicas=4')).code).toBe(0);
      const four = await until(async () => {
        const l = await c.pods('app=web');
        return l.length === 4 && l.every((p) => p.status.phase === 'Running') ? l : undefined;
      }, '4 web pods running');
      expect(countByNode(four)).toEqual({ 'node-0': 1, 'node-1': 3 });

      // A budget that allows no disruption: drain keeps retrying the eviction until its timeout.
      await c.apply({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web' }, spec: { minAvailable: 4, selector: { matchLabels: { app: 'web' } } } });
      await until(async () => {
        const p = await c.json('get', 'pdb', 'web');
        return p.status?.currentHealthy === 4 && p.status?.observedGeneration === p.metadata.generation ? true : undefined;
      }, 'the budget observed');
      const blocked = await c.k('drain', 'node-0', '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=8s');
      expect(blocked.code).not.toBe(0);
      expect(blocked.stderr).toMatch(/error when evicting pods\/"web-[a-z0-9-]+" -n "default" \(will retry after 5s\): Cannot evict pod as it would violate the pod's disruption budget\./);
      expect(blocked.stderr).toContain('global timeout reached: 8s');
      expect(countByNode(await c.pods('app=web'))).toEqual({ 'node-0': 1, 'node-1': 3 });

      // With room in the budget, the drain evicts the pod; its replacement avoids the cordoned node.
      expect((await c.k('patch', 'pdb', 'web', '--type=merge', '-p', '{"spec":{"minAvailable":3}}')).code).toBe(0);
      await until(async () => ((await c.json('get', 'pdb', 'web')).status?.disruptionsAllowed === 1 ? true : undefined), 'one disruption allowed');
      const drain = await c.k('drain', 'node-0', '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=60s');
      expect(drain.code, drain.stderr).toBe(0);
      expect(drain.stdout).toMatch(/^pod\/web-[a-z0-9-]+ evicted$/m);
      expect(drain.stdout).toMatch(/^node\/node-0 drained$/m);
      const after = await until(async () => {
        const l = await c.pods('app=web');
        return l.length === 4 && l.every((p) => p.status.phase === 'Running') ? l : undefined;
      }, '4 web pods running again');
      expect(countByNode(after)).toEqual({ 'node-1': 4 });
    });
  });
});
