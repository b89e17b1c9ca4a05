// The iptables-restore input for a service map: kube-proxy's rule layout, under our K8TS- prefix.
// Pure: the same map gives the same text (golden-file tested).
//
// nat table (what makes services work):
//   PREROUTING, OUTPUT → K8TS-SERVICES: one rule per cluster IP / external IP / load-balancer IP,
//     and last, for destinations local to the node, → K8TS-NODEPORTS (one rule per NodePort);
//   K8TS-EXT-<h>: external traffic; masquerades it (Cluster policy) or keeps the client address
//     and sends it only to local endpoints (Local policy: → K8TS-SVL-<h>);
//   K8TS-SVC-<h> / K8TS-SVL-<h>: cluster-wide / node-local endpoint choice — ClientIP affinity
//     through `-m recent`, then `-m statistic --mode random` with probabilities 1/n, 1/(n-1), … so
//     that each of n endpoints gets an equal share;
//   K8TS-SEP-<h>: one endpoint: masquerade hairpin traffic, DNAT to ip:port;
//   POSTROUTING → K8TS-POSTROUTING: MASQUERADE packets K8TS-MARK-MASQ marked.
// filter table: K8TS-SERVICES / K8TS-EXTERNAL-SERVICES reject new connections to service ports
//   without endpoints (drop when endpoints exist but none is local under a Local policy), so a
//   client fails fast instead of timing out.
//
// Only our chains are written: the input is meant for `iptables-restore --noflush`, where a
// `:CHAIN` line flushes (or creates) that chain and leaves every other chain alone. Chains that
// existed before and are no longer needed are flushed and deleted (`-X`) at the end.
import { endpointString, servicePortName, type Endpoint, type ServicePortInfo } from '../service-map.js';
import { selectEndpoints, usesClusterEndpoints, usesLocalEndpoints } from '../endpoint-selection.js';
import * as names from './chain-names.js';

export interface RuleOptions {
  /** Masquerade all traffic to cluster IPs (kube-proxy's --masquerade-all). */
  masqueradeAll?: boolean;
  /** Our chains that exist now, per table; those not generated again are deleted. */
  existingChains?: { filter?: Iterable<string>; nat?: Iterable<string> };
}

export interface RuleSet {
  /** iptables-restore input for both tables. */
  text: string;
  /** The chains this input leaves in place, per table. */
  chains: { filter: string[]; nat: string[] };
}

/** A jump from a built-in chain into ours; ensured with `iptables -C/-I`, removed on shutdown. */
export interface JumpRule {
  table: 'nat' | 'filter';
  chain: string;
  args: string[];
}

const comment = (text: string) => ['-m', 'comment', '--comment', text];
const newConn = ['-m', 'conntrack', '--ctstate', 'NEW'];

export const JUMP_RULES: JumpRule[] = [
  { table: 'nat', chain: 'PREROUTING', args: [...comment('k8ts service portals'), '-j', names.SERVICES] },
  { table: 'nat', chain: 'OUTPUT', args: [...comment('k8ts service portals'), '-j', names.SERVICES] },
  { table: 'nat', chain: 'POSTROUTING', args: [...comment('k8ts postrouting rules'), '-j', names.POSTROUTING] },
  { table: 'filter', chain: 'INPUT', args: [...newConn, ...comment('k8ts externally-visible service portals'), '-j', names.EXTERNAL_SERVICES] },
  { table: 'filter', chain: 'FORWARD', args: [...newConn, ...comment('k8ts externally-visible service portals'), '-j', names.EXTERNAL_SERVICES] },
  { table: 'filter', chain: 'FORWARD', args: [...newConn, ...comment('k8ts service portals'), '-j', names.SERVICES] },
  { table: 'filter', chain: 'OUTPUT', args: [...newConn, ...comment('k8ts service portals'), '-j', names.SERVICES] },
];

