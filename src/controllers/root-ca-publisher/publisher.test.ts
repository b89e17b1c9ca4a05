// The publisher's decision (desiredConfigMap) as a table, and sync(namespace) driven directly
// against fake listers and a recording fake API server.
import { describe, expect, it } from 'vitest';
import type { ConfigMap } from 'kubernetes-types/core/v1.js';
import { FakeClock, RestClient, SharedInformerFactory, resources, type EventRecorder } from '../../client/index.js';
import { FakeApiServer } from '../../client/testing/index.js';
import type { ControllerContext } from '../types.js';
import { DESCRIPTION, DESCRIPTION_ANNOTATION, ROOT_CA_CONFIGMAP_NAME, RootCACertPublisher, desiredConfigMap } from './publisher.js';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

function cm(data: Record<string, string> | undefined, annotations?: Record<string, string>, extra: Partial<ConfigMap> = {}): ConfigMap {
  return { metadata: { name: ROOT_CA_CONFIGMAP_NAME, namespace: 'team', annotations, resourceVersion: '7' }, data, ...extra };
}

const described = { [DESCRIPTION_ANNOTATION]: DESCRIPTION };

describe('desiredConfigMap', () => {
  it('creates the ConfigMap when there is none', () => {
    expect(desiredConfigMap('team', CA, undefined)).toEqual({
      create: {
        apiVersion: 'v1', kind: 'ConfigMap',
        metadata: { name: 'kube-root-ca.crt', namespace: 'team', annotations: { 'kubernetes.io/description': DESCRIPTION } },
        data: { 'ca.crt': CA },
      },
    });
  });

  const cases: Array<{ name: string; have: ConfigMap; want: 'none' | 'update' }> = [
    { name: 'up to date', have: cm({ 'ca.crt': CA }, described), want: 'none' },
    { name: 'a user annotation besides ours is fine', have: cm({ 'ca.crt': CA }, { ...described, mine: 'x' }), want: 'none' },
    { name: 'any non-empty description will do (as upstream)', have: cm({ 'ca.crt': CA }, { [DESCRIPTION_ANNOTATION]: 'other words' }), want: 'none' },
    { name: 'edited CA', have: cm({ 'ca.crt': 'not a CA' }, described), want: 'update' },
    { name: 'an extra key', have: cm({ 'ca.crt': CA, extra: 'x' }, described), want: 'update' },
    { name: 'no data', have: cm(undefined, described), want: 'update' },
    { name: 'description removed', have: cm({ 'ca.crt': CA }), want: 'update' },
    { name: 'description emptied', have: cm({ 'ca.crt': CA }, { [DESCRIPTION_ANNOTATION]: '' }), want: 'update' },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const got = desiredConfigMap('team', CA, tc.have);
      if (tc.want === 'none') return expect(got).toBeUndefined();
      expect(got && 'update' in got).toBe(true);
      const next = (got as { update: ConfigMap }).update;
      expect(next.data).toEqual({ 'ca.crt': CA });
      expect(next.metadata?.annotations?.[DESCRIPTION_ANNOTATION]).toBe(DESCRIPTION);
      expect(next.metadata?.resourceVersion).toBe('7'); // an update conditional on what was read
      expect(next).not.toBe(tc.have);
    });
  }

  it('keeps the user annotations and labels and never mutates the cached object', () => {
    const have = cm({ 'ca.crt': 'x' }, { mine: 'y' }, {});
    have.metadata!.labels = { l: 'v' };
    const frozen = structuredClone(have);
    const got = desiredConfigMap('team', CA, have) as { update: ConfigMap };
    expect(got.update.metadata?.annotations).toEqual({ mine: 'y', ...described });
    expect(got.update.metadata?.labels).toEqual({ l: 'v' });
    expect(have).toEqual(frozen);
  });
});

function setup() {
  const clock = new FakeClock();
  const api = new FakeApiServer({ clock });
  const client = new RestClient(api, { clock });
  const informers = new SharedInformerFactory(client, { clock });
  const recorder: EventRecorder = { event: () => {}, annotatedEvent: () => {} };
  const ctx: ControllerContext = { client, informers, clock, signal: new AbortController().signal, recorder: () => recorder };
  const ctrl = new RootCACertPublisher(ctx, CA, { onError: () => {} });
  const cmCache = informers.informerFor(resources.configMaps).getIndexer();
  const writes = () => api.writes().map((a) => `${a.verb} ${a.namespace}/${a.name || (a.body as ConfigMap).metadata?.name}`);
  return { api, ctrl, cmCache, writes, informers, client };
}

