// Service allocation through a real API server (SQLite in a temporary data dir, so a restart
// reopens the same store): create, update, delete, dry run, concurrency and restart.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type RunningApiServer } from '../api-server.js';

const ADMIN = { name: 'admin', groups: ['system:masters', 'system:authenticated'] };
const SVCS = '/api/v1/namespaces/default/services';
let dir: string;
let server: RunningApiServer;

async function call(method: string, path: string, body?: unknown, query?: Record<string, string>, contentType = 'application/json') {
  const r = await server.inProcess({ method, path, query, user: ADMIN, body: body === undefined ? undefined : JSON.stringify(body), headers: { 'content-type': contentType } });
  const chunks: Buffer[] = [];
  for await (const c of r.body) chunks.push(c);
  return { status: r.status, json: JSON.parse(Buffer.concat(chunks).toString() || '{}') };
}

const service = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: name }, ports: [{ port: 80 }], ...spec },
});

const start = () => startApiServer({ dataDir: dir, bindAddress: '127.0.0.1', port: 0 });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'k8ts-svc-alloc-'));
  server = await start();
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('service allocation through the API', () => {
  it('keeps 10.96.0.1 for the kubernetes service and allocates others from the range', async () => {
    const k = await call('GET', `${SVCS}/kubernetes`);
    expect(k.json.spec.clusterIPs).toEqual(['10.96.0.1']);
    const taken = await call('POST', SVCS, service('steal', { clusterIP: '10.96.0.1' }));
    expect(taken.status).toBe(422);
    expect(taken.json.message).toBe('Service "steal" is invalid: spec.clusterIPs: Invalid value: ["10.96.0.1"]: failed to allocate IP 10.96.0.1: provided IP is already allocated');
    const web = await call('POST', SVCS, service('web'));
    expect(web.status).toBe(201);
    expect(web.json.spec).toMatchObject({ ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' });
    expect(web.json.spec.clusterIP).toMatch(/^10\.(9[6-9]|10\d|11[01])\./);
  });

  it('gives 50 concurrent creates 50 distinct IPs and node ports', async () => {
    const rs = await Promise.all(Array.from({ length: 50 }, (_, i) => call('POST', SVCS, service(`c${i}`, { type: 'NodePort' }))));
    expect(rs.map((r) => r.status)).toEqual(new Array(50).fill(201));
    expect(new Set(rs.map((r) => r.json.spec.clusterIP)).size).toBe(50);
    expect(new Set(rs.map((r) => r.json.spec.ports[0].nodePort)).size).toBe(50);
    await Promise.all(rs.map((_, i) => call('DELETE', `${SVCS}/c${i}`)));
  });

  it('honours requested values, refuses taken ones, and frees them on delete', async () => {
    expect((await call('POST', SVCS, service('np', { type: 'NodePort', clusterIP: '10.96.0.5', ports: [{ port: 80, nodePort: 30080 }] }))).status).toBe(201);
    const again = await call('POST', SVCS, service('np2', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }));
    expect([again.status, again.json.message]).toEqual([422, 'Service "np2" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated']);
    const out = await call('POST', SVCS, service('far', { clusterIP: '10.200.0.1' }));
    expect(out.json.message).toContain('the provided IP (10.200.0.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12');
    expect((await call('DELETE', `${SVCS}/np`)).status).toBe(200);
    expect((await call('POST', SVCS, service('np3', { type: 'NodePort', clusterIP: '10.96.0.5', ports: [{ port: 80, nodePort: 30080 }] }))).status).toBe(201);
  });

  it('releases node ports when the type changes to ClusterIP, and refuses a clusterIP change', async () => {
    const patched = await call('PATCH', `${SVCS}/np3`, { spec: { type: 'ClusterIP' } }, undefined, 'application/merge-patch+json');
    expect(patched.status).toBe(200);
    expect(patched.json.spec.ports[0].nodePort).toBeUndefined();
    expect((await call('POST', SVCS, service('np4', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }))).status).toBe(201);
    const moved = await call('PATCH', `${SVCS}/np3`, { spec: { clusterIP: '10.96.0.6', clusterIPs: ['10.96.0.6'] } }, undefined, 'application/merge-patch+json');
    expect(moved.status).toBe(422);
    expect(moved.json.message).toContain('may not change once set');
  });

  it('allocates nothing on a dry run, for headless or ExternalName services', async () => {
    const dry = await call('POST', SVCS, service('dry', { clusterIP: '10.96.0.50', type: 'NodePort', ports: [{ port: 80, nodePort: 30050 }] }), { dryRun: 'All' });
    expect(dry.status).toBe(201);
    expect((await call('POST', SVCS, service('wet', { clusterIP: '10.96.0.50', type: 'NodePort', ports: [{ port: 80, nodePort: 30050 }] }))).status).toBe(201);
    const headless = await call('POST', SVCS, service('hl', { clusterIP: 'None' }));
    expect(headless.json.spec.clusterIPs).toEqual(['None']);
    const ext = await call('POST', SVCS, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext' }, spec: { type: 'ExternalName', externalName: 'example.com' } });
    expect(ext.status).toBe(201);
    expect(ext.json.spec.clusterIP).toBeUndefined();
    const dual = await call('POST', SVCS, service('dual', { ipFamilyPolicy: 'RequireDualStack' }));
    expect([dual.status, dual.json.message]).toEqual([422, 'Service "dual" is invalid: spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services']);
  });

  it('remembers allocations across a restart', async () => {
    const web = (await call('GET', `${SVCS}/web`)).json.spec.clusterIP;
    await server.close();
    server = await start();
    const r = await call('POST', SVCS, service('clash', { clusterIP: web }));
    expect(r.status).toBe(422);
    expect(r.json.message).toContain('provided IP is already allocated');
    const np = await call('POST', SVCS, service('clash2', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }));
    expect(np.status).toBe(422);
  });
});
