import { describe, expect, it } from 'vitest';
import { kindsWithStrategies, strategyFor } from './index.js';
import type { KObject } from './types.js';

const messages = (errs: { toString(): string }[]) => errs.map(String);

function create(group: string, kind: string, obj: KObject): KObject {
  const s = strategyFor(group, kind);
  s.default?.(obj);
  Object.assign((obj.metadata ??= {}), { uid: 'u', creationTimestamp: '2024-01-01T00:00:00Z' });
  s.prepareForCreate?.(obj);
  return obj;
}

function update(group: string, kind: string, old: KObject, mutate: (o: KObject) => void): string[] {
  const s = strategyFor(group, kind);
  const obj = structuredClone(old);
  mutate(obj);
  s.default?.(obj);
  s.prepareForUpdate?.(obj, old);
  return messages(s.validateUpdate(obj, old));
}

describe('strategyFor', () => {
  it('finds kind strategies and falls back to metadata-only validation', () => {
    expect(kindsWithStrategies()).toContain('apps/Deployment');
    const def = strategyFor('example.com', 'Widget', true);
    expect(messages(def.validate({ metadata: { name: 'Bad_Name', namespace: 'default', finalizers: ['custom'] } }))).toEqual([
      expect.stringMatching(/^metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/),
    ]);
    expect(strategyFor('', 'LimitRange').validate({ metadata: { name: 'x', finalizers: ['custom'] } }).map(String)).toEqual([
      'metadata.finalizers[0]: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified',
    ]);
  });
});