/** One restore-file line: arguments joined, those with spaces or quotes double-quoted. */
export function ruleLine(args: string[]): string {
  return args.map((a) => (/[\s"]/.test(a) ? `"${a.replace(/"/g, '\\"')}"` : a)).join(' ');
}

class Table {
  readonly chains: string[] = [];
  readonly rules: string[] = [];

  chain(name: string): void {
    if (!this.chains.includes(name)) this.chains.push(name);
  }

  add(chain: string, ...args: string[]): void {
    this.rules.push(ruleLine(['-A', chain, ...args]));
  }

  render(table: string, existing: Iterable<string> | undefined): string {
    const keep = new Set(this.chains);
    const stale = [...(existing ?? [])].filter((c) => c.startsWith(names.PREFIX) && !keep.has(c)).sort();
    return [
      `*${table}`,
      ...[...this.chains, ...stale].map((c) => `:${c} - [0:0]`),
      ...this.rules,
      ...stale.map((c) => `-X ${c}`),
      'COMMIT',
      '',
    ].join('\n');
  }
}

export function generateRules(map: ServicePortInfo[], opts: RuleOptions = {}): RuleSet {
  const filter = new Table();
  const nat = new Table();
  filter.chain(names.SERVICES);
  filter.chain(names.EXTERNAL_SERVICES);
  for (const c of [names.SERVICES, names.NODEPORTS, names.POSTROUTING, names.MARK_MASQ]) nat.chain(c);

  nat.add(names.MARK_MASQ, '-j', 'MARK', '--or-mark', names.MASQ_MARK);
  nat.add(names.POSTROUTING, '-m', 'mark', '!', '--mark', `${names.MASQ_MARK}/${names.MASQ_MARK}`, '-j', 'RETURN');
  // Clear the mark so a re-traversal (e.g. after IPsec) does not masquerade twice.
  nat.add(names.POSTROUTING, '-j', 'MARK', '--xor-mark', names.MASQ_MARK);
  nat.add(names.POSTROUTING, ...comment('k8ts service traffic requiring SNAT'), '-j', 'MASQUERADE');

  for (const sp of map) writeServicePort(sp, nat, filter, opts);

  // Must stay last: every other rule of the chain matches a specific destination first.
  nat.add(names.SERVICES, ...comment('k8ts service nodeports; NOTE: this must be the last rule in this chain'),
    '-m', 'addrtype', '--dst-type', 'LOCAL', '-j', names.NODEPORTS);

  return {
    text: filter.render('filter', opts.existingChains?.filter) + nat.render('nat', opts.existingChains?.nat),
    chains: { filter: [...filter.chains], nat: [...nat.chains] },
  };
}

function writeServicePort(sp: ServicePortInfo, nat: Table, filter: Table, opts: RuleOptions): void {
  const name = servicePortName(sp);
  const proto = sp.protocol.toLowerCase();
  const match = ['-m', proto, '-p', proto];
  const sel = selectEndpoints(sp);
  const svcChain = names.serviceChain(name, sp.protocol);
  const svlChain = names.localServiceChain(name, sp.protocol);
  const extChain = names.externalChain(name, sp.protocol);

  const usesClusterChain = sel.cluster.length > 0 && usesClusterEndpoints(sp);
  const usesLocalChain = sel.local.length > 0 && usesLocalEndpoints(sp);
  const internalChain = sp.internalPolicyLocal ? svlChain : svcChain;
  const externalPolicyChain = sp.externalPolicyLocal ? svlChain : svcChain;
  const hasInternal = sp.internalPolicyLocal ? usesLocalChain : usesClusterChain;
  const hasExternal = sp.externalPolicyLocal ? usesLocalChain : usesClusterChain;
  const hasExternalAddrs = sp.nodePort > 0 || sp.externalIPs.length > 0 || sp.loadBalancerIPs.length > 0;
  // Without any usable endpoint: reject; with endpoints elsewhere but none here: drop.
  const emptyTarget = sel.hasAnyEndpoints ? 'DROP' : 'REJECT';
  const emptyComment = sel.hasAnyEndpoints ? `${name} has no local endpoints` : `${name} has no endpoints`;

  // Cluster IP.
  if (hasInternal) nat.add(names.SERVICES, ...comment(`${name} cluster IP`), ...match, '-d', sp.clusterIP, '--dport', String(sp.port), '-j', internalChain);
  else filter.add(names.SERVICES, ...comment(emptyComment), ...match, '-d', sp.clusterIP, '--dport', String(sp.port), '-j', emptyTarget);

  // External addresses: external IPs, load-balancer IPs and node ports all enter through EXT.
  const external = (chain: string, what: string, dest: string[], port: number) => {
    if (hasExternal) nat.add(chain, ...comment(what), ...match, ...dest, '--dport', String(port), '-j', extChain);
    else filter.add(names.EXTERNAL_SERVICES, ...comment(emptyComment), ...(dest.length ? [] : ['-m', 'addrtype', '--dst-type', 'LOCAL']), ...match, ...dest, '--dport', String(port), '-j', emptyTarget);
  };
  for (const ip of sp.externalIPs) external(names.SERVICES, `${name} external IP`, ['-d', ip], sp.port);
  for (const ip of sp.loadBalancerIPs) external(names.SERVICES, `${name} loadbalancer IP`, ['-d', ip], sp.port);
  if (sp.nodePort > 0) external(names.NODEPORTS, name, [], sp.nodePort);

  if (hasExternalAddrs && hasExternal) {
    nat.chain(extChain);
    if (sp.externalPolicyLocal) {
      // Traffic from the node itself has no client address worth keeping and may go anywhere.
      if (usesClusterChain) {
        nat.add(extChain, ...comment(`masquerade LOCAL traffic for ${name} external destinations`), '-m', 'addrtype', '--src-type', 'LOCAL', '-j', names.MARK_MASQ);
        nat.add(extChain, ...comment(`route LOCAL traffic for ${name} external destinations`), '-m', 'addrtype', '--src-type', 'LOCAL', '-j', svcChain);
      }
    } else {
      // Replies must come back through this node to be un-DNATed: masquerade.
      nat.add(extChain, ...comment(`masquerade traffic for ${name} external destinations`), '-j', names.MARK_MASQ);
    }
    nat.add(extChain, '-j', externalPolicyChain);
  }

  if (usesClusterChain) {
    nat.chain(svcChain);
    if (opts.masqueradeAll) nat.add(svcChain, ...comment(`${name} cluster IP`), ...match, '-d', sp.clusterIP, '--dport', String(sp.port), '-j', names.MARK_MASQ);
    writeBalancing(nat, svcChain, name, sp, sel.cluster);
  }
  if (usesLocalChain) {
    nat.chain(svlChain);
    writeBalancing(nat, svlChain, name, sp, sel.local);
  }

  // One chain per endpoint reachable through either chain.
  const reachable = new Set<Endpoint>([...(usesClusterChain ? sel.cluster : []), ...(usesLocalChain ? sel.local : [])]);
  for (const ep of sp.endpoints.filter((e) => reachable.has(e))) {
    const epChain = names.endpointChain(name, sp.protocol, endpointString(ep));
    nat.chain(epChain);
    // Hairpin: an endpoint reaching itself through the service must see a rewritten source.
    nat.add(epChain, ...comment(name), '-s', ep.ip, '-j', names.MARK_MASQ);
    const recent = sp.stickySeconds > 0 ? ['-m', 'recent', '--name', epChain, '--set'] : [];
    nat.add(epChain, ...comment(name), ...recent, ...match, '-j', 'DNAT', '--to-destination', endpointString(ep));
  }
}

/** Affinity rules (a client seen recently goes back to its endpoint), then the random split. */
function writeBalancing(nat: Table, chain: string, name: string, sp: ServicePortInfo, endpoints: Endpoint[]): void {
  const epChain = (ep: Endpoint) => names.endpointChain(name, sp.protocol, endpointString(ep));
  if (sp.stickySeconds > 0) {
    for (const ep of endpoints) {
      nat.add(chain, ...comment(`${name} -> ${endpointString(ep)}`), '-m', 'recent', '--name', epChain(ep),
        '--rcheck', '--seconds', String(sp.stickySeconds), '--reap', '-j', epChain(ep));
    }
  }
  endpoints.forEach((ep, i) => {
    const left = endpoints.length - i;
    const stat = left > 1 ? ['-m', 'statistic', '--mode', 'random', '--probability', (1 / left).toFixed(10)] : [];
    nat.add(chain, ...comment(`${name} -> ${endpointString(ep)}`), ...stat, '-j', epChain(ep));
  });
}
