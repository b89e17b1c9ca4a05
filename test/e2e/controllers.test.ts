// The controller manager inside `k8ts server`, seen through kubectl: a Deployment becomes a
// ReplicaSet and pods; scaling, rollouts and cascading deletion work. No node agent exists yet,
// so pods stay Pending and rollouts stop where unavailable pods stop them, as upstream would.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startServer, kubectl, cleanup, haveKubectl, type ServerHandle } from './harness.js';

const enabled = haveKubectl();

async function until<T>(f: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const v = await f();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('condition not reached');
}

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 3
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
      - name: api
        image: registry.local/api:1
`;

describe.skipIf(!enabled)('controllers through kubectl', () => {
  let s: ServerHandle;
  const k = (...args: string[]) => kubectl(s, args);
  const json = async (...args: string[]) => JSON.parse((await k(...args, '-o', 'json')).stdout);
  beforeAll(async () => {
    s = await startServer({ datastore: 'memory://' });
  });
  afterAll(async () => {
    await s?.stop();
    if (s) cleanup(s);
  });

  it('a Deployment gets a ReplicaSet with the pod-template-hash and three pods', async () => {
    await kubectl(s, ['apply', '-f', '-'], { input: DEPLOY });
    const pods = await until(async () => {
      const l = await json('get', 'pods', '-l', 'app=api');
      return l.items.length === 3 ? l.items : undefined;
    });
    const rs = (await json('get', 'rs', '-l', 'app=api')).items;
    expect(rs).toHaveLength(1);
    const hash = rs[0].metadata.labels['pod-template-hash'];
    expect(rs[0].metadata.name).toBe(`api-${hash}`);
    expect(rs[0].metadata.annotations['deployment.kubernetes.io/revision']).toBe('1');
    for (const p of pods) {
      expect(p.metadata.name.startsWith(`api-${hash}-`)).toBe(true);
      expect(p.metadata.ownerReferences[0]).toMatchObject({ kind: 'ReplicaSet', name: rs[0].metadata.name, controller: true });
      expect(p.status.phase).toBe('Pending');
    }
    const table = await k('get', 'rs');
    expect(table.stdout).toMatch(new RegExp(`api-${hash}\\s+3\\s+3\\s+0\\s+`));
    const d = await until(async () => {
      const x = await json('get', 'deploy', 'api');
      return x.status?.replicas === 3 && x.status?.observedGeneration === x.metadata.generation ? x : undefined;
    });
    expect(d.status.conditions.find((c: { type: string }) => c.type === 'Available')).toMatchObject({ status: 'False', reason: 'MinimumReplicasUnavailable' });
  });

  it('scaling the deployment removes pods', async () => {
    await k('scale', 'deploy', 'api', '--replicas=1');
    await until(async () => ((await json('get', 'pods', '-l', 'app=api')).items.filter((p: { metadata: { deletionTimestamp?: string } }) => !p.metadata.deletionTimestamp).length === 1 ? true : undefined));
  });

  it('a template change starts a new revision', async () => {
    await k('set', 'image', 'deploy/api', 'api=registry.local/api:2');
    const rs = await until(async () => {
      const l = (await json('get', 'rs', '-l', 'app=api')).items;
      return l.length === 2 ? l : undefined;
    });
    const revs = rs.map((r: { metadata: { annotations: Record<string, string> } }) => r.metadata.annotations['deployment.kubernetes.io/revision']).sort();
    expect(revs).toEqual(['1', '2']);
    const hist = await k('rollout', 'history', 'deploy/api');
    expect(hist.stdout).toMatch(/REVISION\s+CHANGE-CAUSE/);
    expect(hist.stdout).toMatch(/^1\s+<none>/m);
    expect(hist.stdout).toMatch(/^2\s+<none>/m);
  });

  it('deleting the deployment removes its ReplicaSets and pods (garbage collector)', async () => {
    expect((await k('delete', 'deploy', 'api', '--timeout=60s')).code).toBe(0);
    await until(async () => ((await json('get', 'rs', '-l', 'app=api')).items.length === 0 ? true : undefined));
    await until(async () => ((await json('get', 'pods', '-l', 'app=api')).items.length === 0 ? true : undefined));
  });

  it('deleting a namespace removes its contents, then the namespace', async () => {
    await k('create', 'namespace', 'scratch');
    await k('create', 'configmap', 'c', '-n', 'scratch', '--from-literal=a=b');
    await k('create', 'deployment', 'd', '-n', 'scratch', '--image=registry.local/x:1');
    const del = await k('delete', 'namespace', 'scratch', '--timeout=120s');
    expect(del.stdout.trim()).toBe('namespace "scratch" deleted');
    expect((await k('get', 'namespace', 'scratch')).stderr).toContain('not found');
  });

  it('the scheduler binds a pod to a node that fits, and reports one that fits nowhere', async () => {
    // No node agent yet: a Node object made by hand stands in for one.
    const node = {
      apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels: { 'kubernetes.io/hostname': 'n1' } },
      status: { capacity: { cpu: '2', memory: '4Gi', pods: '110' }, allocatable: { cpu: '2', memory: '4Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: new Date().toISOString().replace(/\.\d+Z/, 'Z') }] },
    };
    expect((await kubectl(s, ['create', '-f', '-'], { input: JSON.stringify(node) })).code).toBe(0);
    const pod = (name: string, cpu: string) => ({
      apiVersion: 'v1', kind: 'Pod', metadata: { name },
      spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'registry.local/x:1', resources: { requests: { cpu } } }] },
    });
    expect((await kubectl(s, ['create', '-f', '-'], { input: JSON.stringify(pod('fits', '500m')) })).code).toBe(0);
    expect((await kubectl(s, ['create', '-f', '-'], { input: JSON.stringify(pod('huge', '64')) })).code).toBe(0);
    const bound = await until(async () => {
      const p = await json('get', 'pod', 'fits');
      return p.spec.nodeName ? p : undefined;
    });
    expect(bound.spec.nodeName).toBe('n1');
    expect(bound.status.conditions.find((c: { type: string }) => c.type === 'PodScheduled')).toMatchObject({ status: 'True' });
    expect((await k('get', 'pod', 'fits', '-o', 'wide')).stdout).toMatch(/fits\s+0\/1\s+Pending\s+0\s+\S+\s+<none>\s+n1\s+/);
    const ev = await until(async () => {
      const r = await k('events', '--for', 'pod/huge');
      return /FailedScheduling/.test(r.stdout) ? r.stdout : undefined;
    });
    expect(ev).toContain('0/1 nodes are available: 1 Insufficient cpu.');
    await k('delete', 'pod', 'fits', 'huge', '--force', '--grace-period=0');
  });
});
