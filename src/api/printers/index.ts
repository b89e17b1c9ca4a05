// Server-side Table printing: the printer of each group/kind (upstream's printers for built-in
// kinds, the default NAME / CREATED AT for the rest) and the Table built from printed rows.
// Printers are keyed by group and kind, whatever the version (as upstream prints internal types).
import { certificateSigningRequestPrinter, clusterTrustBundlePrinter, leaseCandidatePrinter, leasePrinter, podDisruptionBudgetPrinter, priorityClassPrinter, runtimeClassPrinter } from './policy.js';
import {
  flowSchemaPrinter,
  mutatingAdmissionPolicyBindingPrinter,
  mutatingAdmissionPolicyPrinter,
  mutatingWebhookConfigurationPrinter,
  priorityLevelConfigurationPrinter,
  validatingAdmissionPolicyBindingPrinter,
  validatingAdmissionPolicyPrinter,
  validatingWebhookConfigurationPrinter,
} from './admission.js';
import { horizontalPodAutoscalerPrinter } from './autoscaling.js';
import { cronJobPrinter, jobPrinter } from './batch.js';
import { componentStatusPrinter, configMapPrinter, namespacePrinter, nodePrinter, resourceQuotaPrinter, secretPrinter, serviceAccountPrinter } from './core.js';
import { defaultPrinter } from './default.js';
import { eventPrinter } from './events.js';
import { podPrinter, podTemplatePrinter } from './pod.js';
import { clusterRoleBindingPrinter, roleBindingPrinter } from './rbac.js';
import {
  endpointSlicePrinter,
  endpointsPrinter,
  ingressClassPrinter,
  ingressPrinter,
  ipAddressPrinter,
  networkPolicyPrinter,
  serviceCIDRPrinter,
  servicePrinter,
} from './services.js';
import {
  csiDriverPrinter,
  csiNodePrinter,
  csiStorageCapacityPrinter,
  persistentVolumeClaimPrinter,
  persistentVolumePrinter,
  storageClassPrinter,
  volumeAttachmentPrinter,
  volumeAttributesClassPrinter,
} from './storage.js';
import type { TablePrinter } from './types.js';
import {
  controllerRevisionPrinter,
  daemonSetPrinter,
  deploymentPrinter,
  replicaSetPrinter,
  replicationControllerPrinter,
  scalePrinter,
  statefulSetPrinter,
} from './workloads.js';

/** Keyed by `group/Kind` (`/Kind` for the core group). */
const PRINTERS: ReadonlyMap<string, TablePrinter> = new Map<string, TablePrinter>([
  ['/Pod', podPrinter],
  ['/PodTemplate', podTemplatePrinter],
  ['/ReplicationController', replicationControllerPrinter],
  ['/Service', servicePrinter],
  ['/Endpoints', endpointsPrinter],
  ['/Node', nodePrinter],
  ['/Event', eventPrinter],
  ['/Namespace', namespacePrinter],
  ['/Secret', secretPrinter],
  ['/ServiceAccount', serviceAccountPrinter],
  ['/PersistentVolume', persistentVolumePrinter],
  ['/PersistentVolumeClaim', persistentVolumeClaimPrinter],
  ['/ConfigMap', configMapPrinter],
  ['/ResourceQuota', resourceQuotaPrinter],
  ['/ComponentStatus', componentStatusPrinter],
  ['apps/ReplicaSet', replicaSetPrinter],
  ['apps/Deployment', deploymentPrinter],
  ['apps/StatefulSet', statefulSetPrinter],
  ['apps/DaemonSet', daemonSetPrinter],
  ['apps/ControllerRevision', controllerRevisionPrinter],
  ['autoscaling/HorizontalPodAutoscaler', horizontalPodAutoscalerPrinter],
  ['autoscaling/Scale', scalePrinter],
  ['batch/Job', jobPrinter],
  ['batch/CronJob', cronJobPrinter],
  ['events.k8s.io/Event', eventPrinter],
  ['networking.k8s.io/Ingress', ingressPrinter],
  ['networking.k8s.io/IngressClass', ingressClassPrinter],
  ['networking.k8s.io/NetworkPolicy', networkPolicyPrinter],
  ['networking.k8s.io/ServiceCIDR', serviceCIDRPrinter],
  ['networking.k8s.io/IPAddress', ipAddressPrinter],
  ['discovery.k8s.io/EndpointSlice', endpointSlicePrinter],
  ['policy/PodDisruptionBudget', podDisruptionBudgetPrinter],
  ['rbac.authorization.k8s.io/RoleBinding', roleBindingPrinter],
  ['rbac.authorization.k8s.io/ClusterRoleBinding', clusterRoleBindingPrinter],
  ['storage.k8s.io/StorageClass', storageClassPrinter],
  ['storage.k8s.io/VolumeAttachment', volumeAttachmentPrinter],
  ['storage.k8s.io/CSIDriver', csiDriverPrinter],
  ['storage.k8s.io/CSINode', csiNodePrinter],
  ['storage.k8s.io/CSIStorageCapacity', csiStorageCapacityPrinter],
  ['storage.k8s.io/VolumeAttributesClass', volumeAttributesClassPrinter],
  ['scheduling.k8s.io/PriorityClass', priorityClassPrinter],
  ['node.k8s.io/RuntimeClass', runtimeClassPrinter],
  ['coordination.k8s.io/Lease', leasePrinter],
  ['coordination.k8s.io/LeaseCandidate', leaseCandidatePrinter],
  ['certificates.k8s.io/CertificateSigningRequest', certificateSigningRequestPrinter],
  ['certificates.k8s.io/ClusterTrustBundle', clusterTrustBundlePrinter],
  ['admissionregistration.k8s.io/MutatingWebhookConfiguration', mutatingWebhookConfigurationPrinter],
  ['admissionregistration.k8s.io/ValidatingWebhookConfiguration', validatingWebhookConfigurationPrinter],
  ['admissionregistration.k8s.io/ValidatingAdmissionPolicy', validatingAdmissionPolicyPrinter],
  ['admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding', validatingAdmissionPolicyBindingPrinter],
  ['admissionregistration.k8s.io/MutatingAdmissionPolicy', mutatingAdmissionPolicyPrinter],
  ['admissionregistration.k8s.io/MutatingAdmissionPolicyBinding', mutatingAdmissionPolicyBindingPrinter],
  ['flowcontrol.apiserver.k8s.io/FlowSchema', flowSchemaPrinter],
  ['flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration', priorityLevelConfigurationPrinter],
]);

/** The printer of a kind; kinds without one (Role, ClusterRole, LimitRange, CRDs…) get NAME / CREATED AT. */
export function printerFor(group: string, kind: string): TablePrinter {
  return PRINTERS.get(`${group === 'core' ? '' : group}/${kind}`) ?? defaultPrinter;
}

/** Whether a kind has its own printer (rather than the default). */
export function hasPrinter(group: string, kind: string): boolean {
  return PRINTERS.has(`${group === 'core' ? '' : group}/${kind}`);
}

export { toTable, partialObjectMetadata, type IncludeObject, type Table, type TableOptions, type TableRow } from './table.js';
export { customResourcePrinter, crdPrinterFor } from './custom-resource.js';
export { defaultPrinter } from './default.js';
export { humanDuration, shortHumanDuration } from './format.js';
export { podSummary } from './pod.js';
export type { ColumnDefinition, KObject, TablePrinter, TableRowCondition } from './types.js';
