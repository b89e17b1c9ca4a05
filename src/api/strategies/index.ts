// The strategies of the built-in kinds, found by group and kind. Kinds without special rules
// (and custom resources) get the default strategy: metadata validation only.
import { cronJobStrategy, jobStrategy } from './batch.js';
import { makeStrategy } from './strategy.js';
import type { Strategy } from './types.js';
import { podStrategy, podTemplateStrategy } from './pod.js';
import { serviceStrategy } from './service.js';
import { endpointSliceStrategy, endpointsStrategy } from './endpoints.js';
import { configMapStrategy, secretStrategy, serviceAccountStrategy } from './config.js';
import { eventStrategy, namespaceStrategy, nodeStrategy } from './cluster.js';
import { persistentVolumeClaimStrategy, persistentVolumeStrategy, storageClassStrategy } from './storage.js';
import {
  controllerRevisionStrategy, daemonSetStrategy, deploymentStrategy, replicaSetStrategy, replicationControllerStrategy, statefulSetStrategy,
} from './workloads.js';
import { ingressClassStrategy, ingressStrategy, networkPolicyStrategy } from './networking.js';
import { clusterRoleBindingStrategy, clusterRoleStrategy, roleBindingStrategy, roleStrategy } from './rbac.js';
import { horizontalPodAutoscalerStrategy, leaseStrategy, podDisruptionBudgetStrategy, priorityClassStrategy, runtimeClassStrategy } from './policy.js';
import {
  certificateSigningRequestStrategy, customResourceDefinitionStrategy, mutatingWebhookConfigurationStrategy, validatingWebhookConfigurationStrategy,
} from './extensions.js';

export type { KObject, Strategy } from './types.js';
export { makeStrategy } from './strategy.js';

/** `group/Kind` → strategy, for every kind with rules of its own. */
const STRATEGIES: ReadonlyMap<string, Strategy> = new Map<string, Strategy>([
  ['/Pod', podStrategy],
  ['/PodTemplate', podTemplateStrategy],
  ['/ReplicationController', replicationControllerStrategy],
  ['/Service', serviceStrategy],
  ['/Endpoints', endpointsStrategy],
  ['/Namespace', namespaceStrategy],
  ['/Node', nodeStrategy],
  ['/ConfigMap', configMapStrategy],
  ['/Secret', secretStrategy],
  ['/ServiceAccount', serviceAccountStrategy],
  ['/Event', eventStrategy],
  ['/PersistentVolume', persistentVolumeStrategy],
  ['/PersistentVolumeClaim', persistentVolumeClaimStrategy],
  ['apps/Deployment', deploymentStrategy],
  ['apps/ReplicaSet', replicaSetStrategy],
  ['apps/StatefulSet', statefulSetStrategy],
  ['apps/DaemonSet', daemonSetStrategy],
  ['apps/ControllerRevision', controllerRevisionStrategy],
  ['batch/Job', jobStrategy],
  ['batch/CronJob', cronJobStrategy],
  ['autoscaling/HorizontalPodAutoscaler', horizontalPodAutoscalerStrategy],
  ['policy/PodDisruptionBudget', podDisruptionBudgetStrategy],
  ['networking.k8s.io/Ingress', ingressStrategy],
  ['networking.k8s.io/IngressClass', ingressClassStrategy],
  ['networking.k8s.io/NetworkPolicy', networkPolicyStrategy],
  ['rbac.authorization.k8s.io/Role', roleStrategy],
  ['rbac.authorization.k8s.io/ClusterRole', clusterRoleStrategy],
  ['rbac.authorization.k8s.io/RoleBinding', roleBindingStrategy],
  ['rbac.authorization.k8s.io/ClusterRoleBinding', clusterRoleBindingStrategy],
  ['storage.k8s.io/StorageClass', storageClassStrategy],
  ['scheduling.k8s.io/PriorityClass', priorityClassStrategy],
  ['coordination.k8s.io/Lease', leaseStrategy],
  ['node.k8s.io/RuntimeClass', runtimeClassStrategy],
  ['discovery.k8s.io/EndpointSlice', endpointSliceStrategy],
  ['events.k8s.io/Event', eventStrategy],
  ['apiextensions.k8s.io/CustomResourceDefinition', customResourceDefinitionStrategy],
  ['admissionregistration.k8s.io/ValidatingWebhookConfiguration', validatingWebhookConfigurationStrategy],
  ['admissionregistration.k8s.io/MutatingWebhookConfiguration', mutatingWebhookConfigurationStrategy],
  ['certificates.k8s.io/CertificateSigningRequest', certificateSigningRequestStrategy],
]);

/** Built-in API groups, whose objects follow core's finalizer naming rule. */
function isBuiltInGroup(group: string): boolean {
  return group === '' || group.endsWith('.k8s.io') || ['apps', 'batch', 'autoscaling', 'policy'].includes(group);
}

const defaults = new Map<string, Strategy>();

/** The default strategy: metadata validation only (namespace checked when the scope is given). */
export function defaultStrategy(group: string, namespaced?: boolean): Strategy {
  const key = `${isBuiltInGroup(group)}/${namespaced}`;
  let s = defaults.get(key);
  if (!s) {
    s = makeStrategy({ namespaced, kubeFinalizers: isBuiltInGroup(group) });
    defaults.set(key, s);
  }
  return s;
}

/** The strategy of a kind; `namespaced` tells the default strategy the kind's scope when known. */
export function strategyFor(group: string, kind: string, namespaced?: boolean): Strategy {
  return STRATEGIES.get(`${group}/${kind}`) ?? defaultStrategy(group, namespaced);
}

/** Kinds with a strategy of their own, as `group/Kind` (core kinds as `/Kind`). */
export function kindsWithStrategies(): string[] {
  return [...STRATEGIES.keys()];
}
