// The userspace mode (no root needed): a TCP listener and/or UDP socket on the node for every
// NodePort, and for every load-balancer ingress IP or external IP that is one of this node's
// addresses (what the built-in ServiceLB publishes). Cluster IPs are NOT reachable in this mode:
// nothing on the host routes or intercepts them without root.
//
// Each update reconciles the listeners with the service map: new ports are bound, ports no
// longer wanted are closed, the others are retargeted at the current endpoints. Endpoints are the
// ones external traffic may use (node-local only under externalTrafficPolicy Local). A port that
// cannot be bound is reported once through onError, and retried on later updates.
import type { TimerClock } from '../../client/index.js';
import { selectEndpoints } from '../endpoint-selection.js';
import { servicePortName, type Endpoint, type ServicePortInfo } from '../service-map.js';
import { TcpProxy } from './tcp-proxy.js';
import { UdpProxy } from './udp-proxy.js';

/** A service port the node could not open (the lead turns it into an Event on the Service). */
export class PortBindError extends Error {
  readonly code = 'PortBindError';
  constructor(
    readonly service: { namespace: string; name: string },
    readonly protocol: string,
    readonly host: string,
    readonly port: number,
    override readonly cause: unknown,
  ) {
    super(`cannot open ${protocol} ${host}:${port} for service ${service.namespace}/${service.name}: ${(cause as Error)?.message ?? cause}`);
  }
}

export interface UserspaceProxierOptions {
  nodeIPs: string[];
  clock: TimerClock;
  /** Where NodePorts listen (default every IPv4 address: 0.0.0.0). */
  nodePortAddresses?: string[];
  dialTimeoutMs?: number;
  udpIdleMs?: number;
  onError?: (e: unknown) => void;
}

interface Wanted {
  sp: ServicePortInfo;
  host: string;
  port: number;
  endpoints: Endpoint[];
}

type PortProxy = TcpProxy | UdpProxy;

export class UserspaceProxier {
  /** `TCP/host:port` → its open listener; only ports that were bound successfully. */
  private readonly listeners = new Map<string, { proxy: PortProxy; owner: string }>();
  /** Ports that failed to bind → owner, so each failure is reported once per owner. */
  private readonly failed = new Map<string, string>();
  private latest: ServicePortInfo[] | undefined;
  private running: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly opts: UserspaceProxierOptions) {}

  /** Applies a service map; resolves when the listeners match it (or a newer map). */
  update(map: ServicePortInfo[]): Promise<void> {
    this.latest = map;
    this.running ??= this.drain().finally(() => (this.running = undefined));
    return this.running;
  }

  /** Open listener keys (`TCP/0.0.0.0:30080`), for tests and status. */
  ports(): string[] {
    return [...this.listeners.keys()].sort();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.running;
    await Promise.all([...this.listeners.values()].map((l) => l.proxy.close()));
    this.listeners.clear();
  }

  private async drain(): Promise<void> {
    while (this.latest && !this.closed) {
      const map = this.latest;
      this.latest = undefined;
      await this.reconcile(map);
    }
  }

  private wanted(map: ServicePortInfo[]): Map<string, Wanted> {
    const local = new Set(this.opts.nodeIPs);
    const isLocal = (ip: string) => local.has(ip) || ip.startsWith('127.');
    const out = new Map<string, Wanted>();
    for (const sp of map) {
      if (sp.protocol === 'SCTP') continue; // Node has no SCTP sockets
      const sel = selectEndpoints(sp);
      const endpoints = sp.externalPolicyLocal ? sel.local : sel.cluster;
      const want = (host: string, port: number) => {
        const key = `${sp.protocol}/${host}:${port}`;
        if (!out.has(key)) out.set(key, { sp, host, port, endpoints });
      };
      if (sp.nodePort > 0) for (const h of this.opts.nodePortAddresses ?? ['0.0.0.0']) want(h, sp.nodePort);
      for (const ip of [...sp.loadBalancerIPs, ...sp.externalIPs]) if (isLocal(ip)) want(ip, sp.port);
    }
    return out;
  }

  private async reconcile(map: ServicePortInfo[]): Promise<void> {
    const wanted = this.wanted(map);
    for (const [key, l] of [...this.listeners]) {
      if (wanted.has(key)) continue;
      this.listeners.delete(key);
      await l.proxy.close();
    }
    for (const key of [...this.failed.keys()]) if (!wanted.has(key)) this.failed.delete(key);

    for (const [key, w] of wanted) {
      const owner = servicePortName(w.sp);
      let l = this.listeners.get(key);
      if (!l) {
        const proxy: PortProxy = w.sp.protocol === 'UDP'
          ? new UdpProxy({ host: w.host, port: w.port, clock: this.opts.clock, idleMs: this.opts.udpIdleMs })
          : new TcpProxy({ host: w.host, port: w.port, clock: this.opts.clock, dialTimeoutMs: this.opts.dialTimeoutMs });
        try {
          await proxy.listen();
        } catch (e) {
          await proxy.close().catch(() => {});
          if (this.failed.get(key) !== owner) this.opts.onError?.(new PortBindError(w.sp, w.sp.protocol, w.host, w.port, e));
          this.failed.set(key, owner);
          continue;
        }
        this.failed.delete(key);
        l = { proxy, owner };
        this.listeners.set(key, l);
      }
      l.owner = owner;
      l.proxy.retarget(w.endpoints, w.sp.stickySeconds);
    }
  }
}
