import { describe, it, expect } from 'vitest';
import { FakeClock } from './clock.js';
import { ApiError, isAlreadyExists, isConflict, isGone, isNotFound, isTooManyRequests, isInvalid, suggestsClientDelay } from './errors.js';
import { RestClient } from './rest-client.js';
import { configMaps, deployments, nodes, pods } from './resources.js';
import type { Transport, TransportRequest, TransportResponse, StreamRequest } from './transport.js';
import { FakeApiServer } from './testing/fake-api.js';

/** A transport that records requests and answers from a queue. */
function scripted(answers: Array<Partial<TransportResponse> & { json?: unknown }>) {
  const seen: TransportRequest[] = [];
  const streams: StreamRequest[] = [];
  const t: Transport = {
    async request(req) {
      seen.push(req);
      const a = answers.shift() ?? { status: 200, json: {} };
      return { status: a.status ?? 200, headers: a.headers ?? {}, body: a.body ?? Buffer.from(JSON.stringify(a.json ?? {})) };
    },
    async stream(req) {
      streams.push(req);
      const lines = ['{"type":"ADDED","object":{"metadata":{"name":"a","resourceVersion":"5"}}}', '{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"6"}}}'];
      return { status: 200, headers: {}, lines: (async function* () { yield* lines; })(), close() {} };
    },
  };
  return { t, seen, streams };
}

const status = (code: number, reason: string, message = reason) => ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code, reason, message });

describe('RestClient paths and queries', () => {
  it('builds core, group, namespaced, cluster and subresource paths', async () => {
    const { t, seen } = scripted([]);
    const c = new RestClient(t);
    await c.resource(pods).namespace('ns 1').get('p/1');
    await c.resource(nodes).get('n1');
    await c.resource(deployments).namespace('d').list({ labelSelector: 'app=x', fieldSelector: 'metadata.name=y', limit: 5, continue: 'tok', resourceVersion: '0' });
    await c.resource(pods).list();
    await c.resource(deployments).namespace('d').getSubresource('web', 'scale');
    await c.resource({ group: 'batch', version: 'v1', resource: 'jobs' }).namespace('j').get('x');
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/v1/namespaces/ns%201/pods/p%2F1',
      'GET /api/v1/nodes/n1',
      'GET /apis/apps/v1/namespaces/d/deployments',
      'GET /api/v1/pods',
      'GET /apis/apps/v1/namespaces/d/deployments/web/scale',
      'GET /apis/batch/v1/namespaces/j/jobs/x',
    ]);
    expect(seen[2]!.query).toEqual({ labelSelector: 'app=x', fieldSelector: 'metadata.name=y', limit: '5', continue: 'tok', resourceVersion: '0' });
    expect(seen[0]!.headers!.accept).toBe('application/json');
  });

  it('writes with kind/apiVersion, status through /status, and the namespace from the object', async () => {
    const { t, seen } = scripted([]);
    const c = new RestClient(t);
    await c.resource(configMaps).create({ metadata: { name: 'a', namespace: 'x' }, data: { k: 'v' } }, { fieldManager: 'me', dryRun: true });
    await c.resource(configMaps).namespace('x').update({ metadata: { name: 'a', resourceVersion: '3' } });
    await c.resource(pods).namespace('x').updateStatus({ metadata: { name: 'p' }, status: { phase: 'Running' } });
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /api/v1/namespaces/x/configmaps', 'PUT /api/v1/namespaces/x/configmaps/a', 'PUT /api/v1/namespaces/x/pods/p/status']);
    expect(JSON.parse(seen[0]!.body as string)).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } });
    expect(seen[0]!.query).toEqual({ fieldManager: 'me', dryRun: 'All' });
    expect(seen[0]!.headers!['content-type']).toBe('application/json');
    await expect(c.resource(configMaps).create({ metadata: { name: 'a' } })).rejects.toThrow(/namespace is required/);
  });

  it('patches with the content type of each patch type; apply needs a field manager and may force', async () => {
    const { t, seen } = scripted([]);
    const cms = new RestClient(t).resource(configMaps).namespace('x');
    await cms.patch('a', { data: { k: null } });
    await cms.patch('a', [{ op: 'replace', path: '/data/k', value: 'v' }], { type: 'json' });
    await cms.patch('a', { data: { k: 'v' } }, { type: 'strategic' });
    await cms.apply({ metadata: { name: 'a' }, data: { k: 'v' } }, { fieldManager: 'ctl', force: true });
    await expect(cms.patch('a', {}, { type: 'apply' })).rejects.toThrow(/fieldManager/);
    await new RestClient(t).resource(pods).namespace('x').patch('p', { status: {} }, { subresource: 'status' });
    expect(seen.map((r) => r.headers!['content-type'])).toEqual([
      'application/merge-patch+json',
      'application/json-patch+json',
      'application/strategic-merge-patch+json',
      'application/apply-patch+yaml',
      'application/merge-patch+json',
    ]);
    expect(seen[3]!.query).toEqual({ fieldManager: 'ctl', force: 'true' });
    expect(JSON.parse(seen[3]!.body as string)).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap' });
    expect(seen[4]!.path).toBe('/api/v1/namespaces/x/pods/p/status');
  });

  it('deletes with DeleteOptions in the body; deleteCollection takes list options', async () => {
    const { t, seen } = scripted([{ json: { kind: 'Status', status: 'Success' } }, { json: { kind: 'Pod', metadata: { name: 'p' } } }, {}]);
    const c = new RestClient(t);
    const r1 = await c.resource(pods).namespace('x').delete('p', { propagationPolicy: 'Foreground', gracePeriodSeconds: 0, preconditions: { uid: 'u1', resourceVersion: '7' } });
    const r2 = await c.resource(pods).namespace('x').delete('p');
    await c.resource(pods).namespace('x').deleteCollection({ propagationPolicy: 'Background' }, { labelSelector: 'a=b' });
    expect(r1).toBeUndefined();
    expect(r2).toMatchObject({ kind: 'Pod' });
    expect(JSON.parse(seen[0]!.body as string)).toEqual({ kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Foreground', gracePeriodSeconds: 0, preconditions: { uid: 'u1', resourceVersion: '7' } });
    expect(`${seen[2]!.method} ${seen[2]!.path}`).toBe('DELETE /api/v1/namespaces/x/pods');
    expect(seen[2]!.query).toEqual({ labelSelector: 'a=b' });
  });

  it('opens watches with the watch query and decodes events', async () => {
    const { t, streams } = scripted([]);
    const w = await new RestClient(t).resource(configMaps).watch({ resourceVersion: '4', allowWatchBookmarks: true, timeoutSeconds: 30, labelSelector: 'a=b' });
    const got: string[] = [];
    for await (const ev of w) got.push(`${ev.type}@${(ev.object as { metadata: { resourceVersion: string } }).metadata.resourceVersion}`);
    expect(got).toEqual(['ADDED@5', 'BOOKMARK@6']);
    expect(streams[0]!.path).toBe('/api/v1/configmaps');
    expect(streams[0]!.query).toEqual({ watch: 'true', resourceVersion: '4', allowWatchBookmarks: 'true', timeoutSeconds: '30', labelSelector: 'a=b' });
  });
});

