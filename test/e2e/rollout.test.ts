// Rollouts end to end with the real kubectl: three registered nodes and the pod double (a
// node-agent stand-in that makes bound pods Running/Ready and finishes graceful deletions),
// so `kubectl rollout status` completes and a RollingUpdate can be watched step by step.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import https from 'node:https';
import { startServer, kubectl, cleanup, haveKubectl, type ServerHandle } from './harness.js';
import { rawClient } from './raw.js';
import { startPodDouble, type PodDouble } from './pod-double.js';

const enabled = haveKubectl();

async function until<T>(f: () => Promise<T | undefined>, what = 'condition', ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`${what} not reached`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Pod {
  metadata: { name: string; uid: string; resourceVersion: string; deletionTimestamp?: string; labels?: Record<string, string> };
  spec: { nodeName?: string; containers: { image: string }[] };
  status?: { phase?: string; conditions?: { type: string; status: string }[] };
}
const isReady = (p: Pod) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

describe.skipIf(!enabled)('rollouts with registered nodes and the pod double', () => {
  let s: ServerHandle;
  let double: PodDouble;
  const k = (...args: string[]) => kubectl(s, args, { timeoutMs: 90_000 });
  const json = async (...args: string[]) => {
    const r = await k(...args, '-o', 'json');
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
    return JSON.parse(r.stdout);
  };
  const livePods = async (): Promise<Pod[]> => (await json('get', 'pods', '-l', 'app=web')).items.filter((p: Pod) => !p.metadata.deletionTimestamp);
  const replicaSets = async (): Promise<any[]> => (await json('get', 'rs', '-l', 'app=web')).items;
  const rolloutStatus = async () => {
    const r = await k('rollout', 'status', 'deployment/web', '--timeout=60s');
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toContain('successfully rolled out');
    return r;
  };

  beforeAll(async () => {
    s = await startServer({ datastore: 'memory://' });
    double = await startPodDouble(s, { nodes: 3 });
  });
  afterAll(async () => {
    await double?.stop();
    await s?.stop();
    if (s) cleanup(s);
  });

  it('registers three Ready nodes', async () => {
    const nodes = await json('get', 'nodes');
    expect(nodes.items.map((n: any) => n.metadata.name).sort()).toEqual(['node-0', 'node-1', 'node-2']);
    const table = await k('get', 'nodes');
    expect(table.stdout.match(/^node-\d\s+Ready\s/gm)).toHaveLength(3);
  });

  it('a 3-replica Deployment becomes 3 pods, one per node, and rollout status completes', async () => {
    const c = await k('create', 'deployment', 'web', '--image=nginx:1', '--replicas=3');
    expect(c.code, c.stderr).toBe(0);
    const pods = await until(async () => {
      const l = await livePods();
      return l.length === 3 && l.every((p) => p.spec.nodeName) ? l : undefined;
    }, '3 bound pods');
    expect(new Set(pods.map((p) => p.spec.nodeName)).size).toBe(3);
    await rolloutStatus();
    const ready = await livePods();
    expect(ready.filter(isReady)).toHaveLength(3);
    for (const p of ready) expect(p.status?.phase).toBe('Running');
    const d = await json('get', 'deploy', 'web');
    expect(d.status).toMatchObject({ replicas: 3, readyReplicas: 3, availableReplicas: 3, updatedReplicas: 3 });
    expect(d.status.conditions.find((x: any) => x.type === 'Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable' });
    expect(d.status.conditions.find((x: any) => x.type === 'Progressing')).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable' });
  });

  it('an image change rolls with maxSurge 1 / maxUnavailable 0: never more than 4 pods, never fewer than 3 ready', async () => {
    const p = await k('patch', 'deployment', 'web', '-p', JSON.stringify({ spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } } }));
    expect(p.code, p.stderr).toBe(0);
    // Follow every change of the web pods through a watch from a list: the state after each
    // event is a state the store went through, so the invariants are checked at every step.
    const raw = rawClient(s);
    const list = (await raw.request('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dweb')).json();
    const pods = new Map<string, Pod>(list.items.map((x: Pod) => [x.metadata.uid, x]));
    const violations: string[] = [];
    let steps = 0;
    let maxLive = 0;
    let minReady = Infinity;
    const check = () => {
      steps++;
      const live = [...pods.values()].filter((x) => !x.metadata.deletionTimestamp);
      const ready = live.filter(isReady).length;
      maxLive = Math.max(maxLive, live.length);
      minReady = Math.min(minReady, ready);
      if (live.length > 4) violations.push(`step ${steps}: ${live.length} non-terminating pods`);
      if (ready < 3) violations.push(`step ${steps}: ${ready} ready pods`);
    };
    check();
    const req = https.request(`${s.url}/api/v1/namespaces/default/pods?labelSelector=app%3Dweb&watch=true&resourceVersion=${list.metadata.resourceVersion}`, { agent: raw.agent }, (res) => {
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (!line) continue;
          const ev = JSON.parse(line);
          if (ev.type === 'ERROR') violations.push(`watch error ${JSON.stringify(ev.object)}`);
          else if (ev.type === 'DELETED') pods.delete(ev.object.metadata.uid);
          else if (ev.type === 'ADDED' || ev.type === 'MODIFIED') pods.set(ev.object.metadata.uid, ev.object);
          if (ev.type !== 'BOOKMARK') check();
        }
      });
    });
    req.on('error', () => {});
    req.end();
    try {
      const si = await k('set', 'image', 'deployment/web', 'nginx=nginx:2');
      expect(si.code, si.stderr).toBe(0);
      await rolloutStatus();
      // Let the last scale-down's events arrive.
      await until(async () => {
        const live = [...pods.values()].filter((x) => !x.metadata.deletionTimestamp);
        return live.length === 3 && live.every((x) => x.spec.containers[0]!.image === 'nginx:2') ? true : undefined;
      }, 'the watch to see 3 nginx:2 pods', 20_000);
    } finally {
      req.destroy();
      raw.close();
    }
    expect(violations).toEqual([]);
    expect(maxLive).toBe(4); // the surge pod did exist
    expect(minReady).toBe(3);
    expect(steps).toBeGreaterThan(10);
    const live = await livePods();
    expect(live).toHaveLength(3);
    for (const x of live) expect(x.spec.containers[0]!.image).toBe('nginx:2');
  });

  it('rollout history shows two revisions; undo goes back to nginx:1 as revision 3', async () => {
    const hist = await k('rollout', 'history', 'deployment/web');
    expect(hist.code, hist.stderr).toBe(0);
    expect(hist.stdout).toMatch(/REVISION\s+CHANGE-CAUSE/);
    expect(hist.stdout).toMatch(/^1\s+<none>/m);
    expect(hist.stdout).toMatch(/^2\s+<none>/m);
    expect(hist.stdout.trim().split('\n').filter((l) => /^\d+\s/.test(l))).toHaveLength(2);

    const u = await k('rollout', 'undo', 'deployment/web');
    expect(u.code, u.stderr).toBe(0);
    expect(u.stdout).toContain('rolled back');
    await rolloutStatus();
    const d = await json('get', 'deploy', 'web');
    expect(d.spec.template.spec.containers[0].image).toBe('nginx:1');
    expect(d.metadata.annotations['deployment.kubernetes.io/revision']).toBe('3');
    const rs = await replicaSets();
    expect(rs).toHaveLength(2); // revision 1's ReplicaSet was reused as revision 3
    const current = rs.find((r) => r.spec.template.spec.containers[0].image === 'nginx:1');
    expect(current.metadata.annotations['deployment.kubernetes.io/revision']).toBe('3');
    expect(current.spec.replicas).toBe(3);
    const after = await k('rollout', 'history', 'deployment/web');
    expect(after.stdout).toMatch(/^2\s+<none>/m);
    expect(after.stdout).toMatch(/^3\s+<none>/m);
    expect(after.stdout).not.toMatch(/^1\s+<none>/m);
    for (const x of await livePods()) expect(x.spec.containers[0]!.image).toBe('nginx:1');
  });

  it('a paused deployment makes no new ReplicaSet until it is resumed', async () => {
    expect((await k('rollout', 'pause', 'deployment/web')).code).toBe(0);
    const before = (await replicaSets()).map((r) => r.metadata.name).sort();
    expect((await k('set', 'image', 'deployment/web', 'nginx=nginx:3')).code).toBe(0);
    // Give the controller time to act if it (wrongly) would.
    await until(async () => {
      const d = await json('get', 'deploy', 'web');
      return d.status.observedGeneration === d.metadata.generation ? true : undefined;
    }, 'the paused deployment to be observed');
    await new Promise((r) => setTimeout(r, 1500));
    expect((await replicaSets()).map((r) => r.metadata.name).sort()).toEqual(before);
    const d = await json('get', 'deploy', 'web');
    expect(d.status.conditions.find((x: any) => x.type === 'Progressing')).toMatchObject({ status: 'Unknown', reason: 'DeploymentPaused' });
    for (const x of await livePods()) expect(x.spec.containers[0]!.image).toBe('nginx:1');

    expect((await k('rollout', 'resume', 'deployment/web')).code).toBe(0);
    await rolloutStatus();
    const rs = await replicaSets();
    expect(rs).toHaveLength(3);
    const current = rs.find((r) => r.spec.template.spec.containers[0].image === 'nginx:3');
    expect(current.metadata.annotations['deployment.kubernetes.io/revision']).toBe('4');
    for (const x of await livePods()) expect(x.spec.containers[0]!.image).toBe('nginx:3');
  });

  it('rollout restart creates a new ReplicaSet', async () => {
    const before = new Set((await replicaSets()).map((r) => r.metadata.name));
    const r = await k('rollout', 'restart', 'deployment/web');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('restarted');
    await rolloutStatus();
    const rs = await replicaSets();
    const fresh = rs.filter((x) => !before.has(x.metadata.name));
    expect(fresh).toHaveLength(1);
    expect(fresh[0].spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']).toBeTruthy();
    expect(fresh[0].metadata.annotations['deployment.kubernetes.io/revision']).toBe('5');
    expect(fresh[0].status.readyReplicas).toBe(3);
    const live = await livePods();
    expect(live).toHaveLength(3);
    for (const x of live) expect(x.metadata.labels?.['pod-template-hash']).toBe(fresh[0].metadata.labels['pod-template-hash']);
  });

  it('get deploy,rs,pods -o wide shows the node of every pod', async () => {
    const r = await k('get', 'deploy,rs,pods', '-o', 'wide');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR/m);
    expect(r.stdout).toMatch(/^deployment\.apps\/web\s+3\/3\s+3\s+3\s+\S+\s+nginx\s+nginx:3\s+app=web/m);
    const lines = r.stdout.split('\n');
    const header = lines.find((l) => /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s/.test(l));
    expect(header, r.stdout).toBeTruthy();
    const nodeCol = header!.indexOf('NODE');
    const podLines = lines.filter((l) => l.startsWith('pod/web-'));
    const live = await livePods();
    expect(podLines.length).toBeGreaterThanOrEqual(3);
    for (const x of live) {
      const line = podLines.find((l) => l.startsWith(`pod/${x.metadata.name} `));
      expect(line, r.stdout).toBeTruthy();
      expect(line).toMatch(/\s1\/1\s+Running\s+0\s/);
      expect(line!.slice(nodeCol).split(/\s+/)[0]).toBe(x.spec.nodeName);
      expect(line).toMatch(/\s10\.244\.\d+\.\d+\s/);
    }
  });

  it('deleting the deployment removes its ReplicaSets and pods', async () => {
    const r = await k('delete', 'deployment', 'web', '--timeout=60s');
    expect(r.code, r.stderr).toBe(0);
    await until(async () => ((await replicaSets()).length === 0 ? true : undefined), 'no ReplicaSets');
    // The GC deletes pods gracefully; the double finishes those deletions as a kubelet would.
    await until(async () => ((await json('get', 'pods', '-l', 'app=web')).items.length === 0 ? true : undefined), 'no pods', 30_000);
    expect(double.errors).toEqual([]);
  });
});