const NAMESPACE_TERMINATING = {
  status: 403,
  body: {
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 403, reason: 'Forbidden', message: 'namespace team is being terminated',
    details: { causes: [{ reason: 'NamespaceTerminating', message: 'namespace team is being terminated', field: 'metadata.namespace' }] },
  },
};

describe('RootCACertPublisher.sync', () => {
  it('creates the ConfigMap, updates a stale one, and leaves a current one alone', async () => {
    const { api, ctrl, cmCache, writes } = setup();
    await ctrl.sync('team');
    expect(writes()).toEqual(['create team/kube-root-ca.crt']);
    const stored = api.get(resources.configMaps, 'team', ROOT_CA_CONFIGMAP_NAME)!;
    expect(stored.data).toEqual({ 'ca.crt': CA });
    api.clearActions();

    cmCache.add(stored);
    await ctrl.sync('team');
    expect(writes()).toEqual([]);

    const edited = api.seed(resources.configMaps, cm({ 'ca.crt': 'tampered' }, described, { metadata: { name: ROOT_CA_CONFIGMAP_NAME, namespace: 'other' } }));
    cmCache.add(edited);
    await ctrl.sync('other');
    expect(writes()).toEqual(['update other/kube-root-ca.crt']);
    expect(api.get(resources.configMaps, 'other', ROOT_CA_CONFIGMAP_NAME)?.data).toEqual({ 'ca.crt': CA });
  });

  it('does not retry a create in a namespace that is gone or terminating; other errors fail the sync', async () => {
    const { api, ctrl } = setup();
    api.addReactor((a) => (a.verb === 'create' ? NAMESPACE_TERMINATING : undefined));
    await expect(ctrl.sync('team')).resolves.toBeUndefined();
    api.clearReactors();
    api.addReactor((a) => (a.verb === 'create' ? { status: 404, body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 404, reason: 'NotFound', message: 'namespaces "team" not found' } } : undefined));
    await expect(ctrl.sync('team')).resolves.toBeUndefined();
    api.clearReactors();
    api.addReactor((a) => (a.verb === 'create' ? { status: 500, body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 500, reason: 'InternalError', message: 'boom' } } : undefined));
    await expect(ctrl.sync('team')).rejects.toThrow('boom');
  });
});

describe('RootCACertPublisher handlers', () => {
  it('enqueue namespaces, and a namespace when its kube-root-ca.crt changes or goes — not for other ConfigMaps', async () => {
    const { api, ctrl, informers, client } = setup();
    api.seed(resources.namespaces, { metadata: { name: 'a' }, status: { phase: 'Active' } });
    api.seed(resources.configMaps, cm({ 'ca.crt': CA }, described, { metadata: { name: ROOT_CA_CONFIGMAP_NAME, namespace: 'b' } }));
    api.seed(resources.configMaps, { metadata: { name: 'other', namespace: 'c' }, data: {} });
    informers.start();
    await informers.waitForCacheSync();
    expect(ctrl.queue.len()).toBe(1);
    expect(await ctrl.queue.get()).toEqual({ shutdown: false, item: 'a' });
    ctrl.queue.done('a');

    const cms = (ns: string) => client.resource(resources.configMaps).namespace(ns);
    await cms('c').patch('other', { data: { k: 'v' } });
    await cms('c').delete('other');
    await cms('b').patch(ROOT_CA_CONFIGMAP_NAME, { data: { 'ca.crt': 'x' } });
    await expect.poll(() => ctrl.queue.len()).toBe(1);
    expect(await ctrl.queue.get()).toEqual({ shutdown: false, item: 'b' });
    ctrl.queue.done('b');
    await cms('b').delete(ROOT_CA_CONFIGMAP_NAME);
    await expect.poll(() => ctrl.queue.len()).toBe(1);
    expect(await ctrl.queue.get()).toEqual({ shutdown: false, item: 'b' });
    await informers.shutdown();
  });
});
