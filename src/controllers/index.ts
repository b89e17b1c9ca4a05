// The controllers k8ts runs, by name (upstream's controller names), built explicitly.
import type { ControllerFactory } from './types.js';
import { replicaSetControllerFactory, replicationControllerFactory } from './replicaset/index.js';
import { garbageCollectorFactory } from './garbage-collector/index.js';
import { namespaceControllerFactory } from './namespace/index.js';
import { deploymentControllerFactory } from './deployment/index.js';

export const CONTROLLERS: Record<string, ControllerFactory> = {
  deployment: deploymentControllerFactory,
  replicaset: replicaSetControllerFactory,
  replicationcontroller: replicationControllerFactory,
  garbagecollector: garbageCollectorFactory,
  namespace: namespaceControllerFactory,
};
export { runControllerManager } from './controller-manager.js';
export type { Controller, ControllerContext, ControllerFactory } from './types.js';
