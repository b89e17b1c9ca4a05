// The client against a real `k8ts server` over HTTPS with the admin client certificate:
// informers, listers, leader election and the event recorder, as a component would use them.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync } from 'node:fs';
import type { ConfigMap, Event } from 'kubernetes-types/core/v1.js';
import { startServer, cleanup, kubectl, haveKubectl, ROOT, type ServerHandle } from '../../test/e2e/harness.js';
import { HttpsTransport } from './https-transport.js';
import { RestClient } from './rest-client.js';
import { configMaps, events, leases, namespaces, pods } from './resources.js';
import { SharedInformerFactory } from './informers/informer-factory.js';
import { DeletedFinalStateUnknown } from './informers/keys.js';
import { SharedIndexInformer } from './informers/shared-informer.js';
import { listWatch } from './informers/list-watch.js';
import type { Transport } from './transport.js';
import { LeaderElector } from './leader-election.js';
import { LeaseLock } from './lease-lock.js';
import { EventBroadcaster } from './event-recorder.js';
import { isNotFound, isConflict } from './errors.js';
import { parseLabelSelector } from '../api/selectors/index.js';

const built = existsSync(`${ROOT}/dist/src/cli/main.js`);

async function until(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.skipIf(!built)('client against a real k8ts server', () => {
  let s: ServerHandle;
  let transport: HttpsTransport;
  let client: RestClient;

  beforeAll(async () => {
    s = await startServer({ datastore: 'memory://' });
    transport = HttpsTransport.fromKubeconfig(s.kubeconfig);
    client = new RestClient(transport, { userAgent: 'k8ts-client-test' });
    await client.resource(namespaces).create({ metadata: { name: 'inf' } });
  });
  afterAll(async () => {
    transport?.destroy();
    await s?.stop();
    if (s) cleanup(s);
  });

  it('an informer sees creates, updates and deletes; its lister follows', async () => {
    const factory = new SharedInformerFactory(client);
    const log: string[] = [];
    const inf = factory.informerFor(configMaps);
    inf.addEventHandler({
      onAdd: (o) => o.metadata!.namespace === 'inf' && log.push(`add ${o.metadata!.name}=${o.data?.v}`),
      onUpdate: (_, o) => o.metadata!.namespace === 'inf' && log.push(`update ${o.metadata!.name}=${o.data?.v}`),
      onDelete: (o) => {
        const obj = o instanceof DeletedFinalStateUnknown ? o.obj : o;
        if (obj.metadata!.namespace === 'inf') log.push(`delete ${obj.metadata!.name}`);
      },
    });
    factory.start();
    expect([...(await factory.waitForCacheSync()).values()]).toEqual([true]);
    const lister = inf.lister();
    // the server's own configmaps (kube-root-ca.crt, …) may be there; ours not yet
    expect(lister.namespace('inf').list().filter((o) => o.metadata!.name !== 'kube-root-ca.crt')).toEqual([]);

    const cms = client.resource(configMaps).namespace('inf');
    const a = await cms.create({ metadata: { name: 'a', labels: { app: 'web' } }, data: { v: '1' } });
    await cms.update({ ...a, data: { v: '2' } });
    await cms.patch('a', { data: { v: '3' } }, { type: 'strategic' });
    await cms.create({ metadata: { name: 'b', labels: { app: 'db' } }, data: { v: '1' } });
    await cms.delete('b');
    await until('the delete of b', () => log.includes('delete b'));
    // The root CA publisher also writes kube-root-ca.crt into the namespace.
    expect(log.filter((l) => !l.includes('kube-root-ca.crt'))).toEqual(['add a=1', 'update a=2', 'update a=3', 'add b=1', 'delete b']);
    expect(lister.namespace('inf').list(parseLabelSelector('app=web')).map((o) => o.data?.v)).toEqual(['3']);
    expect(lister.namespace('inf').get('b')).toBeUndefined();
    expect(lister.namespace('inf').get('a')!.kind).toBe('ConfigMap');
    await factory.shutdown();
  });

  it('a second informer started after many writes has the same cache', async () => {
    const factory = new SharedInformerFactory(client, { namespace: 'inf' });
    const first = factory.informerFor(configMaps);
    factory.start();
    await factory.waitForCacheSync();
    const cms = client.resource(configMaps).namespace('inf');
    const big = 'x'.repeat(200);
    const rounds = Array.from({ length: 150 }, (_, i) => i);
    await Promise.all(rounds.map((i) => cms.create({ metadata: { name: `many-${i}` }, data: { v: '1', big } })));
    await Promise.all(rounds.filter((i) => i % 3 === 0).map((i) => cms.patch(`many-${i}`, { data: { v: '2' } })));
    await Promise.all(rounds.filter((i) => i % 5 === 0).map((i) => cms.delete(`many-${i}`)));

    const second = new SharedInformerFactory(client, { namespace: 'inf' });
    const adds: string[] = [];
    second.informerFor(configMaps).addEventHandler({ onAdd: (o, initial) => initial && adds.push(o.metadata!.name!) });
    second.start();
    await second.waitForCacheSync();
    const snapshot = (l: typeof first) => l.lister().list().map((o) => `${o.metadata!.name}=${o.data?.v}@${o.metadata!.resourceVersion}`).sort();
    const want = (await cms.listAll({ limit: 40 })).items.map((o) => `${o.metadata!.name}=${o.data?.v}@${o.metadata!.resourceVersion}`).sort();
    await until('the first informer to catch up', () => snapshot(first).join() === want.join());
    expect(snapshot(second.informerFor(configMaps))).toEqual(want);
    expect(want.filter((w) => w.startsWith('many-'))).toHaveLength(120);
    expect(adds.filter((n) => n.startsWith('many-'))).toHaveLength(120);
    // the list was big enough to come gzipped, and decoded
    const raw = await transport.request({ method: 'GET', path: '/api/v1/namespaces/inf/configmaps', headers: { accept: 'application/json' } });
    expect(raw.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(raw.body.toString()).items.length).toBeGreaterThanOrEqual(120);
    await Promise.all([factory.shutdown(), second.shutdown()]);
  });

  it('watches that the server ends are resumed from the last resourceVersion, without re-listing', async () => {
    const watches: string[] = [];
    let lists = 0;
    const counting: Transport = {
      request: (r) => {
        if (r.method === 'GET' && r.path.endsWith('/configmaps')) lists++;
        return transport.request(r);
      },
      stream: (r) => {
        watches.push(r.query?.resourceVersion ?? '');
        return transport.stream(r);
      },
    };
    const cms = new RestClient(counting).resource(configMaps).namespace('inf');
    // the server ends each watch after 1 s (timeoutSeconds)
    const inf = new SharedIndexInformer<ConfigMap>(listWatch(cms), { reflector: { minWatchTimeoutSeconds: 1, random: () => 0 } });
    const seen: string[] = [];
    const relisted: string[] = [];
    inf.addEventHandler({
      onAdd: (o, initial) => !initial && seen.push(o.metadata!.name!),
      onUpdate: (a, b) => a.metadata!.resourceVersion === b.metadata!.resourceVersion && relisted.push(b.metadata!.name!),
    });
    inf.run();
    await inf.waitForSync();
    const writer = client.resource(configMaps).namespace('inf');
    for (let i = 0; i < 12; i++) {
      await writer.create({ metadata: { name: `resume-${i}` } });
      await new Promise((r) => setTimeout(r, 250));
    }
    await until('every create', () => seen.filter((n) => n.startsWith('resume-')).length === 12);
    await inf.stop();
    expect(seen.filter((n) => n.startsWith('resume-'))).toEqual(Array.from({ length: 12 }, (_, i) => `resume-${i}`));
    expect(lists).toBe(1);
    expect(relisted).toEqual([]);
    expect(watches.length).toBeGreaterThanOrEqual(3);
    // each re-watch starts where the previous one left off
    expect(watches.slice(1).every((rv, i) => Number(rv) >= Number(watches[i]))).toBe(true);
  });

  it('REST errors carry the server Status', async () => {
    const cms = client.resource(configMaps).namespace('inf');
    const e = await cms.get('missing').catch((x: unknown) => x);
    expect(isNotFound(e)).toBe(true);
    const c = await cms.create({ metadata: { name: 'occ' }, data: { v: '1' } });
    await cms.update({ ...c, data: { v: '2' } });
    expect(isConflict(await cms.update({ ...c, data: { v: '3' } }).catch((x: unknown) => x))).toBe(true);
    await cms.delete('occ', { preconditions: { uid: c.metadata!.uid } });
  });

  it('two electors: one leads, the other takes over once the first stops renewing', async () => {
    const started: string[] = [];
    const stopped: string[] = [];
    const elector = (id: string) => {
      const ac = new AbortController();
      const e = new LeaderElector({
        lock: new LeaseLock(client, 'kube-system', 'client-test-lock', id),
        leaseDurationMs: 3000,
        renewDeadlineMs: 2000,
        retryPeriodMs: 500,
        log: () => {},
        callbacks: { onStartedLeading: () => void started.push(id), onStoppedLeading: () => void stopped.push(id) },
      });
      return { e, ac, done: e.run(ac.signal) };
    };
    const a = elector('a');
    await until('a to lead', () => a.e.isLeader());
    const b = elector('b');
    await new Promise((r) => setTimeout(r, 1500));
    expect(b.e.isLeader()).toBe(false);
    expect(b.e.getLeader()).toBe('a');
    const leaseNow = await client.resource(leases).namespace('kube-system').get('client-test-lock');
    expect(leaseNow.spec).toMatchObject({ holderIdentity: 'a', leaseDurationSeconds: 3, leaseTransitions: 0 });
    // a stops (no release): b must wait out the lease duration
    const stoppedAt = Date.now();
    a.ac.abort();
    await a.done;
    await until('b to lead', () => b.e.isLeader(), 10_000);
    expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(1500);
    const lease = await client.resource(leases).namespace('kube-system').get('client-test-lock');
    expect(lease.spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
    expect(started).toEqual(['a', 'b']);
    expect(stopped).toEqual(['a']);
    b.ac.abort();
    await b.done;
  });

  it('an event recorded twice shows count 2', async () => {
    const p = await client.resource(pods).namespace('inf').create({ metadata: { name: 'ev-pod' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
    const b = new EventBroadcaster(client);
    const rec = b.newRecorder({ component: 'client-test' });
    rec.event(p, 'Warning', 'FailedTest', 'something went wrong');
    rec.event(p, 'Warning', 'FailedTest', 'something went wrong');
    await b.flush();
    // The scheduler reports on the pod too (FailedScheduling: no nodes); look at ours only.
    const list = await client.resource(events).namespace('inf').list({ fieldSelector: 'involvedObject.name=ev-pod,reason=FailedTest' });
    expect(list.items).toHaveLength(1);
    const e: Event = list.items[0]!;
    expect(e).toMatchObject({ count: 2, reason: 'FailedTest', type: 'Warning', source: { component: 'client-test' }, involvedObject: { kind: 'Pod', name: 'ev-pod', uid: p.metadata!.uid } });
    expect(e.metadata.name).toMatch(/^ev-pod\.[0-9a-f]+$/);
    if (haveKubectl()) {
      const out = await kubectl(s, ['get', 'events', '-n', 'inf', '--field-selector', 'involvedObject.name=ev-pod,reason=FailedTest', '-o', 'wide']);
      expect(out.code).toBe(0);
      const [header, row] = out.stdout.split('\n');
      const column = (name: string) => row!.slice(header!.indexOf(name)).split(/\s+/)[0];
      expect(column('COUNT')).toBe('2');
      expect(column('SOURCE')).toBe('client-test');
      const ev2 = await kubectl(s, ['events', '-n', 'inf', '--for', 'pod/ev-pod']);
      expect(ev2.stdout).toMatch(/\(x2 over \S+\)\s+Warning\s+FailedTest\s+Pod\/ev-pod\s+something went wrong/);
      const desc = await kubectl(s, ['describe', 'pod', '-n', 'inf', 'ev-pod']);
      expect(desc.stdout).toMatch(/Warning\s+FailedTest\s+.*\(x2 over .*\)\s+client-test\s+something went wrong/);
    }
    await b.shutdown();
  });
});
