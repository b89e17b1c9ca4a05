import { describe, it, expect, afterEach } from 'vitest';
import type { ConfigMap } from 'kubernetes-types/core/v1.js';
import { FakeClock, settle } from '../clock.js';
import { RestClient } from '../rest-client.js';
import { configMaps, pods } from '../resources.js';
import { FakeApiServer } from '../testing/fake-api.js';
import { DeletedFinalStateUnknown } from './keys.js';
import { listWatch } from './list-watch.js';
import { SharedIndexInformer, type ResourceEventHandler } from './shared-informer.js';
import { SharedInformerFactory } from './informer-factory.js';
import { parseLabelSelector } from '../../api/selectors/index.js';

const cm = (name: string, v = '1', ns = 'default'): ConfigMap => ({ metadata: { name, namespace: ns, labels: { app: 'x' } }, data: { v } });

function recorder(log: string[], tag = ''): ResourceEventHandler<ConfigMap> {
  const d = (o: ConfigMap) => `${o.metadata!.name}=${o.data?.v}`;
  return {
    onAdd: (o, initial) => log.push(`${tag}add ${d(o)}${initial ? ' (initial)' : ''}`),
    onUpdate: (a, b) => log.push(`${tag}update ${d(a)} -> ${d(b)}`),
    onDelete: (o) => log.push(o instanceof DeletedFinalStateUnknown ? `${tag}delete-unknown ${o.key} (${d(o.obj)})` : `${tag}delete ${d(o)}`),
  };
}

let cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups) await c();
  cleanups = [];
});

function setup() {
  const clock = new FakeClock();
  const api = new FakeApiServer({ clock });
  const client = new RestClient(api, { clock });
  const inf = new SharedIndexInformer<ConfigMap>(listWatch(client.resource(configMaps)), { clock, reflector: { random: () => 0, onError: () => {} } });
  cleanups.push(() => inf.stop());
  return { clock, api, client, inf, cms: client.resource(configMaps).namespace('default') };
}

