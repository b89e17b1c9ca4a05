// sync(key) driven directly: Services and pods go straight into the informers' caches, writes
// land in a fake API server that records them.
import { describe, expect, it } from 'vitest';
import type { Endpoints, Pod, Service } from 'kubernetes-types/core/v1.js';
import { FakeClock, RestClient, SharedInformerFactory, resources, type EventRecorder } from '../../client/index.js';
import { FakeApiServer } from '../../client/testing/index.js';
import type { ControllerContext } from '../types.js';
import { EndpointsController } from './endpoints-controller.js';

const T0 = Date.UTC(2025, 0, 1);

function setup() {
  const clock = new FakeClock(T0);
  const api = new FakeApiServer({ clock });
  const client = new RestClient(api, { clock });
  const informers = new SharedInformerFactory(client, { clock });
  const recorder: EventRecorder = { event: () => {}, annotatedEvent: () => {} };
  const ctx: ControllerContext = { client, informers, clock, signal: new AbortController().signal, recorder: () => recorder };
  const ctrl = new EndpointsController(ctx, { onError: () => {} });
  const svcCache = informers.informerFor(resources.services).getIndexer();
  const podCache = informers.informerFor(resources.pods).getIndexer();
  const epCache = informers.informerFor(resources.endpoints).getIndexer();
  const addEndpoints = (ep: Endpoints) => {
    const stored = api.seed(resources.endpoints, ep);
    epCache.add(stored);
    return stored;
  };
  /** Copies what the controller wrote into the cache, as the informer would. */
  const observe = () => {
    for (const ep of api.list(resources.endpoints)) epCache.update(ep);
  };
  return { api, ctrl, svcCache, podCache, epCache, addEndpoints, observe };
}

function service(name: string, spec: Service['spec'] = {}, labels?: Record<string, string>): Service {
  return {
    metadata: { name, namespace: 'ns', uid: `uid-${name}`, labels, creationTimestamp: '2025-01-01T00:00:00Z' },
    spec: { clusterIP: '10.96.0.9', ipFamilies: ['IPv4'], selector: { app: name }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }], ...spec },
  };
}

function pod(name: string, app: string, ip: string, ready = true): Pod {
  return {
    metadata: { name, namespace: 'ns', uid: `uid-${name}`, labels: { app }, resourceVersion: '1' },
    spec: { nodeName: 'n1', containers: [] },
    status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: '2025-01-01T00:00:05Z' }] },
  };
}