describe('RestClient errors', () => {
  it('throws ApiError with the server Status; helpers classify it', async () => {
    const { t } = scripted([
      { status: 404, json: status(404, 'NotFound', 'configmaps "a" not found') },
      { status: 409, json: status(409, 'AlreadyExists') },
      { status: 409, json: status(409, 'Conflict') },
      { status: 410, json: status(410, 'Expired') },
      { status: 422, json: status(422, 'Invalid') },
      { status: 502, body: Buffer.from('bad gateway') },
    ]);
    const cms = new RestClient(t).resource(configMaps).namespace('x');
    const errs: unknown[] = [];
    for (let i = 0; i < 6; i++) errs.push(await cms.get('a').catch((e: unknown) => e));
    expect(errs[0]).toBeInstanceOf(ApiError);
    expect((errs[0] as ApiError).message).toBe('configmaps "a" not found');
    expect((errs[0] as ApiError).status.code).toBe(404);
    expect(errs.map((e) => [isNotFound(e), isAlreadyExists(e), isConflict(e), isGone(e), isInvalid(e)])).toEqual([
      [true, false, false, false, false],
      [false, true, false, false, false],
      [false, false, true, false, false],
      [false, false, false, true, false],
      [false, false, false, false, true],
      [false, false, false, false, false],
    ]);
    expect((errs[5] as ApiError).code).toBe(502);
    expect((errs[5] as ApiError).reason).toBe('InternalError');
    expect((errs[5] as ApiError).message).toContain('bad gateway');
  });

  it('retries 429 with Retry-After, then gives up with TooManyRequests', async () => {
    const clock = new FakeClock();
    const tooMany = { status: 429, headers: { 'retry-after': '2' }, json: status(429, 'TooManyRequests') };
    const { t, seen } = scripted([tooMany, tooMany, { json: { metadata: { name: 'a' } } }, tooMany, tooMany]);
    const c = new RestClient(t, { clock, maxRetries: 1 });
    const p = expect(c.resource(configMaps).namespace('x').get('a')).rejects.toSatisfy(isTooManyRequests);
    await clock.advance(2000);
    await p;
    const p2 = c.resource(configMaps).namespace('x').get('a');
    await clock.advance(2000);
    await expect(p2).resolves.toMatchObject({ metadata: { name: 'a' } });
    expect(seen).toHaveLength(3);
    const e = ApiError.fromResponse(429, 'slow down', '3');
    expect(suggestsClientDelay(e)).toBe(3);
  });

  it('a failing watch request throws its Status', async () => {
    const api = new FakeApiServer();
    api.addReactor((a) => (a.verb === 'watch' ? { status: 403, body: status(403, 'Forbidden', 'no watching') } : undefined));
    await expect(new RestClient(api).resource(configMaps).watch()).rejects.toMatchObject({ code: 403, reason: 'Forbidden', message: 'no watching' });
  });
});

describe('RestClient against the fake API', () => {
  it('CRUD round trip with optimistic concurrency and list paging', async () => {
    const api = new FakeApiServer();
    const cms = new RestClient(api).resource(configMaps).namespace('ns');
    const a = await cms.create({ metadata: { name: 'a' }, data: { v: '1' } });
    expect(a.metadata!.uid).toBeTruthy();
    await expect(cms.create({ metadata: { name: 'a' } })).rejects.toSatisfy(isAlreadyExists);
    const a2 = await cms.update({ ...a, data: { v: '2' } });
    await expect(cms.update({ ...a, data: { v: '3' } })).rejects.toSatisfy(isConflict);
    expect(a2.data).toEqual({ v: '2' });
    for (let i = 0; i < 4; i++) await cms.create({ metadata: { name: `p${i}` } });
    const all = await cms.listAll({ limit: 2 });
    expect(all.items.map((o) => o.metadata!.name)).toEqual(['a', 'p0', 'p1', 'p2', 'p3']);
    await cms.delete('a');
    await expect(cms.get('a')).rejects.toSatisfy(isNotFound);
  });
});
