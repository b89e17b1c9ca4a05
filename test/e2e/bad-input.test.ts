// Bad input gets a clear 4xx Status, never a crash, and never writes anything.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startServer, cleanup, type ServerHandle } from './harness.js';
import { rawClient } from './raw.js';

describe('bad input', () => {
  let s: ServerHandle;
  let c: ReturnType<typeof rawClient>;
  let targetRv: string;
  const cms = '/api/v1/namespaces/default/configmaps';
  beforeAll(async () => {
    s = await startServer({ datastore: 'memory://' });
    c = rawClient(s);
    targetRv = (await c.request('POST', cms, JSON.stringify({ metadata: { name: 'target' }, data: { a: '1' } }))).json().metadata.resourceVersion;
  });
  afterAll(async () => {
    c?.close();
    await s?.stop();
    if (s) cleanup(s);
  });

  const cases: { name: string; method: string; path: string; body?: string | Buffer; headers?: Record<string, string>; code: number; reason?: string; message?: RegExp }[] = [
    { name: 'malformed JSON', method: 'POST', path: cms, body: '{"metadata": {', code: 400, reason: 'BadRequest' },
    { name: 'JSON that is not an object', method: 'POST', path: cms, body: '[1,2]', code: 400, reason: 'BadRequest' },
    { name: 'empty body', method: 'POST', path: cms, body: '', code: 400, reason: 'BadRequest' },
    { name: 'malformed YAML', method: 'POST', path: cms, body: 'metadata: [: x', headers: { 'Content-Type': 'application/yaml' }, code: 400, reason: 'BadRequest' },
    { name: 'malformed protobuf', method: 'POST', path: cms, body: Buffer.from([0x6b, 0x38, 0x73, 0x00, 0x0a, 0xff, 0xff]), headers: { 'Content-Type': 'application/vnd.kubernetes.protobuf' }, code: 400, reason: 'BadRequest' },
    { name: 'protobuf without the magic prefix', method: 'POST', path: cms, body: Buffer.from([1, 2, 3]), headers: { 'Content-Type': 'application/vnd.kubernetes.protobuf' }, code: 400, reason: 'BadRequest' },
    { name: 'unknown content type', method: 'POST', path: cms, body: 'x', headers: { 'Content-Type': 'text/plain' }, code: 415, reason: 'UnsupportedMediaType' },
    { name: 'wrong kind for the URL', method: 'POST', path: cms, body: JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } }), code: 400, reason: 'BadRequest', message: /kind/ },
    { name: 'wrong apiVersion for the URL', method: 'POST', path: cms, body: JSON.stringify({ apiVersion: 'apps/v1', kind: 'ConfigMap', metadata: { name: 'x' } }), code: 400, reason: 'BadRequest' },
    { name: 'namespace in body differs from URL', method: 'POST', path: cms, body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'kube-system' } }), code: 400, reason: 'BadRequest', message: /namespace/ },
    { name: 'name in body differs from URL', method: 'PUT', path: `${cms}/target`, body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other' } }), code: 400, reason: 'BadRequest' },
    { name: 'missing name', method: 'POST', path: cms, body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }), code: 422, reason: 'Invalid' },
    { name: 'field of the wrong type', method: 'POST', path: cms, body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: 1 } }), code: 400 },
    { name: 'invalid label selector', method: 'GET', path: `${cms}?labelSelector=${encodeURIComponent('a in (b')}`, code: 400, reason: 'BadRequest' },
    { name: 'invalid field selector', method: 'GET', path: `${cms}?fieldSelector=${encodeURIComponent('spec.x=1')}`, code: 400, reason: 'BadRequest' },
    { name: 'unknown resource', method: 'GET', path: '/api/v1/namespaces/default/gizmos', code: 404, reason: 'NotFound' },
    { name: 'unknown group', method: 'GET', path: '/apis/example.com/v1/things', code: 404, reason: 'NotFound' },
    { name: 'unknown subresource', method: 'GET', path: '/api/v1/namespaces/default/configmaps/x/bogus', code: 404, reason: 'NotFound' },
    { name: 'unsupported verb', method: 'DELETE', path: '/api/v1/namespaces', code: 405, reason: 'MethodNotAllowed' },
    { name: 'JSON patch that is not a list', method: 'PATCH', path: `${cms}/target`, body: '{"not":"a list"}', headers: { 'Content-Type': 'application/json-patch+json' }, code: 400 },
    { name: 'JSON patch with a failing test op', method: 'PATCH', path: `${cms}/target`, body: '[{"op":"test","path":"/data/a","value":"2"}]', headers: { 'Content-Type': 'application/json-patch+json' }, code: 422 },
    { name: 'malformed merge patch', method: 'PATCH', path: `${cms}/target`, body: '{"data":', headers: { 'Content-Type': 'application/merge-patch+json' }, code: 400 },
    { name: 'strategic patch with a bad directive', method: 'PATCH', path: `${cms}/target`, body: '{"data":{"$patch":"explode"}}', headers: { 'Content-Type': 'application/strategic-merge-patch+json' }, code: 400 },
    { name: 'patch making the object invalid', method: 'PATCH', path: `${cms}/target`, body: '{"metadata":{"labels":{"bad key!":"x"}}}', headers: { 'Content-Type': 'application/merge-patch+json' }, code: 422, reason: 'Invalid' },
    { name: 'apply without fieldManager', method: 'PATCH', path: `${cms}/target`, body: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"target"}}', headers: { 'Content-Type': 'application/apply-patch+yaml' }, code: 400 },
    { name: 'unknown patch type', method: 'PATCH', path: `${cms}/target`, body: '{}', headers: { 'Content-Type': 'application/foo+json' }, code: 415, reason: 'UnsupportedMediaType' },
    { name: 'invalid dryRun value', method: 'POST', path: `${cms}?dryRun=Yes`, body: JSON.stringify({ metadata: { name: 'x' } }), code: 400, reason: 'BadRequest' },
    { name: 'invalid fieldValidation value', method: 'POST', path: `${cms}?fieldValidation=Loud`, body: JSON.stringify({ metadata: { name: 'x' } }), code: 400, reason: 'BadRequest' },
    { name: 'invalid limit', method: 'GET', path: `${cms}?limit=-1`, code: 400, reason: 'BadRequest' },
    { name: 'invalid resourceVersion', method: 'GET', path: `${cms}?resourceVersion=abc`, code: 400, reason: 'BadRequest' },
    { name: 'invalid continue token', method: 'GET', path: `${cms}?limit=1&continue=garbage`, code: 400, reason: 'BadRequest' },
    { name: 'invalid propagationPolicy', method: 'DELETE', path: `${cms}/x`, body: JSON.stringify({ propagationPolicy: 'Sometimes' }), code: 400, reason: 'BadRequest' },
    { name: 'oversized body', method: 'POST', path: cms, body: JSON.stringify({ metadata: { name: 'big' }, data: { a: 'x'.repeat(3 * 1024 * 1024) } }), code: 413, reason: 'RequestEntityTooLarge' },
    { name: 'ConfigMap data over 1 MiB', method: 'POST', path: cms, body: JSON.stringify({ metadata: { name: 'big' }, data: { a: 'x'.repeat(1100 * 1024) } }), code: 422, reason: 'Invalid' },
    { name: 'object over 1.5 MiB', method: 'POST', path: '/api/v1/namespaces/default/events', body: JSON.stringify({ metadata: { name: 'big' }, involvedObject: { kind: 'ConfigMap', name: 'x', namespace: 'default' }, message: 'x'.repeat(1600 * 1024) }), code: 413 },
    { name: 'create in a missing namespace', method: 'POST', path: '/api/v1/namespaces/nope/configmaps', body: JSON.stringify({ metadata: { name: 'x' } }), code: 404, reason: 'NotFound' },
  ];

  for (const tc of cases) {
    it(`${tc.name} → ${tc.code}`, async () => {
      const r = await c.request(tc.method, tc.path, tc.body, tc.headers);
      expect(r.status).toBe(tc.code);
      const st = r.json();
      expect(st.kind).toBe('Status');
      expect(st.code).toBe(tc.code);
      if (tc.reason) expect(st.reason).toBe(tc.reason);
      if (tc.message) expect(st.message).toMatch(tc.message);
    });
  }

  it('nothing was written and the server still serves', async () => {
    const r = await c.request('GET', cms);
    expect(r.status).toBe(200);
    // Controllers write elsewhere meanwhile (and publish kube-root-ca.crt): compare our objects.
    const mine = r.json().items.filter((i: { metadata: { name: string } }) => i.metadata.name !== 'kube-root-ca.crt');
    expect(mine.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['target']);
    expect(mine[0].data).toEqual({ a: '1' });
    expect(mine[0].metadata.resourceVersion).toBe(targetRv);
    expect((await c.request('GET', '/api/v1/namespaces/default/events/big')).status).toBe(404);
  });

  it('deleting a system namespace is forbidden', async () => {
    const r = await c.request('DELETE', '/api/v1/namespaces/kube-system');
    expect(r.status).toBe(403);
  });

  it('anonymous requests get 401 except the public health and version paths', async () => {
    const anon = rawClient(s, { anonymous: true });
    expect((await anon.request('GET', cms)).status).toBe(401);
    expect((await anon.request('GET', '/readyz')).body).toBe('ok');
    expect((await anon.request('GET', '/version')).json().gitVersion).toMatch(/k8ts/);
    anon.close();
  });
});