describe('EndpointsController.sync', () => {
  it('creates the Endpoints with the service labels and a trigger time, then stays quiet', async () => {
    const { api, ctrl, svcCache, podCache, observe } = setup();
    svcCache.add(service('web', {}, { tier: 'front' }));
    podCache.add(pod('a', 'web', '10.0.0.1'));
    podCache.add(pod('b', 'web', '10.0.0.2', false));
    await ctrl.sync('ns/web');
    const ep = api.get(resources.endpoints, 'ns', 'web')!;
    expect(ep.metadata?.labels).toEqual({ tier: 'front' });
    // A service seen for the first time reports its creation.
    expect(ep.metadata?.annotations).toEqual({ 'endpoints.kubernetes.io/last-change-trigger-time': '2025-01-01T00:00:00Z' });
    expect(ep.subsets).toEqual([{
      addresses: [{ ip: '10.0.0.1', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'ns', name: 'a', uid: 'uid-a' } }],
      notReadyAddresses: [{ ip: '10.0.0.2', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'ns', name: 'b', uid: 'uid-b' } }],
      ports: [{ port: 8080, protocol: 'TCP' }],
    }]);
    observe();
    api.clearActions();
    await ctrl.sync('ns/web');
    expect(api.writes()).toEqual([]);
  });

  it('moves a pod that turned unready to notReadyAddresses', async () => {
    const { api, ctrl, svcCache, podCache, observe } = setup();
    svcCache.add(service('web'));
    podCache.add(pod('a', 'web', '10.0.0.1'));
    await ctrl.sync('ns/web');
    observe();
    podCache.update({ ...pod('a', 'web', '10.0.0.1', false), status: { ...pod('a', 'web', '10.0.0.1', false).status, conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: '2025-01-01T00:01:00Z' }] } });
    await ctrl.sync('ns/web');
    const ep = api.get(resources.endpoints, 'ns', 'web')!;
    expect(ep.subsets?.[0].addresses).toBeUndefined();
    expect(ep.subsets?.[0].notReadyAddresses?.map((a) => a.ip)).toEqual(['10.0.0.1']);
    expect(ep.metadata?.annotations?.['endpoints.kubernetes.io/last-change-trigger-time']).toBe('2025-01-01T00:01:00Z');
  });

  it('labels headless Endpoints and gives hostnames to pods of its subdomain', async () => {
    const { api, ctrl, svcCache, podCache } = setup();
    svcCache.add(service('db', { clusterIP: 'None' }));
    const p = pod('db-0', 'db', '10.0.0.3');
    p.spec = { ...p.spec!, hostname: 'db-0', subdomain: 'db' };
    podCache.add(p);
    await ctrl.sync('ns/db');
    const ep = api.get(resources.endpoints, 'ns', 'db')!;
    expect(ep.metadata?.labels).toEqual({ 'service.kubernetes.io/headless': '' });
    expect(ep.subsets?.[0].addresses?.[0].hostname).toBe('db-0');
  });

  it('leaves selector-less and ExternalName services alone (the kubernetes service included)', async () => {
    const { api, ctrl, svcCache, addEndpoints } = setup();
    svcCache.add({ ...service('kubernetes', { selector: undefined }), metadata: { name: 'kubernetes', namespace: 'ns' } });
    addEndpoints({ metadata: { name: 'kubernetes', namespace: 'ns' }, subsets: [{ addresses: [{ ip: '192.0.2.1' }], ports: [{ name: 'https', port: 6443 }] }] });
    svcCache.add(service('ext', { type: 'ExternalName', externalName: 'example.com' }));
    api.clearActions();
    await ctrl.sync('ns/kubernetes');
    await ctrl.sync('ns/ext');
    expect(api.writes()).toEqual([]);
  });

  it('deletes the Endpoints of a deleted service', async () => {
    const { api, ctrl, addEndpoints } = setup();
    addEndpoints({ metadata: { name: 'gone', namespace: 'ns' }, subsets: [] });
    await ctrl.sync('ns/gone');
    expect(api.writes().map((a) => `${a.verb} ${a.resource} ${a.name}`)).toEqual(['delete endpoints gone']);
    await ctrl.sync('ns/gone'); // already gone: fine
  });

  it('annotates over-capacity Endpoints and keeps 1000 addresses', async () => {
    const { api, ctrl, svcCache, podCache } = setup();
    svcCache.add(service('big'));
    for (let i = 0; i < 1001; i++) podCache.add(pod(`p${i}`, 'big', `10.1.${Math.floor(i / 250)}.${i % 250}`));
    await ctrl.sync('ns/big');
    const ep = api.get(resources.endpoints, 'ns', 'big')!;
    expect(ep.metadata?.annotations?.['endpoints.kubernetes.io/over-capacity']).toBe('truncated');
    expect(ep.subsets?.[0].addresses).toHaveLength(1000);
  });

  it('waits while the cache still shows the version it replaced', async () => {
    const { api, ctrl, svcCache, podCache, addEndpoints } = setup();
    svcCache.add(service('web'));
    addEndpoints({ metadata: { name: 'web', namespace: 'ns' } });
    podCache.add(pod('a', 'web', '10.0.0.1'));
    await ctrl.sync('ns/web'); // an update; the cache is not told
    podCache.add(pod('b', 'web', '10.0.0.2'));
    await expect(ctrl.sync('ns/web')).rejects.toThrow(/out of date/);
    expect(api.writes().filter((a) => a.verb === 'update')).toHaveLength(1);
  });
});
