// The safety route of the iptables mode: the service CIDR is routed to a local interface that
// delivers nothing (as kube-proxy's IPVS mode does with kube-ipvs0). A packet to a service IP
// that has no DNAT rule yet (the proxy is starting, the service is new) is then dropped on this
// node instead of leaving through the default gateway. It also gives host processes a route to
// the service CIDR at all, so their connect() reaches the nat OUTPUT chain where DNAT happens.
//
// The interface is a dummy one; kernels without the dummy module get a bridge without ports,
// which has nowhere to send either. The route's source is the node IP, so DNATed connections to
// endpoints on other nodes carry an address the replies can come back to. Extra addresses (the
// cluster DNS IP) may be put on the interface for local servers to bind.
import { mustRun, type CommandRunner } from './exec.js';
import { isIPv4 } from './service-map.js';

export interface SafetyRouteOptions {
  run: CommandRunner;
  serviceCidr: string;
  /** Default k8ts0. */
  interfaceName?: string;
  /** Preferred source for connections to service IPs (an IPv4 address of this node). */
  sourceIP?: string;
  /** Addresses (e.g. the cluster DNS IP) to add to the interface as /32. */
  addresses?: string[];
}

export interface SafetyRoute {
  interfaceName: string;
  /** 'dummy' or 'bridge': what the kernel allowed. */
  kind: string;
  remove(): Promise<void>;
}

export const DEFAULT_INTERFACE = 'k8ts0';

export async function installSafetyRoute(opts: SafetyRouteOptions): Promise<SafetyRoute> {
  const { run, serviceCidr } = opts;
  const dev = opts.interfaceName ?? DEFAULT_INTERFACE;
  const exists = (await run('ip', ['link', 'show', 'dev', dev])).code === 0;
  let kind = 'existing';
  if (!exists) {
    kind = 'dummy';
    const dummy = await run('ip', ['link', 'add', dev, 'type', 'dummy']);
    if (dummy.code !== 0) {
      kind = 'bridge';
      await mustRun(run, 'ip', ['link', 'add', dev, 'type', 'bridge']);
    }
  }
  const remove = async () => {
    // Deleting the interface takes its addresses and routes with it.
    await run('ip', ['route', 'del', serviceCidr, 'dev', dev]);
    if ((await run('ip', ['link', 'show', 'dev', dev])).code === 0) await run('ip', ['link', 'del', dev]);
  };
  try {
    await mustRun(run, 'ip', ['link', 'set', dev, 'up']);
    for (const a of opts.addresses ?? []) {
      const r = await run('ip', ['addr', 'replace', `${a}/32`, 'dev', dev]);
      if (r.code !== 0) throw new Error(`ip addr replace ${a}/32 dev ${dev}: ${r.stderr.trim()}`);
    }
    const src = opts.sourceIP && isIPv4(opts.sourceIP) ? ['src', opts.sourceIP] : [];
    const withSrc = await run('ip', ['route', 'replace', serviceCidr, 'dev', dev, ...src]);
    // A source that is not (yet) an address of this host: route without one.
    if (withSrc.code !== 0) await mustRun(run, 'ip', ['route', 'replace', serviceCidr, 'dev', dev]);
  } catch (e) {
    await remove();
    throw e;
  }
  return { interfaceName: dev, kind, remove };
}
