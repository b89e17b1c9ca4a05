// The ReplicaSet and ReplicationController controllers: one implementation, two kinds.
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { ReplicationController } from 'kubernetes-types/core/v1.js';
import type { ControllerFactory } from '../types.js';
import { replicaSetKind, replicationControllerKind } from './kinds.js';
import { ReplicaSetController } from './replica-set-controller.js';

export const replicaSetControllerFactory: ControllerFactory = (ctx) => new ReplicaSetController<ReplicaSet>(ctx, replicaSetKind);
export const replicationControllerFactory: ControllerFactory = (ctx) => new ReplicaSetController<ReplicationController>(ctx, replicationControllerKind);

export { ReplicaSetController, podKey, type ReplicaSetControllerOptions } from './replica-set-controller.js';
export { replicaSetKind, replicationControllerKind, rcToReplicaSet, type ReplicaSetKind } from './kinds.js';
export { UIDTrackingExpectations, EXPECTATIONS_TIMEOUT_MS } from './expectations.js';
export { RealPodControl, type PodControl } from './pod-control.js';
