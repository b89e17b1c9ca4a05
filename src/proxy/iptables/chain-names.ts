// Chain names of the iptables mode. Our chains start with K8TS- rather than KUBE-: a real
// kube-proxy (or a kind/k3s node) on the same host keeps its own KUBE-* chains, and our
// restores and cleanup, which only ever touch chains with our prefix, cannot disturb them.
// Per-service and per-endpoint chains are named as upstream does it: a SHA-256 of the service
// port name and protocol (plus the endpoint), base32, first 16 characters — short enough for
// iptables' 28-character limit, stable across restarts.
import { createHash } from 'node:crypto';

export const PREFIX = 'K8TS-';
export const SERVICES = `${PREFIX}SERVICES`;
export const NODEPORTS = `${PREFIX}NODEPORTS`;
export const POSTROUTING = `${PREFIX}POSTROUTING`;
export const MARK_MASQ = `${PREFIX}MARK-MASQ`;
/** filter table: rejects new connections to ports without endpoints. */
export const EXTERNAL_SERVICES = `${PREFIX}EXTERNAL-SERVICES`;

/**
 * The mark bit of packets to masquerade. Same bit as kube-proxy's default, on purpose: if both
 * run, whichever POSTROUTING chain sees the packet first masquerades it, which is what both want.
 */
export const MASQ_MARK = '0x4000';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 of the first bytes of `buf`, enough for `chars` characters. */
function base32(buf: Buffer, chars: number): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of buf) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < chars) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
    if (out.length >= chars) break;
  }
  return out;
}

function hash16(s: string): string {
  return base32(createHash('sha256').update(s).digest(), 16);
}

/** `svcPortName` is `ns/name[:port]`, `protocol` TCP/UDP/SCTP in upper case as the API spells it. */
export function serviceChain(svcPortName: string, protocol: string): string {
  return `${PREFIX}SVC-${hash16(svcPortName + protocol.toLowerCase())}`;
}

export function localServiceChain(svcPortName: string, protocol: string): string {
  return `${PREFIX}SVL-${hash16(svcPortName + protocol.toLowerCase())}`;
}

export function externalChain(svcPortName: string, protocol: string): string {
  return `${PREFIX}EXT-${hash16(svcPortName + protocol.toLowerCase())}`;
}

export function endpointChain(svcPortName: string, protocol: string, endpoint: string): string {
  return `${PREFIX}SEP-${hash16(svcPortName + protocol.toLowerCase() + endpoint)}`;
}
