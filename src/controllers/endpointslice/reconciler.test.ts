// The reconciler against a recording fake API server: slice counts, minimal churn, in-place
// updates, the placeholder, port groups.
import { describe, expect, it } from 'vitest';
import type { Node, Pod, Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { FakeClock, IndexedStore, Lister, RestClient, resources } from '../../client/index.js';
import { FakeApiServer } from '../../client/testing/index.js';
import { Reconciler } from './reconciler.js';
import { EndpointSliceTracker } from './slice-tracker.js';

const svc: Service = {
  metadata: { name: 'web', namespace: 'ns', uid: 'svc-uid' },
  spec: { clusterIP: '10.96.0.9', ipFamilies: ['IPv4'], selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] },
};

function pod(i: number, o: { ready?: boolean; port?: number } = {}): Pod {
  const ip = `10.1.${Math.floor(i / 250)}.${i % 250}`;
  return {
    metadata: { name: `p${i}`, namespace: 'ns', uid: `uid-${i}`, labels: { app: 'web' } },
    spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'i', ports: [{ name: 'http', containerPort: o.port ?? 8080 }] }] },
    status: { phase: 'Running', podIPs: [{ ip }], conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
  };
}

function setup(max = 100) {
  const clock = new FakeClock(Date.UTC(2025, 0, 1));
  const api = new FakeApiServer({ clock });
  const client = new RestClient(api, { clock });
  const nodes = new IndexedStore<Node>();
  nodes.add({ metadata: { name: 'n1', labels: { 'topology.kubernetes.io/zone': 'z1' } } });
  const r = new Reconciler({ client, nodeLister: new Lister(nodes), maxEndpointsPerSlice: max, tracker: new EndpointSliceTracker() });
  const slices = () => api.list(resources.endpointSlices, 'ns');
  const run = async (pods: Pod[]) => {
    api.clearActions();
    await r.reconcile(svc, pods, slices(), undefined);
    return api.writes().map((a) => a.verb);
  };
  return { api, run, slices };
}

const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);
const sizes = (slices: EndpointSlice[]) => slices.map((s) => s.endpoints?.length ?? 0).sort((a, b) => b - a);

describe('Reconciler', () => {
  it('splits 250 pods into 3 slices of at most 100', async () => {
    const { run, slices } = setup();
    expect(await run(range(250).map((i) => pod(i)))).toEqual(['create', 'create', 'create']);
    expect(sizes(slices())).toEqual([100, 100, 50]);
    const s = slices()[0];
    expect(s.metadata?.generateName).toBe('web-');
    expect(s.metadata?.labels).toEqual({ 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    expect(s.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(s.endpoints?.[0]).toMatchObject({ nodeName: 'n1', zone: 'z1', conditions: { ready: true, serving: true, terminating: false } });
  });

  it('writes nothing when nothing changed', async () => {
    const { run } = setup();
    const pods = range(250).map((i) => pod(i));
    await run(pods);
    expect(await run(pods)).toEqual([]);
  });

  it('updates only the slice of a pod that turned unready, in place', async () => {
    const { run, slices } = setup();
    const pods = range(250).map((i) => pod(i));
    await run(pods);
    const before = Object.fromEntries(slices().map((s) => [s.metadata!.name!, s.endpoints!.length]));
    pods[7] = pod(7, { ready: false });
    expect(await run(pods)).toEqual(['update']);
    const ep = slices().flatMap((s) => s.endpoints ?? []).find((e) => e.targetRef?.name === 'p7');
    expect(ep?.conditions).toEqual({ ready: false, serving: false, terminating: false });
    expect(Object.fromEntries(slices().map((s) => [s.metadata!.name!, s.endpoints!.length]))).toEqual(before);
  });

  it('marks a terminating pod serving but not ready', async () => {
    const { run, slices } = setup();
    const p = pod(1);
    await run([{ ...p, metadata: { ...p.metadata, deletionTimestamp: '2025-01-01T00:00:00Z' } }]);
    expect(slices()[0].endpoints?.[0].conditions).toEqual({ ready: false, serving: true, terminating: true });
  });

  it('fills the best-fitting existing slice before creating one', async () => {
    const { run, slices } = setup();
    await run(range(250).map((i) => pod(i)));
    expect(await run(range(260).map((i) => pod(i)))).toEqual(['update']);
    expect(sizes(slices())).toEqual([100, 100, 60]);
  });

  it('moves removed endpoints out and deletes a slice left empty', async () => {
    const { run, slices } = setup(10);
    await run(range(20).map((i) => pod(i)));
    const first = slices()[0];
    const keep = range(20).filter((i) => !first.endpoints!.some((e) => e.targetRef?.name === `p${i}`));
    expect(await run(keep.map((i) => pod(i)))).toEqual(['delete']);
    expect(sizes(slices())).toEqual([10]);
  });

  it('keeps one placeholder slice for a service without pods, and reuses it later', async () => {
    const { run, slices } = setup();
    expect(await run([])).toEqual(['create']);
    expect(slices()[0]).toMatchObject({ addressType: 'IPv4', endpoints: [], ports: [] });
    expect(await run([])).toEqual([]);
    const name = slices()[0].metadata!.name;
    expect(await run([pod(1)])).toEqual(['update']);
    expect(slices()).toHaveLength(1);
    expect(slices()[0].metadata!.name).toBe(name);
    expect(slices()[0].endpoints).toHaveLength(1);
  });

  it('groups pods by the ports they resolve', async () => {
    const { run, slices } = setup();
    await run([pod(1), pod(2, { port: 9090 }), pod(3)]);
    const byPort = Object.fromEntries(slices().map((s) => [s.ports![0].port, s.endpoints!.length]));
    expect(byPort).toEqual({ 8080: 2, 9090: 1 });
  });

  it('makes every endpoint ready with publishNotReadyAddresses', async () => {
    const { api, slices } = setup();
    const client = new RestClient(api);
    const nodes = new IndexedStore<Node>();
    const r = new Reconciler({ client, nodeLister: new Lister(nodes), maxEndpointsPerSlice: 100, tracker: new EndpointSliceTracker() });
    // No node in the cache either: with publishNotReadyAddresses the pod is still published.
    await r.reconcile({ ...svc, spec: { ...svc.spec, publishNotReadyAddresses: true } }, [pod(1, { ready: false })], [], undefined);
    expect(slices()[0].endpoints?.[0].conditions).toEqual({ ready: true, serving: false, terminating: false });
  });

  it('skips pods whose node is unknown and reports it', async () => {
    const { api } = setup();
    const r = new Reconciler({ client: new RestClient(api), nodeLister: new Lister(new IndexedStore<Node>()), maxEndpointsPerSlice: 100, tracker: new EndpointSliceTracker() });
    await expect(r.reconcile(svc, [pod(1)], [], undefined)).rejects.toThrow('skipping Pod p1 for Service ns/web: Node n1 Not Found');
  });
});
