// kubectl's discovery-driven commands against a real k8ts server.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startServer, kubectl, cleanup, haveKubectl, type ServerHandle } from './harness.js';

const enabled = haveKubectl();
if (!enabled) console.warn('SKIPPED: kubectl end-to-end tests — kubectl is not on PATH');

describe.skipIf(!enabled)('kubectl discovery, version, explain, auth', () => {
  let s: ServerHandle;
  beforeAll(async () => {
    s = await startServer({ datastore: 'memory://' });
  });
  afterAll(async () => {
    await s?.stop();
    if (s) cleanup(s);
  });

  it('version reports the served API level', async () => {
    const r = await kubectl(s, ['version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Server Version: v1\.35\.\d+-k8ts/);
  });

  it('api-resources lists core and group resources with short names', async () => {
    const r = await kubectl(s, ['api-resources']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^NAME\s+SHORTNAMES\s+APIVERSION\s+NAMESPACED\s+KIND/);
    expect(lines.some((l) => /^pods\s+po\s+v1\s+true\s+Pod$/.test(l))).toBe(true);
    expect(lines.some((l) => /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/.test(l))).toBe(true);
    expect(lines.some((l) => /^namespaces\s+ns\s+v1\s+false\s+Namespace$/.test(l))).toBe(true);
    expect(lines.some((l) => /^customresourcedefinitions\s+crd,crds\s+apiextensions\.k8s\.io\/v1\s+false\s+CustomResourceDefinition$/.test(l))).toBe(true);
  });

  it('api-versions lists the served group-versions', async () => {
    const r = await kubectl(s, ['api-versions']);
    const v = r.stdout.trim().split('\n');
    for (const gv of ['v1', 'apps/v1', 'batch/v1', 'autoscaling/v1', 'autoscaling/v2', 'networking.k8s.io/v1', 'policy/v1', 'rbac.authorization.k8s.io/v1', 'coordination.k8s.io/v1', 'apiextensions.k8s.io/v1', 'authorization.k8s.io/v1']) {
      expect(v).toContain(gv);
    }
  });

  it('explain renders fields from the OpenAPI documents', async () => {
    const r = await kubectl(s, ['explain', 'deployment.spec.strategy']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('GROUP:      apps');
    expect(r.stdout).toContain('KIND:       Deployment');
    expect(r.stdout).toContain('rollingUpdate');
    const p = await kubectl(s, ['explain', 'pods.spec.containers']);
    expect(p.stdout).toMatch(/image\s+<string>/);
  });

  it('auth can-i answers from the authorizer (protobuf SelfSubjectAccessReview)', async () => {
    const r = await kubectl(s, ['auth', 'can-i', 'create', 'deployments']);
    expect(r.stdout.trim()).toBe('yes');
    const list = await kubectl(s, ['auth', 'can-i', '--list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/\*\.\*\s+\[\]\s+\[\]\s+\[\*\]/);
    const who = await kubectl(s, ['auth', 'whoami']);
    expect(who.stdout).toMatch(/Username\s+admin/);
    expect(who.stdout).toMatch(/system:masters/);
  });

  it('the system namespaces and the kubernetes service exist', async () => {
    const r = await kubectl(s, ['get', 'namespaces', '-o', 'name']);
    expect(r.stdout.trim().split('\n').sort()).toEqual(['namespace/default', 'namespace/kube-node-lease', 'namespace/kube-public', 'namespace/kube-system']);
    const svc = await kubectl(s, ['get', 'svc', 'kubernetes', '-n', 'default', '-o', 'jsonpath={.spec.clusterIP} {.spec.ports[0].port}']);
    expect(svc.stdout).toBe('10.96.0.1 443');
  });

  it('the system priority classes exist and a pod gets its class priority', async () => {
    const pc = await kubectl(s, ['get', 'priorityclass', '-o', 'name']);
    expect(pc.stdout.trim().split('\n')).toEqual(['priorityclass.scheduling.k8s.io/system-cluster-critical', 'priorityclass.scheduling.k8s.io/system-node-critical']);
    expect((await kubectl(s, ['create', 'priorityclass', 'high', '--value=1000'])).code).toBe(0);
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: prio\nspec:\n  priorityClassName: high\n  containers: [{name: c, image: x}]\n';
    expect((await kubectl(s, ['create', '-f', '-'], { input: pod })).code).toBe(0);
    expect((await kubectl(s, ['get', 'pod', 'prio', '-o', 'jsonpath={.spec.priority}'])).stdout).toBe('1000');
    const missing = await kubectl(s, ['create', '-f', '-'], { input: pod.replace('prio', 'prio2').replace('high', 'missing') });
    expect(missing.stderr).toContain('Error from server (Forbidden): error when creating "STDIN": pods "prio2" is forbidden: no PriorityClass with name missing was found');
  });

  it('an unauthenticated client is refused with 401', async () => {
    // Bearer tokens are not an authentication method yet, so the request is anonymous.
    const r = await kubectl(s, ['--kubeconfig', '/dev/null', '--server', s.url, '--insecure-skip-tls-verify', '--token', 'not-a-valid-token', 'get', 'pods']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('You must be logged in to the server (Unauthorized)');
  });
});
