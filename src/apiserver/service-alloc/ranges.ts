// The two ranges services draw from, parsed from the API server's flags, each seen as a row of
// offsets 0..size-1. Offsets below `staticBand` are kept for clients that ask for a specific
// value (the `kubernetes` service's .1, kube-dns's .10): dynamic allocation takes them only when
// the upper band is full, as upstream's bitmap-with-offset allocators do.

export const DEFAULT_SERVICE_CLUSTER_IP_RANGE = '10.96.0.0/12';
export const DEFAULT_SERVICE_NODE_PORT_RANGE = '30000-32767';

export interface ServiceRange<T> {
  /** As upstream prints it in "The range of valid … is <text>". */
  readonly text: string;
  readonly size: number;
  readonly staticBand: number;
  /** The value's offset, or undefined when outside the usable range. */
  offsetOf(value: T): number | undefined;
  valueAt(offset: number): T;
}

/** min(max(lo, size/step), hi), 0 for tiny ranges (upstream's calculateRangeOffset). */
function staticBandFor(size: number, lo: number, hi: number, step: number): number {
  if (size <= lo) return 0;
  return Math.min(Math.max(lo, Math.floor(size / step)), hi);
}

function ipv4ToInt(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  const b = m.slice(1).map(Number);
  if (b.some((x) => x > 255)) return undefined;
  return ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
}

function intToIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/**
 * An IPv4 service CIDR. The network and broadcast addresses are never handed out, so offset 0
 * is the network address + 1. Only IPv4 is served: the cluster is single-stack IPv4.
 */
export function parseServiceCIDR(cidr: string): ServiceRange<string> {
  const m = /^([^/]+)\/(\d{1,2})$/.exec(cidr.trim());
  const addr = m ? ipv4ToInt(m[1]!) : undefined;
  const bits = m ? Number(m[2]) : NaN;
  if (addr === undefined || !(bits >= 0 && bits <= 32)) {
    throw new Error(`invalid --service-cluster-ip-range ${JSON.stringify(cidr)}: expected an IPv4 CIDR such as ${DEFAULT_SERVICE_CLUSTER_IP_RANGE}`);
  }
  const total = 2 ** (32 - bits);
  const network = bits === 0 ? 0 : (addr & (~0 << (32 - bits))) >>> 0;
  const size = Math.max(0, total - 2);
  const base = network + 1;
  return {
    text: `${intToIPv4(network)}/${bits}`,
    size,
    staticBand: staticBandFor(total, 16, 256, 16),
    offsetOf(ip) {
      const n = ipv4ToInt(ip);
      if (n === undefined) return undefined;
      const off = n - base;
      return off >= 0 && off < size ? off : undefined;
    },
    valueAt: (offset) => intToIPv4(base + offset),
  };
}

/** `30000-32767`, `30000+2768` or a single port, as upstream's net.ParsePortRange reads them. */
export function parseNodePortRange(text: string): ServiceRange<number> {
  const s = text.trim();
  let m: RegExpExecArray | null;
  let lo: number;
  let hi: number;
  if ((m = /^(\d+)-(\d+)$/.exec(s))) [lo, hi] = [Number(m[1]), Number(m[2])];
  else if ((m = /^(\d+)\+(\d+)$/.exec(s))) [lo, hi] = [Number(m[1]), Number(m[1]) + Number(m[2])];
  else if (/^\d+$/.test(s)) lo = hi = Number(s);
  else lo = hi = NaN;
  if (!(lo >= 1 && hi <= 65535 && lo <= hi)) {
    throw new Error(`invalid --service-node-port-range ${JSON.stringify(text)}: expected a port range such as ${DEFAULT_SERVICE_NODE_PORT_RANGE}`);
  }
  const size = hi - lo + 1;
  return {
    text: `${lo}-${hi}`,
    size,
    staticBand: staticBandFor(size, 16, 128, 32),
    offsetOf: (port) => (Number.isInteger(port) && port >= lo && port <= hi ? port - lo : undefined),
    valueAt: (offset) => lo + offset,
  };
}

/** The first usable address (the `kubernetes` service's), e.g. 10.96.0.1 for 10.96.0.0/12. */
export function firstServiceIP(cidr: string): string {
  return parseServiceCIDR(cidr).valueAt(0);
}
