import { describe, expect, it } from 'vitest';
import { checkFieldSelector, convertFieldLabel, fieldAttributes, supportedFields } from './selectable-fields.js';
import { parseFieldSelector } from '../selectors/field-selector.js';
import { SelectorError } from '../selectors/errors.js';

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-1', namespace: 'shop' },
  spec: { nodeName: 'n1', restartPolicy: 'Always', schedulerName: 'default-scheduler', serviceAccountName: 'default' },
  status: { phase: 'Running', podIP: '10.0.0.7', podIPs: [{ ip: '10.0.0.7' }, { ip: 'fd00::7' }], nominatedNodeName: '' },
};

describe('fieldAttributes', () => {
  const cases: [string, string, string, Record<string, unknown>, Record<string, string>][] = [
    [
      'pod',
      '',
      'Pod',
      pod,
      {
        'metadata.name': 'web-1',
        'metadata.namespace': 'shop',
        'spec.nodeName': 'n1',
        'spec.restartPolicy': 'Always',
        'spec.schedulerName': 'default-scheduler',
        'spec.serviceAccountName': 'default',
        'spec.hostNetwork': 'false',
        'status.phase': 'Running',
        'status.podIP': '10.0.0.7',
        'status.nominatedNodeName': '',
      },
    ],
    [
      'node (cluster-scoped)',
      '',
      'Node',
      { metadata: { name: 'n1' }, spec: { unschedulable: true } },
      { 'metadata.name': 'n1', 'metadata.namespace': '', 'spec.unschedulable': 'true' },
    ],
    ['namespace', '', 'Namespace', { metadata: { name: 'a' }, status: { phase: 'Terminating' } }, { 'metadata.name': 'a', 'metadata.namespace': '', 'status.phase': 'Terminating' }],
    ['secret', '', 'Secret', { metadata: { name: 's', namespace: 'd' }, type: 'Opaque' }, { 'metadata.name': 's', 'metadata.namespace': 'd', type: 'Opaque' }],
    [
      'service',
      '',
      'Service',
      { metadata: { name: 's', namespace: 'd' }, spec: { clusterIP: 'None', type: 'ClusterIP' } },
      { 'metadata.name': 's', 'metadata.namespace': 'd', 'spec.clusterIP': 'None', 'spec.type': 'ClusterIP' },
    ],
    ['replication controller', '', 'ReplicationController', { metadata: { name: 'r', namespace: 'd' }, status: { replicas: 3 } }, { 'metadata.name': 'r', 'metadata.namespace': 'd', 'status.replicas': '3' }],
    ['replica set', 'apps', 'ReplicaSet', { metadata: { name: 'r', namespace: 'd' }, status: {} }, { 'metadata.name': 'r', 'metadata.namespace': 'd', 'status.replicas': '0' }],
    ['job', 'batch', 'Job', { metadata: { name: 'j', namespace: 'd' }, status: { succeeded: 2 } }, { 'metadata.name': 'j', 'metadata.namespace': 'd', 'status.successful': '2' }],
    ['csr', 'certificates.k8s.io', 'CertificateSigningRequest', { metadata: { name: 'c' }, spec: { signerName: 'kubernetes.io/kubelet-serving' } }, { 'metadata.name': 'c', 'metadata.namespace': '', 'spec.signerName': 'kubernetes.io/kubelet-serving' }],
    ['config map (metadata only)', '', 'ConfigMap', { metadata: { name: 'c', namespace: 'd' }, data: { a: 'b' } }, { 'metadata.name': 'c', 'metadata.namespace': 'd' }],
    ['custom resource', 'example.com', 'Widget', { metadata: { name: 'w', namespace: 'd' } }, { 'metadata.name': 'w', 'metadata.namespace': 'd' }],
  ];
  it.each(cases)('%s', (_name, group, kind, obj, want) => {
    expect(fieldAttributes(group, kind, obj)).toEqual(want);
  });

  it('pods: hostNetwork, and the first IP when only podIPs is set', () => {
    const a = fieldAttributes('', 'Pod', { metadata: { name: 'p' }, spec: { hostNetwork: true }, status: { podIPs: [{ ip: 'fd00::1' }] } });
    expect(a['spec.hostNetwork']).toBe('true');
    expect(a['status.podIP']).toBe('fd00::1');
  });

  it('core events: source falls back to reportingComponent', () => {
    const ev = {
      metadata: { name: 'e', namespace: 'd' },
      involvedObject: { kind: 'Pod', namespace: 'd', name: 'p', uid: 'u1', apiVersion: 'v1', resourceVersion: '5', fieldPath: 'spec.containers{c}' },
      reason: 'Pulled',
      type: 'Normal',
      reportingComponent: 'kubelet',
      source: {},
    };
    expect(fieldAttributes('', 'Event', ev)).toEqual({
      'metadata.name': 'e',
      'metadata.namespace': 'd',
      'involvedObject.kind': 'Pod',
      'involvedObject.namespace': 'd',
      'involvedObject.name': 'p',
      'involvedObject.uid': 'u1',
      'involvedObject.apiVersion': 'v1',
      'involvedObject.resourceVersion': '5',
      'involvedObject.fieldPath': 'spec.containers{c}',
      reason: 'Pulled',
      reportingComponent: 'kubelet',
      source: 'kubelet',
      type: 'Normal',
    });
    expect(fieldAttributes('', 'Event', { ...ev, source: { component: 'default-scheduler' } }).source).toBe('default-scheduler');
  });

  it('events.k8s.io events read regarding/reportingController, in either stored shape', () => {
    const v1 = { metadata: { name: 'e', namespace: 'd' }, regarding: { kind: 'Pod', name: 'p' }, reportingController: 'kubelet', reason: 'Started', type: 'Normal' };
    const a = fieldAttributes('events.k8s.io', 'Event', v1);
    expect(a['involvedObject.name']).toBe('p');
    expect(a.reportingComponent).toBe('kubelet');
    expect(a.source).toBe('kubelet');
    const core = { metadata: { name: 'e', namespace: 'd' }, involvedObject: { kind: 'Pod', name: 'q' } };
    expect(fieldAttributes('events.k8s.io', 'Event', core)['involvedObject.name']).toBe('q');
  });
});

