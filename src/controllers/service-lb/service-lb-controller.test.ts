// sync() driven directly: Services and nodes go straight into the informers' caches (fake
// listers), writes into a recording fake API server.
import { describe, expect, it } from 'vitest';
import type { Node, Service } from 'kubernetes-types/core/v1.js';
import { FakeClock, RestClient, SharedInformerFactory, resources, type EventRecorder } from '../../client/index.js';
import { FakeApiServer } from '../../client/testing/index.js';
import type { ControllerContext } from '../types.js';
import { ServiceLbController } from './service-lb-controller.js';

function setup() {
  const clock = new FakeClock();
  const api = new FakeApiServer({ clock });
  const client = new RestClient(api, { clock });
  const informers = new SharedInformerFactory(client, { clock });
  const events: string[] = [];
  const recorder: EventRecorder = { event: (_o, type, reason, msg) => events.push(`${type} ${reason} ${msg}`), annotatedEvent: () => {} };
  const ctx: ControllerContext = { client, informers, clock, signal: new AbortController().signal, recorder: () => recorder };
  const ctrl = new ServiceLbController(ctx, { onError: (e) => { throw e; } });
  const svcCache = informers.informerFor(resources.services).getIndexer();
  const nodeCache = informers.informerFor(resources.nodes).getIndexer();
  const addService = (s: Service) => svcCache.add(api.seed(resources.services, s));
  const addNode = (n: Node) => nodeCache.add(api.seed(resources.nodes, n));
  const statusWrites = () => api.writes().map((a) => `${a.verb} ${a.namespace}/${a.name}/${a.subresource} ${JSON.stringify((a.body as Service).status?.loadBalancer)}`);
  const svcCacheUpdate = (s: Service) => svcCache.update(s);
  return { api, ctrl, addService, addNode, statusWrites, events, svcCacheUpdate };
}

const node = (name: string, ip: string, ready = true): Node => ({
  metadata: { name },
  status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }], addresses: [{ type: 'InternalIP', address: ip }] },
});
const svc = (name: string, spec: Service['spec'], status?: Service['status']): Service => ({ metadata: { name, namespace: 'ns' }, spec: { ports: [{ port: 80 }], ...spec }, status });

describe('ServiceLbController.sync', () => {
  it('writes the Ready nodes\' IPs into a LoadBalancer Service\'s status, once', async () => {
    const { ctrl, addService, addNode, statusWrites, events, api, svcCacheUpdate } = setup();
    addNode(node('n1', '10.0.0.2'));
    addNode(node('n2', '10.0.0.3', false));
    addService(svc('web', { type: 'LoadBalancer' }));
    await ctrl.sync('ns/web');
    expect(statusWrites()).toEqual(['update ns/web/status {"ingress":[{"ip":"10.0.0.2","ipMode":"VIP"}]}']);
    expect(events).toEqual(['Normal UpdatedIngressIP LoadBalancer Ingress IP addresses updated: 10.0.0.2']);
    // Up to date: nothing more to write.
    api.clearActions();
    svcCacheUpdate(api.get(resources.services, 'ns', 'web')!);
    await ctrl.sync('ns/web');
    expect(statusWrites()).toEqual([]);
  });

  it('clears the ingress of a Service that is no longer a LoadBalancer', async () => {
    const { ctrl, addService, addNode, statusWrites } = setup();
    addNode(node('n1', '10.0.0.2'));
    addService(svc('was-lb', { type: 'ClusterIP' }, { loadBalancer: { ingress: [{ ip: '10.0.0.2', ipMode: 'VIP' }] } }));
    await ctrl.sync('ns/was-lb');
    expect(statusWrites()).toEqual(['update ns/was-lb/status {}']);
  });

  it('leaves Services of another loadBalancerClass, plain Services and missing ones alone', async () => {
    const { ctrl, addService, addNode, statusWrites } = setup();
    addNode(node('n1', '10.0.0.2'));
    addService(svc('metal', { type: 'LoadBalancer', loadBalancerClass: 'example.com/metal' }));
    addService(svc('plain', { type: 'ClusterIP' }));
    await ctrl.sync('ns/metal');
    await ctrl.sync('ns/plain');
    await ctrl.sync('ns/gone');
    expect(statusWrites()).toEqual([]);
  });

  it('queues every LoadBalancer Service when a node changes in a way that matters', () => {
    const { ctrl, addService } = setup();
    addService(svc('lb', { type: 'LoadBalancer' }));
    addService(svc('plain', { type: 'ClusterIP' }));
    (ctrl as unknown as { enqueueLoadBalancers(): void }).enqueueLoadBalancers();
    expect(ctrl.queue.len()).toBe(1);
  });
});
