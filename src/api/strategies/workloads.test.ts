import { describe, expect, it } from 'vitest';
import { strategyFor } from './index.js';
import type { KObject } from './types.js';

const messages = (errs: { toString(): string }[]) => errs.map(String);

const POD_TEMPLATE_SPEC_DEFAULTS = {
  containers: [
    { name: 'nginx', image: 'nginx:1.25', imagePullPolicy: 'IfNotPresent', resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' },
  ],
  dnsPolicy: 'ClusterFirst',
  restartPolicy: 'Always',
  schedulerName: 'default-scheduler',
  securityContext: {},
  terminationGracePeriodSeconds: 30,
};

function workload(group: string, kind: string, spec: Record<string, any>, name = 'web'): KObject {
  const obj: KObject = { metadata: { name, namespace: 'default' }, spec };
  const s = strategyFor(group, kind);
  s.default?.(obj);
  Object.assign(obj.metadata!, { uid: 'u1', creationTimestamp: '2024-01-01T00:00:00Z', generation: 1 });
  s.prepareForCreate?.(obj);
  return obj;
}

const template = (labels: Record<string, string> = { app: 'web' }) => ({
  metadata: { labels },
  spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] },
});

describe('Deployment', () => {
  const deployments = strategyFor('apps', 'Deployment');

  it('stores upstream defaults', () => {
    const d = workload('apps', 'Deployment', { selector: { matchLabels: { app: 'web' } }, template: template() });
    expect(d.spec).toEqual({
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      template: { metadata: { labels: { app: 'web' } }, spec: POD_TEMPLATE_SPEC_DEFAULTS },
    });
    expect(d.status).toEqual({});
    expect(deployments.validate(d)).toEqual([]);
  });

  it('requires a selector matching the template labels', () => {
    const missing = workload('apps', 'Deployment', { template: template({ app: 'x' }) });
    expect(messages(deployments.validate(missing))).toEqual([
      'spec.selector: Required value',
      'spec.template.metadata.labels: Invalid value: {"app":"x"}: `selector` does not match template `labels`',
    ]);
    const mismatch = workload('apps', 'Deployment', { selector: { matchLabels: { app: 'y' } }, template: template({ app: 'x' }) });
    expect(messages(deployments.validate(mismatch))).toEqual([
      'spec.template.metadata.labels: Invalid value: {"app":"x"}: `selector` does not match template `labels`',
    ]);
  });

  it('requires restartPolicy Always in the template', () => {
    const t = template();
    (t.spec as any).restartPolicy = 'Never';
    const d = workload('apps', 'Deployment', { selector: { matchLabels: { app: 'web' } }, template: t });
    expect(messages(deployments.validate(d))).toEqual(['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"']);
  });

  it('checks the rolling update parameters', () => {
    const d = workload('apps', 'Deployment', {
      selector: { matchLabels: { app: 'web' } },
      template: template(),
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } },
    });
    expect(messages(deployments.validate(d))).toEqual(['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0']);
    d.spec.strategy.rollingUpdate = { maxUnavailable: '110%', maxSurge: '5x' };
    expect(messages(deployments.validate(d))).toEqual([
      'spec.strategy.rollingUpdate.maxSurge: Invalid value: "5x": a valid percent string must be a numeric string followed by an ending \'%\' (e.g. \'1%\',  or \'93%\', regex used for validation is \'[0-9]+%\')',
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "110%": must not be greater than 100%',
    ]);
  });

  it('keeps the selector immutable', () => {
    const d = workload('apps', 'Deployment', { selector: { matchLabels: { app: 'web' } }, template: template({ app: 'web', v: '1' }) });
    const next = structuredClone(d);
    next.spec.selector = { matchLabels: { app: 'web', v: '1' } };
    expect(messages(deployments.validateUpdate(next, d))).toEqual([
      'spec.selector: Invalid value: {"matchLabels":{"app":"web","v":"1"}}: field is immutable',
    ]);
    const scaled = structuredClone(d);
    scaled.spec.replicas = 5;
    expect(deployments.validateUpdate(scaled, d)).toEqual([]);
  });

  it('bumps the generation when annotations change', () => {
    const d = workload('apps', 'Deployment', { selector: { matchLabels: { app: 'web' } }, template: template() });
    const next = structuredClone(d);
    next.metadata!.annotations = { note: 'x' };
    deployments.prepareForUpdate!(next, d);
    expect(next.metadata!.generation).toBe(2);
  });
});

