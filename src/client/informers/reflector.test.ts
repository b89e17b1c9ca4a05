import { describe, it, expect, afterEach } from 'vitest';
import type { ConfigMap } from 'kubernetes-types/core/v1.js';
import { FakeClock, settle } from '../clock.js';
import { ExponentialBackoff } from '../flowcontrol.js';
import { RestClient } from '../rest-client.js';
import { configMaps } from '../resources.js';
import { FakeApiServer } from '../testing/fake-api.js';
import { IndexedStore } from './indexer.js';
import { listWatch } from './list-watch.js';
import { Reflector } from './reflector.js';

function setup() {
  const clock = new FakeClock();
  const api = new FakeApiServer({ clock });
  const client = new RestClient(api, { clock });
  const store = new IndexedStore<ConfigMap>();
  const errors: unknown[] = [];
  const backoff = new ExponentialBackoff({ initialMs: 800, maxMs: 30_000, factor: 2, resetAfterMs: 120_000, clock });
  const r = new Reflector<ConfigMap>(listWatch(client.resource(configMaps)), store, { clock, backoff, random: () => 0, onError: (e) => errors.push(e) });
  return { clock, api, client, store, r, errors };
}

const cm = (name: string, v = '1'): ConfigMap => ({ metadata: { name, namespace: 'default' }, data: { v } });
const names = (s: IndexedStore<ConfigMap>) => s.list().map((o) => `${o.metadata!.name}=${o.data?.v}`).sort();
const calls = (api: FakeApiServer) => api.actions.filter((a) => a.resource === 'configmaps').map((a) => `${a.verb}@${a.query.resourceVersion ?? ''}`);

let stopAll: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const s of stopAll) await s();
  stopAll = [];
});

