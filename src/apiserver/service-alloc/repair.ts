// Keeps the reservations and the stored Services in agreement (upstream's ipallocator and
// portallocator repair controllers). Both are read at one store revision, then:
//  - a value a Service uses without a reservation (data written before reservations existed, or
//    a reservation lost) is reserved for it;
//  - a reservation no live Service uses is a leak (a crash between reserving and storing the
//    Service) and is deleted, but only once older than `leakGraceMs`, so a create still in
//    flight between its two writes is never robbed.
// Runs at start-up and then periodically; a value two Services claim is only reported.
import type { Store } from '../../storage/interface.js';
import type { Clock } from '../../util/clock.js';
import type { KObject } from '../../api/strategies/types.js';
import type { Owner, Reservations } from './reservations.js';

type Obj = Record<string, any>;

export interface RepairResult {
  reserved: number;
  released: number;
  /** Values held by more than one Service, as `value: ns/a, ns/b`. */
  conflicts: string[];
}

export interface RepairOptions {
  store: Store;
  servicesPrefix: string;
  ips: Reservations<string>;
  ports: Reservations<number>;
  clock: Clock;
  leakGraceMs: number;
}

/** What a Service holds: its cluster IPs and its (health-check) node ports. */
function usedBy(svc: Obj): { ips: string[]; ports: number[] } {
  const spec: Obj = svc.spec ?? {};
  const ips = spec.type === 'ExternalName' ? [] : (Array.isArray(spec.clusterIPs) ? spec.clusterIPs : [spec.clusterIP]).filter((ip: unknown) => typeof ip === 'string' && ip && ip !== 'None');
  const ports: number[] = (Array.isArray(spec.ports) ? spec.ports : []).map((p: Obj) => p?.nodePort).filter((n: unknown) => typeof n === 'number' && n > 0);
  if (spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local' && spec.healthCheckNodePort > 0) ports.push(spec.healthCheckNodePort);
  return { ips, ports: [...new Set(ports)] };
}

export async function repairAllocations(o: RepairOptions): Promise<RepairResult> {
  const revision = await o.store.currentRevision();
  const services: KObject[] = [];
  let startKey: string | undefined;
  for (;;) {
    const r = await o.store.range(`${o.servicesPrefix}/`, { revision, limit: 10_000, startKey });
    for (const kv of r.kvs) services.push(JSON.parse(kv.value) as KObject);
    if (!r.more || !r.kvs.length) break;
    startKey = r.kvs[r.kvs.length - 1]!.key + '\0';
  }
  const result: RepairResult = { reserved: 0, released: 0, conflicts: [] };
  await repairOne(o, o.ips, services, (s) => usedBy(s).ips, revision, result);
  await repairOne(o, o.ports, services, (s) => usedBy(s).ports, revision, result);
  return result;
}

async function repairOne<T extends string | number>(
  o: RepairOptions, res: Reservations<T>, services: KObject[], values: (svc: Obj) => T[], revision: number, result: RepairResult,
): Promise<void> {
  const users = new Map<string, Owner[]>();
  for (const svc of services) {
    const m = svc.metadata ?? {};
    for (const v of values(svc)) {
      const list = users.get(String(v)) ?? [];
      list.push({ namespace: m.namespace ?? '', name: m.name ?? '', uid: m.uid ?? '' });
      users.set(String(v), list);
    }
  }
  const held = new Map((await res.list(revision)).map((r) => [r.value, r]));
  for (const [value, owners] of users) {
    if (owners.length > 1) result.conflicts.push(`${value}: ${owners.map((w) => `${w.namespace}/${w.name}`).join(', ')}`);
    if (held.has(value)) continue;
    const typed = (typeof res.range.valueAt(0) === 'number' ? Number(value) : value) as T;
    if (await res.reserve(typed, owners[0]!)) result.reserved++;
  }
  const now = o.clock.now();
  for (const [value, r] of held) {
    const owners = users.get(value);
    if (owners?.some((w) => w.uid === r.owner?.uid)) continue;
    // Held for a Service that no longer uses it, or for one never stored.
    if (owners && !r.owner) continue;
    if (r.owner && now - r.owner.reservedAt < o.leakGraceMs) continue;
    await res.deleteAt(r.key, r.modRevision);
    result.released++;
    const typed = (typeof res.range.valueAt(0) === 'number' ? Number(value) : value) as T;
    if (owners && (await res.reserve(typed, owners[0]!))) result.reserved++;
  }
}
