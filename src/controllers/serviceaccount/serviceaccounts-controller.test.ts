// sync(namespace) driven directly: namespaces and ServiceAccounts go straight into the informers'
// caches (fake listers), writes into a recording fake API server.
import { describe, expect, it } from 'vitest';
import type { Namespace, ServiceAccount } from 'kubernetes-types/core/v1.js';
import { FakeClock, RestClient, SharedInformerFactory, resources, type EventRecorder } from '../../client/index.js';
import { FakeApiServer, type RecordedAction } from '../../client/testing/index.js';
import type { ControllerContext } from '../types.js';
import { ServiceAccountsController, type ServiceAccountsControllerOptions } from './serviceaccounts-controller.js';

function setup(opts: ServiceAccountsControllerOptions = {}) {
  const clock = new FakeClock();
  const api = new FakeApiServer({ clock });
  const client = new RestClient(api, { clock });
  const informers = new SharedInformerFactory(client, { clock });
  const recorder: EventRecorder = { event: () => {}, annotatedEvent: () => {} };
  const ctx: ControllerContext = { client, informers, clock, signal: new AbortController().signal, recorder: () => recorder };
  const errors: unknown[] = [];
  const ctrl = new ServiceAccountsController(ctx, { onError: (e) => errors.push(e), ...opts });
  const nsCache = informers.informerFor(resources.namespaces).getIndexer();
  const saCache = informers.informerFor(resources.serviceAccounts).getIndexer();
  const writes = () => api.writes().map(describeAction);
  return { api, client, informers, ctrl, nsCache, saCache, writes, errors };
}

function describeAction(a: RecordedAction): string {
  const body = a.body as ServiceAccount | undefined;
  return `${a.verb} ${a.resource} ${a.namespace}/${a.name || body?.metadata?.name}`;
}

function ns(name: string, phase: 'Active' | 'Terminating' = 'Active'): Namespace {
  return { metadata: { name }, status: { phase } };
}

function sa(namespace: string, name: string): ServiceAccount {
  return { metadata: { name, namespace } };
}

const NAMESPACE_TERMINATING = {
  status: 403,
  body: {
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 403, reason: 'Forbidden',
    message: 'unable to create new content in namespace gone because it is being terminated',
    details: { name: 'gone', kind: 'namespaces', causes: [{ reason: 'NamespaceTerminating', message: 'namespace gone is being terminated', field: 'metadata.namespace' }] },
  },
};

describe('ServiceAccountsController.sync', () => {
  const cases: Array<{ name: string; namespace?: Namespace; existing: ServiceAccount[]; want: string[] }> = [
    { name: 'an active namespace without one gets the default ServiceAccount', namespace: ns('team'), existing: [], want: ['create serviceaccounts team/default'] },
    { name: 'an existing default ServiceAccount is left alone', namespace: ns('team'), existing: [sa('team', 'default')], want: [] },
    { name: 'one in another namespace does not count', namespace: ns('team'), existing: [sa('other', 'default')], want: ['create serviceaccounts team/default'] },
    { name: 'a terminating namespace gets nothing', namespace: ns('team', 'Terminating'), existing: [], want: [] },
    { name: 'a namespace without a phase (not Active) gets nothing', namespace: { metadata: { name: 'team' } }, existing: [], want: [] },
    { name: 'an absent namespace is nothing to do', existing: [], want: [] },
  ];
  for (const tc of cases) {
    it(tc.name, async () => {
      const { ctrl, nsCache, saCache, writes } = setup();
      if (tc.namespace) nsCache.add(tc.namespace);
      for (const s of tc.existing) saCache.add(s);
      await ctrl.sync('team');
      expect(writes()).toEqual(tc.want);
    });
  }

  it('creates every ServiceAccount it is told to ensure, with its content', async () => {
    const { ctrl, nsCache, saCache, api } = setup({ serviceAccounts: [{ metadata: { name: 'default' } }, { metadata: { name: 'builder', labels: { a: 'b' } }, automountServiceAccountToken: false }] });
    nsCache.add(ns('team'));
    saCache.add(sa('team', 'default'));
    await ctrl.sync('team');
    expect(api.list(resources.serviceAccounts, 'team').map((s) => s.metadata?.name)).toEqual(['builder']);
    const builder = api.get(resources.serviceAccounts, 'team', 'builder');
    expect(builder?.metadata?.labels).toEqual({ a: 'b' });
    expect(builder?.automountServiceAccountToken).toBe(false);
  });

  it('treats AlreadyExists (the cache lags) as done', async () => {
    const { ctrl, nsCache, api } = setup();
    nsCache.add(ns('team'));
    api.seed(resources.serviceAccounts, sa('team', 'default'));
    await expect(ctrl.sync('team')).resolves.toBeUndefined();
  });

  it('ignores a namespace that began terminating meanwhile, and fails on other errors', async () => {
    const { ctrl, nsCache, api } = setup();
    nsCache.add(ns('gone'));
    api.addReactor((a) => (a.verb === 'create' ? NAMESPACE_TERMINATING : undefined));
    await expect(ctrl.sync('gone')).resolves.toBeUndefined();
    api.clearReactors();
    api.addReactor((a) => (a.verb === 'create' ? { status: 500, body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 500, reason: 'InternalError', message: 'boom' } } : undefined));
    await expect(ctrl.sync('gone')).rejects.toThrow('boom');
  });
});

describe('ServiceAccountsController handlers', () => {
  it('enqueue the namespace when a namespace appears and when a ServiceAccount is deleted', async () => {
    const { ctrl, api, client, informers } = setup();
    api.seed(resources.namespaces, ns('a'));
    api.seed(resources.serviceAccounts, sa('b', 'default'));
    informers.start();
    await informers.waitForCacheSync();
    expect(ctrl.queue.len()).toBe(1); // namespace a; adding a ServiceAccount enqueues nothing
    expect(await ctrl.queue.get()).toEqual({ shutdown: false, item: 'a' });
    ctrl.queue.done('a');
    await client.resource(resources.serviceAccounts).namespace('b').delete('default');
    await expect.poll(() => ctrl.queue.len()).toBe(1);
    expect(await ctrl.queue.get()).toEqual({ shutdown: false, item: 'b' });
    await informers.shutdown();
  });
});
