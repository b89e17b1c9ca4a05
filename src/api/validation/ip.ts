// IP address and CIDR checks with upstream's messages (apimachinery util/validation/ip.go and
// core validation's ValidateNonSpecialIP). Parsing follows Go: "sloppy" parsing accepts IPv4
// octets with leading zeros; strict validation then rejects them, IPv4-mapped IPv6 addresses
// and non-canonical spellings.
import { FieldError, field } from '../errors.js';

/** 4 bytes for IPv4, 16 for IPv6; `mapped` when an IPv6 text embeds an IPv4 address as ::ffff:a.b.c.d. */
export interface ParsedIP {
  bytes: number[];
  /** True when written with a leading zero in an IPv4 octet (Go's strict parser refuses it). */
  leadingZeros: boolean;
}

function parseIPv4(s: string): ParsedIP | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let leadingZeros = false;
  const bytes: number[] = [];
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/.test(p)) return undefined;
    if (p.length > 1 && p.startsWith('0')) leadingZeros = true;
    const n = Number(p);
    if (n > 255) return undefined;
    bytes.push(n);
  }
  return { bytes, leadingZeros };
}

function parseIPv6(s: string): ParsedIP | undefined {
  if (s.includes('%')) return undefined;
  let leadingZeros = false;
  let tail: number[] = [];
  let text = s;
  const lastColon = text.lastIndexOf(':');
  if (lastColon >= 0 && text.slice(lastColon + 1).includes('.')) {
    const v4 = parseIPv4(text.slice(lastColon + 1));
    if (!v4) return undefined;
    leadingZeros = v4.leadingZeros;
    tail = v4.bytes;
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string): number[] | undefined => {
    if (h === '') return [];
    const out: number[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !rest) return undefined;
  let all: number[];
  if (halves.length === 2) {
    const missing = 8 - head.length - rest.length;
    if (missing < 1) return undefined;
    all = [...head, ...new Array<number>(missing).fill(0), ...rest];
  } else {
    all = head;
  }
  if (all.length !== 8) return undefined;
  const bytes: number[] = [];
  for (const g of all) bytes.push(g >> 8, g & 0xff);
  if (tail.length) bytes.splice(12, 4, ...tail);
  return { bytes, leadingZeros };
}

/** Go's net.ParseIP (sloppy: IPv4 octets may have leading zeros). */
export function parseIP(s: string): ParsedIP | undefined {
  if (s.includes(':')) return parseIPv6(s);
  return parseIPv4(s);
}

function isV4Mapped(b: number[]): boolean {
  return b.length === 16 && b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
}

/** Go's net.IP.String(): dotted quad for IPv4 (and IPv4-mapped), RFC 5952 for IPv6. */
export function formatIP(b: number[]): string {
  if (b.length === 4) return b.join('.');
  if (isV4Mapped(b)) return b.slice(12).join('.');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((b[i]! << 8) | b[i + 1]!);
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (g: number) => g.toString(16);
  if (bestStart < 0) return groups.map(hex).join(':');
  const left = groups.slice(0, bestStart).map(hex).join(':');
  const right = groups.slice(bestStart + bestLen).map(hex).join(':');
  return `${left}::${right}`;
}

export function isIPv6String(s: string): boolean {
  const ip = parseIP(s);
  return !!ip && ip.bytes.length === 16 && !isV4Mapped(ip.bytes);
}

/** Strict IP validation (IsValidIP): parseable, no leading zeros, not IPv4-mapped, canonical. */
export function validateIP(path: string, value: string): FieldError[] {
  const ip = parseIP(value);
  if (!ip) return [field.invalid(path, value, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')];
  const errs: FieldError[] = [];
  if (ip.leadingZeros) errs.push(field.invalid(path, value, 'must not have leading 0s'));
  if (value.includes(':') && isV4Mapped(ip.bytes)) errs.push(field.invalid(path, value, 'must not be an IPv4-mapped IPv6 address'));
  if (errs.length) return errs;
  const canonical = formatIP(ip.bytes);
  if (canonical !== value) errs.push(field.invalid(path, value, `must be in canonical form (${JSON.stringify(canonical)})`));
  return errs;
}

/** Strict CIDR validation (IsValidCIDR). */
export function validateCIDR(path: string, value: string): FieldError[] {
  const slash = value.indexOf('/');
  const ip = slash > 0 ? parseIP(value.slice(0, slash)) : undefined;
  const lenText = slash > 0 ? value.slice(slash + 1) : '';
  const bits = ip ? ip.bytes.length * 8 : 0;
  if (!ip || !/^[0-9]{1,3}$/.test(lenText) || Number(lenText) > bits) {
    return [field.invalid(path, value, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)')];
  }
  const prefix = Number(lenText);
  const masked = ip.bytes.map((b, i) => {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    return b & ((0xff << (8 - keep)) & 0xff);
  });
  if (ip.leadingZeros || (lenText.length > 1 && lenText.startsWith('0'))) {
    return [field.invalid(path, value, 'must not have leading 0s in IP or prefix length')];
  }
  if (value.includes(':') && isV4Mapped(ip.bytes)) return [field.invalid(path, value, 'must not have an IPv4-mapped IPv6 address')];
  if (masked.some((b, i) => b !== ip.bytes[i])) return [field.invalid(path, value, 'must not have bits set beyond the prefix length')];
  const canonical = `${formatIP(masked)}/${prefix}`;
  if (canonical !== value) return [field.invalid(path, value, `must be in canonical form (${JSON.stringify(canonical)})`)];
  return [];
}

/**
 * Endpoints, EndpointSlices and external IPs may not be unspecified, loopback or link-local.
 * `allowLoopback` is a k8ts relaxation: a single-node cluster serves (and process-runtime pods
 * listen) on 127.0.0.1, so endpoints there must be storable.
 */
export function validateNonSpecialIP(path: string, value: string, opts: { allowLoopback?: boolean } = {}): FieldError[] {
  const ip = parseIP(value);
  if (!ip) return [field.invalid(path, value, 'must be a valid IP address')];
  const b = ip.bytes.length === 16 && isV4Mapped(ip.bytes) ? ip.bytes.slice(12) : ip.bytes;
  const errs: FieldError[] = [];
  const v4 = b.length === 4;
  if (b.every((x) => x === 0)) errs.push(field.invalid(path, value, `may not be unspecified (${value})`));
  const loopback = v4 ? b[0] === 127 : b.slice(0, 15).every((x) => x === 0) && b[15] === 1;
  if (loopback && !opts.allowLoopback) errs.push(field.invalid(path, value, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
  const linkLocal = v4 ? b[0] === 169 && b[1] === 254 : b[0] === 0xfe && (b[1]! & 0xc0) === 0x80;
  if (linkLocal) errs.push(field.invalid(path, value, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
  const llMulticast = v4 ? b[0] === 224 && b[1] === 0 && b[2] === 0 : b[0] === 0xff && (b[1]! & 0x0f) === 0x02;
  if (llMulticast) errs.push(field.invalid(path, value, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
  return errs;
}
