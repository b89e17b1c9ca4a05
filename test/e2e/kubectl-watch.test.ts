// Watches, pods on nodes, autoscaling, metrics and health, namespace termination, CRDs and the
// transport, as kubectl and a plain client see them against a real k8ts server.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import http2 from 'node:http2';
import { SqliteStore, defaultSqlitePath } from '../../src/storage/index.js';
import { startServer, kubectl, cleanup, haveKubectl, type ServerHandle } from './harness.js';
import { rawClient, watchStream } from './raw.js';

const enabled = haveKubectl();
if (!enabled) console.warn('SKIPPED: kubectl watch/pod/autoscale end-to-end tests — kubectl is not on PATH');

/** Writes that happened before this server started: its watch cache begins after them. */
const SEEDED_WRITES = 5;

/** A long-running kubectl whose output is collected as it comes. */
function kubectlStream(s: ServerHandle, args: string[]) {
  const child: ChildProcess = spawn('kubectl', args, { env: { ...process.env, HOME: s.home, KUBECONFIG: s.kubeconfig }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters: { test: (out: string) => boolean; resolve: () => void; reject: (e: Error) => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) {
      if (w.test(stdout)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  child.stdout!.on('data', (d) => {
    stdout += d;
    check();
  });
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => {
    for (const w of waiters.splice(0)) w.reject(new Error(`kubectl exited (${code}) before the expected output; stdout:\n${stdout}\nstderr:\n${stderr}`));
    r(code);
  }));
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    /** Resolves once stdout satisfies the test. */
    until: (test: (out: string) => boolean) => new Promise<void>((resolve, reject) => {
      waiters.push({ test, resolve, reject });
      check();
    }),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

const lines = (out: string) => out.split('\n').filter((l) => l.trim() !== '');

async function until(f: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 600 && !(await f()); i++) await new Promise((r) => setTimeout(r, 50));
}

describe('kubectl watch, pods, autoscale, metrics, namespaces, CRDs, transport', () => {
  let s: ServerHandle;
  let raw: ReturnType<typeof rawClient>;
  const k = (...args: string[]) => kubectl(s, args);
  beforeAll(async () => {
    // Some history from before this server's start, as after a restart: a watch from then is too old.
    const dataDir = mkdtempSync(join(tmpdir(), 'k8ts-e2e-'));
    const seed = await SqliteStore.open(defaultSqlitePath(dataDir));
    for (let i = 0; i < SEEDED_WRITES; i++) await seed.create(`/registry/k8ts-e2e-seed/${i}`, '{}');
    await seed.close();
    s = await startServer({ dataDir });
    raw = rawClient(s);
  });
  afterAll(async () => {
    raw?.close();
    await s?.stop();
    if (s) cleanup(s);
  });

  it.skipIf(!enabled)('get cm -w prints the header once, then a row for each change', async () => {
    expect((await k('create', 'namespace', 'watching')).code).toBe(0);
    // The root CA publisher puts kube-root-ca.crt in every new namespace, as upstream's does.
    await until(async () => (await k('get', 'cm', 'kube-root-ca.crt', '-n', 'watching')).code === 0);
    expect((await k('create', 'configmap', 'existing', '-n', 'watching', '--from-literal=a=1')).code).toBe(0);
    const w = kubectlStream(s, ['get', 'cm', '-n', 'watching', '-w']);
    try {
      // The list comes first; the watch that follows starts at the list's resourceVersion.
      await w.until((out) => /^existing\s+1\s+\S+$/m.test(out));
      expect((await k('create', 'configmap', 'w1', '-n', 'watching', '--from-literal=a=1')).stdout.trim()).toBe('configmap/w1 created');
      await w.until((out) => /^w1\s+1\s+\S+$/m.test(out));
      expect((await k('patch', 'cm', 'w1', '-n', 'watching', '--type=merge', '-p', '{"data":{"b":"2"}}')).stdout.trim()).toBe('configmap/w1 patched');
      await w.until((out) => /^w1\s+2\s+\S+$/m.test(out));
      expect((await k('delete', 'cm', 'w1', '-n', 'watching')).stdout.trim()).toBe('configmap "w1" deleted');
      await w.until((out) => lines(out).filter((l) => /^w1\s+2\s+\S+$/.test(l)).length === 2);
      const got = lines(w.stdout());
      expect(got).toHaveLength(6);
      expect(got[0]).toMatch(/^NAME\s+DATA\s+AGE$/);
      expect(got.slice(1).map((l) => l.split(/\s+/).slice(0, 2).join(' '))).toEqual(['existing 1', 'kube-root-ca.crt 1', 'w1 1', 'w1 2', 'w1 2']);
      expect(w.stderr()).toBe('');
    } finally {
      await w.stop();
    }
  });

  it.skipIf(!enabled)('get pods -o wide shows IP, NODE, NOMINATED NODE and READINESS GATES; binding sets the node', async () => {
    expect((await k('run', 'p1', '--image=busybox', '--restart=Never', '--', 'sleep', '3600')).stdout.trim()).toBe('pod/p1 created');
    const before = await k('get', 'pods', 'p1', '-o', 'wide');
    expect(before.stdout).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/m);
    expect(before.stdout).toMatch(/^p1\s+0\/1\s+Pending\s+0\s+\S+\s+<none>\s+<none>\s+<none>\s+<none>$/m);
    // Without -o wide the priority-1 columns stay hidden.
    expect((await k('get', 'pods', 'p1')).stdout).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/m);

    const binding = { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p1' }, target: { apiVersion: 'v1', kind: 'Node', name: 'node-1' } };
    const r = await raw.request('POST', '/api/v1/namespaces/default/pods/p1/binding', JSON.stringify(binding));
    expect(r.status).toBe(201);
    expect(r.json()).toMatchObject({ kind: 'Status', status: 'Success', code: 201 });
    const again = await raw.request('POST', '/api/v1/namespaces/default/pods/p1/binding', JSON.stringify({ ...binding, target: { kind: 'Node', name: 'node-2' } }));
    expect(again.status).toBe(409);

    const after = await k('get', 'pods', '-o', 'wide');
    expect(after.stdout).toMatch(/^p1\s+0\/1\s+Pending\s+0\s+\S+\s+<none>\s+node-1\s+<none>\s+<none>$/m);
    const pod = JSON.parse((await k('get', 'pod', 'p1', '-o', 'json')).stdout);
    expect(pod.spec.nodeName).toBe('node-1');
    expect(pod.status.conditions).toEqual([expect.objectContaining({ type: 'PodScheduled', status: 'True' })]);
  });

  it.skipIf(!enabled)('a pod on a node is deleted gracefully (Terminating); --force --grace-period=0 removes it', async () => {
    const del = await k('delete', 'pod', 'p1', '--wait=false');
    expect(del.code).toBe(0);
    expect(del.stdout.trim()).toBe('pod "p1" deleted');
    const listed = await k('get', 'pod', 'p1');
    expect(listed.stdout).toMatch(/^p1\s+0\/1\s+Terminating\s+0\s+\S+$/m);
    const pod = JSON.parse((await k('get', 'pod', 'p1', '-o', 'json')).stdout);
    expect(pod.metadata.deletionGracePeriodSeconds).toBe(30);
    const due = Date.parse(pod.metadata.deletionTimestamp) - Date.parse(pod.metadata.creationTimestamp);
    expect(due).toBeGreaterThanOrEqual(29_000);

    const force = await k('delete', 'pod', 'p1', '--force', '--grace-period=0');
    expect(force.code).toBe(0);
    expect(force.stdout.trim()).toBe('pod "p1" force deleted');
    expect(force.stderr).toContain('Immediate deletion does not wait for confirmation that the running resource has been terminated');
    const gone = await k('get', 'pod', 'p1');
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toContain('pods "p1" not found');
  });

  it.skipIf(!enabled)('an unscheduled pod is deleted at once', async () => {
    await k('run', 'p2', '--image=busybox', '--restart=Never');
    expect((await k('delete', 'pod', 'p2', '--wait=false')).stdout.trim()).toBe('pod "p2" deleted');
    expect((await k('get', 'pod', 'p2')).stderr).toContain('pods "p2" not found');
  });

  it.skipIf(!enabled)('autoscale creates an autoscaling/v1 HPA that reads back through autoscaling/v2', async () => {
    expect((await k('create', 'deployment', 'd', '--image=nginx')).stdout.trim()).toBe('deployment.apps/d created');
    const a = await k('autoscale', 'deployment', 'd', '--max=5', '--cpu-percent=80');
    expect(a.stderr).toBe('');
    expect(a.stdout.trim()).toBe('horizontalpodautoscaler.autoscaling/d autoscaled');
    const get = await k('get', 'hpa');
    expect(get.stdout).toMatch(/^NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE$/m);
    expect(get.stdout).toMatch(/^d\s+Deployment\/d\s+cpu: <unknown>\/80%\s+1\s+5\s+0\s+\S+$/m);

    const v2 = JSON.parse((await k('get', 'horizontalpodautoscalers.v2.autoscaling', 'd', '-o', 'json')).stdout);
    expect(v2.apiVersion).toBe('autoscaling/v2');
    expect(v2.spec).toMatchObject({ minReplicas: 1, maxReplicas: 5, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd' } });
    expect(v2.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
    expect(v2.spec.targetCPUUtilizationPercentage).toBeUndefined();

    const v1 = JSON.parse((await k('get', 'horizontalpodautoscalers.v1.autoscaling', 'd', '-o', 'json')).stdout);
    expect(v1.apiVersion).toBe('autoscaling/v1');
    expect(v1.spec).toMatchObject({ minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 80 });
    expect(v1.spec.metrics).toBeUndefined();
    expect(v1.metadata.uid).toBe(v2.metadata.uid);
    expect(v1.metadata.resourceVersion).toBe(v2.metadata.resourceVersion);
    // kubectl's write is recorded in the version it was made in, with that version's fields.
    const mf = JSON.parse((await k('get', 'horizontalpodautoscalers.v1.autoscaling', 'd', '--show-managed-fields', '-o', 'jsonpath={.metadata.managedFields}')).stdout);
    const entry = mf.find((e: { manager: string }) => e.manager === 'kubectl-autoscale');
    expect(entry).toMatchObject({ apiVersion: 'autoscaling/v1', operation: 'Update' });
    expect(Object.keys(entry.fieldsV1['f:spec']).sort()).toEqual(['f:maxReplicas', 'f:minReplicas', 'f:scaleTargetRef', 'f:targetCPUUtilizationPercentage']);
  });

  it.skipIf(!enabled)('get --raw /metrics has the apiserver and storage metrics', async () => {
    await k('create', 'configmap', 'counted', '--from-literal=a=b');
    const r = await k('get', '--raw', '/metrics');
    expect(r.code).toBe(0);
    const m = r.stdout;
    expect(m).toMatch(/^# TYPE apiserver_request_total counter$/m);
    expect(m).toMatch(/^apiserver_request_total\{verb="POST",dry_run="",group="",version="v1",resource="configmaps",subresource="",scope="namespace",component="apiserver",code="201"\} [1-9]\d*$/m);
    expect(m).toMatch(/^apiserver_request_total\{verb="GET",[^}]*resource="configmaps"[^}]*code="404"\} [1-9]\d*$/m);
    expect(m).toMatch(/^# TYPE apiserver_request_duration_seconds histogram$/m);
    expect(m).toMatch(/^apiserver_request_duration_seconds_count\{verb="POST",[^}]*resource="configmaps"[^}]*\} [1-9]\d*$/m);
    expect(m).toMatch(/^apiserver_current_inflight_requests\{request_kind="(readOnly|mutating)"\} \d+$/m);
    const ns = /^apiserver_storage_objects\{resource="namespaces"\} (\d+)$/m.exec(m);
    expect(Number(ns?.[1])).toBeGreaterThanOrEqual(4);
    expect(m).toMatch(/^etcd_request_duration_seconds_count\{operation="create",type="configmaps"\} [1-9]\d*$/m);
  });

  it.skipIf(!enabled)("get --raw '/readyz?verbose' lists each check", async () => {
    const r = await k('get', '--raw', '/readyz?verbose');
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toEqual(['[+]ping ok', '[+]etcd ok', '[+]informer-sync ok', '[+]poststarthook/bootstrap-system-namespaces ok', 'readyz check passed']);
    expect((await k('get', '--raw', '/readyz/etcd')).stdout).toBe('ok');
    expect((await k('get', '--raw', '/livez')).stdout).toBe('ok');
  });

  it.skipIf(!enabled)('a deleted namespace is Terminating and refuses new content', async () => {
    expect((await k('create', 'namespace', 'x')).code).toBe(0);
    expect((await k('create', 'configmap', 'kept', '-n', 'x', '--from-literal=a=b')).code).toBe(0);
    const del = await k('delete', 'namespace', 'x', '--wait=false');
    expect(del.stdout.trim()).toBe('namespace "x" deleted');
    expect((await k('get', 'namespace', 'x')).stdout).toMatch(/^x\s+Terminating\s+\S+$/m);
    const ns = JSON.parse((await k('get', 'namespace', 'x', '-o', 'json')).stdout);
    expect(ns.metadata.deletionTimestamp).toBeTruthy();
    expect(ns.spec.finalizers).toEqual(['kubernetes']);
    expect(ns.status.phase).toBe('Terminating');

    const gen = await k('create', 'configmap', 'c', '-n', 'x', '--from-literal=a=b');
    expect(gen.code).not.toBe(0);
    expect(gen.stderr.trim()).toBe('error: failed to create configmap: configmaps "c" is forbidden: unable to create new content in namespace x because it is being terminated');
    const applied = await kubectl(s, ['apply', '-f', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c2\n  namespace: x\n' });
    expect(applied.code).not.toBe(0);
    expect(applied.stderr).toContain('Error from server (Forbidden): error when creating "STDIN": configmaps "c2" is forbidden: unable to create new content in namespace x because it is being terminated');
    // Server-side apply creating an object is admitted as a create too.
    const ssa = await kubectl(s, ['apply', '--server-side', '-f', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c3\n  namespace: x\n' });
    expect(ssa.code).not.toBe(0);
    expect(ssa.stderr.trim()).toBe('Error from server (Forbidden): configmaps "c3" is forbidden: unable to create new content in namespace x because it is being terminated');
    const missing = await kubectl(s, ['apply', '--server-side', '-f', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c4\n  namespace: no-such-namespace\n' });
    expect(missing.stderr.trim()).toBe('Error from server (NotFound): namespaces "no-such-namespace" not found');
    expect((await k('get', 'cm', '-A', '-o', 'name', '--field-selector', 'metadata.name=c3')).stdout).toBe('');
    // What is already there can still be read and changed.
    expect((await k('get', 'cm', 'kept', '-n', 'x', '-o', 'name')).stdout.trim()).toBe('configmap/kept');
    expect((await k('label', 'cm', 'kept', '-n', 'x', 'still=here')).code).toBe(0);
  });

  it.skipIf(!enabled)('apply -f of a CustomResourceDefinition stores it and get crd lists it', async () => {
    const crd = [
      'apiVersion: apiextensions.k8s.io/v1',
      'kind: CustomResourceDefinition',
      'metadata:',
      '  name: widgets.example.com',
      'spec:',
      '  group: example.com',
      '  names: {kind: Widget, listKind: WidgetList, plural: widgets, singular: widget, shortNames: [wg]}',
      '  scope: Namespaced',
      '  versions:',
      '  - name: v1',
      '    served: true',
      '    storage: true',
      '    schema:',
      '      openAPIV3Schema:',
      '        type: object',
      '        properties:',
      '          spec: {type: object, properties: {size: {type: integer}}}',
      '',
    ].join('\n');
    const r = await kubectl(s, ['apply', '-f', '-'], { input: crd });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('customresourcedefinition.apiextensions.k8s.io/widgets.example.com created');
    const list = await k('get', 'crd');
    expect(list.stdout).toMatch(/^NAME\s+CREATED AT$/m);
    expect(list.stdout).toMatch(/^widgets\.example\.com\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/m);
    const got = JSON.parse((await k('get', 'crd', 'widgets.example.com', '-o', 'json')).stdout);
    expect(got.spec.names).toMatchObject({ kind: 'Widget', plural: 'widgets', shortNames: ['wg'] });
    expect(got.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.size).toEqual({ type: 'integer' });
    expect((await kubectl(s, ['apply', '-f', '-'], { input: crd })).stdout.trim()).toBe('customresourcedefinition.apiextensions.k8s.io/widgets.example.com unchanged');
  });

  it('a watch with allowWatchBookmarks receives a BOOKMARK as the revision moves on', async () => {
    await raw.request('POST', '/api/v1/namespaces', JSON.stringify({ metadata: { name: 'bookmarks' } }));
    await until(async () => (await raw.request('GET', '/api/v1/namespaces/bookmarks/configmaps/kube-root-ca.crt')).status === 200);
    const listRv = (await raw.request('GET', '/api/v1/namespaces/bookmarks/configmaps')).json().metadata.resourceVersion;
    const w = await watchStream(s, `/api/v1/namespaces/bookmarks/configmaps?watch=true&allowWatchBookmarks=true&resourceVersion=${listRv}`, raw.agent);
    try {
      expect(w.status).toBe(200);
      // A write this watch does not see: only a bookmark can tell it the revision has moved.
      const other = (await raw.request('POST', '/api/v1/namespaces/default/secrets', JSON.stringify({ metadata: { name: 'bump' } }))).json();
      const bm = await w.next((ev) => ev.type === 'BOOKMARK');
      expect(bm.object.kind).toBe('ConfigMap');
      expect(bm.object.apiVersion).toBe('v1');
      expect(Number(bm.object.metadata.resourceVersion)).toBeGreaterThanOrEqual(Number(other.metadata.resourceVersion));
      expect(w.events.filter((e) => e.type !== 'BOOKMARK')).toEqual([]);
    } finally {
      w.close();
    }
  });

  it('a watch with sendInitialEvents=false and no resourceVersion starts now', async () => {
    await raw.request('POST', '/api/v1/namespaces', JSON.stringify({ metadata: { name: 'from-now' } }));
    expect((await raw.request('POST', '/api/v1/namespaces/from-now/configmaps', JSON.stringify({ metadata: { name: 'before' } }))).status).toBe(201);
    const w = await watchStream(s, '/api/v1/namespaces/from-now/configmaps?watch=true&sendInitialEvents=false&resourceVersionMatch=NotOlderThan', raw.agent);
    try {
      expect(w.status).toBe(200);
      expect((await raw.request('POST', '/api/v1/namespaces/from-now/configmaps', JSON.stringify({ metadata: { name: 'after' } }))).status).toBe(201);
      await w.next((ev) => ev.object?.metadata?.name === 'after');
      expect(w.events.map((ev) => `${ev.type} ${ev.object.metadata?.name ?? ev.object.message}`)).toEqual(['ADDED after']);
    } finally {
      w.close();
    }
  });

  it('a watch of one namespace by its path sees it change', async () => {
    expect((await raw.request('POST', '/api/v1/namespaces', JSON.stringify({ metadata: { name: 'watched-ns' } }))).status).toBe(201);
    for (const path of ['/api/v1/watch/namespaces/watched-ns', '/api/v1/namespaces/watched-ns?watch=true']) {
      const w = await watchStream(s, path, raw.agent);
      try {
        const added = await w.next((ev) => ev.type === 'ADDED');
        expect(added.object.metadata.name).toBe('watched-ns');
        const label = `v${Date.now()}`;
        const p = await raw.request('PATCH', '/api/v1/namespaces/watched-ns', JSON.stringify({ metadata: { labels: { seen: label } } }), { 'Content-Type': 'application/merge-patch+json' });
        expect(p.status).toBe(200);
        const modified = await w.next((ev) => ev.type === 'MODIFIED' && ev.object.metadata.labels?.seen === label);
        expect(modified.object.metadata.resourceVersion).toBe(p.json().metadata.resourceVersion);
      } finally {
        w.close();
      }
    }
  });

  it('a watch from before the watch cache window gets an ERROR event with 410 Expired', async () => {
    const w = await watchStream(s, '/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=1', raw.agent);
    await w.ended;
    expect(w.status).toBe(200);
    expect(w.events).toHaveLength(1);
    expect(w.events[0].type).toBe('ERROR');
    expect(w.events[0].object).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Expired', code: 410 });
    expect(w.events[0].object.message).toBe(`too old resource version: 1 (${SEEDED_WRITES})`);
    // From the cache's first revision on, the watch works and replays what came after it.
    expect((await raw.request('POST', '/api/v1/namespaces/default/configmaps', JSON.stringify({ metadata: { name: 'after-seed' } }))).status).toBe(201);
    const ok = await watchStream(s, `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${SEEDED_WRITES}`, raw.agent);
    try {
      const added = await ok.next((ev) => ev.object?.metadata?.name === 'after-seed');
      expect(added.type).toBe('ADDED');
      expect(ok.events.every((ev) => ev.type === 'ADDED' && Number(ev.object.metadata.resourceVersion) > SEEDED_WRITES)).toBe(true);
    } finally {
      ok.close();
    }
  });

  it('a list at a resourceVersion the server has not reached is 504 Timeout "Too large resource version"', async () => {
    const current = Number((await raw.request('GET', '/api/v1/namespaces/default/configmaps')).json().metadata.resourceVersion);
    const future = current + 1_000_000;
    // Exact (and the legacy limit form) read the store; without a match the cache waits for it first.
    for (const query of [`resourceVersion=${future}&resourceVersionMatch=Exact`, `resourceVersion=${future}&limit=10`, `resourceVersion=${future}`]) {
      const r = await raw.request('GET', `/api/v1/namespaces/default/configmaps?${query}`);
      expect(r.status, query).toBe(504);
      const st = r.json();
      expect(st).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Timeout', code: 504 });
      expect(st.message).toMatch(new RegExp(`^Timeout: Too large resource version: ${future}, current: \\d+$`));
      expect(st.details.causes).toEqual([{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }]);
    }
  });

  it('negotiates HTTP/2 (ALPN h2) and serves /version over it', async () => {
    const tls = join(s.dataDir, 'tls');
    const session = http2.connect(s.url, { ca: readFileSync(join(tls, 'ca.crt')), cert: readFileSync(join(tls, 'admin.crt')), key: readFileSync(join(tls, 'admin.key')) });
    try {
      await new Promise<void>((resolve, reject) => {
        session.once('connect', () => resolve());
        session.once('error', reject);
      });
      expect(session.alpnProtocol).toBe('h2');
      const get = (path: string) => new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = session.request({ ':method': 'GET', ':path': path });
        let status = 0;
        let body = '';
        req.setEncoding('utf8');
        req.on('response', (h) => (status = Number(h[':status'])));
        req.on('data', (d: string) => (body += d));
        req.on('end', () => resolve({ status, body }));
        req.on('error', reject);
        req.end();
      });
      const v = await get('/version');
      expect(v.status).toBe(200);
      expect(JSON.parse(v.body).gitVersion).toMatch(/^v1\.\d+\.\d+-k8ts/);
      // The client certificate authenticates HTTP/2 requests too.
      const ns = await get('/api/v1/namespaces/default');
      expect(ns.status).toBe(200);
      expect(JSON.parse(ns.body).metadata.name).toBe('default');
    } finally {
      session.close();
    }
  });
});
