// The node agent end to end with the real kubectl and the process runtime: `k8ts server` with its
// embedded agent runs pods as host processes; logs, exec (env, stdin, exit codes), cp,
// port-forward, top, probes, back-off, graceful deletion and (as root) volumes and OOM kills.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import http from 'node:http';
import { spawn } from 'node:child_process';
import { startServer, kubectl, cleanup, haveKubectl, freePort, until, type ServerHandle } from './harness.js';

const enabled = haveKubectl();
const isRoot = process.getuid?.() === 0;

function httpGet(port: number, path = '/'): Promise<string> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

describe.skipIf(!enabled)('node agent with the process runtime', () => {
  let s: ServerHandle;
  let work: string;
  const k = (...args: string[]) => kubectl(s, args, { timeoutMs: 90_000 });
  const json = async (...args: string[]) => {
    const r = await k(...args, '-o', 'json');
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
    return JSON.parse(r.stdout);
  };
  const apply = async (yaml: string) => {
    const r = await kubectl(s, ['apply', '-f', '-'], { input: yaml });
    expect(r.code, r.stderr).toBe(0);
  };
  const podOf = async (label: string) => until(async () => {
    const items = (await json('get', 'pods', '-l', label)).items.filter((p: any) => !p.metadata.deletionTimestamp);
    return items.length ? items[0] : undefined;
  }, `a pod ${label}`);
  const waitReady = async (name: string) => {
    const r = await k('wait', '--for=condition=Ready', `pod/${name}`, '--timeout=60s');
    expect(r.code, r.stderr + r.stdout).toBe(0);
  };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'k8ts-kubelet-e2e-'));
    s = await startServer({ datastore: 'memory://', agent: true, extraArgs: ['--kubelet-port', String(await freePort())] });
  }, 60_000);
  afterAll(async () => {
    await s?.stop();
    if (s) cleanup(s);
    rmSync(work, { recursive: true, force: true });
  });

  it('registers the host as a Ready node with capacity and the agent port', async () => {
    const nodes = await until(async () => {
      const n = (await json('get', 'nodes')).items;
      return n.length && n[0].status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True') ? n : undefined;
    }, 'a Ready node');
    expect(nodes).toHaveLength(1);
    const node = nodes[0];
    expect(node.metadata.labels['kubernetes.io/os']).toBe('linux');
    expect(Number(node.status.capacity.pods)).toBe(110);
    expect(node.status.nodeInfo.containerRuntimeVersion).toMatch(/^process:\/\//);
    expect(node.status.daemonEndpoints.kubeletEndpoint.Port).toBeGreaterThan(0);
    const lease = await json('get', 'lease', '-n', 'kube-node-lease', node.metadata.name);
    expect(lease.spec.holderIdentity).toBe(node.metadata.name);
  });

  it('runs a Deployment of a Node.js server: Running and Ready, logs, port-forward', async () => {
    const port = await freePort();
    const r = await k('create', 'deployment', 'hello', '--image=node', '--replicas=1', '--port', String(port), '--',
      process.execPath, '-e', `require('http').createServer((q,s)=>{console.log('request', q.url); s.end('hi from '+process.env.HOSTNAME_CHECK)}).listen(${port}, ()=>console.log('listening on ${port}'))`);
    expect(r.code, r.stderr).toBe(0);
    const st = await k('rollout', 'status', 'deployment/hello', '--timeout=60s');
    expect(st.code, st.stderr + st.stdout).toBe(0);
    const pod = await podOf('app=hello');
    expect(pod.status.phase).toBe('Running');
    expect(pod.status.containerStatuses[0]).toMatchObject({ ready: true, started: true, restartCount: 0 });
    const logs = await until(async () => {
      const l = await k('logs', `deploy/hello`);
      return l.stdout.includes('listening') ? l : undefined;
    }, 'the log line');
    expect(logs.stdout).toContain(`listening on ${port}`);

    // port-forward: two concurrent connections through the API server and the node agent.
    const local = await freePort();
    const pf = spawn('kubectl', ['port-forward', `pod/${pod.metadata.name}`, `${local}:${port}`], { env: { ...process.env, HOME: s.home, KUBECONFIG: s.kubeconfig } });
    let pfOut = '';
    pf.stdout.on('data', (d) => (pfOut += d));
    pf.stderr.on('data', (d) => (pfOut += d));
    try {
      await until(async () => pfOut.includes('Forwarding from'), 'port-forward to start', 30_000);
      const [a, b] = await Promise.all([httpGet(local, '/a'), httpGet(local, '/b')]);
      expect(a).toContain('hi from');
      expect(b).toContain('hi from');
    } finally {
      pf.kill();
    }
    const after = await k('logs', pod.metadata.name, '--tail=2');
    expect(after.stdout).toMatch(/request \/(a|b)/);
    // logs -f streams lines written later.
    const follow = spawn('kubectl', ['logs', '-f', pod.metadata.name], { env: { ...process.env, HOME: s.home, KUBECONFIG: s.kubeconfig } });
    let followed = '';
    follow.stdout.on('data', (d) => (followed += d));
    try {
      await until(async () => followed.includes('listening'), 'logs -f output', 30_000);
      const pf2 = await k('exec', pod.metadata.name, '--', process.execPath, '-e', `require('http').get('http://127.0.0.1:${port}/followed')`);
      expect(pf2.code, pf2.stderr).toBe(0);
      await until(async () => followed.includes('request /followed'), 'a followed line', 30_000);
    } finally {
      follow.kill();
    }
  });

  it('exec: env from a ConfigMap and a Secret, stdin, exit codes', async () => {
    await k('create', 'configmap', 'cfg', '--from-literal=GREETING=hello-from-cm');
    await k('create', 'secret', 'generic', 'sec', '--from-literal=TOKEN=s3cret');
    await apply(`apiVersion: v1
kind: Pod
metadata: {name: envpod, labels: {app: envpod}}
spec:
  containers:
  - name: main
    image: busybox
    command: ["sh", "-c", "echo started; while true; do sleep 1; done"]
    env:
    - {name: GREETING, valueFrom: {configMapKeyRef: {name: cfg, key: GREETING}}}
    - {name: TOKEN, valueFrom: {secretKeyRef: {name: sec, key: TOKEN}}}
    - {name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
`);
    await waitReady('envpod');
    const e = await k('exec', 'envpod', '--', 'sh', '-c', 'echo $GREETING $TOKEN $POD_NAME');
    expect(e.code, e.stderr).toBe(0);
    expect(e.stdout.trim()).toBe('hello-from-cm s3cret envpod');
    const code = await k('exec', 'envpod', '--', 'sh', '-c', 'echo oops >&2; exit 3');
    expect(code.code).toBe(3);
    expect(code.stderr).toContain('oops');
    expect(code.stderr).toContain('command terminated with exit code 3');
    const stdin = await kubectl(s, ['exec', '-i', 'envpod', '--', 'sh', '-c', 'tr a-z A-Z'], { input: 'piped text\n' });
    expect(stdin.code, stdin.stderr).toBe(0);
    expect(stdin.stdout).toBe('PIPED TEXT\n');
  });

  it('cp: files to and from the pod (tar through exec)', async () => {
    const src = join(work, 'upload.txt');
    writeFileSync(src, 'uploaded content\n');
    const dest = join(work, 'in-pod');
    const mk = await k('exec', 'envpod', '--', 'mkdir', '-p', dest);
    expect(mk.code, mk.stderr).toBe(0);
    const up = await k('cp', src, `envpod:${dest}/upload.txt`);
    expect(up.code, up.stderr).toBe(0);
    const cat = await k('exec', 'envpod', '--', 'cat', `${dest}/upload.txt`);
    expect(cat.stdout).toBe('uploaded content\n');
    const back = join(work, 'downloaded.txt');
    const down = await k('cp', `envpod:${dest}/upload.txt`, back);
    expect(down.code, down.stderr).toBe(0);
    expect(readFileSync(back, 'utf8')).toBe('uploaded content\n');
  });

  it('a failing liveness probe restarts the container; a crashing one reaches CrashLoopBackOff', async () => {
    await apply(`apiVersion: v1
kind: Pod
metadata: {name: live}
spec:
  containers:
  - name: main
    image: busybox
    command: ["sh", "-c", "while true; do sleep 1; done"]
    livenessProbe: {exec: {command: ["false"]}, periodSeconds: 1, failureThreshold: 1}
---
apiVersion: v1
kind: Pod
metadata: {name: crash}
spec:
  containers:
  - name: main
    image: busybox
    command: ["sh", "-c", "echo dying; exit 2"]
`);
    const live = await until(async () => {
      const p = await json('get', 'pod', 'live');
      return p.status?.containerStatuses?.[0]?.restartCount >= 1 ? p : undefined;
    }, 'a liveness restart');
    expect(live.status.containerStatuses[0].lastState.terminated).toBeTruthy();
    const ev = await k('get', 'events', '--field-selector', 'involvedObject.name=live');
    expect(ev.stdout).toContain('Unhealthy');
    const crash = await until(async () => {
      const p = await json('get', 'pod', 'crash');
      return p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff' ? p : undefined;
    }, 'CrashLoopBackOff');
    expect(crash.status.containerStatuses[0].lastState.terminated).toMatchObject({ exitCode: 2, reason: 'Error' });
    const prev = await k('logs', 'crash', '--previous');
    expect(prev.stdout).toContain('dying');
    const table = await k('get', 'pod', 'crash');
    expect(table.stdout).toContain('CrashLoopBackOff');
  });

  it('readiness gates the Ready condition', async () => {
    const flag = join(work, 'ready-flag');
    await apply(`apiVersion: v1
kind: Pod
metadata: {name: ready}
spec:
  containers:
  - name: main
    image: busybox
    command: ["sh", "-c", "while true; do sleep 1; done"]
    readinessProbe: {exec: {command: ["test", "-f", "${flag}"]}, periodSeconds: 1}
`);
    await until(async () => (await json('get', 'pod', 'ready')).status?.phase === 'Running', 'Running');
    await new Promise((r) => setTimeout(r, 2_000));
    const before = await json('get', 'pod', 'ready');
    expect(before.status.conditions.find((c: any) => c.type === 'Ready').status).toBe('False');
    writeFileSync(flag, '');
    await waitReady('ready');
  });

  it('deletion sends SIGTERM, honours the grace period and removes the pod', async () => {
    const mark = join(work, 'term-mark');
    await apply(`apiVersion: v1
kind: Pod
metadata: {name: graceful}
spec:
  terminationGracePeriodSeconds: 5
  containers:
  - name: main
    image: busybox
    command: ["sh", "-c", "trap 'echo TERM > ${mark}; exit 0' TERM; while true; do sleep 0.2; done"]
`);
    await waitReady('graceful');
    const d = await k('delete', 'pod', 'graceful', '--timeout=60s');
    expect(d.code, d.stderr).toBe(0);
    expect(readFileSync(mark, 'utf8').trim()).toBe('TERM');
    const gone = await k('get', 'pod', 'graceful');
    expect(gone.stderr).toContain('NotFound');
  });

  it('top shows node and pod usage', async () => {
    const nodes = await until(async () => {
      const r = await k('top', 'nodes');
      return r.code === 0 ? r : undefined;
    }, 'kubectl top nodes', 60_000);
    expect(nodes.stdout).toMatch(/CPU\(cores\)/);
    const pods = await until(async () => {
      const r = await k('top', 'pods', '--containers');
      return r.code === 0 && r.stdout.includes('envpod') ? r : undefined;
    }, 'kubectl top pods', 60_000);
    expect(pods.stdout).toMatch(/envpod\s+main\s+\d+m\s+\d+Mi/);
  });

  it.skipIf(!isRoot)('as root: a ConfigMap volume follows its source; a memory limit OOM-kills', async () => {
    await k('create', 'configmap', 'vol', '--from-literal=message=first');
    await apply(`apiVersion: v1
kind: Pod
metadata: {name: vol}
spec:
  containers:
  - name: main
    image: busybox
    command: ["sh", "-c", "while true; do sleep 1; done"]
    volumeMounts: [{name: cfg, mountPath: /etc/k8ts-e2e-config}]
  volumes: [{name: cfg, configMap: {name: vol}}]
`);
    await waitReady('vol');
    const first = await k('exec', 'vol', '--', 'cat', '/etc/k8ts-e2e-config/message');
    expect(first.stdout).toBe('first');
    expect(existsSync('/etc/k8ts-e2e-config/message')).toBe(false);
    await k('create', 'configmap', 'vol', '--from-literal=message=second', '--dry-run=client', '-o', 'yaml').then((r) => kubectl(s, ['replace', '-f', '-'], { input: r.stdout }));
    await until(async () => (await k('exec', 'vol', '--', 'cat', '/etc/k8ts-e2e-config/message')).stdout === 'second', 'the updated file');

    await apply(`apiVersion: v1
kind: Pod
metadata: {name: oom}
spec:
  restartPolicy: Never
  containers:
  - name: main
    image: node
    command: ["${process.execPath}", "-e", "const a=[]; for(;;) a.push(Buffer.alloc(1<<20, 1))"]
    resources: {limits: {memory: 64Mi}}
`);
    const oom = await until(async () => {
      const p = await json('get', 'pod', 'oom');
      return p.status?.containerStatuses?.[0]?.state?.terminated ? p : undefined;
    }, 'the OOM kill');
    expect(oom.status.containerStatuses[0].state.terminated).toMatchObject({ reason: 'OOMKilled', exitCode: 137 });
    expect(oom.status.phase).toBe('Failed');
  });

  it('termination messages: the file at terminationMessagePath as root, the log tail on failure (FallbackToLogsOnError)', async () => {
    await apply(`apiVersion: v1
kind: Pod
metadata: {name: farewell}
spec:
  restartPolicy: Never
  containers:
  - name: file
    image: busybox
    command: ["sh", "-c", "echo 'written to the file' > /dev/termination-log; echo 'from the log'"]
  - name: logs
    image: busybox
    terminationMessagePolicy: FallbackToLogsOnError
    command: ["sh", "-c", "echo 'it went wrong' >&2; exit 4"]
`);
    const p = await until(async () => {
      const x = await json('get', 'pod', 'farewell');
      return x.status?.phase === 'Failed' ? x : undefined;
    }, 'the pod to finish');
    const term = (name: string) => p.status.containerStatuses.find((c: any) => c.name === name).state.terminated;
    expect(term('logs')).toMatchObject({ exitCode: 4, message: 'it went wrong\n' });
    // Without root the process runtime cannot mount the file (README: only the log fallback is left).
    if (isRoot) expect(term('file')).toMatchObject({ exitCode: 0, message: 'written to the file\n' });
    else expect(term('file').message).toBeUndefined();
    const d = await k('describe', 'pod', 'farewell');
    expect(d.stdout).toContain('it went wrong');
  });

  it('a pod without a command fails with a clear reason', async () => {
    await apply(`apiVersion: v1
kind: Pod
metadata: {name: nocmd}
spec:
  containers: [{name: main, image: nginx}]
`);
    const p = await until(async () => {
      const x = await json('get', 'pod', 'nocmd');
      return x.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CreateContainerError' ? x : undefined;
    }, 'CreateContainerError');
    expect(p.status.containerStatuses[0].state.waiting.message).toMatch(/command/);
  });
});
