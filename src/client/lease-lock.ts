// A leader-election lock stored in a coordination.k8s.io/v1 Lease (client-go's LeaseLock).
// update() writes the Lease it last read or created, resourceVersion included, so two
// candidates racing for the same lock cannot both win: the second write is a 409 Conflict.
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import { rfc3339Micro } from '../util/clock.js';
import type { RestClient } from './rest-client.js';
import { leases } from './resources.js';

/** What a lock records about the current holder (times in ms since the epoch). */
export interface LeaderElectionRecord {
  /** '' when nobody holds the lock (released). */
  holderIdentity: string;
  leaseDurationSeconds: number;
  acquireTime: number;
  renewTime: number;
  leaderTransitions: number;
}

export interface ResourceLock {
  readonly identity: string;
  /** The current record, and a raw form to detect changes; throws ApiError (NotFound when absent). */
  get(): Promise<{ record: LeaderElectionRecord; raw: string }>;
  create(record: LeaderElectionRecord): Promise<void>;
  /** Writes over the last object read or created; a 409 means someone else wrote first. */
  update(record: LeaderElectionRecord): Promise<void>;
  describe(): string;
}

export class LeaseLock implements ResourceLock {
  private lease: Lease | undefined;

  constructor(
    private readonly client: RestClient,
    readonly namespace: string,
    readonly name: string,
    readonly identity: string,
  ) {}

  async get(): Promise<{ record: LeaderElectionRecord; raw: string }> {
    this.lease = await this.leases().get(this.name);
    const record = recordOf(this.lease);
    return { record, raw: JSON.stringify(record) };
  }

  async create(record: LeaderElectionRecord): Promise<void> {
    this.lease = await this.leases().create({ metadata: { name: this.name, namespace: this.namespace }, spec: specOf(record) });
  }

  async update(record: LeaderElectionRecord): Promise<void> {
    if (!this.lease) throw new Error('lease not initialized, call get or create first');
    this.lease = await this.leases().update({ ...this.lease, spec: { ...this.lease.spec, ...specOf(record) } });
  }

  describe(): string {
    return `${this.namespace}/${this.name}`;
  }

  private leases() {
    return this.client.resource(leases).namespace(this.namespace);
  }
}

function specOf(r: LeaderElectionRecord): NonNullable<Lease['spec']> {
  return {
    holderIdentity: r.holderIdentity,
    leaseDurationSeconds: r.leaseDurationSeconds,
    acquireTime: rfc3339Micro(r.acquireTime),
    renewTime: rfc3339Micro(r.renewTime),
    leaseTransitions: r.leaderTransitions,
  };
}

function recordOf(l: Lease): LeaderElectionRecord {
  const s = l.spec ?? {};
  const t = (v: string | undefined) => (v ? Date.parse(v) : 0);
  return {
    holderIdentity: s.holderIdentity ?? '',
    leaseDurationSeconds: s.leaseDurationSeconds ?? 0,
    acquireTime: t(s.acquireTime),
    renewTime: t(s.renewTime),
    leaderTransitions: s.leaseTransitions ?? 0,
  };
}
