// The controllers k8ts runs, by name (upstream's controller names), built explicitly.
import type { ControllerFactory } from './types.js';
import { replicaSetControllerFactory, replicationControllerFactory } from './replicaset/index.js';
import { garbageCollectorFactory } from './garbage-collector/index.js';
import { namespaceControllerFactory } from './namespace/index.js';
import { deploymentControllerFactory } from './deployment/index.js';
import { serviceAccountControllerFactory } from './serviceaccount/index.js';
import { podGcFactory } from './pod-gc/index.js';
import { disruptionControllerFactory } from './disruption/index.js';
import { nodeLifecycleFactory } from './node-lifecycle/index.js';
import { serviceLbControllerFactory } from './service-lb/index.js';
import { endpointsControllerFactory } from './endpoint/index.js';
import { endpointSliceControllerFactory } from './endpointslice/index.js';
export { rootCaPublisherFactory } from './root-ca-publisher/index.js';

export const CONTROLLERS: Record<string, ControllerFactory> = {
  deployment: deploymentControllerFactory,
  replicaset: replicaSetControllerFactory,
  replicationcontroller: replicationControllerFactory,
  garbagecollector: garbageCollectorFactory,
  namespace: namespaceControllerFactory,
  serviceaccount: serviceAccountControllerFactory,
  'pod-garbage-collector': podGcFactory(),
  disruption: disruptionControllerFactory,
  nodelifecycle: nodeLifecycleFactory(),
  'service-lb': serviceLbControllerFactory,
  endpoint: endpointsControllerFactory,
  endpointslice: endpointSliceControllerFactory,
};
export { runControllerManager } from './controller-manager.js';
export type { Controller, ControllerContext, ControllerFactory } from './types.js';
