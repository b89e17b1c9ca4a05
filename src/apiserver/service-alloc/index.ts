// Service allocation for the API server: the ranges from the flags, the reservations in the
// store, the write hooks registered for `services`, and the repair loop. Built once at start-up
// and handed to the object layer as data (hooksFor), never looked up by kind in generic code.
import type { Store } from '../../storage/interface.js';
import type { Clock } from '../../util/clock.js';
import type { WriteHooks } from '../registry/resource-store.js';
import { DEFAULT_SERVICE_CLUSTER_IP_RANGE, DEFAULT_SERVICE_NODE_PORT_RANGE, parseNodePortRange, parseServiceCIDR } from './ranges.js';
import { repairAllocations, type RepairResult } from './repair.js';
import { Reservations } from './reservations.js';
import { ServiceAllocator } from './service-allocator.js';

export { DEFAULT_SERVICE_CLUSTER_IP_RANGE, DEFAULT_SERVICE_NODE_PORT_RANGE, firstServiceIP } from './ranges.js';
export { ServiceAllocator } from './service-allocator.js';
export { Reservations } from './reservations.js';

/** Where reservations live (one key per allocated value under each). */
export const SERVICE_IPS_PREFIX = '/registry/ranges/serviceips';
export const NODE_PORTS_PREFIX = '/registry/ranges/servicenodeports';

export interface ServiceAllocationOptions {
  store: Store;
  clock: Clock;
  /** `--service-cluster-ip-range` (default 10.96.0.0/12). */
  serviceClusterIpRange?: string;
  /** `--service-node-port-range` (default 30000-32767). */
  serviceNodePortRange?: string;
  /** The services key prefix the repair pass reads (default /registry/services/specs). */
  servicesPrefix?: string;
  /** How often the repair pass runs after start-up (default 3 minutes, as upstream). */
  repairIntervalMs?: number;
  /** Age after which an unused reservation counts as leaked (default 1 minute). */
  leakGraceMs?: number;
  /** Where repair problems are reported (default console.error). */
  log?: (message: string) => void;
}

export class ServiceAllocation {
  readonly ips: Reservations<string>;
  readonly ports: Reservations<number>;
  readonly allocator: ServiceAllocator;
  /** Hooks for the `services` resource's object layer. */
  readonly hooks: WriteHooks;
  private timer?: NodeJS.Timeout;

  /** Throws when a range flag cannot be parsed. */
  constructor(private readonly o: ServiceAllocationOptions) {
    this.ips = new Reservations(o.store, SERVICE_IPS_PREFIX, parseServiceCIDR(o.serviceClusterIpRange ?? DEFAULT_SERVICE_CLUSTER_IP_RANGE), o.clock);
    this.ports = new Reservations(o.store, NODE_PORTS_PREFIX, parseNodePortRange(o.serviceNodePortRange ?? DEFAULT_SERVICE_NODE_PORT_RANGE), o.clock);
    const allocator = (this.allocator = new ServiceAllocator(this.ips, this.ports));
    const finisher = (op: { commit(): Promise<void>; revert(): Promise<void> }) => async (ok: boolean) => {
      try {
        await (ok ? op.commit() : op.revert());
      } catch (e) {
        // What is left behind is found by the repair pass.
        this.log(`service allocation: ${ok ? 'release' : 'rollback'} failed: ${(e as Error).message}`);
      }
    };
    this.hooks = {
      beginCreate: async (obj, dryRun) => finisher(await allocator.allocateCreate(obj, dryRun)),
      beginUpdate: async (obj, old, dryRun) => finisher(await allocator.allocateUpdate(obj, old, dryRun)),
      afterDelete: async (obj) => {
        try {
          await allocator.releaseAll(obj);
        } catch (e) {
          this.log(`service allocation: release after delete failed: ${(e as Error).message}`);
        }
      },
    };
  }

  /** The hooks registered for a resource, by group and resource name. */
  hooksFor(r: { group: string; resource: string }): WriteHooks | undefined {
    return r.group === '' && r.resource === 'services' ? this.hooks : undefined;
  }

  /** One repair pass now, then one every repairIntervalMs until stop(). */
  async start(): Promise<RepairResult> {
    const result = await this.repair();
    this.timer = setInterval(() => void this.repair().catch((e) => this.log(`service allocation repair failed: ${(e as Error).message}`)), this.o.repairIntervalMs ?? 180_000);
    this.timer.unref();
    return result;
  }

  async repair(): Promise<RepairResult> {
    const r = await repairAllocations({
      store: this.o.store, servicesPrefix: this.o.servicesPrefix ?? '/registry/services/specs',
      ips: this.ips, ports: this.ports, clock: this.o.clock, leakGraceMs: this.o.leakGraceMs ?? 60_000,
    });
    for (const c of r.conflicts) this.log(`service allocation: ${c} are allocated to more than one service`);
    return r;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private log(message: string): void {
    (this.o.log ?? ((m: string) => console.error(`k8ts: ${m}`)))(message);
  }
}
