// Facts about served resources that the OpenAPI definition does not carry: short names,
// categories and etcd key prefixes, as kube-apiserver has them.

/** `group/resource` → short names. */
export const SHORT_NAMES: Record<string, string[]> = {
  '/pods': ['po'], '/services': ['svc'], '/replicationcontrollers': ['rc'], '/configmaps': ['cm'],
  '/endpoints': ['ep'], '/events': ['ev'], '/namespaces': ['ns'], '/nodes': ['no'],
  '/persistentvolumeclaims': ['pvc'], '/persistentvolumes': ['pv'], '/serviceaccounts': ['sa'],
  '/limitranges': ['limits'], '/resourcequotas': ['quota'], '/componentstatuses': ['cs'],
  'apps/deployments': ['deploy'], 'apps/replicasets': ['rs'], 'apps/statefulsets': ['sts'], 'apps/daemonsets': ['ds'],
  'batch/cronjobs': ['cj'], 'autoscaling/horizontalpodautoscalers': ['hpa'],
  'networking.k8s.io/ingresses': ['ing'], 'networking.k8s.io/networkpolicies': ['netpol'],
  'policy/poddisruptionbudgets': ['pdb'], 'scheduling.k8s.io/priorityclasses': ['pc'],
  'storage.k8s.io/storageclasses': ['sc'], 'apiextensions.k8s.io/customresourcedefinitions': ['crd', 'crds'],
  'certificates.k8s.io/certificatesigningrequests': ['csr'], 'events.k8s.io/events': ['ev'],
};

/** `group/resource` → categories (`all` is what `kubectl get all` expands). */
export const CATEGORIES: Record<string, string[]> = {
  '/pods': ['all'], '/services': ['all'], '/replicationcontrollers': ['all'],
  'apps/deployments': ['all'], 'apps/replicasets': ['all'], 'apps/statefulsets': ['all'], 'apps/daemonsets': ['all'],
  'batch/jobs': ['all'], 'batch/cronjobs': ['all'], 'autoscaling/horizontalpodautoscalers': ['all'],
  'apiextensions.k8s.io/customresourcedefinitions': ['api-extensions'],
  'admissionregistration.k8s.io/mutatingwebhookconfigurations': ['api-extensions'],
  'admissionregistration.k8s.io/validatingwebhookconfigurations': ['api-extensions'],
  'admissionregistration.k8s.io/validatingadmissionpolicies': ['api-extensions'],
  'admissionregistration.k8s.io/validatingadmissionpolicybindings': ['api-extensions'],
  'admissionregistration.k8s.io/mutatingadmissionpolicies': ['api-extensions'],
  'admissionregistration.k8s.io/mutatingadmissionpolicybindings': ['api-extensions'],
};

/** Key prefixes that differ from `/registry/<resource>` (kube-apiserver's historical names). */
export const KEY_PREFIXES: Record<string, string> = {
  '/services': '/registry/services/specs',
  '/endpoints': '/registry/services/endpoints',
  '/nodes': '/registry/minions',
  '/replicationcontrollers': '/registry/controllers',
  'networking.k8s.io/ingresses': '/registry/ingress',
  'apiextensions.k8s.io/customresourcedefinitions': '/registry/apiextensions.k8s.io/customresourcedefinitions',
};

/**
 * Resources served in several group-versions that share one storage. The stored form is the
 * first version listed; others are converted on the way in and out.
 */
export const SHARED_STORAGE: Record<string, { group: string; version: string; resource: string }> = {
  'autoscaling/v1/horizontalpodautoscalers': { group: 'autoscaling', version: 'v2', resource: 'horizontalpodautoscalers' },
  'events.k8s.io/v1/events': { group: '', version: 'v1', resource: 'events' },
};

/** Group-versions in preference order within each group (first = preferred). */
export const GROUP_ORDER: string[] = [
  '', 'apps', 'events.k8s.io', 'authentication.k8s.io', 'authorization.k8s.io', 'autoscaling', 'batch',
  'certificates.k8s.io', 'networking.k8s.io', 'policy', 'rbac.authorization.k8s.io', 'storage.k8s.io',
  'admissionregistration.k8s.io', 'apiextensions.k8s.io', 'scheduling.k8s.io', 'coordination.k8s.io',
  'node.k8s.io', 'discovery.k8s.io',
];
export const VERSION_PREFERENCE: Record<string, string[]> = { autoscaling: ['v2', 'v1'] };

/** Kinds that are requests answered at once, never stored (reviews). */
export const VIRTUAL_KINDS = new Set([
  'SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'SubjectAccessReview', 'LocalSubjectAccessReview',
  'TokenReview', 'SelfSubjectReview', 'Binding', 'ComponentStatus',
  // metrics.k8s.io: answered from the kubelets' stats (apiserver/metrics-api)
  'NodeMetrics', 'PodMetrics',
]);

/** Kinds whose metadata.generation tracks spec changes (set to 1 on create, bumped on spec change). */
export const TRACKS_GENERATION = new Set([
  'Pod', 'ReplicationController', 'ReplicaSet', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob',
  'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'Ingress', 'NetworkPolicy', 'CustomResourceDefinition',
  'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'MutatingAdmissionPolicy', 'PersistentVolumeClaim',
]);

/** Kinds deleted gracefully (deletionTimestamp in the future; the kubelet finishes the deletion). */
export const GRACEFUL_KINDS = new Set(['Pod']);

/**
 * Kinds whose status writes may also change metadata.annotations (upstream's status strategy
 * resets only spec and labels): the Deployment controller records the revision that way.
 */
export const STATUS_WRITES_ANNOTATIONS = new Set(['Deployment']);
