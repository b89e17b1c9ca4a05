// The service-lb controller (in the spirit of k3s's ServiceLB, without its per-Service DaemonSet:
// the k8ts proxy already opens a LoadBalancer Service's port on every node). It keeps each
// managed LoadBalancer Service's status.loadBalancer.ingress equal to the addresses of the nodes
// that can take its traffic, so `<ingress IP>:<port>` answers on a laptop.
//  - handlers: a Service event enqueues the Service; a node event that changes its eligibility
//    or InternalIPs enqueues every LoadBalancer Service;
//  - sync(key) is level-triggered: read the Service and the nodes from the listers, compute the
//    status, write it through the status subresource when it differs. A Service that stopped
//    being a LoadBalancer gets its ingress cleared; one of another loadBalancerClass is left alone.
import type { Node, Service } from 'kubernetes-types/core/v1.js';
import {
  RateLimitingQueue, isConflict, metaNamespaceKey, resources, splitMetaNamespaceKey,
  type EventRecorder, type Lister, type SharedIndexInformer,
} from '../../client/index.js';
import type { Controller, ControllerContext } from '../types.js';
import { runWorkers } from '../worker.js';
import { desiredIngress, isLoadBalancer, nodeFingerprint, sameIngress } from './service-lb-utils.js';

export interface ServiceLbOptions {
  /** Where unexpected errors go (default: stderr). */
  onError?: (err: unknown) => void;
}

export class ServiceLbController implements Controller {
  readonly name = 'service-lb';
  /** `ns/name` keys of Services whose load balancer status may be stale. */
  readonly queue: RateLimitingQueue<string>;
  /** Seam for tests: the function workers call for a key. */
  syncHandler: (key: string) => Promise<void> = (key) => this.sync(key);
  private readonly serviceInformer: SharedIndexInformer<Service>;
  private readonly nodeInformer: SharedIndexInformer<Node>;
  private readonly serviceLister: Lister<Service>;
  private readonly nodeLister: Lister<Node>;
  private readonly recorder: EventRecorder;
  private readonly onError: (err: unknown) => void;

  constructor(private readonly ctx: ControllerContext, opts: ServiceLbOptions = {}) {
    this.onError = opts.onError ?? ((e) => console.error('k8ts: service-lb controller:', e));
    this.recorder = ctx.recorder('service-lb-controller');
    this.queue = new RateLimitingQueue<string>({ name: 'service-lb', clock: ctx.clock });

    this.serviceInformer = ctx.informers.informerFor(resources.services);
    this.serviceLister = this.serviceInformer.lister();
    this.serviceInformer.addEventHandler({
      onAdd: (svc) => this.enqueue(svc),
      onUpdate: (_old, cur) => this.enqueue(cur),
      // A deleted Service has no status left to keep.
    });
    this.nodeInformer = ctx.informers.informerFor(resources.nodes);
    this.nodeLister = this.nodeInformer.lister();
    this.nodeInformer.addEventHandler({
      onAdd: () => this.enqueueLoadBalancers(),
      onUpdate: (old, cur) => {
        if (nodeFingerprint(old) !== nodeFingerprint(cur)) this.enqueueLoadBalancers();
      },
      onDelete: () => this.enqueueLoadBalancers(),
    });
  }

  async run(workers: number): Promise<void> {
    await runWorkers(this.queue, this.syncHandler, workers, {
      signal: this.ctx.signal,
      onError: this.onError,
      silent: isConflict, // our copy was old: retried without a report
      informers: [this.serviceInformer, this.nodeInformer],
    });
  }

  // ── event handlers ─────────────────────────────────────────────────────────────────────

  private enqueue(svc: Service): void {
    // Non-LoadBalancer Services matter only while they still carry an ingress to clear.
    if (isLoadBalancer(svc) || svc.status?.loadBalancer?.ingress?.length) this.queue.add(metaNamespaceKey(svc));
  }

  private enqueueLoadBalancers(): void {
    for (const svc of this.serviceLister.list()) if (isLoadBalancer(svc)) this.queue.add(metaNamespaceKey(svc));
  }

  // ── sync ───────────────────────────────────────────────────────────────────────────────

  /** Brings one Service's load balancer status in line with the nodes. Idempotent. */
  async sync(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const svc = this.serviceLister.namespace(namespace).get(name);
    if (!svc || svc.metadata?.deletionTimestamp) return;
    const want = desiredIngress(svc, this.nodeLister.list());
    if (!want) return;
    const current = svc.status?.loadBalancer?.ingress;
    if (sameIngress(current, want)) return;
    await this.ctx.client.resource(resources.services).namespace(namespace)
      .updateStatus({ ...svc, status: { ...svc.status, loadBalancer: want.length ? { ingress: want } : {} } });
    if (isLoadBalancer(svc)) {
      const ips = want.map((e) => e.ip).join(', ') || '<none>';
      this.recorder.event({ ...svc, apiVersion: 'v1', kind: 'Service' }, 'Normal', 'UpdatedIngressIP', `LoadBalancer Ingress IP addresses updated: ${ips}`);
    }
  }
}
