import { describe, it, expect, afterEach } from 'vitest';
import { loadSchema } from '../../api/schema/index.js';
import { Registry } from '../../api/registry/registry.js';
import { strategyFor, type KObject } from '../../api/strategies/index.js';
import { StatusError } from '../../api/errors.js';
import { MemoryStore } from '../../storage/index.js';
import { CacheSet } from '../cache/cache-set.js';
import { ResourceStore, type UpdateContext } from './resource-store.js';

const registry = new Registry(loadSchema());
const T0 = Date.parse('2025-03-01T12:00:00Z');

interface Env {
  store: MemoryStore;
  caches: CacheSet;
  clock: { t: number; now(): number };
  of(group: string, version: string, resource: string): ResourceStore;
}

const envs: Env[] = [];
afterEach(async () => {
  for (const e of envs.splice(0)) {
    e.caches.stop();
    await e.store.close();
  }
});

/** A memory store, its caches and one ResourceStore per requested resource, all started. */
async function env(resources: [string, string, string][]): Promise<Env & { rs: ResourceStore[] }> {
  const store = new MemoryStore();
  const caches = new CacheSet(store);
  const clock = { t: T0, now() { return this.t; } };
  const made = new Map<string, ResourceStore>();
  const of = (group: string, version: string, resource: string) => {
    const info = registry.get(group, version, resource)!;
    let rs = made.get(info.keyPrefix);
    if (!rs) {
      rs = new ResourceStore(info, store, caches.cacheFor(info.keyPrefix, info.namespaced), strategyFor(info.group, info.kind), clock);
      made.set(info.keyPrefix, rs);
    }
    return rs;
  };
  const rs = resources.map(([g, v, r]) => of(g, v, r));
  await caches.start();
  const e = { store, caches, clock, of, rs };
  envs.push(e);
  return e;
}

/** Defaulted as the create handler does before the object layer sees it. */
function defaulted(rs: ResourceStore, obj: KObject): KObject {
  strategyFor(rs.info.group, rs.info.kind).default?.(obj);
  return obj;
}

const configMap = (name: string, data: Record<string, string> = {}, extra: KObject['metadata'] = {}): KObject => ({
  apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...extra }, data,
});

const deployment = (name: string, replicas = 1): KObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
  },
});

const pod = (name: string, nodeName?: string): KObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name },
  spec: { containers: [{ name: 'c', image: 'busybox' }], ...(nodeName ? { nodeName } : {}) },
});

const main: UpdateContext = { dryRun: false, subresource: '' };
const status: UpdateContext = { dryRun: false, subresource: 'status' };

/** The thrown StatusError of a promise (fails the test when it resolves). */
async function statusOf(p: Promise<unknown>): Promise<StatusError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof StatusError) return e;
    throw e;
  }
  throw new Error('expected a StatusError, got success');
}

