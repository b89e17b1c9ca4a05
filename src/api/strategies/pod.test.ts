import { describe, expect, it } from 'vitest';
import { strategyFor } from './index.js';
import type { KObject } from './types.js';

const pods = strategyFor('', 'Pod');

/** A pod as the registry would have created it: defaulted, prepared, metadata filled. */
function created(spec: Record<string, any> = { containers: [{ name: 'nginx', image: 'nginx' }] }): KObject {
  const obj: KObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, spec };
  pods.default!(obj);
  Object.assign(obj.metadata!, { uid: 'u1', creationTimestamp: '2024-01-01T00:00:00Z', resourceVersion: '1' });
  pods.prepareForCreate!(obj);
  return obj;
}

const messages = (errs: { toString(): string }[]) => errs.map(String);

describe('pod defaults and creation', () => {
  it('stores what upstream stores for a minimal pod', () => {
    const pod = created();
    expect(pod.spec).toEqual({
      containers: [
        {
          name: 'nginx',
          image: 'nginx',
          imagePullPolicy: 'Always',
          resources: {},
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
        },
      ],
      dnsPolicy: 'ClusterFirst',
      enableServiceLinks: true,
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      securityContext: {},
      terminationGracePeriodSeconds: 30,
    });
    expect(pod.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
    expect(pods.validate(pod)).toEqual([]);
  });

  it.each([
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.25', 'IfNotPresent'],
    ['localhost:5000/app', 'Always'],
    ['registry.io:5000/app:v1', 'IfNotPresent'],
    ['nginx@sha256:0123', 'IfNotPresent'],
  ])('imagePullPolicy for %s is %s', (image, want) => {
    expect(created({ containers: [{ name: 'c', image }] }).spec.containers[0].imagePullPolicy).toBe(want);
  });

  it('defaults probes, ports, env field refs and volumes', () => {
    const pod = created({
      containers: [
        {
          name: 'c',
          image: 'x:1',
          ports: [{ containerPort: 80 }],
          env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
          livenessProbe: { httpGet: { port: 80 } },
          volumeMounts: [{ name: 'cfg', mountPath: '/cfg' }],
        },
      ],
      volumes: [{ name: 'cfg', configMap: { name: 'cm' } }, { name: 'scratch' }, { name: 'host', hostPath: { path: '/tmp' } }],
    });
    const c = pod.spec.containers[0];
    expect(c.ports).toEqual([{ containerPort: 80, protocol: 'TCP' }]);
    expect(c.env[0].valueFrom.fieldRef).toEqual({ apiVersion: 'v1', fieldPath: 'metadata.name' });
    expect(c.livenessProbe).toEqual({
      httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3,
    });
    expect(pod.spec.volumes).toEqual([
      { name: 'cfg', configMap: { name: 'cm', defaultMode: 420 } },
      { name: 'scratch', emptyDir: {} },
      { name: 'host', hostPath: { path: '/tmp', type: '' } },
    ]);
    expect(pods.validate(pod)).toEqual([]);
  });

  it.each([
    ['Guaranteed', { limits: { cpu: '500m', memory: '128Mi' } }],
    ['Burstable', { requests: { cpu: '0.5' } }],
  ])('computes the %s QoS class (requests default to limits)', (qos, resources) => {
    const pod = created({ containers: [{ name: 'c', image: 'x', resources }] });
    expect(pod.status.qosClass).toBe(qos);
    if (qos === 'Guaranteed') expect(pod.spec.containers[0].resources.requests).toEqual({ cpu: '500m', memory: '128Mi' });
    else expect(pod.spec.containers[0].resources.requests).toEqual({ cpu: '500m' });
  });

  it('marks a gated pod unschedulable', () => {
    const pod = created({ containers: [{ name: 'c', image: 'x' }], schedulingGates: [{ name: 'example.com/gate' }] });
    expect(pod.status.conditions).toEqual([
      {
        type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: null, reason: 'SchedulingGated',
        message: 'Scheduling is blocked due to non-empty scheduling gates',
      },
    ]);
  });

  it('reports errors with upstream paths and messages', () => {
    const pod = created({ containers: [{ name: 'c' }, { name: 'c', image: ' x' }] });
    pod.metadata!.name = 'Bad_Name';
    expect(messages(pods.validate(pod))).toEqual([
      'metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')',
      'spec.containers[0].image: Required value',
      'spec.containers[1].name: Duplicate value: "c"',
      'spec.containers[1].image: Invalid value: " x": must not have leading or trailing whitespace',
    ]);
  });

  it('refuses ephemeral containers on create', () => {
    const pod = created({ containers: [{ name: 'c', image: 'x' }], ephemeralContainers: [{ name: 'debug', image: 'busybox' }] });
    expect(messages(pods.validate(pod))).toEqual(['spec.ephemeralContainers: Forbidden: cannot be set on create']);
  });
});

