// The informer-backed view against a fake API server: answers follow the API's objects as they
// change (polled through the real server, no fixed waits).
import { afterEach, describe, expect, it } from 'vitest';
import { Resolver } from 'node:dns/promises';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { RestClient, SharedInformerFactory, resources } from '../client/index.js';
import { FakeApiServer } from '../client/testing/index.js';
import { startClusterDns, type ClusterDns } from './cluster-dns.js';
import { informerView } from './informer-view.js';

const dbSlice = (ready: boolean): EndpointSlice => ({
  metadata: { namespace: 'default', name: 'db-abc', labels: { 'kubernetes.io/service-name': 'db' } },
  addressType: 'IPv4',
  endpoints: [
    { addresses: ['10.0.0.1'], hostname: 'db-0', conditions: { ready: true } },
    { addresses: ['10.0.0.2'], hostname: 'db-1', conditions: { ready } },
  ],
  ports: [{ name: 'peer', port: 7000, protocol: 'TCP' }],
});

function seeded(): { api: FakeApiServer; client: RestClient } {
  const api = new FakeApiServer();
  api.seed(resources.namespaces, { metadata: { name: 'default' } });
  api.seed(resources.services, { metadata: { namespace: 'default', name: 'web' }, spec: { clusterIP: '10.96.0.20', clusterIPs: ['10.96.0.20'], ports: [{ name: 'http', port: 80 }] } });
  api.seed(resources.services, { metadata: { namespace: 'default', name: 'db' }, spec: { clusterIP: 'None', ports: [{ name: 'peer', port: 7000 }] } });
  api.seed(resources.endpointSlices, dbSlice(false));
  api.seed(resources.pods, { metadata: { namespace: 'default', name: 'p' }, status: { podIP: '10.0.0.9', podIPs: [{ ip: '10.0.0.9' }] } });
  return { api, client: new RestClient(api) };
}

/** Asks until the answer is `want` (the informers see changes shortly after the API does). */
async function eventually(ask: () => Promise<unknown>, want: unknown): Promise<void> {
  let last: unknown;
  for (let i = 0; i < 200; i++) {
    last = await ask().catch((e: { code?: string }) => e.code);
    if (JSON.stringify(last) === JSON.stringify(want)) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  expect(last).toEqual(want);
}

describe('informer view', () => {
  let dns: ClusterDns | undefined;
  afterEach(async () => {
    await dns?.close();
    dns = undefined;
  });

  it('serves what the API holds, and follows changes', async () => {
    const { client } = seeded();
    dns = await startClusterDns({ client, listen: [{ address: '127.0.0.1', port: 0 }], upstreams: [] });
    expect(await dns.synced()).toBe(true);
    const res = new Resolver({ tries: 1 });
    res.setServers([`127.0.0.1:${dns.ports[0]}`]);

    expect(await res.resolve4('web.default.svc.cluster.local')).toEqual(['10.96.0.20']);
    expect(await res.resolve4('db.default.svc.cluster.local')).toEqual(['10.0.0.1']);
    expect(await res.reverse('10.96.0.20')).toEqual(['web.default.svc.cluster.local']);
    expect(await res.reverse('10.0.0.1')).toEqual(['db-0.db.default.svc.cluster.local']);
    await expect(res.resolve4('db-1.db.default.svc.cluster.local')).rejects.toMatchObject({ code: 'ENOTFOUND' });

    // A pod turning ready joins the headless answer; a new service appears.
    await client.resource(resources.endpointSlices).namespace('default').update(dbSlice(true));
    await eventually(async () => (await res.resolve4('db.default.svc.cluster.local')).sort(), ['10.0.0.1', '10.0.0.2']);
    await eventually(() => res.resolve4('db-1.db.default.svc.cluster.local'), ['10.0.0.2']);
    await client.resource(resources.services).namespace('default').create({ metadata: { name: 'api' }, spec: { clusterIP: '10.96.0.30', ports: [{ port: 443 }] } });
    await eventually(() => res.resolve4('api.default.svc.cluster.local'), ['10.96.0.30']);
    await eventually(() => res.reverse('10.96.0.30'), ['api.default.svc.cluster.local']);
    await client.resource(resources.services).namespace('default').delete('web');
    await eventually(() => res.resolve4('web.default.svc.cluster.local'), 'ENOTFOUND');
  });

  it('verifies pod names against pods when asked to', async () => {
    const { client } = seeded();
    const informers = new SharedInformerFactory(client);
    const view = informerView(informers, { pods: true });
    informers.start();
    await informers.waitForCacheSync();
    expect(view.hasSynced()).toBe(true);
    expect(view.podIpExists?.('default', '10.0.0.9')).toBe(true);
    expect(view.podIpExists?.('other', '10.0.0.9')).toBe(false);
    expect(view.namespaceExists('default')).toBe(true);
    expect(view.namespaceExists('other')).toBe(false);
    // A second view on the same factory reuses the indexes instead of failing on them.
    expect(() => informerView(informers, { pods: true })).not.toThrow();
    await informers.shutdown();
  });
});
