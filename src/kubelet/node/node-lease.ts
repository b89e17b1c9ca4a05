// The node's heartbeat: a Lease named after the node in kube-node-lease, renewed every 10 s with
// a 40 s duration (upstream's defaults), owned by the Node so it goes away with it.
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import { isConflict, isNotFound, resources, type RestClient, type TimerClock } from '../../client/index.js';

export const LEASE_NAMESPACE = 'kube-node-lease';
export const LEASE_DURATION_SECONDS = 40;
export const RENEW_INTERVAL_MS = 10_000;

const microTime = (ms: number) => new Date(ms).toISOString().replace(/\.(\d+)Z$/, (_m, f: string) => `.${f.padEnd(6, '0')}Z`);

export class NodeLease {
  constructor(
    private readonly client: RestClient,
    private readonly clock: TimerClock,
    private readonly nodeName: string,
    private readonly nodeUid: () => string | undefined,
  ) {}

  async renew(): Promise<void> {
    const leases = this.client.resource(resources.leases).namespace(LEASE_NAMESPACE);
    const now = microTime(this.clock.now());
    let lease: Lease | undefined;
    try {
      lease = await leases.get(this.nodeName);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    if (!lease) {
      const uid = this.nodeUid();
      await leases.create({
        apiVersion: 'coordination.k8s.io/v1', kind: 'Lease',
        metadata: {
          name: this.nodeName, namespace: LEASE_NAMESPACE,
          ...(uid ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: this.nodeName, uid }] } : {}),
        },
        spec: { holderIdentity: this.nodeName, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime: now },
      });
      return;
    }
    try {
      await leases.update({ ...lease, spec: { ...lease.spec, holderIdentity: this.nodeName, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime: now } });
    } catch (e) {
      if (!isConflict(e)) throw e;
    }
  }
}
