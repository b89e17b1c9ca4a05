// Against a real in-process API server: LoadBalancer Services get the Ready, schedulable nodes'
// addresses as their ingress, following the nodes as they come, go and get cordoned.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from 'kubernetes-types/core/v1.js';
import { resources, type RestClient } from '../../client/index.js';
import { eventually, startTestCluster, type TestCluster } from '../testing/cluster.js';
import { newServiceLbControllerFactory } from './index.js';

let cluster: TestCluster;
let admin: RestClient;
const errors: unknown[] = [];

beforeAll(async () => {
  cluster = await startTestCluster();
  admin = cluster.admin;
  await cluster.run({ 'service-lb': newServiceLbControllerFactory({ onError: (e) => errors.push(e) }) });
}, 30_000);

afterAll(async () => {
  await cluster?.stop();
});

async function readyNode(name: string, ip: string): Promise<void> {
  const n = await admin.resource(resources.nodes).create({ metadata: { name } });
  await admin.resource(resources.nodes).updateStatus({
    ...n,
    status: { conditions: [{ type: 'Ready', status: 'True' }], addresses: [{ type: 'InternalIP', address: ip }, { type: 'Hostname', address: name }] },
  });
}

const services = () => admin.resource(resources.services).namespace('default');
const ipsOf = (s: Service) => (s.status?.loadBalancer?.ingress ?? []).map((e) => `${e.ip}/${e.ipMode}`).join(',');

/** Waits until the Service's ingress reads `want` ("ip/mode,…"; "" for none). */
async function ingressOf(name: string, want: string): Promise<boolean> {
  return eventually(async () => ipsOf(await services().get(name)) === want);
}

describe('service-lb controller', () => {
  it('follows the nodes and the Service type', async () => {
    await readyNode('lb-node-1', '10.10.0.1');
    await services().create({ metadata: { name: 'web' }, spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } });
    expect(await ingressOf('web', '10.10.0.1/VIP')).toBe(true);

    await readyNode('lb-node-2', '10.10.0.2');
    expect(await ingressOf('web', '10.10.0.1/VIP,10.10.0.2/VIP')).toBe(true);

    // Cordoned: no new traffic is sent there.
    const n1 = await admin.resource(resources.nodes).get('lb-node-1');
    await admin.resource(resources.nodes).update({ ...n1, spec: { ...n1.spec, unschedulable: true } });
    expect(await ingressOf('web', '10.10.0.2/VIP')).toBe(true);

    await admin.resource(resources.nodes).delete('lb-node-2');
    expect(await ingressOf('web', '')).toBe(true);
    await admin.resource(resources.nodes).update({ ...(await admin.resource(resources.nodes).get('lb-node-1')), spec: {} });
    expect(await ingressOf('web', '10.10.0.1/VIP')).toBe(true);

    // No longer a LoadBalancer: no ingress left.
    const svc = await services().get('web');
    await services().update({ ...svc, spec: { ...svc.spec, type: 'ClusterIP', allocateLoadBalancerNodePorts: undefined, ports: [{ port: 80, targetPort: 8080 }] } });
    expect(await ingressOf('web', '')).toBe(true);
    expect(errors).toEqual([]);
  });

  it('leaves a Service of another loadBalancerClass alone', async () => {
    await services().create({ metadata: { name: 'metal' }, spec: { type: 'LoadBalancer', loadBalancerClass: 'example.com/metal', ports: [{ port: 81 }] } });
    await services().create({ metadata: { name: 'ours' }, spec: { type: 'LoadBalancer', loadBalancerClass: 'k8ts.io/service-lb', ports: [{ port: 82 }] } });
    expect(await ingressOf('ours', '10.10.0.1/VIP')).toBe(true);
    expect(ipsOf(await services().get('metal'))).toBe('');
  });
});