describe('Reflector', () => {
  it('lists, then watches from the list resourceVersion with bookmarks, and applies events', async () => {
    const { api, client, store, r } = setup();
    api.seed(configMaps, cm('a'));
    api.seed(configMaps, cm('b'));
    void r.run();
    stopAll.push(() => r.stop());
    await r.synced;
    await settle();
    expect(names(store)).toEqual(['a=1', 'b=1']);
    expect(r.lastSyncResourceVersion).toBe('2');
    const watch = api.actions.find((a) => a.verb === 'watch')!;
    expect(watch.query).toMatchObject({ resourceVersion: '2', allowWatchBookmarks: 'true' });
    expect(Number(watch.query.timeoutSeconds)).toBeGreaterThanOrEqual(300);
    expect(api.actions.find((a) => a.verb === 'list')!.query.resourceVersion).toBe('0');

    const cms = client.resource(configMaps).namespace('default');
    await cms.create(cm('c'));
    await cms.patch('a', { data: { v: '2' } });
    await cms.delete('b');
    await settle();
    expect(names(store)).toEqual(['a=2', 'c=1']);
    expect(r.lastSyncResourceVersion).toBe('5');
    api.bookmark();
    await settle();
    expect(r.lastSyncResourceVersion).toBe('5');
  });

  it('re-watches from the last resourceVersion (no re-list) when a watch ends', async () => {
    const { api, client, store, r } = setup();
    void r.run();
    stopAll.push(() => r.stop());
    await r.synced;
    await settle();
    await client.resource(configMaps).namespace('default').create(cm('a'));
    await settle();
    api.closeWatches();
    // written while no watch is open: must arrive through the next watch
    await client.resource(configMaps).namespace('default').create(cm('b'));
    await settle();
    expect(calls(api).filter((c) => !c.startsWith('create'))).toEqual(['list@0', 'watch@0', 'watch@1']);
    expect(names(store)).toEqual(['a=1', 'b=1']);
  });

  it('re-lists on a 410 ERROR event: first at the last resourceVersion, then from the latest when that is compacted too', async () => {
    const { clock, api, client, store, r } = setup();
    const cms = client.resource(configMaps).namespace('default');
    await cms.create(cm('a'));
    void r.run();
    stopAll.push(() => r.stop());
    await r.synced;
    await settle();
    await cms.create(cm('b'));
    await settle();
    expect(r.lastSyncResourceVersion).toBe('2');
    // 'a' is deleted and 'c' created while the watch is broken; history is compacted away
    api.failWatches();
    await cms.delete('a');
    await cms.create(cm('c'));
    api.compact();
    await clock.advance(800); // the reflector's back-off before re-listing
    expect(calls(api).filter((c) => c.startsWith('list') || c.startsWith('watch'))).toEqual(['list@0', 'watch@1', 'list@2', 'list@', 'watch@4']);
    expect(names(store)).toEqual(['b=1', 'c=1']);
    expect(r.lastSyncResourceVersion).toBe('4');
  });

  it('re-lists when the watch request itself answers 410 (events missed while away arrive via the list)', async () => {
    const { clock, api, client, store, r } = setup();
    const cms = client.resource(configMaps).namespace('default');
    void r.run();
    stopAll.push(() => r.stop());
    await r.synced;
    await settle();
    await cms.create(cm('a'));
    await settle();
    let failNextWatch = true;
    api.addReactor((a) => {
      if (a.verb === 'watch' && failNextWatch) {
        failNextWatch = false;
        return { status: 410, body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 410, reason: 'Expired', message: 'too old resource version' } };
      }
      return undefined;
    });
    api.closeWatches();
    await cms.create(cm('b'));
    await settle();
    await clock.advance(800);
    expect(calls(api).filter((c) => c.startsWith('list') || c.startsWith('watch'))).toEqual(['list@0', 'watch@0', 'watch@1', 'list@1', 'watch@2']);
    expect(names(store)).toEqual(['a=1', 'b=1']);
  });

  it('backs off exponentially on errors and recovers', async () => {
    const { clock, api, store, r, errors } = setup();
    api.seed(configMaps, cm('a'));
    const start = clock.now();
    const listTimes: number[] = [];
    api.addReactor((a) => {
      if (a.verb === 'list') listTimes.push(clock.now() - start);
      return undefined;
    });
    let failures = 3;
    api.addReactor((a) => (a.verb === 'list' && failures-- > 0 ? { status: 500, body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 500, reason: 'InternalError', message: 'boom' } } : undefined));
    void r.run();
    stopAll.push(() => r.stop());
    await clock.advance(10_000);
    expect(r.hasSynced()).toBe(true);
    expect(names(store)).toEqual(['a=1']);
    expect(errors).toHaveLength(3);
    expect(listTimes).toEqual([0, 800, 2400, 5600]);
  });

  it('stop() ends the loop and closes the watch', async () => {
    const { api, r } = setup();
    const done = r.run();
    await r.synced;
    await settle();
    expect(api.watcherCount()).toBe(1);
    await r.stop();
    await done;
    expect(api.watcherCount()).toBe(0);
  });

  it('pages lists that are not served from the watch cache', async () => {
    const clock = new FakeClock();
    const api = new FakeApiServer({ clock });
    for (let i = 0; i < 7; i++) api.seed(configMaps, cm(`c${i}`));
    const store = new IndexedStore<ConfigMap>();
    const r = new Reflector<ConfigMap>(listWatch(new RestClient(api).resource(configMaps)), store, { clock, pageSize: 3 });
    // force a list from "" by making the first ("0") list expire
    api.addReactor((a) => (a.verb === 'list' && a.query.resourceVersion === '0' ? { status: 410, body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 410, reason: 'Expired', message: 'gone' } } : undefined));
    void r.run();
    await r.synced;
    await r.stop();
    expect(store.size).toBe(7);
    expect(api.actions.filter((a) => a.verb === 'list').map((a) => a.query.limit ?? '-')).toEqual(['-', '3', '3', '3']);
  });
});
