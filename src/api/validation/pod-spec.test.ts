import { describe, expect, it } from 'vitest';
import { defaultPodSpec } from '../strategies/pod-defaults.js';
import { validatePodSpec, validateTolerations } from './pod-spec.js';
import { computePodQOS } from './resources.js';

type Obj = Record<string, any>;

/** A defaulted pod spec with one container, changed by `mutate`. */
function spec(mutate: (s: Obj) => void = () => {}): Obj {
  const s: Obj = { containers: [{ name: 'app', image: 'nginx' }] };
  mutate(s);
  defaultPodSpec(s);
  return s;
}

const errsOf = (s: Obj) => validatePodSpec(s, 'spec', { isPod: true }).map(String);

describe('validatePodSpec', () => {
  it('accepts a defaulted minimal spec', () => {
    expect(errsOf(spec())).toEqual([]);
  });

  it.each<[string, (s: Obj) => void, string[]]>([
    ['containers required', (s) => (s.containers = []), ['spec.containers: Required value']],
    ['image required', (s) => delete s.containers[0].image, ['spec.containers[0].image: Required value']],
    ['container name format', (s) => (s.containers[0].name = 'App'), [
      'spec.containers[0].name: Invalid value: "App": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\', and must start and end with an alphanumeric character (e.g. \'my-name\',  or \'123-abc\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?\')',
    ]],
    ['duplicate container names', (s) => s.containers.push({ name: 'app', image: 'x' }), ['spec.containers[1].name: Duplicate value: "app"']],
    ['init and regular share names', (s) => (s.initContainers = [{ name: 'app', image: 'x' }]), ['spec.initContainers[0].name: Duplicate value: "app"']],
    ['restartPolicy values', (s) => (s.restartPolicy = 'Sometimes'), [
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    ]],
    ['dnsPolicy values', (s) => (s.dnsPolicy = 'Custom'), [
      'spec.dnsPolicy: Unsupported value: "Custom": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"',
    ]],
    ['port number', (s) => (s.containers[0].ports = [{ containerPort: 70000 }]), [
      'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
    ]],
    ['port protocol', (s) => (s.containers[0].ports = [{ containerPort: 80, protocol: 'HTTP' }]), [
      'spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
    ]],
    ['duplicate port names', (s) => (s.containers[0].ports = [{ name: 'web', containerPort: 80 }, { name: 'web', containerPort: 81 }]), [
      'spec.containers[0].ports[1].name: Duplicate value: "web"',
    ]],
    ['port name format', (s) => (s.containers[0].ports = [{ name: 'Web_Port', containerPort: 80 }]), [
      'spec.containers[0].ports[0].name: Invalid value: "Web_Port": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
    ]],
    ['duplicate volumes', (s) => (s.volumes = [{ name: 'data' }, { name: 'data' }]), ['spec.volumes[1].name: Duplicate value: "data"']],
    ['mount of a missing volume', (s) => (s.containers[0].volumeMounts = [{ name: 'data', mountPath: '/data' }]), [
      'spec.containers[0].volumeMounts[0].name: Not found: "data"',
    ]],
    ['two volume sources', (s) => (s.volumes = [{ name: 'v', emptyDir: {}, hostPath: { path: '/x' } }]), [
      'spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type',
    ]],
    ['requests above limits', (s) => (s.containers[0].resources = { requests: { cpu: '2' }, limits: { cpu: '1' } }), [
      'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1',
    ]],
    ['unknown resource', (s) => (s.containers[0].resources = { limits: { gpu: '1' } }), [
      'spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource type or fully qualified',
      'spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource for containers',
    ]],
    ['probe handler required', (s) => (s.containers[0].livenessProbe = {}), ['spec.containers[0].livenessProbe: Required value: must specify a handler type']],
    ['liveness successThreshold', (s) => (s.containers[0].livenessProbe = { exec: { command: ['true'] }, successThreshold: 2 }), [
      'spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1',
    ]],
    ['probe on an init container', (s) => (s.initContainers = [{ name: 'init', image: 'x', readinessProbe: { exec: { command: ['true'] } } }]), [
      'spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always',
    ]],
    ['env from a configMap without a key', (s) => (s.containers[0].env = [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'cm' } } }]), [
      'spec.containers[0].env[0].valueFrom.configMapKeyRef.key: Required value',
    ]],
    ['env with value and valueFrom', (s) => (s.containers[0].env = [{ name: 'A', value: 'x', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }]), [
      'spec.containers[0].env[0].valueFrom: Invalid value: "": may not be specified when `value` is not empty',
    ]],
    ['unsupported downward field', (s) => (s.containers[0].env = [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'status.phase' } } }]), [
      'spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value: "status.phase": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"',
    ]],
    ['hostNetwork ports', (s) => ((s.hostNetwork = true), (s.containers[0].ports = [{ containerPort: 80, hostPort: 81 }])), [
      'spec.containers[0].ports[0].hostPort: Invalid value: 81: must match `containerPort` when `hostNetwork` is true',
    ]],
    ['activeDeadlineSeconds', (s) => (s.activeDeadlineSeconds = 0), [
      'spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive',
    ]],
  ])('%s', (_n, mutate, want) => {
    expect(errsOf(spec(mutate))).toEqual(want);
  });

  it('requires the terminationGracePeriodSeconds defaults set', () => {
    const s = spec();
    delete s.terminationGracePeriodSeconds;
    expect(errsOf(s)).toEqual(['spec.terminationGracePeriodSeconds: Required value']);
  });
});

describe('validateTolerations', () => {
  it.each([
    [{ key: 'k', operator: 'Equal', value: 'v', effect: 'NoSchedule' }, []],
    [{ operator: 'Exists' }, []],
    [{ value: 'v' }, ['t[0].operator: Invalid value: "": operator must be Exists when `key` is empty, which means "match all values and all keys"']],
    [{ key: 'k', operator: 'Exists', value: 'v' }, ["t[0].operator: Invalid value: \"v\": value must be empty when `operator` is 'Exists'"]],
    [{ key: 'k', effect: 'NoSchedule', tolerationSeconds: 5 }, ["t[0].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set"]],
    [{ key: 'k', operator: 'Gt' }, ['t[0].operator: Unsupported value: "Gt": supported values: "Equal", "Exists"']],
  ])('%j', (t, want) => {
    expect(validateTolerations([t], 't').map(String)).toEqual(want);
  });
});

describe('computePodQOS', () => {
  const c = (resources: Obj) => ({ name: 'c', image: 'x', resources });
  it.each<[string, Obj[], string]>([
    ['no resources', [c({})], 'BestEffort'],
    ['requests only', [c({ requests: { cpu: '100m' } })], 'Burstable'],
    ['equal cpu and memory', [c({ requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } })], 'Guaranteed'],
    ['limits only count as requests', [c({ limits: { cpu: '1000m', memory: '1Gi' }, requests: { cpu: '1', memory: '1024Mi' } })], 'Guaranteed'],
    ['memory limit missing', [c({ requests: { cpu: '1' }, limits: { cpu: '1' } })], 'Burstable'],
    ['one container without limits', [c({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } }), c({})], 'Burstable'],
    ['zero requests ignored', [c({ requests: { cpu: '0' } })], 'BestEffort'],
  ])('%s', (_n, containers, want) => {
    expect(computePodQOS({ containers })).toBe(want);
  });
});
