// The canonical layout of Endpoints subsets (upstream's RepackSubsets): every address is
// expanded to (address, port) pairs, then addresses offering the same ports with the same
// readiness are grouped into one subset. An address not ready for one port is not ready for it
// even if another entry says ready. Sorting is deterministic (IP, then pod UID; ports and
// subsets by their canonical JSON — upstream orders those two by an md5 of their dump).
import type { EndpointAddress, EndpointPort, EndpointSubset } from 'kubernetes-types/core/v1.js';

/** Stands for "no ports", so a headless service's port-less addresses are kept. */
const NO_PORT = '<none>';

export function repackSubsets(subsets: EndpointSubset[]): EndpointSubset[] {
  // address key → the first copy seen; port key → (address key → ready)
  const addrs = new Map<string, EndpointAddress>();
  const ports = new Map<string, EndpointPort | undefined>();
  const byPort = new Map<string, Map<string, boolean>>();
  const mark = (portKey: string, list: EndpointAddress[] | undefined, ready: boolean) => {
    for (const a of list ?? []) {
      const k = addressKey(a);
      if (!addrs.has(k)) addrs.set(k, a);
      let set = byPort.get(portKey);
      if (!set) byPort.set(portKey, (set = new Map()));
      // Not ready wins over ready.
      if (set.get(k) !== false) set.set(k, ready);
    }
  };
  for (const ss of subsets) {
    const list = ss.ports?.length ? ss.ports.map((p) => [portKey(p), p] as const) : [[NO_PORT, undefined] as const];
    for (const [k, p] of list) {
      if (!ports.has(k)) ports.set(k, p);
      mark(k, ss.addresses, true);
      mark(k, ss.notReadyAddresses, false);
    }
  }

  // Group ports by the exact set of (address, readiness) they map to.
  const groups = new Map<string, { set: Map<string, boolean>; ports: EndpointPort[] }>();
  for (const [pk, set] of byPort) {
    const gk = JSON.stringify([...set].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    let g = groups.get(gk);
    if (!g) groups.set(gk, (g = { set, ports: [] }));
    const p = ports.get(pk);
    if (p) g.ports.push(p);
  }

  const out: EndpointSubset[] = [];
  for (const { set, ports: ps } of groups.values()) {
    const ready: EndpointAddress[] = [];
    const notReady: EndpointAddress[] = [];
    for (const [k, isReady] of set) (isReady ? ready : notReady).push(addrs.get(k)!);
    const ss: EndpointSubset = {};
    if (ready.length) ss.addresses = ready.sort(compareAddresses);
    if (notReady.length) ss.notReadyAddresses = notReady.sort(compareAddresses);
    if (ps.length) ss.ports = ps.sort(byJson);
    out.push(ss);
  }
  return out.sort(byJson);
}

/** Addresses are the same endpoint when IP and pod UID match. */
function addressKey(a: EndpointAddress): string {
  return `${a.ip}\u0000${a.targetRef?.uid ?? ''}`;
}

function portKey(p: EndpointPort): string {
  return JSON.stringify([p.name ?? '', p.port, p.protocol ?? 'TCP', p.appProtocol ?? '']);
}

export function compareAddresses(a: EndpointAddress, b: EndpointAddress): number {
  if (a.ip !== b.ip) return a.ip < b.ip ? -1 : 1;
  if (!b.targetRef) return a.targetRef ? 1 : 0;
  if (!a.targetRef) return -1;
  const ua = a.targetRef.uid ?? '';
  const ub = b.targetRef.uid ?? '';
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

function byJson(a: unknown, b: unknown): number {
  const x = canonicalJson(a);
  const y = canonicalJson(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** JSON with object keys sorted, so equal values give equal strings whatever their key order. */
function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x);
}
