// Ingress status.loadBalancer.ingress as the union of the serving nodes' IPs. Every agent adds
// its own IPs to the Ingresses it serves and takes them out of the ones it stops serving (and of
// all, when it stops); other agents' entries are left alone. Pure merge, then a small queue of
// status writes (a conflict only means our copy was old: retried with back-off).
import type { Ingress, IngressLoadBalancerIngress } from 'kubernetes-types/networking/v1.js';
import { RateLimitingQueue, isConflict, isNotFound, resources, splitMetaNamespaceKey, type Lister, type RestClient } from '../client/index.js';

/** The entries with `mine` added (serving) or taken out (not serving), IPs sorted; same order otherwise. */
export function mergeLoadBalancer(current: readonly IngressLoadBalancerIngress[] | undefined, mine: readonly string[], serving: boolean): IngressLoadBalancerIngress[] {
  const own = new Set(mine);
  const others = (current ?? []).filter((e) => !e.ip || !own.has(e.ip));
  const ips = others.filter((e) => e.ip);
  const named = others.filter((e) => !e.ip);
  const all = serving ? [...ips, ...mine.map((ip) => ({ ip }))] : ips;
  all.sort((a, b) => compareIPs(a.ip ?? '', b.ip ?? ''));
  return [...all, ...named];
}

/** IPv4 before IPv6, numerically within IPv4. */
function compareIPs(a: string, b: string): number {
  const va = a.includes(':');
  const vb = b.includes(':');
  if (va !== vb) return va ? 1 : -1;
  if (!va) {
    const pa = a.split('.').map(Number);
    const pb = b.split('.').map(Number);
    for (let i = 0; i < 4; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
    return 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sameEntries(a: readonly IngressLoadBalancerIngress[] | undefined, b: readonly IngressLoadBalancerIngress[]): boolean {
  return JSON.stringify(a ?? []) === JSON.stringify(b);
}

export interface StatusWriterOptions {
  client: RestClient;
  lister: Lister<Ingress>;
  nodeIPs: readonly string[];
  /** Whether this controller serves the Ingress now. */
  serves: (ing: Ingress) => boolean;
  onError: (err: unknown) => void;
}

export class IngressStatusWriter {
  /** `ns/name` keys of Ingresses whose status may need our IPs added or removed. */
  readonly queue = new RateLimitingQueue<string>({ name: 'ingress_status' });
  private running: Promise<void> | undefined;
  /** Set by stop(): keys still queued are not synced (they would only add our IPs back). */
  private stopping = false;

  constructor(private readonly opts: StatusWriterOptions) {}

  enqueue(key: string): void {
    this.queue.add(key);
  }

  start(): void {
    this.running ??= this.loop();
  }

  private async loop(): Promise<void> {
    for (;;) {
      const next = await this.queue.get();
      if (next.shutdown) return;
      try {
        await this.sync(next.item);
        this.queue.forget(next.item);
      } catch (e) {
        if (!isConflict(e)) this.opts.onError(e);
        this.queue.addRateLimited(next.item);
      } finally {
        this.queue.done(next.item);
      }
    }
  }

  /** Brings one Ingress's status in line with whether we serve it. Idempotent. */
  async sync(key: string): Promise<void> {
    if (this.stopping) return;
    const { namespace, name } = splitMetaNamespaceKey(key);
    const ing = this.opts.lister.namespace(namespace).get(name);
    if (!ing || ing.metadata?.deletionTimestamp) return;
    await this.write(ing, this.opts.serves(ing));
  }

  private async write(ing: Ingress, serving: boolean): Promise<void> {
    const current = ing.status?.loadBalancer?.ingress;
    const next = mergeLoadBalancer(current, this.opts.nodeIPs, serving);
    if (sameEntries(current, next)) return;
    await this.opts.client.resource(resources.ingresses).namespace(ing.metadata?.namespace)
      .updateStatus({ ...ing, status: { ...ing.status, loadBalancer: { ...ing.status?.loadBalancer, ingress: next } } });
  }

  /** Stops the queue and takes our IPs out of every Ingress that has them (best effort, live reads). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.queue.shutDown();
    await this.running;
    const own = new Set(this.opts.nodeIPs);
    const ours = this.opts.lister.list().filter((i) => (i.status?.loadBalancer?.ingress ?? []).some((e) => e.ip && own.has(e.ip)));
    await Promise.all(ours.map(async (cached) => {
      const client = this.opts.client.resource(resources.ingresses).namespace(cached.metadata?.namespace);
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          const live = attempt === 0 ? cached : await client.get(cached.metadata?.name ?? '');
          await this.write(live, false);
          return;
        } catch (e) {
          if (isNotFound(e)) return;
          if (!isConflict(e)) {
            this.opts.onError(e);
            return;
          }
        }
      }
    }));
  }
}
