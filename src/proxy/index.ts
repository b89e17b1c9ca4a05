// k8ts service proxy, run by every node agent (kube-proxy's job). Two modes:
//  - iptables (root): DNAT rules in the nat table, so cluster IPs, NodePorts, external and
//    load-balancer IPs all work, for host processes and forwarded traffic alike; the service CIDR
//    is routed to a local dummy interface so unmatched service traffic never leaves the node;
//  - userspace (no root): listeners on NodePorts and on local load-balancer/external IPs only —
//    cluster IPs are not reachable in this mode.
import { realTimerClock, type RestClient, type TimerClock } from '../client/index.js';
import { findExecutable, hostRunner, type CommandRunner } from './exec.js';
import { IptablesProxier } from './iptables/iptables-proxier.js';
import { installSafetyRoute, type SafetyRoute } from './safety-route.js';
import { ServiceConfig } from './service-config.js';
import { UserspaceProxier } from './userspace/userspace-proxier.js';

export type ProxyMode = 'iptables' | 'userspace';

export interface ServiceProxyOptions {
  client: RestClient;
  nodeName: string;
  nodeIPs: string[];
  mode: ProxyMode;
  /** Routed to the safety interface in iptables mode (default 10.96.0.0/12). */
  serviceCidr?: string;
  /** Addresses put on the safety interface, e.g. the cluster DNS IP for the DNS server to bind. */
  serviceAddresses?: string[];
  /** Errors: ports that cannot be bound (PortBindError), failed syncs, informer trouble. */
  onError?(e: unknown): void;
  clock?: TimerClock;
  /** iptables mode: minimum time between restores (default 1 s). */
  minSyncMs?: number;
  /** iptables mode: how host tools are run (default: on this host). */
  run?: CommandRunner;
  /** userspace mode: NodePort listen addresses (default 0.0.0.0). */
  nodePortAddresses?: string[];
}

export interface RunningServiceProxy {
  mode: ProxyMode;
  /** userspace mode: the open listeners (`TCP/0.0.0.0:30080`). */
  ports(): string[];
  close(): Promise<void>;
}

export const DEFAULT_SERVICE_CIDR = '10.96.0.0/12';

/** The default --proxy-mode: iptables when root with iptables-restore and ip at hand. */
export function detectProxyMode(): ProxyMode {
  const root = process.getuid?.() === 0;
  const tools = ['iptables', 'iptables-restore', 'iptables-save', 'ip'].every((t) => findExecutable(t));
  return root && tools ? 'iptables' : 'userspace';
}

export async function startServiceProxy(opts: ServiceProxyOptions): Promise<RunningServiceProxy> {
  const clock = opts.clock ?? realTimerClock;
  const onError = (e: unknown) => (opts.onError ?? ((x) => console.error(`k8ts proxy: ${(x as Error)?.message ?? x}`)))(e);

  if (opts.mode === 'userspace') {
    const proxier = new UserspaceProxier({ nodeIPs: opts.nodeIPs, clock, nodePortAddresses: opts.nodePortAddresses, onError });
    const config = new ServiceConfig({
      client: opts.client, nodeName: opts.nodeName, clock, onError,
      onChange: (map) => void proxier.update(map).catch(onError),
    });
    await config.start();
    return {
      mode: 'userspace',
      ports: () => proxier.ports(),
      close: async () => {
        await config.stop();
        await proxier.close();
      },
    };
  }

  const run = opts.run ?? hostRunner();
  const route: SafetyRoute = await installSafetyRoute({
    run, serviceCidr: opts.serviceCidr ?? DEFAULT_SERVICE_CIDR,
    sourceIP: opts.nodeIPs[0], addresses: opts.serviceAddresses,
  });
  const proxier = new IptablesProxier({ run, clock, minSyncMs: opts.minSyncMs, onError });
  let config: ServiceConfig | undefined;
  try {
    await proxier.init();
    config = new ServiceConfig({
      client: opts.client, nodeName: opts.nodeName, clock, onError,
      onChange: (map, synced) => proxier.update(map, synced),
    });
    await config.start();
  } catch (e) {
    await config?.stop();
    await proxier.close().catch(() => {});
    await route.remove();
    throw new Error(`starting the iptables proxy: ${(e as Error).message}`);
  }
  return {
    mode: 'iptables',
    ports: () => [],
    close: async () => {
      await config!.stop();
      try {
        await proxier.close();
      } finally {
        await route.remove();
      }
    },
  };
}

export { buildServiceMap, servicePortName, endpointString, DEFAULT_STICKY_SECONDS, type ServicePortInfo, type Endpoint, type Protocol } from './service-map.js';
export { selectEndpoints, type EndpointSelection } from './endpoint-selection.js';
export { EndpointPicker } from './endpoint-picker.js';
export { generateRules, JUMP_RULES, type RuleSet, type RuleOptions } from './iptables/rules.js';
export { IptablesProxier } from './iptables/iptables-proxier.js';
export { UserspaceProxier, PortBindError } from './userspace/userspace-proxier.js';
export { ServiceConfig } from './service-config.js';
export { installSafetyRoute, type SafetyRoute } from './safety-route.js';
export { SyncRunner } from './sync-runner.js';
export { hostRunner, type CommandRunner } from './exec.js';