describe('pod updates', () => {
  const FORBIDDEN_FIRST_LINE =
    'spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

  function update(mutate: (p: KObject) => void, base = created()): string[] {
    const next = structuredClone(base);
    mutate(next);
    return messages(pods.validateUpdate(next, base));
  }

  it('allows image changes', () => {
    expect(update((p) => (p.spec.containers[0].image = 'nginx:1.27'))).toEqual([]);
  });

  it('allows labels and annotations to change', () => {
    expect(update((p) => (p.metadata!.labels = { app: 'web' }))).toEqual([]);
  });

  it('refuses other spec changes with upstream message and a diff', () => {
    const errs = update((p) => (p.spec.restartPolicy = 'Never'));
    expect(errs).toHaveLength(1);
    expect(errs[0]!.split('\n')[0]).toBe(FORBIDDEN_FIRST_LINE);
    expect(errs[0]).toContain('restartPolicy: "Always"');
    expect(errs[0]).toContain('restartPolicy: "Never"');
  });

  it('refuses adding containers', () => {
    expect(update((p) => p.spec.containers.push({ ...p.spec.containers[0], name: 'two' }))).toEqual([
      'spec.containers: Forbidden: pod updates may not add or remove containers',
    ]);
  });

  it('allows activeDeadlineSeconds to be set and shortened, not lengthened or removed', () => {
    expect(update((p) => (p.spec.activeDeadlineSeconds = 60))).toEqual([]);
    const withDeadline = created({ containers: [{ name: 'c', image: 'x' }], activeDeadlineSeconds: 60 });
    expect(update((p) => (p.spec.activeDeadlineSeconds = 30), withDeadline)).toEqual([]);
    expect(update((p) => (p.spec.activeDeadlineSeconds = 90), withDeadline)).toEqual([
      'spec.activeDeadlineSeconds: Invalid value: 90: must be less than or equal to previous value',
    ]);
    expect(update((p) => delete p.spec.activeDeadlineSeconds, withDeadline)).toEqual([
      'spec.activeDeadlineSeconds: Invalid value: null: must not update from a positive integer to nil value',
    ]);
  });

  it('allows added tolerations and changed tolerationSeconds only', () => {
    const tol = { key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 };
    const base = created({ containers: [{ name: 'c', image: 'x' }], tolerations: [tol] });
    expect(update((p) => p.spec.tolerations.push({ key: 'other', operator: 'Exists' }), base)).toEqual([]);
    expect(update((p) => (p.spec.tolerations[0].tolerationSeconds = 10), base)).toEqual([]);
    expect(update((p) => (p.spec.tolerations = []), base)).toEqual([
      'spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds',
    ]);
  });

  it('allows scheduling gates to be removed, not added', () => {
    const base = created({ containers: [{ name: 'c', image: 'x' }], schedulingGates: [{ name: 'a.io/one' }] });
    expect(update((p) => (p.spec.schedulingGates = []), base)).toEqual([]);
    expect(update((p) => p.spec.schedulingGates.push({ name: 'a.io/two' }), base)).toEqual([
      "spec.schedulingGates[1].name: Forbidden: only deletion is allowed, but found new scheduling gate 'a.io/two'",
    ]);
  });

  it('allows additions to nodeSelector while gated', () => {
    const base = created({ containers: [{ name: 'c', image: 'x' }], schedulingGates: [{ name: 'a.io/g' }], nodeSelector: { a: '1' } });
    expect(update((p) => (p.spec.nodeSelector.b = '2'), base)).toEqual([]);
    expect(update((p) => (p.spec.nodeSelector.a = '2'), base)).toEqual([
      'spec.nodeSelector: Invalid value: {"a":"2"}: only additions to spec.nodeSelector are allowed (no mutations or deletions)',
    ]);
  });

  it('keeps name and namespace immutable', () => {
    expect(update((p) => (p.metadata!.name = 'other'))[0]).toBe('metadata.name: Invalid value: "other": field is immutable');
  });
});

describe('pod status updates', () => {
  it('keeps the QoS class and forbids leaving a terminated state for Never pods', () => {
    const base = created({ containers: [{ name: 'c', image: 'x' }], restartPolicy: 'Never' });
    base.status.containerStatuses = [{ name: 'c', state: { terminated: { exitCode: 0 } } }];
    const next = structuredClone(base);
    next.status = { phase: 'Running', qosClass: 'Burstable', containerStatuses: [{ name: 'c', state: { running: {} } }] };
    expect(messages(pods.validateStatusUpdate!(next, base))).toEqual([
      'status.qosClass: Invalid value: "Burstable": field is immutable',
      'status.containerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state',
    ]);
  });

  it('backfills an omitted QoS class', () => {
    const base = created();
    const next = structuredClone(base);
    next.status = { phase: 'Running', podIP: '10.0.0.5', podIPs: [{ ip: '10.0.0.5' }] };
    expect(pods.validateStatusUpdate!(next, base)).toEqual([]);
    expect(next.status.qosClass).toBe('BestEffort');
  });
});

describe('pod templates', () => {
  it('validates the template', () => {
    const pt = strategyFor('', 'PodTemplate');
    const obj: KObject = { metadata: { name: 't', namespace: 'default' }, template: { spec: { containers: [{ name: 'c' }] } } };
    pt.default!(obj);
    expect(messages(pt.validate(obj))).toEqual(['template.spec.containers[0].image: Required value']);
  });
});
