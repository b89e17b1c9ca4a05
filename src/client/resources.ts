// Typed descriptors of the built-in resources controllers, the scheduler and the kubelet use.
// `client.resource(pods)` is typed with kubernetes-types' Pod; anything else is reached by GVR
// through a ResourceTable (built from the API registry).
import type * as core from 'kubernetes-types/core/v1.js';
import type * as apps from 'kubernetes-types/apps/v1.js';
import type * as batch from 'kubernetes-types/batch/v1.js';
import type * as coordination from 'kubernetes-types/coordination/v1.js';
import type * as discovery from 'kubernetes-types/discovery/v1.js';
import type * as eventsv1 from 'kubernetes-types/events/v1.js';
import type * as policy from 'kubernetes-types/policy/v1.js';
import type * as scheduling from 'kubernetes-types/scheduling/v1.js';
import type * as rbac from 'kubernetes-types/rbac/v1.js';
import type * as networking from 'kubernetes-types/networking/v1.js';
import type * as storage from 'kubernetes-types/storage/v1.js';
import type * as autoscaling from 'kubernetes-types/autoscaling/v2.js';
import type * as nodev1 from 'kubernetes-types/node/v1.js';
import type * as certificates from 'kubernetes-types/certificates/v1.js';
import type * as apiextensions from 'kubernetes-types/apiextensions/v1.js';
import { resourceType } from './resource.js';

// core/v1
export const pods = resourceType<core.Pod>('', 'v1', 'pods', 'Pod', true);
export const nodes = resourceType<core.Node>('', 'v1', 'nodes', 'Node', false);
export const namespaces = resourceType<core.Namespace>('', 'v1', 'namespaces', 'Namespace', false);
export const services = resourceType<core.Service>('', 'v1', 'services', 'Service', true);
export const endpoints = resourceType<core.Endpoints>('', 'v1', 'endpoints', 'Endpoints', true);
export const configMaps = resourceType<core.ConfigMap>('', 'v1', 'configmaps', 'ConfigMap', true);
export const secrets = resourceType<core.Secret>('', 'v1', 'secrets', 'Secret', true);
export const serviceAccounts = resourceType<core.ServiceAccount>('', 'v1', 'serviceaccounts', 'ServiceAccount', true);
export const events = resourceType<core.Event>('', 'v1', 'events', 'Event', true);
export const persistentVolumes = resourceType<core.PersistentVolume>('', 'v1', 'persistentvolumes', 'PersistentVolume', false);
export const persistentVolumeClaims = resourceType<core.PersistentVolumeClaim>('', 'v1', 'persistentvolumeclaims', 'PersistentVolumeClaim', true);
export const replicationControllers = resourceType<core.ReplicationController>('', 'v1', 'replicationcontrollers', 'ReplicationController', true);
export const podTemplates = resourceType<core.PodTemplate>('', 'v1', 'podtemplates', 'PodTemplate', true);
export const limitRanges = resourceType<core.LimitRange>('', 'v1', 'limitranges', 'LimitRange', true);
export const resourceQuotas = resourceType<core.ResourceQuota>('', 'v1', 'resourcequotas', 'ResourceQuota', true);
// apps/v1
export const deployments = resourceType<apps.Deployment>('apps', 'v1', 'deployments', 'Deployment', true);
export const replicaSets = resourceType<apps.ReplicaSet>('apps', 'v1', 'replicasets', 'ReplicaSet', true);
export const statefulSets = resourceType<apps.StatefulSet>('apps', 'v1', 'statefulsets', 'StatefulSet', true);
export const daemonSets = resourceType<apps.DaemonSet>('apps', 'v1', 'daemonsets', 'DaemonSet', true);
export const controllerRevisions = resourceType<apps.ControllerRevision>('apps', 'v1', 'controllerrevisions', 'ControllerRevision', true);
// batch/v1
export const jobs = resourceType<batch.Job>('batch', 'v1', 'jobs', 'Job', true);
export const cronJobs = resourceType<batch.CronJob>('batch', 'v1', 'cronjobs', 'CronJob', true);
// others
export const leases = resourceType<coordination.Lease>('coordination.k8s.io', 'v1', 'leases', 'Lease', true);
export const endpointSlices = resourceType<discovery.EndpointSlice>('discovery.k8s.io', 'v1', 'endpointslices', 'EndpointSlice', true);
export const eventsV1 = resourceType<eventsv1.Event>('events.k8s.io', 'v1', 'events', 'Event', true);
export const podDisruptionBudgets = resourceType<policy.PodDisruptionBudget>('policy', 'v1', 'poddisruptionbudgets', 'PodDisruptionBudget', true);
export const priorityClasses = resourceType<scheduling.PriorityClass>('scheduling.k8s.io', 'v1', 'priorityclasses', 'PriorityClass', false);
export const roles = resourceType<rbac.Role>('rbac.authorization.k8s.io', 'v1', 'roles', 'Role', true);
export const roleBindings = resourceType<rbac.RoleBinding>('rbac.authorization.k8s.io', 'v1', 'rolebindings', 'RoleBinding', true);
export const clusterRoles = resourceType<rbac.ClusterRole>('rbac.authorization.k8s.io', 'v1', 'clusterroles', 'ClusterRole', false);
export const clusterRoleBindings = resourceType<rbac.ClusterRoleBinding>('rbac.authorization.k8s.io', 'v1', 'clusterrolebindings', 'ClusterRoleBinding', false);
export const ingresses = resourceType<networking.Ingress>('networking.k8s.io', 'v1', 'ingresses', 'Ingress', true);
export const ingressClasses = resourceType<networking.IngressClass>('networking.k8s.io', 'v1', 'ingressclasses', 'IngressClass', false);
export const networkPolicies = resourceType<networking.NetworkPolicy>('networking.k8s.io', 'v1', 'networkpolicies', 'NetworkPolicy', true);
export const storageClasses = resourceType<storage.StorageClass>('storage.k8s.io', 'v1', 'storageclasses', 'StorageClass', false);
export const csiNodes = resourceType<storage.CSINode>('storage.k8s.io', 'v1', 'csinodes', 'CSINode', false);
export const volumeAttachments = resourceType<storage.VolumeAttachment>('storage.k8s.io', 'v1', 'volumeattachments', 'VolumeAttachment', false);
export const horizontalPodAutoscalers = resourceType<autoscaling.HorizontalPodAutoscaler>('autoscaling', 'v2', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', true);
export const runtimeClasses = resourceType<nodev1.RuntimeClass>('node.k8s.io', 'v1', 'runtimeclasses', 'RuntimeClass', false);
export const certificateSigningRequests = resourceType<certificates.CertificateSigningRequest>('certificates.k8s.io', 'v1', 'certificatesigningrequests', 'CertificateSigningRequest', false);
export const customResourceDefinitions = resourceType<apiextensions.CustomResourceDefinition>('apiextensions.k8s.io', 'v1', 'customresourcedefinitions', 'CustomResourceDefinition', false);
