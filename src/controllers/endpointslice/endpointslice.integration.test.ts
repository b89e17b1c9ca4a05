// The Endpoints and EndpointSlice controllers against a real in-process API server: pods get
// their status through the status subresource (as a kubelet writes it), and the controllers'
// objects follow readiness changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { resources } from '../../client/index.js';
import { eventually, startTestCluster, type TestCluster } from '../testing/cluster.js';
import { endpointsControllerFactory } from '../endpoint/index.js';
import { newEndpointSliceControllerFactory } from './index.js';

let cluster: TestCluster;

beforeAll(async () => {
  cluster = await startTestCluster();
  await cluster.admin.resource(resources.nodes).create({ metadata: { name: 'node-a', labels: { 'topology.kubernetes.io/zone': 'zone-1' } } });
  await cluster.run({
    endpoint: endpointsControllerFactory,
    endpointslice: newEndpointSliceControllerFactory({ sliceChangeDelayMs: 50 }),
  });
}, 30_000);

afterAll(async () => {
  await cluster?.stop();
});

const podsIn = (ns: string) => cluster.admin.resource(resources.pods).namespace(ns);

async function pod(ns: string, name: string, ip: string, ready: boolean): Promise<Pod> {
  const p = await podsIn(ns).create({
    metadata: { name, labels: { app: 'web' } },
    spec: { nodeName: 'node-a', containers: [{ name: 'c', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }] }] },
  });
  return setReady(ns, p, ip, ready);
}

async function setReady(ns: string, p: Pod, ip: string, ready: boolean): Promise<Pod> {
  const status = {
    phase: 'Running', podIP: ip, podIPs: [{ ip }],
    conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }],
  };
  return podsIn(ns).updateStatus({ ...p, status });
}

async function slicesOf(ns: string, svc: string): Promise<EndpointSlice[]> {
  return (await cluster.admin.resource(resources.endpointSlices).namespace(ns).list({ labelSelector: `kubernetes.io/service-name=${svc}` })).items;
}

describe('endpoint and endpointslice controllers', () => {
  it('publish ready and not-ready pods, and follow a readiness flip', async () => {
    const ns = 'web';
    await cluster.admin.resource(resources.namespaces).create({ metadata: { name: ns } });
    const svc = await cluster.admin.resource(resources.services).namespace(ns).create({
      metadata: { name: 'web', labels: { tier: 'front' } },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    });
    const a = await pod(ns, 'a', '10.0.0.1', true);
    await pod(ns, 'b', '10.0.0.2', false);

    const ep = await eventually(async () => {
      const e = await cluster.admin.resource(resources.endpoints).namespace(ns).get('web');
      return e.subsets?.[0]?.notReadyAddresses?.length === 1 && e.subsets[0].addresses?.length === 1 ? e : undefined;
    });
    expect(ep.metadata?.labels).toEqual({ tier: 'front' });
    expect(ep.subsets).toEqual([{
      addresses: [{ ip: '10.0.0.1', nodeName: 'node-a', targetRef: { kind: 'Pod', namespace: ns, name: 'a', uid: a.metadata!.uid } }],
      notReadyAddresses: [expect.objectContaining({ ip: '10.0.0.2' })],
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    }]);
    expect(ep.metadata?.annotations?.['endpoints.kubernetes.io/last-change-trigger-time']).toMatch(/Z$/);

    const [slice] = await eventually(async () => {
      const s = await slicesOf(ns, 'web');
      return s.length === 1 && s[0].endpoints?.length === 2 ? s : undefined;
    });
    expect(slice.metadata?.name).toMatch(/^web-/);
    expect(slice.addressType).toBe('IPv4');
    expect(slice.metadata?.labels).toEqual({ tier: 'front', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    expect(slice.metadata?.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: svc.metadata!.uid, controller: true, blockOwnerDeletion: true }]);
    expect(slice.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    const byName = Object.fromEntries(slice.endpoints!.map((e) => [e.targetRef!.name, e]));
    expect(byName.a).toEqual({ addresses: ['10.0.0.1'], conditions: { ready: true, serving: true, terminating: false }, nodeName: 'node-a', zone: 'zone-1', targetRef: { kind: 'Pod', namespace: ns, name: 'a', uid: a.metadata!.uid } });
    expect(byName.b.conditions).toEqual({ ready: false, serving: false, terminating: false });

    // Pod a turns unready: it moves to notReadyAddresses and ready=false, in the same slice.
    await setReady(ns, await podsIn(ns).get('a'), '10.0.0.1', false);
    const after = await eventually(async () => {
      const e = await cluster.admin.resource(resources.endpoints).namespace(ns).get('web');
      return !e.subsets?.[0]?.addresses && e.subsets?.[0]?.notReadyAddresses?.length === 2 ? e : undefined;
    });
    expect(after.subsets![0].notReadyAddresses!.map((x) => x.ip)).toEqual(['10.0.0.1', '10.0.0.2']);
    const flipped = await eventually(async () => {
      const s = await slicesOf(ns, 'web');
      const e = s[0]?.endpoints?.find((x) => x.targetRef?.name === 'a');
      return s.length === 1 && e?.conditions?.ready === false ? s[0] : undefined;
    });
    expect(flipped.metadata?.name).toBe(slice.metadata?.name);
  });

  it('leaves selector-less services and their hand-made endpoints alone', async () => {
    const ns = 'manual';
    await cluster.admin.resource(resources.namespaces).create({ metadata: { name: ns } });
    await cluster.admin.resource(resources.services).namespace(ns).create({ metadata: { name: 'ext' }, spec: { ports: [{ port: 80 }] } });
    await cluster.admin.resource(resources.endpoints).namespace(ns).create({ metadata: { name: 'ext' }, subsets: [{ addresses: [{ ip: '192.0.2.10' }], ports: [{ port: 80 }] }] });
    // A service with a selector in the same namespace shows the controllers ran meanwhile.
    await cluster.admin.resource(resources.services).namespace(ns).create({ metadata: { name: 'probe' }, spec: { selector: { app: 'none' }, ports: [{ port: 80 }] } });
    await eventually(async () => (await slicesOf(ns, 'probe')).length === 1 && (await cluster.admin.resource(resources.endpoints).namespace(ns).get('probe')));
    const ep = await cluster.admin.resource(resources.endpoints).namespace(ns).get('ext');
    expect(ep.subsets).toEqual([{ addresses: [{ ip: '192.0.2.10' }], ports: [{ port: 80, protocol: 'TCP' }] }]);
    expect(await slicesOf(ns, 'ext')).toEqual([]);
    // The placeholder slice of a service without pods has no endpoints.
    const [placeholder] = await slicesOf(ns, 'probe');
    expect(placeholder.endpoints ?? []).toEqual([]);
  });
});
