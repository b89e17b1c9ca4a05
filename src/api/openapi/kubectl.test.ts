// The real kubectl against the discovery and OpenAPI documents: a tiny HTTP server answers
// /version, discovery and /openapi/* (plus a POST of pods, to see how kubectl validates), and
// kubectl's output is asserted as a user would read it. Skipped when kubectl is absent.
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSchema } from '../schema/index.js';
import { Registry } from '../registry/index.js';
import { buildDiscoveryDocuments, AGGREGATED_DISCOVERY_CONTENT_TYPE } from '../discovery/index.js';
import { buildOpenApiV3 } from './v3.js';
import { servedOpenApiV2 } from './v2.js';

const hasKubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
if (!hasKubectl) console.warn('kubectl not found on PATH: skipping the kubectl discovery/openapi tests');

interface Seen {
  method: string;
  url: string;
  accept: string;
  contentType?: string;
}

describe.skipIf(!hasKubectl)('kubectl against the discovery and OpenAPI documents', () => {
  const schema = loadSchema();
  const registry = new Registry(schema);
  const seen: Seen[] = [];
  let server: http.Server;
  let dir: string;
  let url: string;
  let runs = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'k8ts-kubectl-openapi-'));
    server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    url = `http://127.0.0.1:${port}`;
    const discovery = buildDiscoveryDocuments(registry, { serverAddress: `127.0.0.1:${port}` });
    const v3 = buildOpenApiV3(schema, registry);
    const v2 = servedOpenApiV2(schema, registry);
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      const u = new URL(req.url ?? '/', url);
      const entry: Seen = { method: req.method ?? '', url: req.url ?? '', accept: String(req.headers.accept ?? '') };
      seen.push(entry);
      const send = (code: number, body: string | Buffer, contentType = 'application/json') => {
        entry.contentType = contentType;
        res.writeHead(code, { 'Content-Type': contentType });
        res.end(body);
      };
      if (req.method === 'POST' && u.pathname === '/api/v1/namespaces/default/pods') {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => {
          const pod = JSON.parse(body);
          pod.metadata = { ...pod.metadata, namespace: 'default', uid: 'u1', resourceVersion: '1' };
          send(201, JSON.stringify(pod));
        });
        return;
      }
      if (req.method !== 'GET') return send(405, '{}');
      if (u.pathname === '/version') {
        return send(200, JSON.stringify({
          major: '1', minor: '35', gitVersion: 'v1.35.0-k8ts', gitCommit: '', gitTreeState: 'clean', buildDate: '1970-01-01T00:00:00Z',
          goVersion: 'node', compiler: 'tsc', platform: 'linux/amd64',
        }));
      }
      const answer = discovery.lookup(u.pathname, req.headers.accept);
      if (answer) return send(200, answer.document.bytes, answer.contentType);
      if (u.pathname === '/openapi/v3') return send(200, v3.rootDocument.bytes);
      const doc = u.pathname.startsWith('/openapi/v3/') ? v3.documents.get(u.pathname.slice('/openapi/v3/'.length)) : undefined;
      if (doc) return send(200, doc.bytes);
      if (u.pathname === '/openapi/v2') return send(200, v2.bytes);
      send(404, JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'not found', reason: 'NotFound', code: 404 }));
    });
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs kubectl with a fresh cache dir and no kubeconfig of the user's. */
  function kubectl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const cache = join(dir, `cache-${++runs}`);
    const env = { ...process.env, KUBECONFIG: join(dir, 'no-kubeconfig'), HOME: dir };
    return new Promise((resolve) => {
      execFile('kubectl', ['--server', url, '--cache-dir', cache, ...args], { env, timeout: 60_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      });
    });
  }

  it('api-resources lists resources from aggregated discovery', async () => {
    const r = await kubectl('api-resources');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^NAME\s+SHORTNAMES\s+APIVERSION\s+NAMESPACED\s+KIND$/m);
    expect(r.stdout).toMatch(/^pods\s+po\s+v1\s+true\s+Pod$/m);
    expect(r.stdout).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    expect(r.stdout).toMatch(/^nodes\s+no\s+v1\s+false\s+Node$/m);
    expect(r.stdout).toMatch(/^horizontalpodautoscalers\s+hpa\s+autoscaling\/v2\s+true\s+HorizontalPodAutoscaler$/m);
    expect(r.stdout).toMatch(/^customresourcedefinitions\s+crd,crds\s+apiextensions.k8s.io\/v1\s+false\s+CustomResourceDefinition$/m);
    const apis = seen.filter((s) => s.url.startsWith('/apis?'));
    expect(apis.length).toBeGreaterThan(0);
    expect(apis.every((s) => s.contentType === AGGREGATED_DISCOVERY_CONTENT_TYPE)).toBe(true);
  });

  it('api-resources --categories=all lists what "kubectl get all" expands to', async () => {
    const r = await kubectl('api-resources', '--categories=all', '-o', 'name');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').sort()).toEqual([
      'cronjobs.batch', 'daemonsets.apps', 'deployments.apps', 'horizontalpodautoscalers.autoscaling', 'jobs.batch', 'pods',
      'replicasets.apps', 'replicationcontrollers', 'services', 'statefulsets.apps',
    ]);
  });

  it('api-versions lists every group-version', async () => {
    const r = await kubectl('api-versions');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toEqual(expect.arrayContaining(['v1', 'apps/v1', 'autoscaling/v1', 'autoscaling/v2', 'batch/v1', 'rbac.authorization.k8s.io/v1']));
  });

  it('explain pods prints the kind and its fields', async () => {
    const r = await kubectl('explain', 'pods');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^KIND:\s+Pod$/m);
    expect(r.stdout).toMatch(/^VERSION:\s+v1$/m);
    expect(r.stdout).toContain('FIELDS:');
    expect(r.stdout).toMatch(/^ {2}spec\t<PodSpec>$/m);
    expect(r.stdout).toMatch(/^ {2}metadata\t<ObjectMeta>$/m);
    expect(seen.some((s) => s.url.startsWith('/openapi/v3/api/v1?hash='))).toBe(true);
  });

  it('explain follows field paths through allOf references', async () => {
    const r = await kubectl('explain', 'deployment.spec.strategy.rollingUpdate');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^GROUP:\s+apps$/m);
    expect(r.stdout).toMatch(/^KIND:\s+Deployment$/m);
    expect(r.stdout).toMatch(/^FIELD: rollingUpdate <RollingUpdateDeployment>$/m);
    expect(r.stdout).toMatch(/^ {2}maxSurge\t<IntOrString>$/m);
    const strategy = await kubectl('explain', 'deployment.spec.strategy');
    expect(strategy.stdout).toMatch(/^FIELD: strategy <DeploymentStrategy>$/m);
    const containers = await kubectl('explain', 'pods.spec.containers');
    expect(containers.stdout).toMatch(/^FIELD: containers <\[\]Container>$/m);
    expect(containers.stdout).toMatch(/^ {2}name\t<string> -required-$/m);
  });

  it('explain --recursive walks nested fields', async () => {
    const r = await kubectl('explain', 'pods', '--recursive');
    expect(r.code).toBe(0);
    const head = r.stdout.split('\n').slice(0, 40).join('\n');
    expect(head).toMatch(/^KIND:\s+Pod$/m);
    expect(head).toMatch(/^ {2}metadata\t<ObjectMeta>$/m);
    expect(head).toMatch(/^ {4}annotations\t<map\[string\]string>$/m);
    expect(r.stdout).toMatch(/^ {4}containers\t<\[\]Container> -required-$/m);
  });

  it('explain uses the preferred version (autoscaling/v2 for hpa)', async () => {
    const r = await kubectl('explain', 'hpa');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^GROUP:\s+autoscaling$/m);
    expect(r.stdout).toMatch(/^VERSION:\s+v2$/m);
  });

  it('create -f leaves field validation to the server (fieldValidation=Strict)', async () => {
    const file = join(dir, 'pod.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: Pod\nmetadata: {name: p1, namespace: default}\nspec:\n  containers: [{name: c, image: busybox}]\n');
    const r = await kubectl('create', '-f', file);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('pod/p1 created');
    const post = seen.find((s) => s.method === 'POST');
    expect(post?.url).toBe('/api/v1/namespaces/default/pods?fieldManager=kubectl-create&fieldValidation=Strict');
  });
});
