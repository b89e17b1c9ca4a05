// Which ReplicaSets a Deployment owns (ControllerRefManager.ClaimReplicaSets) and its pods by
// ReplicaSet. A ReplicaSet is the Deployment's when its controller reference names it and the
// selector still matches; a matching orphan is adopted (after an uncached check that the
// Deployment is still there and not being deleted); a no-longer-matching one is released.
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { isInvalid, isNotFound, type Selector } from '../../client/index.js';
import { deployments, replicaSets } from '../../client/resources.js';
import type { DeploymentSyncContext } from './context.js';

export function getControllerOf(obj: { metadata?: { ownerReferences?: OwnerReference[] } } | undefined): OwnerReference | undefined {
  return obj?.metadata?.ownerReferences?.find((r) => r.controller === true);
}

export function newControllerRef(d: Deployment): OwnerReference {
  return { apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata!.name!, uid: d.metadata!.uid!, controller: true, blockOwnerDeletion: true };
}

export async function claimReplicaSets(c: DeploymentSyncContext, d: Deployment, selector: Selector): Promise<ReplicaSet[]> {
  const meta = d.metadata!;
  const api = c.client.resource(replicaSets).namespace(meta.namespace);
  const deleting = !!meta.deletionTimestamp;
  let adoptCheck: Promise<void> | undefined;
  const canAdopt = () =>
    (adoptCheck ??= c.client
      .resource(deployments)
      .namespace(meta.namespace)
      .get(meta.name!)
      .then((fresh) => {
        if (fresh.metadata?.uid !== meta.uid) throw new Error(`original Deployment ${meta.namespace}/${meta.name} is gone: got uid ${fresh.metadata?.uid}, wanted ${meta.uid}`);
        if (fresh.metadata?.deletionTimestamp) throw new Error(`${meta.namespace}/${meta.name} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
      }));
  const claimed: ReplicaSet[] = [];
  const errors: unknown[] = [];
  for (const rs of c.rsLister.namespace(meta.namespace!).list()) {
    const rm = rs.metadata ?? {};
    const matches = selector.matches(rm.labels);
    const ref = getControllerOf(rs);
    try {
      if (ref) {
        if (ref.uid !== meta.uid) continue;
        if (matches) claimed.push(rs);
        else if (!deleting) await api.patch(rm.name!, { metadata: { ownerReferences: [{ $patch: 'delete', uid: meta.uid }], uid: rm.uid } }, { type: 'strategic' });
        continue;
      }
      if (deleting || !matches || rm.deletionTimestamp) continue;
      await canAdopt();
      claimed.push(await api.patch(rm.name!, { metadata: { ownerReferences: [newControllerRef(d)], uid: rm.uid } }, { type: 'strategic' }));
    } catch (e) {
      if (!isNotFound(e) && !isInvalid(e)) errors.push(e);
    }
  }
  if (errors.length) throw errors[0];
  return claimed;
}

/** The Deployment's pods (by its selector) grouped by the uid of their ReplicaSet. */
export function podMapForDeployment(c: DeploymentSyncContext, d: Deployment, rsList: ReplicaSet[], selector: Selector): Map<string, Pod[]> {
  const map = new Map<string, Pod[]>();
  for (const rs of rsList) map.set(rs.metadata!.uid!, []);
  for (const pod of c.podLister.namespace(d.metadata!.namespace!).list(selector)) {
    const ref = getControllerOf(pod);
    if (!ref || ref.kind !== 'ReplicaSet') continue;
    map.get(ref.uid)?.push(pod);
  }
  return map;
}
