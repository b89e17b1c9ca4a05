// The host's resolvers, read from resolv.conf, for names outside the cluster zone. The cluster
// DNS's own addresses are left out: a node whose resolv.conf points at the cluster DNS would
// otherwise forward its own questions to itself forever.
import { readFileSync } from 'node:fs';
import { isIPv6 } from 'node:net';

export const RESOLV_CONF = '/etc/resolv.conf';

/** The `nameserver` addresses of a resolv.conf text, in order. */
export function parseResolvConf(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const words = line.replace(/[#;].*$/, '').trim().split(/\s+/);
    if (words[0] === 'nameserver' && words[1]) out.push(words[1].replace(/%.*$/, ''));
  }
  return out;
}

/** An upstream as host and port: `1.2.3.4`, `1.2.3.4:5353`, `::1`, `[::1]:5353`. */
export function parseUpstream(s: string): { host: string; port: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (bracketed) return { host: bracketed[1]!, port: bracketed[2] ? Number(bracketed[2]) : 53 };
  if (isIPv6(s)) return { host: s, port: 53 };
  const colon = s.lastIndexOf(':');
  if (colon > 0) return { host: s.slice(0, colon), port: Number(s.slice(colon + 1)) };
  return { host: s, port: 53 };
}

/**
 * The host's upstream resolvers (port 53), minus the addresses the cluster DNS itself answers
 * on port 53 and `alsoSkip` (e.g. the kube-dns ClusterIP, which leads back here). A missing or unreadable file gives none (every forwarded name is then SERVFAIL).
 */
export function hostUpstreams(own: ReadonlyArray<{ address: string; port: number }>, path = RESOLV_CONF, alsoSkip: readonly string[] = []): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  const self = new Set([...own.filter((l) => l.port === 53).map((l) => l.address), ...alsoSkip]);
  return parseResolvConf(text).filter((ns) => !self.has(ns));
}