describe('SharedIndexInformer', () => {
  it('tells every handler of adds, updates and deletes, after updating the cache', async () => {
    const { api, inf, cms } = setup();
    api.seed(configMaps, cm('a'));
    const log: string[] = [];
    const seenInCache: boolean[] = [];
    inf.addEventHandler(recorder(log, '1:'));
    inf.addEventHandler({ onAdd: (o) => seenInCache.push(inf.lister().namespace('default').get(o.metadata!.name!) !== undefined) });
    expect(inf.hasSynced()).toBe(false);
    inf.run();
    expect(await inf.waitForSync()).toBe(true);
    await cms.create(cm('b'));
    await cms.update({ ...(await cms.get('b')), data: { v: '2' } });
    await cms.delete('a');
    await settle();
    expect(log).toEqual(['1:add a=1 (initial)', '1:add b=1', '1:update b=1 -> b=2', '1:delete a=1']);
    expect(seenInCache).toEqual([true, true]);
    expect(inf.lister().list(parseLabelSelector('app=x')).map((o) => o.metadata!.name)).toEqual(['b']);
    expect(inf.getIndexer().getByKey('default/b')!.data).toEqual({ v: '2' });
  });

  it('a re-list after a broken watch yields updates and DeletedFinalStateUnknown for vanished objects', async () => {
    const { clock, api, inf, cms } = setup();
    api.seed(configMaps, cm('keep'));
    api.seed(configMaps, cm('gone'));
    const log: string[] = [];
    inf.addEventHandler(recorder(log));
    inf.run();
    await inf.waitForSync();
    await settle();
    log.length = 0;
    api.failWatches(); // 410: the reflector re-lists
    await cms.delete('gone');
    await cms.create(cm('new'));
    api.compact();
    await clock.advance(2000);
    expect(log).toEqual(['update keep=1 -> keep=1', 'add new=1', 'delete-unknown default/gone (gone=1)']);
    expect(inf.lister().list().map((o) => o.metadata!.name).sort()).toEqual(['keep', 'new']);
  });

  it('a handler added late hears of every cached object; removed handlers hear nothing', async () => {
    const { inf, cms } = setup();
    await cms.create(cm('a'));
    inf.run();
    await inf.waitForSync();
    const log: string[] = [];
    const reg = inf.addEventHandler(recorder(log));
    expect(reg.hasSynced()).toBe(true);
    expect(log).toEqual(['add a=1 (initial)']);
    inf.removeEventHandler(reg);
    await cms.create(cm('b'));
    await settle();
    expect(log).toEqual(['add a=1 (initial)']);
  });

  it('resyncs handlers that asked for it, each at its own period', async () => {
    const { clock, inf, cms } = setup();
    await cms.create(cm('a'));
    const fast: string[] = [];
    const none: string[] = [];
    inf.addEventHandler(recorder(fast), 30_000);
    inf.addEventHandler(recorder(none));
    inf.run();
    await inf.waitForSync();
    await clock.advance(61_000);
    expect(fast).toEqual(['add a=1 (initial)', 'update a=1 -> a=1', 'update a=1 -> a=1']);
    expect(none).toEqual(['add a=1 (initial)']);
  });

  it('waitForSync answers false when the informer stops before syncing', async () => {
    const { api, inf } = setup();
    api.addReactor((a) => (a.verb === 'list' ? { status: 503, body: 'down' } : undefined));
    inf.run();
    const w = inf.waitForSync();
    await inf.stop();
    expect(await w).toBe(false);
  });

  it('a throwing handler does not stop the others', async () => {
    const { inf, cms } = setup();
    const log: string[] = [];
    const orig = console.error;
    console.error = () => {};
    try {
      inf.addEventHandler({ onAdd: () => { throw new Error('bad handler'); } });
      inf.addEventHandler(recorder(log));
      inf.run();
      await inf.waitForSync();
      await cms.create(cm('a'));
      await settle();
    } finally {
      console.error = orig;
    }
    expect(log).toEqual(['add a=1']);
  });
});

describe('SharedInformerFactory', () => {
  it('shares one informer per resource, starts them and waits for their caches', async () => {
    const clock = new FakeClock();
    const api = new FakeApiServer({ clock });
    api.seed(configMaps, cm('a', '1', 'ns1'));
    api.seed(pods, { metadata: { name: 'p', namespace: 'ns1' }, spec: { containers: [] } });
    const f = new SharedInformerFactory(new RestClient(api, { clock }), { clock });
    cleanups.push(() => f.shutdown());
    const i1 = f.informerFor(configMaps);
    const i2 = f.informerFor({ group: '', version: 'v1', resource: 'configmaps' });
    expect(i1).toBe(i2);
    const podLister = f.lister(pods);
    f.start();
    const synced = await f.waitForCacheSync();
    expect([...synced.entries()].sort()).toEqual([['configmaps.v1.', true], ['pods.v1.', true]]);
    expect(podLister.namespace('ns1').get('p')!.kind).toBe('Pod');
    expect(i1.lister().namespace('ns1').list().map((o) => o.metadata!.name)).toEqual(['a']);
    expect(api.actions.filter((a) => a.verb === 'list')).toHaveLength(2);
  });

  it('waitForCacheSync gives up on abort', async () => {
    const api = new FakeApiServer();
    api.addReactor((a) => (a.verb === 'list' ? { status: 503, body: 'unavailable' } : undefined));
    const clock = new FakeClock();
    const f = new SharedInformerFactory(new RestClient(api, { clock }), { clock, onError: () => {} });
    cleanups.push(() => f.shutdown());
    f.informerFor(configMaps);
    f.start();
    const ac = new AbortController();
    const p = f.waitForCacheSync(ac.signal);
    ac.abort();
    expect([...(await p).values()]).toEqual([false]);
  });
});
