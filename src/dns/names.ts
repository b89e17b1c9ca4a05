// Domain-name helpers for the cluster DNS: normalised comparison, reverse names, and the
// dashed-IP labels Kubernetes DNS uses for pods and endpoints without a hostname.
import { isIPv4, isIPv6 } from 'node:net';

/** Lower case, no trailing dot: the form every comparison uses (DNS names are case-insensitive). */
export function normalize(name: string): string {
  return name.replace(/\.$/, '').toLowerCase();
}

/** The labels of `name` left of `zone` (e.g. ['web', 'default', 'svc']), or undefined outside it. */
export function labelsUnder(name: string, zone: string): string[] | undefined {
  const n = normalize(name);
  const z = normalize(zone);
  if (n === z) return [];
  if (!n.endsWith('.' + z)) return undefined;
  return n.slice(0, n.length - z.length - 1).split('.');
}

/** The IPv6 address written out in full: eight groups of four hex digits. */
export function expandIPv6(ip: string): string {
  let addr = ip.toLowerCase();
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hex groups.
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(addr);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    addr = addr.slice(0, v4.index) + ((a << 8) | b).toString(16) + ':' + ((c << 8) | d).toString(16);
  }
  const [head, tail] = addr.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...fill, ...right].map((g) => g.padStart(4, '0')).join(':');
}

/** The reverse-lookup name of an address (`4.3.2.1.in-addr.arpa`, nibbles under `ip6.arpa`). */
export function reverseName(ip: string): string {
  if (isIPv4(ip)) return ip.split('.').reverse().join('.') + '.in-addr.arpa';
  return expandIPv6(ip).replace(/:/g, '').split('').reverse().join('.') + '.ip6.arpa';
}

/** The address a reverse-lookup name stands for, or undefined when it is not a complete one. */
export function parseReverseName(name: string): string | undefined {
  const n = normalize(name);
  if (n.endsWith('.in-addr.arpa')) {
    const parts = n.slice(0, -'.in-addr.arpa'.length).split('.');
    if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p))) return undefined;
    const ip = parts.reverse().map(Number).join('.');
    return isIPv4(ip) ? ip : undefined;
  }
  if (n.endsWith('.ip6.arpa')) {
    const nibbles = n.slice(0, -'.ip6.arpa'.length).split('.');
    if (nibbles.length !== 32 || !nibbles.every((p) => /^[0-9a-f]$/.test(p))) return undefined;
    const hex = nibbles.reverse().join('');
    return compactIPv6(hex.match(/.{4}/g)!.join(':'));
  }
  return undefined;
}

/** True for names inside the reverse-lookup trees. */
export function isReverseName(name: string): boolean {
  const n = normalize(name);
  return n === 'in-addr.arpa' || n === 'ip6.arpa' || n.endsWith('.in-addr.arpa') || n.endsWith('.ip6.arpa');
}

/** A canonical short IPv6 form, so addresses from names and from objects compare equal. */
export function compactIPv6(ip: string): string {
  const groups = expandIPv6(ip).split(':').map((g) => g.replace(/^0+(?=.)/, ''));
  // Replace the longest run (of two or more) of zero groups with '::', as RFC 5952 asks.
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  if (best < 0) return groups.join(':');
  return groups.slice(0, best).join(':') + '::' + groups.slice(best + bestLen).join(':');
}

/** One spelling per address: IPv4 as is, IPv6 compacted. */
export function canonicalIp(ip: string): string {
  return isIPv6(ip) ? compactIPv6(ip) : ip;
}

/** The label standing for an address: dots (or colons) become dashes, as CoreDNS writes them. */
export function dashedIp(ip: string): string {
  if (isIPv4(ip)) return ip.replace(/\./g, '-');
  const dashed = canonicalIp(ip).replace(/:/g, '-');
  // A trailing '::' would leave a trailing dash, which is not a valid label.
  return dashed.endsWith('-') ? dashed + '0' : dashed;
}

/** The address a dashed pod label stands for (`10-0-0-1`, `fd00--1`), or undefined. */
export function parseDashedIp(label: string): string | undefined {
  if (/^\d+-\d+-\d+-\d+$/.test(label)) {
    const ip = label.replace(/-/g, '.');
    return isIPv4(ip) ? ip : undefined;
  }
  const ip = label.replace(/-/g, ':');
  return isIPv6(ip) ? canonicalIp(ip) : undefined;
}
