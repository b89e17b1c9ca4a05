// The kinds the ReplicaSet controller serves. Upstream runs one implementation for both,
// converting a ReplicationController to a ReplicaSet on the way in and back on the way out, as
// if RC were an older version of RS; a ReplicaSetKind is that conversion plus the names.
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { ReplicationController } from 'kubernetes-types/core/v1.js';
import { resources, type KubeObject, type ResourceType } from '../../client/index.js';
import type { RSStatus } from './replica-set-utils.js';

export interface ReplicaSetKind<T extends KubeObject> {
  /** The controller's name in the controller manager. */
  name: string;
  resource: ResourceType<T>;
  apiVersion: string;
  kind: string;
  /** The event source component. */
  component: string;
  /** Whether status carries terminatingReplicas (RS does since 1.33; RC does not). */
  terminatingReplicas: boolean;
  /** The object seen as a ReplicaSet (shares structure with `obj`: do not mutate). */
  toReplicaSet(obj: T): ReplicaSet;
  /** A copy of `obj` with `status` in the kind's own shape. */
  withStatus(obj: T, status: RSStatus): T;
}

export const replicaSetKind: ReplicaSetKind<ReplicaSet> = {
  name: 'replicaset',
  resource: resources.replicaSets,
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  component: 'replicaset-controller',
  terminatingReplicas: true,
  toReplicaSet: (rs) => rs,
  withStatus: (rs, status) => ({ ...rs, status: structuredClone(status) }),
};

export const replicationControllerKind: ReplicaSetKind<ReplicationController> = {
  name: 'replicationcontroller',
  resource: resources.replicationControllers,
  apiVersion: 'v1',
  kind: 'ReplicationController',
  component: 'replication-controller',
  terminatingReplicas: false,
  toReplicaSet: rcToReplicaSet,
  withStatus(rc, status) {
    const { terminatingReplicas: _, ...rest } = structuredClone(status);
    return { ...rc, status: rest as ReplicationController['status'] };
  },
};

/** An RC as a ReplicaSet: the map selector becomes matchLabels (a missing one selects nothing). */
export function rcToReplicaSet(rc: ReplicationController): ReplicaSet {
  const spec = rc.spec ?? {};
  // A template-less RC converts to a ReplicaSet whose pods cannot be made (no labels).
  const rsSpec = {
    replicas: spec.replicas ?? 1,
    minReadySeconds: spec.minReadySeconds,
    selector: spec.selector ? { matchLabels: spec.selector } : undefined,
    template: spec.template ?? {},
  };
  return { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: rc.metadata ?? {}, spec: rsSpec as ReplicaSet['spec'], status: rc.status as ReplicaSet['status'] };
}