describe('ReplicaSet and ReplicationController', () => {
  it('defaults replicas and starts with zero status replicas', () => {
    const rs = workload('apps', 'ReplicaSet', { selector: { matchLabels: { app: 'web' } }, template: template() });
    expect(rs.spec.replicas).toBe(1);
    expect(rs.status).toEqual({ replicas: 0 });
    expect(strategyFor('apps', 'ReplicaSet').validate(rs)).toEqual([]);
  });

  it('defaults an RC selector and labels from its template', () => {
    const rc = workload('', 'ReplicationController', { template: template({ app: 'web' }) });
    expect(rc.spec.selector).toEqual({ app: 'web' });
    expect(rc.metadata!.labels).toEqual({ app: 'web' });
    expect(strategyFor('', 'ReplicationController').validate(rc)).toEqual([]);
  });
});

describe('StatefulSet', () => {
  const sts = strategyFor('apps', 'StatefulSet');
  const base = () =>
    workload('apps', 'StatefulSet', {
      selector: { matchLabels: { app: 'web' } },
      serviceName: 'web',
      template: template(),
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    });

  it('stores upstream defaults', () => {
    const s = base();
    expect(s.spec.podManagementPolicy).toBe('OrderedReady');
    expect(s.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
    expect(s.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    expect(s.spec.revisionHistoryLimit).toBe(10);
    expect(s.spec.replicas).toBe(1);
    expect(s.spec.volumeClaimTemplates[0]).toEqual({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem' },
      status: { phase: 'Pending' },
    });
    expect(s.status).toEqual({ availableReplicas: 0, replicas: 0 });
    expect(sts.validate(s)).toEqual([]);
  });

  it('uses DNS-1123 label names', () => {
    const s = base();
    s.metadata!.name = 'web.v1';
    expect(messages(sts.validate(s))).toEqual(['metadata.name: Invalid value: "web.v1": must not contain dots']);
  });

  it('allows only some spec fields to change', () => {
    const s = base();
    const scaled = structuredClone(s);
    scaled.spec.replicas = 3;
    expect(sts.validateUpdate(scaled, s)).toEqual([]);
    const renamed = structuredClone(s);
    renamed.spec.serviceName = 'other';
    expect(messages(sts.validateUpdate(renamed, s))).toEqual([
      "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ]);
  });
});

describe('DaemonSet', () => {
  const ds = strategyFor('apps', 'DaemonSet');
  it('stores upstream defaults and the template generation annotation', () => {
    const d = workload('apps', 'DaemonSet', { selector: { matchLabels: { app: 'web' } }, template: template() });
    expect(d.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    expect(d.spec.revisionHistoryLimit).toBe(10);
    expect(d.spec.replicas).toBeUndefined();
    expect(d.metadata!.annotations).toEqual({ 'deprecated.daemonset.template.generation': '1' });
    expect(d.status).toEqual({ currentNumberScheduled: 0, desiredNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0 });
    expect(ds.validate(d)).toEqual([]);
    const next = structuredClone(d);
    next.spec.template.spec.containers[0].image = 'nginx:1.27';
    ds.prepareForUpdate!(next, d);
    expect(next.metadata!.annotations!['deprecated.daemonset.template.generation']).toBe('2');
  });

  it('refuses both maxSurge and maxUnavailable', () => {
    const d = workload('apps', 'DaemonSet', {
      selector: { matchLabels: { app: 'web' } },
      template: template(),
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 1 } },
    });
    expect(messages(ds.validate(d))).toEqual(['spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero']);
  });
});
