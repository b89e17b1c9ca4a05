// The Deployment controller: rolls pod templates out through ReplicaSets.
import type { ControllerFactory } from '../types.js';
import { DeploymentController } from './deployment-controller.js';

export const deploymentControllerFactory: ControllerFactory = (ctx) => new DeploymentController(ctx);

export { DeploymentController, MAX_RETRIES, type DeploymentControllerOptions } from './deployment-controller.js';
export type { DeploymentSyncContext } from './context.js';
export { computeHash, fnv32a, safeEncodeString } from './hash.js';
export { REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION, DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION } from './annotations.js';
export { DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY, resolveFenceposts, maxSurge, maxUnavailable } from './replicas.js';