describe('Namespace', () => {
  const ns = strategyFor('', 'Namespace');
  it('starts Active with the kubernetes finalizer and the name label', () => {
    const obj = create('', 'Namespace', { metadata: { name: 'team-a' } });
    expect(obj).toMatchObject({
      metadata: { labels: { 'kubernetes.io/metadata.name': 'team-a' } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
    expect(ns.validate(obj)).toEqual([]);
    expect(ns.deletionBlockers!(obj)).toEqual(['kubernetes']);
    ns.prepareForDelete!(obj);
    expect(obj.status.phase).toBe('Terminating');
  });

  it('uses DNS label names and keeps spec.finalizers on update', () => {
    expect(messages(ns.validate(create('', 'Namespace', { metadata: { name: 'team.a' } })))).toEqual([
      'metadata.name: Invalid value: "team.a": must not contain dots',
    ]);
    const old = create('', 'Namespace', { metadata: { name: 'b' } });
    const next = structuredClone(old);
    next.spec.finalizers = [];
    ns.prepareForUpdate!(next, old);
    expect(next.spec.finalizers).toEqual(['kubernetes']);
  });
});

describe('Secret and ConfigMap', () => {
  it('defaults the type, folds stringData into data and checks keys', () => {
    const s = create('', 'Secret', { metadata: { name: 's', namespace: 'default' }, stringData: { 'pass word': 'x', user: 'admin' } });
    expect(s.type).toBe('Opaque');
    expect(s.stringData).toBeUndefined();
    expect(s.data).toEqual({ 'pass word': 'eA==', user: 'YWRtaW4=' });
    expect(messages(strategyFor('', 'Secret').validate(s))).toEqual([
      "data[pass word]: Invalid value: \"pass word\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
    ]);
  });

  it('requires tls.crt and tls.key for TLS secrets, and keeps the type', () => {
    const s = create('', 'Secret', { metadata: { name: 's', namespace: 'default' }, type: 'kubernetes.io/tls', data: {} });
    expect(messages(strategyFor('', 'Secret').validate(s))).toEqual(['data[tls.crt]: Required value', 'data[tls.key]: Required value']);
    const ok = create('', 'Secret', { metadata: { name: 's', namespace: 'default' }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': Buffer.from('{}').toString('base64') } });
    expect(update('', 'Secret', ok, (o) => (o.type = 'Opaque'))).toEqual(['type: Invalid value: "Opaque": field is immutable']);
  });

  it('freezes immutable data', () => {
    const cm = create('', 'ConfigMap', { metadata: { name: 'c', namespace: 'default' }, data: { a: '1' }, immutable: true });
    expect(update('', 'ConfigMap', cm, (o) => (o.data.a = '2'))).toEqual(['data: Forbidden: field is immutable when `immutable` is set']);
    expect(update('', 'ConfigMap', cm, (o) => (o.immutable = false))).toEqual(['immutable: Forbidden: field is immutable when `immutable` is set']);
    expect(update('', 'ConfigMap', cm, (o) => (o.metadata!.labels = { a: 'b' }))).toEqual([]);
  });
});

describe('RBAC', () => {
  const binding = (): KObject => ({
    metadata: { name: 'read:pods', namespace: 'default' },
    roleRef: { kind: 'Role', name: 'pod-reader' },
    subjects: [{ kind: 'User', name: 'jane' }, { kind: 'ServiceAccount', name: 'default' }],
  });

  it('defaults API groups and accepts path-segment names', () => {
    const rb = create('rbac.authorization.k8s.io', 'RoleBinding', binding());
    expect(rb.roleRef.apiGroup).toBe('rbac.authorization.k8s.io');
    expect(rb.subjects).toEqual([
      { kind: 'User', name: 'jane', apiGroup: 'rbac.authorization.k8s.io' },
      { kind: 'ServiceAccount', name: 'default', apiGroup: '' },
    ]);
    expect(strategyFor('rbac.authorization.k8s.io', 'RoleBinding').validate(rb)).toEqual([]);
  });

  it('refuses roleRef changes', () => {
    const rb = create('rbac.authorization.k8s.io', 'RoleBinding', binding());
    expect(update('rbac.authorization.k8s.io', 'RoleBinding', rb, (o) => (o.roleRef.name = 'admin'))).toEqual([
      'roleRef: Invalid value: {"APIGroup":"rbac.authorization.k8s.io","Kind":"Role","Name":"admin"}: cannot change roleRef',
    ]);
  });

  it('requires verbs, groups and resources in rules', () => {
    const role = create('rbac.authorization.k8s.io', 'Role', { metadata: { name: 'r', namespace: 'default' }, rules: [{ resources: ['pods'] }] });
    expect(messages(strategyFor('rbac.authorization.k8s.io', 'Role').validate(role))).toEqual([
      'rules[0].verbs: Required value: verbs must contain at least one value',
      'rules[0].apiGroups: Required value: resource rules must supply at least one api group',
    ]);
    const crb = create('rbac.authorization.k8s.io', 'ClusterRoleBinding', {
      metadata: { name: 'x' }, roleRef: { kind: 'Role', name: 'r' }, subjects: [{ kind: 'ServiceAccount', name: 'sa' }],
    });
    expect(messages(strategyFor('rbac.authorization.k8s.io', 'ClusterRoleBinding').validate(crb))).toEqual([
      'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
      'subjects[0].namespace: Required value',
    ]);
  });
});

describe('policy, scheduling, storage and networking', () => {
  it('PodDisruptionBudget: minAvailable XOR maxUnavailable', () => {
    const pdb = create('policy', 'PodDisruptionBudget', { metadata: { name: 'p', namespace: 'default' }, spec: { minAvailable: 1, maxUnavailable: '50%' } });
    expect(pdb.status).toEqual({ currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0 });
    expect(messages(strategyFor('policy', 'PodDisruptionBudget').validate(pdb))).toEqual([
      'spec: Invalid value: {"MinAvailable":1,"Selector":null,"MaxUnavailable":"50%","UnhealthyPodEvictionPolicy":null}: minAvailable and maxUnavailable cannot be both set',
    ]);
  });

  it('PriorityClass: default policy and the user limit', () => {
    const pc = create('scheduling.k8s.io', 'PriorityClass', { metadata: { name: 'high' }, value: 2000000000 });
    expect(pc.preemptionPolicy).toBe('PreemptLowerPriority');
    expect(messages(strategyFor('scheduling.k8s.io', 'PriorityClass').validate(pc))).toEqual([
      'value: Forbidden: maximum allowed value of a user defined priority is 1000000000',
    ]);
    const ok = create('scheduling.k8s.io', 'PriorityClass', { metadata: { name: 'high' }, value: 1000 });
    expect(update('scheduling.k8s.io', 'PriorityClass', ok, (o) => (o.value = 5))).toEqual(['value: Forbidden: may not be changed in an update.']);
  });

  it('StorageClass: defaults and immutable provisioner', () => {
    const sc = create('storage.k8s.io', 'StorageClass', { metadata: { name: 'fast' }, provisioner: 'example.com/disk' });
    expect([sc.reclaimPolicy, sc.volumeBindingMode]).toEqual(['Delete', 'Immediate']);
    expect(strategyFor('storage.k8s.io', 'StorageClass').validate(sc)).toEqual([]);
    expect(update('storage.k8s.io', 'StorageClass', sc, (o) => (o.provisioner = 'other.io/disk'))).toEqual([
      'provisioner: Forbidden: updates to provisioner are forbidden.',
    ]);
  });

  it('PersistentVolumeClaim: accessModes and storage request', () => {
    const pvc = create('', 'PersistentVolumeClaim', { metadata: { name: 'data', namespace: 'default' }, spec: {} });
    expect(pvc.spec.volumeMode).toBe('Filesystem');
    expect(pvc.status).toEqual({ phase: 'Pending' });
    expect(messages(strategyFor('', 'PersistentVolumeClaim').validate(pvc))).toEqual([
      'spec.accessModes: Required value: at least 1 access mode is required',
      'spec.resources[storage]: Required value',
    ]);
  });

  it('Ingress: pathType and backend', () => {
    const ing = create('networking.k8s.io', 'Ingress', {
      metadata: { name: 'i', namespace: 'default' },
      spec: { rules: [{ host: '1.2.3.4', http: { paths: [{ path: '/', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
    });
    expect(messages(strategyFor('networking.k8s.io', 'Ingress').validate(ing))).toEqual([
      'spec.rules[0].host: Invalid value: "1.2.3.4": must be a DNS name, not an IP address',
      'spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified',
    ]);
    const empty = create('networking.k8s.io', 'Ingress', { metadata: { name: 'i', namespace: 'default' }, spec: {} });
    expect(messages(strategyFor('networking.k8s.io', 'Ingress').validate(empty))).toEqual([
      'spec: Invalid value: null: either `defaultBackend` or `rules` must be specified',
    ]);
  });

  it('NetworkPolicy: policyTypes default', () => {
    const np = create('networking.k8s.io', 'NetworkPolicy', { metadata: { name: 'n', namespace: 'default' }, spec: { podSelector: {}, egress: [{}] } });
    expect(np.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(strategyFor('networking.k8s.io', 'NetworkPolicy').validate(np)).toEqual([]);
  });

  it('HorizontalPodAutoscaler: v2 defaults', () => {
    const hpa = create('autoscaling', 'HorizontalPodAutoscaler', {
      metadata: { name: 'h', namespace: 'default' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 5, behavior: {} },
    });
    expect(hpa.spec.minReplicas).toBe(1);
    expect(hpa.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
    expect(hpa.spec.behavior.scaleDown).toEqual({ stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] });
    expect(strategyFor('autoscaling', 'HorizontalPodAutoscaler').validate(hpa)).toEqual([]);
  });

  it('RuntimeClass: handler must be a DNS label', () => {
    const rc = create('node.k8s.io', 'RuntimeClass', { metadata: { name: 'gvisor' }, handler: '' });
    expect(messages(strategyFor('node.k8s.io', 'RuntimeClass').validate(rc))[0]).toMatch(/^handler: Invalid value: "": a lowercase RFC 1123 label/);
  });
});

describe('CustomResourceDefinition', () => {
  const crd = (): KObject => ({
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { plural: 'widgets', kind: 'Widget' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }],
    },
  });

  it('defaults names and conversion, records the stored version', () => {
    const obj = create('apiextensions.k8s.io', 'CustomResourceDefinition', crd());
    expect(obj.spec.names).toEqual({ plural: 'widgets', kind: 'Widget', singular: 'widget', listKind: 'WidgetList' });
    expect(obj.spec.conversion).toEqual({ strategy: 'None' });
    expect(obj.status).toEqual({ acceptedNames: { kind: '', plural: '' }, storedVersions: ['v1'] });
    expect(strategyFor('apiextensions.k8s.io', 'CustomResourceDefinition').validate(obj)).toEqual([]);
  });

  it('requires the name to be plural.group and one storage version', () => {
    const bad = crd();
    bad.metadata!.name = 'widget.example.com';
    bad.spec.versions.push({ name: 'v2', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } });
    const errs = messages(strategyFor('apiextensions.k8s.io', 'CustomResourceDefinition').validate(create('apiextensions.k8s.io', 'CustomResourceDefinition', bad)));
    expect(errs[0]).toBe('metadata.name: Invalid value: "widget.example.com": must be spec.names.plural+"."+spec.group');
    expect(errs[1]).toMatch(/^spec\.versions: Invalid value: \[.*\]: must have exactly one version marked as storage version$/);
  });
});