describe('supportedFields and convertFieldLabel', () => {
  it('lists what each kind accepts', () => {
    expect([...supportedFields('', 'Pod')].sort()).toEqual(
      [
        'metadata.name', 'metadata.namespace', 'spec.host', 'spec.hostNetwork', 'spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName',
        'spec.serviceAccountName', 'status.nominatedNodeName', 'status.phase', 'status.podIP', 'status.podIPs',
      ].sort(),
    );
    expect([...supportedFields('', 'Node')].sort()).toEqual(['metadata.name', 'spec.unschedulable']);
    expect([...supportedFields('', 'ConfigMap')].sort()).toEqual(['metadata.name', 'metadata.namespace']);
    expect([...supportedFields('apps', 'Deployment')].sort()).toEqual(['metadata.name', 'metadata.namespace']);
  });

  const rejected: [string, string, string, string][] = [
    ['', 'Pod', 'spec.containers', 'field label not supported: spec.containers'],
    ['', 'Node', 'metadata.namespace', 'field label not supported: metadata.namespace'],
    ['', 'ConfigMap', 'data.a', '"data.a" is not a known field selector: only "metadata.name", "metadata.namespace"'],
    ['apps', 'ReplicaSet', 'status.replicas', '"status.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"'],
    ['batch', 'Job', 'status.active', 'field label "status.active" not supported for Job'],
    ['events.k8s.io', 'Event', 'involvedObject.name', 'field label not supported: involvedObject.name'],
  ];
  it.each(rejected)('%s/%s rejects %s', (group, kind, label, message) => {
    let err: unknown;
    try {
      convertFieldLabel(group, kind, label);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SelectorError);
    expect((err as SelectorError).message).toBe(message);
    expect((err as SelectorError).code).toBe(400);
  });

  it('rewrites aliases', () => {
    expect(convertFieldLabel('', 'Pod', 'spec.host')).toBe('spec.nodeName');
    expect(convertFieldLabel('events.k8s.io', 'Event', 'regarding.uid')).toBe('involvedObject.uid');
    expect(convertFieldLabel('events.k8s.io', 'Event', 'reportingController')).toBe('reportingComponent');
  });
});

describe('checkFieldSelector', () => {
  it('validates, rewrites and then matches against attributes', () => {
    const sel = checkFieldSelector('', 'Pod', parseFieldSelector('spec.host=n1,status.phase!=Succeeded,status.phase!=Failed'));
    expect(sel.toString()).toBe('spec.nodeName=n1,status.phase!=Failed,status.phase!=Succeeded');
    expect(sel.matches(fieldAttributes('', 'Pod', pod))).toBe(true);
    expect(sel.matches(fieldAttributes('', 'Pod', { ...pod, status: { phase: 'Failed' } }))).toBe(false);
  });
  it('status.podIPs is accepted but never matches a value', () => {
    const sel = checkFieldSelector('', 'Pod', parseFieldSelector('status.podIPs=10.0.0.7'));
    expect(sel.matches(fieldAttributes('', 'Pod', pod))).toBe(false);
  });
  it('describe pod events query', () => {
    const sel = checkFieldSelector('', 'Event', parseFieldSelector('involvedObject.uid=u1,involvedObject.name=p,involvedObject.namespace=d'));
    expect(sel.matches(fieldAttributes('', 'Event', { metadata: { name: 'e', namespace: 'd' }, involvedObject: { uid: 'u1', name: 'p', namespace: 'd' } }))).toBe(true);
  });
  it('rejects an unsupported label', () => {
    expect(() => checkFieldSelector('', 'Secret', parseFieldSelector('type=Opaque,data=x'))).toThrow('field label not supported: data');
  });
});