describe('ResourceStore.create', () => {
  it('fills uid, creationTimestamp, resourceVersion and namespace; drops what a client may not set', async () => {
    const { rs: [cms], store } = await env([['', 'v1', 'configmaps']]);
    const sent = configMap('a', { k: 'v' }, {
      namespace: 'default', uid: 'client-uid', resourceVersion: '999', deletionTimestamp: '2020-01-01T00:00:00Z', generation: 7, selfLink: '/x',
    });
    const created = await cms.create('default', sent, { dryRun: false });
    const m = created.metadata!;
    expect(m.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(m.uid).not.toBe('client-uid');
    expect(m.creationTimestamp).toBe('2025-03-01T12:00:00Z');
    expect(m.namespace).toBe('default');
    expect(m.resourceVersion).toBe(String(await store.currentRevision()));
    expect(m.deletionTimestamp).toBeUndefined();
    expect(m.selfLink).toBeUndefined();
    // ConfigMaps do not track generation.
    expect(m.generation).toBeUndefined();
    const got = await cms.get('default', 'a');
    expect(got.obj.data).toEqual({ k: 'v' });
    expect(got.obj.metadata!.uid).toBe(m.uid);
    // The stored value carries no resourceVersion; the cache stamps it from the revision.
    const raw = JSON.parse((await store.get('/registry/configmaps/default/a')).kv!.value);
    expect(raw.metadata.resourceVersion).toBeUndefined();
  });

  it('starts generation at 1 for kinds that track it', async () => {
    const { rs: [deps] } = await env([['apps', 'v1', 'deployments']]);
    const d = await deps.create('ns', defaulted(deps, { ...deployment('d'), metadata: { name: 'd', generation: 5 } }), { dryRun: false });
    expect(d.metadata!.generation).toBe(1);
  });

  it('a cluster-scoped object has no namespace', async () => {
    const { rs: [nss] } = await env([['', 'v1', 'namespaces']]);
    const ns = await nss.create('', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team', namespace: 'oops' } }, { dryRun: false });
    expect(ns.metadata!.namespace).toBeUndefined();
    expect(ns.status).toEqual({ phase: 'Active' });
  });

  it('generateName makes a name from the prefix and five random characters', async () => {
    const { rs: [cms] } = await env([['', 'v1', 'configmaps']]);
    const a = await cms.create('default', { metadata: { generateName: 'cfg-' }, data: {} }, { dryRun: false });
    const b = await cms.create('default', { metadata: { generateName: 'cfg-' }, data: {} }, { dryRun: false });
    expect(a.metadata!.name).toMatch(/^cfg-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(b.metadata!.name).not.toBe(a.metadata!.name);
    expect((await cms.get('default', a.metadata!.name)).obj.metadata!.generateName).toBe('cfg-');
  });

  it('a second create of the same name is AlreadyExists (409)', async () => {
    const { rs: [cms] } = await env([['', 'v1', 'configmaps']]);
    await cms.create('default', configMap('a'), { dryRun: false });
    const err = await statusOf(cms.create('default', configMap('a'), { dryRun: false }));
    expect(err.code).toBe(409);
    expect(err.reason).toBe('AlreadyExists');
    expect(err.message).toBe('configmaps "a" already exists');
    // Same name in another namespace is fine.
    await expect(cms.create('other', configMap('a'), { dryRun: false })).resolves.toBeTruthy();
  });

  it('an invalid object is refused with 422 Invalid and nothing is stored', async () => {
    const { rs: [cms], store } = await env([['', 'v1', 'configmaps']]);
    const before = await store.currentRevision();
    const err = await statusOf(cms.create('default', configMap('Bad_Name'), { dryRun: false }));
    expect(err.code).toBe(422);
    expect(err.reason).toBe('Invalid');
    expect(await store.currentRevision()).toBe(before);
  });

  it('validating admission sees the final object and can refuse it', async () => {
    const { rs: [cms], store } = await env([['', 'v1', 'configmaps']]);
    const seen: KObject[] = [];
    const err = await statusOf(cms.create('default', configMap('a'), {
      dryRun: false,
      admit: async (obj) => {
        seen.push(structuredClone(obj));
        throw new StatusError(403, 'Forbidden', 'no');
      },
    }));
    expect(err.code).toBe(403);
    expect(seen[0].metadata!.uid).toBeTruthy();
    expect(await store.currentRevision()).toBe(0);
  });
});

describe('ResourceStore.update', () => {
  it('with a stale resourceVersion is a 409 Conflict', async () => {
    const { rs: [cms] } = await env([['', 'v1', 'configmaps']]);
    const created = await cms.create('default', configMap('a', { v: '1' }), { dryRun: false });
    const staleRv = created.metadata!.resourceVersion;
    await cms.update('default', 'a', async (old) => ({ ...old!, data: { v: '2' } }), main);
    const err = await statusOf(cms.update('default', 'a', async (old) => ({ ...old!, metadata: { ...old!.metadata, resourceVersion: staleRv }, data: { v: '3' } }), main));
    expect(err.code).toBe(409);
    expect(err.reason).toBe('Conflict');
    expect(err.message).toBe('Operation cannot be fulfilled on configmaps "a": the object has been modified; please apply your changes to the latest version and try again');
    expect((await cms.get('default', 'a')).obj.data).toEqual({ v: '2' });
  });

  it('with the current resourceVersion succeeds and moves it on', async () => {
    const { rs: [cms] } = await env([['', 'v1', 'configmaps']]);
    const created = await cms.create('default', configMap('a', { v: '1' }), { dryRun: false });
    const { obj } = await cms.update('default', 'a', async (old) => ({ ...old!, data: { v: '2' } }), main);
    expect(obj.metadata!.resourceVersion).toBe(String(Number(created.metadata!.resourceVersion) + 1));
    expect(obj.metadata!.uid).toBe(created.metadata!.uid);
    expect(obj.metadata!.creationTimestamp).toBe(created.metadata!.creationTimestamp);
  });

  it('an unconditional update that loses a race is retried on the new state', async () => {
    const { rs: [cms], store } = await env([['', 'v1', 'configmaps']]);
    await cms.create('default', configMap('a', { n: '0' }), { dryRun: false });
    let calls = 0;
    const { obj } = await cms.update('default', 'a', async (old) => {
      calls++;
      if (calls === 1) {
        // Someone else writes between our read and our write.
        const kv = (await store.get('/registry/configmaps/default/a')).kv!;
        await store.update(kv.key, JSON.stringify({ ...JSON.parse(kv.value), data: { n: '1', other: 'yes' } }), kv.modRevision);
      }
      const next = structuredClone(old!);
      delete next.metadata!.resourceVersion;
      next.data = { ...next.data, n: String(Number(next.data.n) + 10) };
      return next;
    }, main);
    expect(calls).toBe(2);
    expect(obj.data).toEqual({ n: '11', other: 'yes' });
    expect((await cms.get('default', 'a')).obj.data).toEqual({ n: '11', other: 'yes' });
  });

  it('a pinned update that loses a race is a Conflict, not retried', async () => {
    const { rs: [cms], store } = await env([['', 'v1', 'configmaps']]);
    await cms.create('default', configMap('a', { n: '0' }), { dryRun: false });
    let calls = 0;
    const err = await statusOf(cms.update('default', 'a', async (old) => {
      calls++;
      const kv = (await store.get('/registry/configmaps/default/a')).kv!;
      await store.update(kv.key, kv.value, kv.modRevision);
      return { ...old!, data: { n: 'mine' } };
    }, main));
    expect(err.code).toBe(409);
    expect(calls).toBe(1);
  });

  it('an update racing a deletion is NotFound (404), not a storage error', async () => {
    const { rs: [cms], store } = await env([['', 'v1', 'configmaps']]);
    await cms.create('default', configMap('a'), { dryRun: false });
    const err = await statusOf(cms.update('default', 'a', async (old) => {
      const kv = (await store.get('/registry/configmaps/default/a')).kv;
      if (kv) await store.delete(kv.key, kv.modRevision);
      return { ...old!, data: { v: '2' } };
    }, main));
    expect(err.code).toBe(404);
    expect(err.message).toBe('configmaps "a" not found');
  });

  it('of a missing object is NotFound unless creating is allowed', async () => {
    const { rs: [cms] } = await env([['', 'v1', 'configmaps']]);
    const err = await statusOf(cms.update('default', 'nope', async () => configMap('nope'), main));
    expect(err.code).toBe(404);
    expect(err.message).toBe('configmaps "nope" not found');
    const r = await cms.update('default', 'nope', async (old) => {
      expect(old).toBeUndefined();
      return configMap('nope', { made: 'yes' });
    }, { ...main, allowCreate: true });
    expect(r.created).toBe(true);
    expect(r.obj.metadata!.uid).toBeTruthy();
  });

  it('refuses a body whose name differs from the URL', async () => {
    const { rs: [cms] } = await env([['', 'v1', 'configmaps']]);
    await cms.create('default', configMap('a'), { dryRun: false });
    const err = await statusOf(cms.update('default', 'a', async () => configMap('b'), main));
    expect(err.code).toBe(400);
  });

  it('keeps uid and creationTimestamp whatever the client sends', async () => {
    const { rs: [cms] } = await env([['', 'v1', 'configmaps']]);
    const created = await cms.create('default', configMap('a'), { dryRun: false });
    const { obj } = await cms.update('default', 'a', async (old) => ({ ...old!, metadata: { ...old!.metadata, uid: 'x', creationTimestamp: '2000-01-01T00:00:00Z' } }), main);
    expect(obj.metadata!.uid).toBe(created.metadata!.uid);
    expect(obj.metadata!.creationTimestamp).toBe(created.metadata!.creationTimestamp);
  });
});

describe('ResourceStore status and generation', () => {
  async function withDeployment() {
    const e = await env([['apps', 'v1', 'deployments']]);
    const deps = e.rs[0];
    await deps.create('ns', defaulted(deps, deployment('d', 1)), { dryRun: false });
    // The controller reports status through the status subresource.
    await deps.update('ns', 'd', async (old) => ({ ...old!, status: { replicas: 1, observedGeneration: 1 } }), status);
    return deps;
  }

  it('a main write keeps the stored status', async () => {
    const deps = await withDeployment();
    const { obj } = await deps.update('ns', 'd', async (old) => ({ ...old!, spec: { ...old!.spec, replicas: 3 }, status: { replicas: 99 } }), main);
    expect(obj.spec.replicas).toBe(3);
    expect(obj.status).toEqual({ replicas: 1, observedGeneration: 1 });
    expect((await deps.get('ns', 'd')).obj.status).toEqual({ replicas: 1, observedGeneration: 1 });
  });

  it('a status write changes only status', async () => {
    const deps = await withDeployment();
    const before = (await deps.get('ns', 'd')).obj;
    const { obj } = await deps.update('ns', 'd', async (old) => ({
      ...old!, metadata: { ...old!.metadata, labels: { sneaky: 'yes' } }, spec: { ...old!.spec, replicas: 7 }, status: { replicas: 4, observedGeneration: 1 },
    }), status);
    expect(obj.status).toEqual({ replicas: 4, observedGeneration: 1 });
    expect(obj.spec).toEqual(before.spec);
    expect(obj.metadata!.labels).toEqual(before.metadata!.labels);
    expect(obj.metadata!.generation).toBe(1);
  });

  it('generation moves on a spec change only', async () => {
    const deps = await withDeployment();
    const labelled = await deps.update('ns', 'd', async (old) => ({ ...old!, metadata: { ...old!.metadata, labels: { tier: 'web' } } }), main);
    expect(labelled.obj.metadata!.generation).toBe(1);
    const scaled = await deps.update('ns', 'd', async (old) => ({ ...old!, spec: { ...old!.spec, replicas: 5 } }), main);
    expect(scaled.obj.metadata!.generation).toBe(2);
    const same = await deps.update('ns', 'd', async (old) => old!, main);
    expect(same.obj.metadata!.generation).toBe(2);
    const st = await deps.update('ns', 'd', async (old) => ({ ...old!, status: { replicas: 5, observedGeneration: 2 } }), status);
    expect(st.obj.metadata!.generation).toBe(2);
    // A client cannot set generation itself.
    const forged = await deps.update('ns', 'd', async (old) => ({ ...old!, metadata: { ...old!.metadata, generation: 40 } }), main);
    expect(forged.obj.metadata!.generation).toBe(2);
  });
});

describe('ResourceStore.delete', () => {
  it('without finalizers removes the object', async () => {
    const { rs: [cms] } = await env([['', 'v1', 'configmaps']]);
    await cms.create('default', configMap('a'), { dryRun: false });
    const r = await cms.delete('default', 'a', {}, { dryRun: false });
    expect(r.deleted).toBe(true);
    expect((await statusOf(cms.get('default', 'a'))).code).toBe(404);
    expect((await statusOf(cms.delete('default', 'a', {}, { dryRun: false }))).code).toBe(404);
  });

  it('with finalizers sets deletionTimestamp and keeps the object; removing the last finalizer deletes it', async () => {
    const { rs: [cms], clock } = await env([['', 'v1', 'configmaps']]);
    await cms.create('default', configMap('a', {}, { finalizers: ['example.com/a', 'example.com/b'] }), { dryRun: false });
    clock.t += 5000;
    const r = await cms.delete('default', 'a', {}, { dryRun: false });
    expect(r.deleted).toBe(false);
    const held = (await cms.get('default', 'a')).obj;
    expect(held.metadata!.deletionTimestamp).toBe('2025-03-01T12:00:05Z');
    expect(held.metadata!.deletionGracePeriodSeconds).toBe(0);
    expect(held.metadata!.finalizers).toEqual(['example.com/a', 'example.com/b']);
    // Deleting again changes nothing.
    clock.t += 5000;
    await cms.delete('default', 'a', {}, { dryRun: false });
    expect((await cms.get('default', 'a')).obj.metadata!.deletionTimestamp).toBe('2025-03-01T12:00:05Z');
    // An update cannot clear the deletion timestamp.
    await cms.update('default', 'a', async (old) => {
      const next: KObject = { ...old!, metadata: { ...old!.metadata, finalizers: ['example.com/b'] } };
      delete next.metadata!.deletionTimestamp;
      return next;
    }, main);
    expect((await cms.get('default', 'a')).obj.metadata!.deletionTimestamp).toBe('2025-03-01T12:00:05Z');
    await cms.update('default', 'a', async (old) => ({ ...old!, metadata: { ...old!.metadata, finalizers: [] } }), main);
    expect((await statusOf(cms.get('default', 'a'))).code).toBe(404);
  });

  it('Foreground adds the foregroundDeletion finalizer, Orphan the orphan one', async () => {
    const { rs: [cms] } = await env([['', 'v1', 'configmaps']]);
    await cms.create('default', configMap('fg'), { dryRun: false });
    await cms.create('default', configMap('or'), { dryRun: false });
    await cms.create('default', configMap('od'), { dryRun: false });
    expect((await cms.delete('default', 'fg', { propagationPolicy: 'Foreground' }, { dryRun: false })).deleted).toBe(false);
    expect((await cms.delete('default', 'or', { propagationPolicy: 'Orphan' }, { dryRun: false })).deleted).toBe(false);
    expect((await cms.delete('default', 'od', { orphanDependents: true }, { dryRun: false })).deleted).toBe(false);
    const fg = (await cms.get('default', 'fg')).obj.metadata!;
    expect(fg.finalizers).toEqual(['foregroundDeletion']);
    expect(fg.deletionTimestamp).toBeTruthy();
    expect((await cms.get('default', 'or')).obj.metadata!.finalizers).toEqual(['orphan']);
    expect((await cms.get('default', 'od')).obj.metadata!.finalizers).toEqual(['orphan']);
    // Background on an orphaning deletion drops the orphan finalizer, and with it the object.
    expect((await cms.delete('default', 'or', { propagationPolicy: 'Background' }, { dryRun: false })).deleted).toBe(true);
    expect((await statusOf(cms.get('default', 'or'))).code).toBe(404);
  });

  it('a pod bound to a node is deleted gracefully; a second delete with grace 0 removes it', async () => {
    const { rs: [pods], clock } = await env([['', 'v1', 'pods']]);
    await pods.create('default', defaulted(pods, pod('p')), { dryRun: false });
    await pods.update('default', 'p', async (old) => ({ ...old!, spec: { ...old!.spec, nodeName: 'node-1' } }), { dryRun: false, subresource: 'binding' });
    const r = await pods.delete('default', 'p', {}, { dryRun: false });
    expect(r.deleted).toBe(false);
    const m = (await pods.get('default', 'p')).obj.metadata!;
    expect(m.deletionGracePeriodSeconds).toBe(30);
    expect(m.deletionTimestamp).toBe('2025-03-01T12:00:30Z');
    // A shorter grace period moves the deadline closer; a longer one does not.
    await pods.delete('default', 'p', { gracePeriodSeconds: 10 }, { dryRun: false });
    expect((await pods.get('default', 'p')).obj.metadata).toMatchObject({ deletionGracePeriodSeconds: 10, deletionTimestamp: '2025-03-01T12:00:10Z' });
    await pods.delete('default', 'p', { gracePeriodSeconds: 60 }, { dryRun: false });
    expect((await pods.get('default', 'p')).obj.metadata).toMatchObject({ deletionGracePeriodSeconds: 10, deletionTimestamp: '2025-03-01T12:00:10Z' });
    // The kubelet's status writes keep the terminating pod.
    clock.t += 1000;
    await pods.update('default', 'p', async (old) => ({ ...old!, status: { ...old!.status, phase: 'Running' } }), status);
    expect((await pods.get('default', 'p')).obj.status.phase).toBe('Running');
    const force = await pods.delete('default', 'p', { gracePeriodSeconds: 0 }, { dryRun: false });
    expect(force.deleted).toBe(true);
    expect((await statusOf(pods.get('default', 'p'))).code).toBe(404);
  });

  it('honours the pod terminationGracePeriodSeconds', async () => {
    const { rs: [pods] } = await env([['', 'v1', 'pods']]);
    const p = pod('p', 'node-1');
    p.spec.terminationGracePeriodSeconds = 5;
    await pods.create('default', defaulted(pods, p), { dryRun: false });
    await pods.delete('default', 'p', {}, { dryRun: false });
    expect((await pods.get('default', 'p')).obj.metadata).toMatchObject({ deletionGracePeriodSeconds: 5, deletionTimestamp: '2025-03-01T12:00:05Z' });
  });

  it('an unbound pod, or one that has finished, is deleted at once', async () => {
    const { rs: [pods] } = await env([['', 'v1', 'pods']]);
    await pods.create('default', defaulted(pods, pod('pending')), { dryRun: false });
    expect((await pods.delete('default', 'pending', {}, { dryRun: false })).deleted).toBe(true);
    await pods.create('default', defaulted(pods, pod('done', 'node-1')), { dryRun: false });
    await pods.update('default', 'done', async (old) => ({ ...old!, status: { ...old!.status, phase: 'Succeeded' } }), status);
    expect((await pods.delete('default', 'done', {}, { dryRun: false })).deleted).toBe(true);
  });

  it('checks uid and resourceVersion preconditions', async () => {
    const { rs: [cms] } = await env([['', 'v1', 'configmaps']]);
    const c = await cms.create('default', configMap('a'), { dryRun: false });
    const uid = await statusOf(cms.delete('default', 'a', { preconditions: { uid: 'other' } }, { dryRun: false }));
    expect(uid.code).toBe(409);
    expect(uid.message).toBe(`Operation cannot be fulfilled on configmaps "a": Precondition failed: UID in precondition: other, UID in object meta: ${c.metadata!.uid}`);
    const rv = await statusOf(cms.delete('default', 'a', { preconditions: { resourceVersion: '1234' } }, { dryRun: false }));
    expect(rv.code).toBe(409);
    expect(rv.message).toContain('Precondition failed: ResourceVersion in precondition: 1234');
    expect((await cms.get('default', 'a')).obj.metadata!.uid).toBe(c.metadata!.uid);
    const ok = await cms.delete('default', 'a', { preconditions: { uid: c.metadata!.uid, resourceVersion: c.metadata!.resourceVersion } }, { dryRun: false });
    expect(ok.deleted).toBe(true);
  });
});

describe('ResourceStore dry run', () => {
  it('create, update and delete write nothing', async () => {
    const { rs: [cms], store } = await env([['', 'v1', 'configmaps']]);
    await cms.create('default', configMap('a', { v: '1' }, { finalizers: ['example.com/x'] }), { dryRun: false });
    const rev = await store.currentRevision();
    const dry = await cms.create('default', configMap('b'), { dryRun: true });
    expect(dry.metadata!.uid).toBeTruthy();
    const upd = await cms.update('default', 'a', async (old) => ({ ...old!, data: { v: '2' } }), { ...main, dryRun: true });
    expect(upd.obj.data).toEqual({ v: '2' });
    const del = await cms.delete('default', 'a', {}, { dryRun: true });
    expect(del.obj.metadata!.deletionTimestamp).toBeTruthy();
    expect(await store.currentRevision()).toBe(rev);
    expect((await statusOf(cms.get('default', 'b'))).code).toBe(404);
    const a = (await cms.get('default', 'a')).obj;
    expect(a.data).toEqual({ v: '1' });
    expect(a.metadata!.deletionTimestamp).toBeUndefined();
  });

  it('a dry-run create still reports AlreadyExists, even right after the create', async () => {
    const { rs: [cms] } = await env([['', 'v1', 'configmaps']]);
    await cms.create('default', configMap('a'), { dryRun: false });
    const err = await statusOf(cms.create('default', configMap('a'), { dryRun: true }));
    expect(err.reason).toBe('AlreadyExists');
  });

  it('dry-run update and delete still run validating admission', async () => {
    const { rs: [cms] } = await env([['', 'v1', 'configmaps']]);
    await cms.create('default', configMap('a'), { dryRun: false });
    const refuse = async () => {
      throw new StatusError(403, 'Forbidden', 'refused by admission');
    };
    expect((await statusOf(cms.update('default', 'a', async (old) => ({ ...old!, data: { v: '2' } }), { ...main, dryRun: true, admit: refuse }))).code).toBe(403);
    expect((await statusOf(cms.delete('default', 'a', {}, { dryRun: true, admit: refuse }))).code).toBe(403);
  });
});

describe('Namespace deletion', () => {
  it('marks the namespace Terminating and keeps it while spec.finalizers are set', async () => {
    const { rs: [nss] } = await env([['', 'v1', 'namespaces']]);
    const created = await nss.create('', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } }, { dryRun: false });
    expect(created.spec.finalizers).toEqual(['kubernetes']);
    const r = await nss.delete('', 'x', { propagationPolicy: 'Background' }, { dryRun: false });
    expect(r.deleted).toBe(false);
    const ns = (await nss.get('', 'x')).obj;
    expect(ns.status.phase).toBe('Terminating');
    expect(ns.metadata!.deletionTimestamp).toBe('2025-03-01T12:00:00Z');
    // The namespace controller's finalize call empties spec.finalizers, and the namespace goes.
    await nss.update('', 'x', async (old) => ({ ...old!, spec: {} }), { dryRun: false, subresource: 'finalize' });
    expect((await statusOf(nss.get('', 'x'))).code).toBe(404);
  });

  it('a namespace without finalizers is deleted at once', async () => {
    const { rs: [nss] } = await env([['', 'v1', 'namespaces']]);
    await nss.create('', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } }, { dryRun: false });
    await nss.update('', 'x', async (old) => ({ ...old!, spec: {} }), { dryRun: false, subresource: 'finalize' });
    expect((await nss.delete('', 'x', {}, { dryRun: false })).deleted).toBe(true);
  });
});
