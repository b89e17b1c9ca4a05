// The cluster DNS's decisions, free of I/O: one question and a view of the cluster in, the
// response's sections (or "not ours: forward it") out. The server encodes what this returns;
// the golden tests in resolver.test.ts read as the behaviour's table.
import { isIPv4, isIPv6 } from 'node:net';
import type { Answer, RecordType, SoaAnswer } from 'dns-packet';
import type { ClusterView } from './cluster-view.js';
import { isReverseName, labelsUnder, normalize, parseReverseName } from './names.js';
import { ptrTargets, zoneNode, type PodMode, type ZoneContext, type ZoneNode } from './zone-nodes.js';

export interface DnsQuestion {
  name: string;
  /** 'ANY' (255) is not in dns-packet's RecordType, but queries carry it. */
  type: RecordType | 'ANY';
  class?: string;
}

export interface ResolverOptions {
  /** The cluster domain, e.g. cluster.local. */
  zone: string;
  /** TTL of every record, the SOA's minimum (negative caching) included. */
  ttl: number;
  podMode?: PodMode;
  /** SOA serial; CoreDNS uses its start time. */
  serial?: number;
}

export type Rcode = 'NOERROR' | 'FORMERR' | 'SERVFAIL' | 'NXDOMAIN' | 'NOTIMP' | 'REFUSED';

export interface LocalAnswer {
  kind: 'answer';
  rcode: Rcode;
  answers: Answer[];
  authorities: Answer[];
  additionals: Answer[];
  /** An alias out of the zone: the server asks upstream for this and appends what it gets. */
  chase?: DnsQuestion;
}

/** Names outside the cluster zone (and reverse names the cluster knows nothing of). */
export interface ForwardIt {
  kind: 'forward';
}

export type Resolution = LocalAnswer | ForwardIt;

/** CNAMEs inside the zone are followed at most this deep (ExternalName pointing at a service). */
const MAX_CHAIN = 8;

export function resolve(q: DnsQuestion, view: ClusterView, opts: ResolverOptions): Resolution {
  const zone = normalize(opts.zone);
  const ctx: ZoneContext = { view, zone, podMode: opts.podMode ?? 'insecure' };
  const labels = labelsUnder(q.name, zone);
  if (labels === undefined) return isReverseName(q.name) ? reverse(q, ctx, opts) : { kind: 'forward' };
  if (q.class && q.class !== 'IN' && q.class !== 'ANY') return empty('REFUSED');
  if (q.type === 'AXFR' || q.type === 'IXFR') return empty('REFUSED');
  return answerInZone(q, ctx, opts, 0);
}

function answerInZone(q: DnsQuestion, ctx: ZoneContext, opts: ResolverOptions, depth: number): LocalAnswer {
  const owner = q.name.replace(/\.$/, '');
  const node = zoneNode(labelsUnder(owner, ctx.zone)!, ctx);
  if (!node) {
    // Before the first list, "absent" may just mean "not seen yet": let the client retry.
    if (!ctx.view.hasSynced()) return empty('SERVFAIL');
    return { ...empty('NXDOMAIN'), authorities: [soa(ctx.zone, opts)] };
  }
  if (node.cname !== undefined && q.type !== 'CNAME') {
    const alias: Answer = { name: owner, type: 'CNAME', ttl: opts.ttl, data: node.cname };
    const target: DnsQuestion = { name: node.cname, type: q.type };
    if (labelsUnder(node.cname, ctx.zone) === undefined) return { ...empty('NOERROR'), answers: [alias], chase: target };
    if (depth >= MAX_CHAIN) return empty('SERVFAIL');
    const rest = answerInZone(target, ctx, opts, depth + 1);
    return { ...rest, answers: [alias, ...rest.answers] };
  }
  const { answers, additionals } = records(node, owner, q.type, ctx.zone, opts);
  if (answers.length === 0) return { ...empty('NOERROR'), authorities: [soa(ctx.zone, opts)] };
  return { ...empty('NOERROR'), answers, additionals };
}

/** The node's records of one type (ANY: all of them), with SRV targets' addresses as extras. */
function records(node: ZoneNode, owner: string, type: DnsQuestion['type'], zone: string, opts: ResolverOptions): { answers: Answer[]; additionals: Answer[] } {
  const ttl = opts.ttl;
  const want = (t: RecordType) => type === t || type === 'ANY';
  const answers: Answer[] = [];
  const additionals: Answer[] = [];
  if (want('CNAME') && node.cname !== undefined) answers.push({ name: owner, type: 'CNAME', ttl, data: node.cname });
  if (want('A')) for (const ip of node.addresses.filter((a) => isIPv4(a))) answers.push({ name: owner, type: 'A', ttl, data: ip });
  if (want('AAAA')) for (const ip of node.addresses.filter((a) => isIPv6(a))) answers.push({ name: owner, type: 'AAAA', ttl, data: ip });
  if (want('SRV') && node.srv.length > 0) {
    // Equal shares of 100 among the records (all priority 0), at least 1: CoreDNS's weights.
    const weight = Math.max(1, Math.floor(100 / node.srv.length));
    for (const s of node.srv) answers.push({ name: owner, type: 'SRV', ttl, data: { priority: 0, weight, port: s.port, target: s.target } });
    for (const t of node.targetAddresses) additionals.push({ name: t.name, type: isIPv4(t.ip) ? 'A' : 'AAAA', ttl, data: t.ip });
  }
  if (want('TXT')) for (const t of node.txt) answers.push({ name: owner, type: 'TXT', ttl, data: t });
  if (want('SOA') && node.apex) answers.push(soa(zone, opts));
  return { answers, additionals };
}

/** PTR for ClusterIPs and headless endpoints; every other reverse question goes upstream. */
function reverse(q: DnsQuestion, ctx: ZoneContext, opts: ResolverOptions): Resolution {
  if (q.type !== 'PTR') return { kind: 'forward' };
  const ip = parseReverseName(q.name);
  const targets = ip ? ptrTargets(ip, ctx) : [];
  if (targets.length === 0) return { kind: 'forward' };
  const owner = q.name.replace(/\.$/, '');
  return { ...empty('NOERROR'), answers: targets.map((t) => ({ name: owner, type: 'PTR' as const, ttl: opts.ttl, data: t })) };
}

/** The zone's SOA, as CoreDNS writes it (its minimum is the negative-caching TTL). */
export function soa(zone: string, opts: ResolverOptions): SoaAnswer {
  return {
    name: zone,
    type: 'SOA',
    ttl: opts.ttl,
    data: {
      mname: `ns.dns.${zone}`,
      rname: `hostmaster.${zone}`,
      serial: opts.serial ?? 1,
      refresh: 7200,
      retry: 1800,
      expire: 86400,
      minimum: opts.ttl,
    },
  };
}

function empty(rcode: Rcode): LocalAnswer {
  return { kind: 'answer', rcode, answers: [], authorities: [], additionals: [] };
}
