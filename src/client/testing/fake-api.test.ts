import { describe, it, expect } from 'vitest';
import type { ConfigMap, Pod } from 'kubernetes-types/core/v1.js';
import { RestClient } from '../rest-client.js';
import { configMaps, pods } from '../resources.js';
import type { WatchEvent } from '../watch.js';
import { FakeApiServer } from './fake-api.js';

async function take<T>(it: AsyncIterator<WatchEvent<T>>, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await it.next();
    const o = r.value.object as { metadata: { name: string } };
    out.push(`${r.value.type} ${o.metadata.name}`);
  }
  return out;
}

describe('FakeApiServer', () => {
  it('watches with a label selector see objects enter and leave the selection', async () => {
    const api = new FakeApiServer();
    const cms = new RestClient(api).resource(configMaps).namespace('ns');
    const w = await cms.watch({ labelSelector: 'app=web', resourceVersion: '0' });
    const it = w[Symbol.asyncIterator]();
    await cms.create({ metadata: { name: 'a', labels: { app: 'web' } } });
    await cms.create({ metadata: { name: 'b', labels: { app: 'db' } } });
    await cms.patch('b', { metadata: { labels: { app: 'web' } } });
    await cms.patch('a', { metadata: { labels: { app: 'db' } } });
    await cms.delete('b');
    expect(await take(it, 4)).toEqual(['ADDED a', 'ADDED b', 'DELETED a', 'DELETED b']);
    w.stop();
    expect(api.watcherCount()).toBe(0);
  });

  it('replays history from a resourceVersion and answers 410 once compacted', async () => {
    const api = new FakeApiServer();
    const cms = new RestClient(api).resource(configMaps).namespace('ns');
    await cms.create({ metadata: { name: 'a' } });
    await cms.create({ metadata: { name: 'b' } });
    const w = await cms.watch({ resourceVersion: '1' });
    expect(await take(w[Symbol.asyncIterator](), 1)).toEqual(['ADDED b']);
    w.stop();
    api.compact();
    const old = await cms.watch({ resourceVersion: '1' });
    const first = await old[Symbol.asyncIterator]().next();
    expect(first.value).toMatchObject({ type: 'ERROR', object: { code: 410, reason: 'Expired' } });
  });

  it('keeps status on main writes, bumps generation on spec changes, honours finalizers and binds pods', async () => {
    const api = new FakeApiServer();
    const ps = new RestClient(api).resource(pods).namespace('ns');
    const p = await ps.create({ metadata: { name: 'p', finalizers: ['x/y'] }, spec: { containers: [{ name: 'c', image: 'i' }] } });
    expect(p.metadata!.generation).toBe(1);
    await ps.updateStatus({ ...p, status: { phase: 'Running' } });
    const p2 = await ps.update({ ...(await ps.get('p')), status: { phase: 'Failed' }, spec: { containers: [{ name: 'c', image: 'j' }] } });
    expect(p2.status!.phase).toBe('Running');
    expect(p2.metadata!.generation).toBe(2);
    await ps.createSubresource('p', 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p' }, target: { kind: 'Node', name: 'n1' } });
    expect((await ps.get('p')).spec!.nodeName).toBe('n1');
    const deleting = (await ps.delete('p')) as Pod;
    expect(deleting.metadata!.deletionTimestamp).toBeTruthy();
    await ps.patch('p', { metadata: { finalizers: null } });
    expect(api.get(pods, 'ns', 'p')).toBeUndefined();
    expect(api.writes().map((w) => `${w.verb}${w.subresource ? `/${w.subresource}` : ''}`)).toEqual(['create', 'update/status', 'update', 'create/binding', 'delete', 'patch']);
  });

  it('json patch, merge patch and apply', async () => {
    const api = new FakeApiServer();
    const cms = new RestClient(api).resource(configMaps).namespace('ns');
    await cms.apply({ metadata: { name: 'a' }, data: { x: '1' } } as ConfigMap, { fieldManager: 't' });
    await cms.patch('a', [{ op: 'add', path: '/data/y', value: '2' }], { type: 'json' });
    await cms.patch('a', { data: { x: null } });
    expect((await cms.get('a')).data).toEqual({ y: '2' });
  });
});
