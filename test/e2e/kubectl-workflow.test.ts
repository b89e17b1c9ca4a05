// The everyday kubectl workflow against a real k8ts server: apply, get, describe, edit,
// label/annotate, scale, patch, replace, server-side apply, delete and wait.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, kubectl, cleanup, haveKubectl, editorScript, type ServerHandle } from './harness.js';

const enabled = haveKubectl();
const APP = readFileSync(join(import.meta.dirname, 'testdata/app.yaml'), 'utf8');

describe.skipIf(!enabled)('kubectl workflow', () => {
  let s: ServerHandle;
  const k = (...args: string[]) => kubectl(s, args);
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(async () => {
    await s?.stop();
    if (s) cleanup(s);
  });

  it('apply -f creates a Deployment, Service and ConfigMap', async () => {
    const r = await kubectl(s, ['apply', '-f', '-'], { input: APP });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toEqual(['configmap/web-config created', 'deployment.apps/web created', 'service/web created']);
  });

  it('get all shows the deployment and service with upstream columns', async () => {
    const r = await k('get', 'all');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE/);
    expect(r.stdout).toMatch(/service\/kubernetes\s+ClusterIP\s+10\.96\.0\.1\s+<none>\s+443\/TCP/);
    expect(r.stdout).toMatch(/NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE/);
    expect(r.stdout).toMatch(/deployment\.apps\/web\s+0\/2\s+\d+\s+0\s+\d+s/);
  });

  it('get supports -o yaml/json/name/wide, -l, --show-labels, -A and field selectors', async () => {
    const y = await k('get', 'deploy', 'web', '-o', 'yaml');
    expect(y.stdout).toContain('kind: Deployment');
    expect(y.stdout).toContain('revisionHistoryLimit: 10');
    expect(y.stdout).toContain('maxSurge: 25%');
    expect(y.stdout).toContain('progressDeadlineSeconds: 600');
    expect(y.stdout).toMatch(/imagePullPolicy: IfNotPresent/);
    const j = JSON.parse((await k('get', 'cm', 'web-config', '-o', 'json')).stdout);
    expect(j.data).toEqual({ greeting: 'hello' });
    expect(j.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).toBeTruthy();
    expect((await k('get', 'cm', '-l', 'app=web', '-o', 'name')).stdout.trim()).toBe('configmap/web-config');
    expect((await k('get', 'cm', '-l', 'app!=web', '-o', 'name')).stdout).not.toContain('web-config');
    const labels = await k('get', 'svc', 'web', '--show-labels');
    expect(labels.stdout).toMatch(/web\s+ClusterIP\s+.*app=web/);
    const all = await k('get', 'cm', '-A');
    expect(all.stdout).toMatch(/^NAMESPACE\s+NAME\s+DATA\s+AGE/);
    expect(all.stdout).toMatch(/default\s+web-config\s+1\s+/);
    const fs = await k('get', 'ns', '--field-selector', 'metadata.name=kube-system', '-o', 'name');
    expect(fs.stdout.trim()).toBe('namespace/kube-system');
    const wide = await k('get', 'svc', 'web', '-o', 'wide');
    expect(wide.stdout).toMatch(/SELECTOR/);
    expect(wide.stdout).toMatch(/app=web/);
    const bad = await k('get', 'pods', '--field-selector', 'spec.bogus=x');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('field label not supported: spec.bogus');
  });

  it('re-applying a changed manifest patches the objects', async () => {
    const changed = APP.replace('greeting: hello', 'greeting: bonjour').replace('replicas: 2', 'replicas: 3');
    const r = await kubectl(s, ['apply', '-f', '-'], { input: changed });
    expect(r.stdout.trim().split('\n')).toEqual(['configmap/web-config configured', 'deployment.apps/web configured', 'service/web unchanged']);
    expect((await k('get', 'cm', 'web-config', '-o', 'jsonpath={.data.greeting}')).stdout).toBe('bonjour');
    expect((await k('get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas} {.metadata.generation}')).stdout).toBe('3 2');
  });

  it('describe prints the object', async () => {
    const r = await k('describe', 'deployment', 'web');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Name:\s+web/);
    expect(r.stdout).toMatch(/Replicas:\s+3 desired/);
    expect(r.stdout).toMatch(/StrategyType:\s+RollingUpdate/);
    const svc = await k('describe', 'svc', 'web');
    expect(svc.stdout).toMatch(/Selector:\s+app=web/);
  });

  it('label and annotate add, overwrite and remove; --resource-version conflicts', async () => {
    expect((await k('label', 'cm', 'web-config', 'tier=frontend')).stdout.trim()).toBe('configmap/web-config labeled');
    expect((await k('get', 'cm', 'web-config', '-o', 'jsonpath={.metadata.labels.tier}')).stdout).toBe('frontend');
    expect((await k('label', 'cm', 'web-config', 'tier-')).stdout.trim()).toBe('configmap/web-config unlabeled');
    expect((await k('annotate', 'cm', 'web-config', 'note=first')).stdout.trim()).toBe('configmap/web-config annotated');
    const stale = await k('annotate', 'cm', 'web-config', 'note=second', '--overwrite', '--resource-version=1');
    expect(stale.code).not.toBe(0);
    expect(stale.stderr).toContain('Error from server (Conflict)');
    expect(stale.stderr).toContain('the object has been modified');
    await k('annotate', 'cm', 'web-config', 'note-');
    expect((await k('get', 'cm', 'web-config', '-o', 'jsonpath={.metadata.annotations.note}')).stdout).toBe('');
  });

  it('scale sets replicas through the scale subresource', async () => {
    expect((await k('scale', 'deployment', 'web', '--replicas=5')).stdout.trim()).toBe('deployment.apps/web scaled');
    expect((await k('get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}')).stdout).toBe('5');
    const cur = await k('scale', 'deployment', 'web', '--current-replicas=4', '--replicas=1');
    expect(cur.code).not.toBe(0);
    expect(cur.stderr).toContain('Expected replicas to be 4, was 5');
  });

  it('patch with json, merge and strategic patches', async () => {
    await k('patch', 'cm', 'web-config', '--type=merge', '-p', '{"data":{"extra":"1"}}');
    await k('patch', 'cm', 'web-config', '--type=json', '-p', '[{"op":"replace","path":"/data/extra","value":"2"}]');
    expect((await k('get', 'cm', 'web-config', '-o', 'jsonpath={.data.extra}')).stdout).toBe('2');
    const bad = await k('patch', 'cm', 'web-config', '--type=json', '-p', '[{"op":"test","path":"/data/extra","value":"9"}]');
    expect(bad.code).not.toBe(0);
    await k('patch', 'deploy', 'web', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"busybox:1.36"}]}}}}');
    const names = (await k('get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[*].name}')).stdout;
    // Upstream's merge puts patch items not in the live list first (mergeSortedSlice).
    expect(names).toBe('sidecar web');
    await k('patch', 'deploy', 'web', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","$patch":"delete"}]}}}}');
    expect((await k('get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[*].name}')).stdout).toBe('web');
  });

  it('edit applies what the editor changed', async () => {
    const ed = editorScript(s.home, `sed -i 's/greeting: bonjour/greeting: hallo/' "$1"`);
    const r = await kubectl(s, ['edit', 'cm', 'web-config'], { env: { EDITOR: ed, KUBE_EDITOR: ed } });
    expect(r.stdout.trim()).toBe('configmap/web-config edited');
    expect((await k('get', 'cm', 'web-config', '-o', 'jsonpath={.data.greeting}')).stdout).toBe('hallo');
  });

  it('create and replace from a file', async () => {
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\ndata:\n  a: "1"\n';
    expect((await kubectl(s, ['create', '-f', '-'], { input: cm })).stdout.trim()).toBe('configmap/plain created');
    const again = await kubectl(s, ['create', '-f', '-'], { input: cm });
    expect(again.stderr).toContain('Error from server (AlreadyExists): error when creating "STDIN": configmaps "plain" already exists');
    expect((await kubectl(s, ['replace', '-f', '-'], { input: cm.replace('"1"', '"2"') })).stdout.trim()).toBe('configmap/plain replaced');
    expect((await k('get', 'cm', 'plain', '-o', 'jsonpath={.data.a}')).stdout).toBe('2');
  });

  it('create generators (protobuf bodies) make the expected objects', async () => {
    expect((await k('create', 'namespace', 'team-a')).stdout.trim()).toBe('namespace/team-a created');
    expect((await k('create', 'configmap', 'c1', '-n', 'team-a', '--from-literal=k=v')).stdout.trim()).toBe('configmap/c1 created');
    expect((await k('create', 'secret', 'generic', 's1', '-n', 'team-a', '--from-literal=password=hunter2')).stdout.trim()).toBe('secret/s1 created');
    expect((await k('create', 'deployment', 'd1', '-n', 'team-a', '--image=nginx', '--replicas=2', '--port=80')).stdout.trim()).toBe('deployment.apps/d1 created');
    expect((await k('create', 'service', 'clusterip', 'svc1', '-n', 'team-a', '--tcp=80:8080')).stdout.trim()).toBe('service/svc1 created');
    const sec = JSON.parse((await k('get', 'secret', 's1', '-n', 'team-a', '-o', 'json')).stdout);
    expect(Buffer.from(sec.data.password, 'base64').toString()).toBe('hunter2');
    expect(sec.type).toBe('Opaque');
    const d = JSON.parse((await k('get', 'deploy', 'd1', '-n', 'team-a', '-o', 'json')).stdout);
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.template.spec.containers[0]).toMatchObject({ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80, protocol: 'TCP' }] });
    const svc = JSON.parse((await k('get', 'svc', 'svc1', '-n', 'team-a', '-o', 'json')).stdout);
    expect(svc.spec.ports[0]).toMatchObject({ port: 80, targetPort: 8080, protocol: 'TCP', name: '80-8080' });
    const missing = await k('create', 'configmap', 'c2', '-n', 'nope', '--from-literal=a=b');
    expect(missing.stderr).toContain('namespaces "nope" not found');
  });

  it('server-side apply creates, conflicts with another manager and forces', async () => {
    const obj = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n  owner: kubectl\n';
    expect((await kubectl(s, ['apply', '--server-side', '-f', '-'], { input: obj })).stdout.trim()).toBe('configmap/ssa serverside-applied');
    await k('patch', 'cm', 'ssa', '--type=merge', '-p', '{"data":{"owner":"someone-else"}}', '--field-manager=other');
    const conflict = await kubectl(s, ['apply', '--server-side', '-f', '-'], { input: obj });
    expect(conflict.code).not.toBe(0);
    expect(conflict.stderr).toContain('conflict with "other"');
    expect(conflict.stderr).toContain('.data.owner');
    const forced = await kubectl(s, ['apply', '--server-side', '--force-conflicts', '-f', '-'], { input: obj });
    expect(forced.stdout.trim()).toBe('configmap/ssa serverside-applied');
    expect((await k('get', 'cm', 'ssa', '-o', 'jsonpath={.data.owner}')).stdout).toBe('kubectl');
  });

  it('validation errors print as against upstream', async () => {
    const bad = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\n';
    const r = await kubectl(s, ['create', '-f', '-'], { input: bad });
    expect(r.stderr).toContain('The ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain');
    const unknown = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\nbogus: 1\n';
    const u = await kubectl(s, ['create', '-f', '-'], { input: unknown });
    expect(u.code).not.toBe(0);
    expect(u.stderr).toContain('unknown field "bogus"');
  });

  it('delete with finalizers leaves the object until they are removed; wait --for=delete', async () => {
    await kubectl(s, ['create', '-f', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: held\n  finalizers: ["example.com/hold"]\n' });
    const del = await k('delete', 'cm', 'held', '--wait=false');
    expect(del.stdout.trim()).toBe('configmap "held" deleted');
    const got = JSON.parse((await k('get', 'cm', 'held', '-o', 'json')).stdout);
    expect(got.metadata.deletionTimestamp).toBeTruthy();
    const waiting = kubectl(s, ['wait', '--for=delete', 'cm/held', '--timeout=30s']);
    await k('patch', 'cm', 'held', '--type=merge', '-p', '{"metadata":{"finalizers":null}}');
    const w = await waiting;
    expect(w.code).toBe(0);
    expect((await k('get', 'cm', 'held')).stderr).toContain('configmaps "held" not found');
  });

  it('delete --cascade=foreground removes dependents first, then the owner', async () => {
    const owner = JSON.parse((await kubectl(s, ['create', '-f', '-', '-o', 'json'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fg-owner\n' })).stdout);
    const dep = {
      apiVersion: 'v1', kind: 'ConfigMap',
      metadata: { name: 'fg-dep', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'fg-owner', uid: owner.metadata.uid, blockOwnerDeletion: true }] },
    };
    expect((await kubectl(s, ['create', '-f', '-'], { input: JSON.stringify(dep) })).code).toBe(0);
    const del = await k('delete', 'cm', 'fg-owner', '--cascade=foreground', '--timeout=60s');
    expect(del.stdout.trim()).toBe('configmap "fg-owner" deleted');
    expect((await k('get', 'cm', 'fg-owner')).stderr).toContain('not found');
    expect((await k('get', 'cm', 'fg-dep')).stderr).toContain('not found');
  });

  it('delete --cascade=orphan keeps dependents without the owner reference', async () => {
    const owner = JSON.parse((await kubectl(s, ['create', '-f', '-', '-o', 'json'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: or-owner\n' })).stdout);
    const dep = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'or-dep', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'or-owner', uid: owner.metadata.uid }] } };
    await kubectl(s, ['create', '-f', '-'], { input: JSON.stringify(dep) });
    await k('delete', 'cm', 'or-owner', '--cascade=orphan', '--timeout=60s');
    const left = JSON.parse((await k('get', 'cm', 'or-dep', '-o', 'json')).stdout);
    expect(left.metadata.ownerReferences ?? []).toEqual([]);
  });

  it('delete -f removes what apply created (background propagation)', async () => {
    const r = await kubectl(s, ['delete', '-f', '-'], { input: APP });
    expect(r.stdout.trim().split('\n')).toEqual(['configmap "web-config" deleted', 'deployment.apps "web" deleted', 'service "web" deleted']);
    expect((await k('get', 'deploy', 'web')).stderr).toContain('deployments.apps "web" not found');
  });

  it('events can be created and listed', async () => {
    const ev = {
      apiVersion: 'v1', kind: 'Event', metadata: { name: 'plain.1' },
      involvedObject: { kind: 'ConfigMap', name: 'plain', namespace: 'default', apiVersion: 'v1' },
      reason: 'Tested', message: 'an event for the test', type: 'Normal', source: { component: 'e2e' },
      firstTimestamp: new Date().toISOString().replace(/\.\d+Z/, 'Z'), lastTimestamp: new Date().toISOString().replace(/\.\d+Z/, 'Z'), count: 1,
    };
    expect((await kubectl(s, ['create', '-f', '-'], { input: JSON.stringify(ev) })).code).toBe(0);
    const r = await k('events');
    expect(r.stdout).toMatch(/LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE/);
    expect(r.stdout).toMatch(/Normal\s+Tested\s+ConfigMap\/plain\s+an event for the test/);
    const g = await k('get', 'events', '--field-selector', 'reason=Tested', '-o', 'name');
    expect(g.stdout.trim()).toBe('event/plain.1');
  });
});
