// sync(key) and the slice event filter, driven directly with informer caches and a fake API server.
import { describe, expect, it } from 'vitest';
import type { Pod, Service } from 'kubernetes-types/core/v1.js';
import { FakeClock, RestClient, SharedInformerFactory, resources, type EventRecorder } from '../../client/index.js';
import { FakeApiServer } from '../../client/testing/index.js';
import type { ControllerContext } from '../types.js';
import { EndpointSliceController } from './endpointslice-controller.js';

function setup() {
  const clock = new FakeClock(Date.UTC(2025, 0, 1));
  const api = new FakeApiServer({ clock });
  const client = new RestClient(api, { clock });
  const informers = new SharedInformerFactory(client, { clock });
  const recorder: EventRecorder = { event: () => {}, annotatedEvent: () => {} };
  const ctx: ControllerContext = { client, informers, clock, signal: new AbortController().signal, recorder: () => recorder };
  const ctrl = new EndpointSliceController(ctx, { onError: () => {} });
  const cache = (r: Parameters<typeof informers.informerFor>[0]) => informers.informerFor(r).getIndexer();
  cache(resources.nodes).add({ metadata: { name: 'n1' } });
  const sliceCache = cache(resources.endpointSlices);
  const observe = () => {
    for (const s of api.list(resources.endpointSlices)) sliceCache.update(s);
  };
  return { api, ctrl, svcCache: cache(resources.services), podCache: cache(resources.pods), sliceCache, observe };
}

const service = (spec: Service['spec'] = {}): Service => ({
  metadata: { name: 'web', namespace: 'ns', uid: 'svc-uid', labels: { tier: 'front' }, creationTimestamp: '2025-01-01T00:00:00Z' },
  spec: { clusterIP: 'None', ipFamilies: ['IPv4'], selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }], ...spec },
});

const pod = (name: string, ip: string): Pod => ({
  metadata: { name, namespace: 'ns', uid: `uid-${name}`, labels: { app: 'web' } },
  spec: { nodeName: 'n1', hostname: name, subdomain: 'web', containers: [] },
  status: { phase: 'Running', podIPs: [{ ip }], conditions: [{ type: 'Ready', status: 'True' }] },
});

describe('EndpointSliceController.sync', () => {
  it('writes a headless service slice with hostnames and the trigger time, then nothing more', async () => {
    const { api, ctrl, svcCache, podCache, observe } = setup();
    svcCache.add(service());
    podCache.add(pod('web-0', '10.0.0.1'));
    await ctrl.sync('ns/web');
    const [slice] = api.list(resources.endpointSlices, 'ns');
    expect(slice.metadata?.labels).toEqual({
      tier: 'front', 'service.kubernetes.io/headless': '', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
    });
    expect(slice.metadata?.annotations).toEqual({ 'endpoints.kubernetes.io/last-change-trigger-time': '2025-01-01T00:00:00Z' });
    expect(slice.endpoints?.[0].hostname).toBe('web-0');
    observe();
    api.clearActions();
    await ctrl.sync('ns/web');
    expect(api.writes()).toEqual([]);
  });

  it('follows a change of the service labels', async () => {
    const { api, ctrl, svcCache, podCache, observe } = setup();
    svcCache.add(service());
    podCache.add(pod('web-0', '10.0.0.1'));
    await ctrl.sync('ns/web');
    observe();
    svcCache.update({ ...service(), metadata: { ...service().metadata, labels: { tier: 'back' } } });
    await ctrl.sync('ns/web');
    expect(api.list(resources.endpointSlices, 'ns')[0].metadata?.labels?.tier).toBe('back');
  });

  it('leaves selector-less services alone', async () => {
    const { api, ctrl, svcCache } = setup();
    svcCache.add(service({ selector: undefined }));
    await ctrl.sync('ns/web');
    expect(api.writes()).toEqual([]);
  });

  it('retries while the cache lags behind its own writes', async () => {
    const { ctrl, svcCache, podCache } = setup();
    svcCache.add(service());
    podCache.add(pod('web-0', '10.0.0.1'));
    await ctrl.sync('ns/web'); // created a slice the cache has not shown yet
    await expect(ctrl.sync('ns/web')).rejects.toThrow('EndpointSlice informer cache is out of date');
  });

  it('tells its own slice writes from others', async () => {
    const { api, ctrl, svcCache, podCache, observe } = setup();
    svcCache.add(service());
    podCache.add(pod('web-0', '10.0.0.1'));
    await ctrl.sync('ns/web');
    observe();
    const [mine] = api.list(resources.endpointSlices, 'ns');
    expect(ctrl.tracker.shouldSync(mine)).toBe(false);
    expect(ctrl.tracker.shouldSync({ ...mine, metadata: { ...mine.metadata, generation: (mine.metadata?.generation ?? 0) + 1 } })).toBe(true);
  });
});
