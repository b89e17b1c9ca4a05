import type { Container, EnvVar, Pod, Service, ServicePort } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { containerEnv } from './container-env.js';
import type { NodeInfo } from './downward-api.js';
import { ContainerConfigError } from './errors.js';
import { b64, memoryObjects } from './testing.js';

const svc = (ns: string, name: string, clusterIP: string, ports: ServicePort[]): Service => ({
  metadata: { namespace: ns, name },
  spec: { clusterIP, ports },
});

// The service set of upstream's TestMakeEnvironmentVariables, trimmed.
const services = [
  svc('default', 'kubernetes', '1.2.3.1', [{ protocol: 'TCP', port: 8081 }]),
  svc('test1', 'test', '1.2.3.3', [{ protocol: 'TCP', port: 8083 }]),
  svc('kubernetes', 'kubernetes', '1.2.3.2', [{ protocol: 'TCP', port: 8082 }]),
  svc('test1', 'headless', 'None', [{ port: 80 }]),
  svc('test1', 'no-ip', '', [{ port: 80 }]),
  svc('test2', 'other', '1.2.3.9', [{ port: 80 }]),
];

const node: NodeInfo = {
  nodeName: 'node-1', hostIP: '10.0.0.1', podIP: '10.0.0.1', podIPs: ['10.0.0.1'],
  allocatable: { cpu: '4', memory: '8Gi', 'ephemeral-storage': '100Gi' },
};

const pod = (ns: string, spec: Partial<NonNullable<Pod['spec']>> = {}): Pod => ({
  metadata: { namespace: ns, name: 'dapi-test-pod-name', uid: 'uid-1', labels: { app: 'web' }, annotations: { note: 'hi' } },
  spec: { containers: [], nodeName: 'node-1', serviceAccountName: 'default', ...spec },
});

const asMap = (kv: { key: string; value: string }[]) => Object.fromEntries(kv.map((e) => [e.key, e.value]));

const KUBERNETES_VARS = {
  KUBERNETES_SERVICE_HOST: '1.2.3.1',
  KUBERNETES_SERVICE_PORT: '8081',
  KUBERNETES_PORT: 'tcp://1.2.3.1:8081',
  KUBERNETES_PORT_8081_TCP: 'tcp://1.2.3.1:8081',
  KUBERNETES_PORT_8081_TCP_PROTO: 'tcp',
  KUBERNETES_PORT_8081_TCP_PORT: '8081',
  KUBERNETES_PORT_8081_TCP_ADDR: '1.2.3.1',
};

describe('containerEnv: service links', () => {
  it('adds the namespace services and the master service; headless and other namespaces are left out', async () => {
    const c: Container = { name: 'c', env: [{ name: 'FOO', value: 'BAR' }, { name: 'TEST_LINK', value: '$(TEST_SERVICE_HOST):$(TEST_SERVICE_PORT)' }] };
    const env = await containerEnv(pod('test1'), c, memoryObjects({ services }), node);
    expect(asMap(env)).toEqual({
      FOO: 'BAR',
      TEST_LINK: '1.2.3.3:8083',
      TEST_SERVICE_HOST: '1.2.3.3',
      TEST_SERVICE_PORT: '8083',
      TEST_PORT: 'tcp://1.2.3.3:8083',
      TEST_PORT_8083_TCP: 'tcp://1.2.3.3:8083',
      TEST_PORT_8083_TCP_PROTO: 'tcp',
      TEST_PORT_8083_TCP_PORT: '8083',
      TEST_PORT_8083_TCP_ADDR: '1.2.3.3',
      ...KUBERNETES_VARS,
    });
    expect(env[0]).toEqual({ key: 'FOO', value: 'BAR' });
  });

  it('keeps only the master service when enableServiceLinks is false', async () => {
    const env = await containerEnv(pod('test1', { enableServiceLinks: false }), { name: 'c' }, memoryObjects({ services }), node);
    expect(asMap(env)).toEqual(KUBERNETES_VARS);
  });

  it('names ports, prefixes leading digits, lowercases protocols', async () => {
    const s = svc('ns', '9-svc.x', '10.0.0.5', [{ name: 'http-web', port: 80, protocol: 'TCP' }, { name: 'dns', port: 53, protocol: 'UDP' }]);
    const env = asMap(await containerEnv(pod('ns'), { name: 'c' }, memoryObjects({ services: [s] }), node));
    expect(env).toMatchObject({
      _9_SVC_X_SERVICE_HOST: '10.0.0.5',
      _9_SVC_X_SERVICE_PORT: '80',
      _9_SVC_X_SERVICE_PORT_HTTP_WEB: '80',
      _9_SVC_X_SERVICE_PORT_DNS: '53',
      _9_SVC_X_PORT: 'tcp://10.0.0.5:80',
      _9_SVC_X_PORT_53_UDP: 'udp://10.0.0.5:53',
      _9_SVC_X_PORT_53_UDP_PROTO: 'udp',
    });
  });

  it('lets the container override a service variable', async () => {
    const c: Container = { name: 'c', env: [{ name: 'KUBERNETES_SERVICE_HOST', value: 'mine' }] };
    const env = await containerEnv(pod('test1'), c, memoryObjects({ services }), node);
    expect(env.filter((e) => e.key === 'KUBERNETES_SERVICE_HOST')).toEqual([{ key: 'KUBERNETES_SERVICE_HOST', value: 'mine' }]);
  });
});

describe('containerEnv: envFrom, env and valueFrom', () => {
  const objects = () => memoryObjects({
    configMaps: [{ metadata: { namespace: 'ns', name: 'cm' }, data: { REPLACE_ME: 'FROM_CONFIG_MAP', EXPANSION_TEST: 'xyz', '1key': 'ok-relaxed', 'bad=key': 'skip' } }],
    secrets: [{ metadata: { namespace: 'ns', name: 's' }, data: { password: b64('hunter2') } }],
  });

  it('resolves envFrom with prefixes, env overrides and $(VAR) to earlier variables', async () => {
    const warnings: string[] = [];
    const c: Container = {
      name: 'c',
      envFrom: [{ configMapRef: { name: 'cm' } }, { prefix: 'S_', secretRef: { name: 's' } }],
      env: [
        { name: 'REPLACE_ME', value: 'FROM_ENV' },
        { name: 'EXPANDED', value: '$(EXPANSION_TEST)-$(S_password)-$(LATER)-$$(ESCAPED)' },
        { name: 'LATER', value: 'later' },
        { name: 'EMPTY' },
      ],
    };
    const env = await containerEnv(pod('ns'), c, objects(), node, { warn: (r, m) => warnings.push(`${r} ${m}`) });
    expect(asMap(env)).toEqual({
      REPLACE_ME: 'FROM_ENV',
      EXPANSION_TEST: 'xyz',
      '1key': 'ok-relaxed',
      S_password: 'hunter2',
      EXPANDED: 'xyz-hunter2-$(LATER)-$(ESCAPED)',
      LATER: 'later',
      EMPTY: '',
    });
    expect(warnings).toEqual([
      'InvalidEnvironmentVariableNames Keys [bad=key] from the EnvFrom configMap ns/cm were skipped since they are considered invalid environment variable names.',
    ]);
  });

  it('reads configMapKeyRef and secretKeyRef, skipping missing optional ones', async () => {
    const c: Container = {
      name: 'c',
      env: [
        { name: 'A', valueFrom: { configMapKeyRef: { name: 'cm', key: 'EXPANSION_TEST' } } },
        { name: 'B', valueFrom: { secretKeyRef: { name: 's', key: 'password' } } },
        { name: 'C', valueFrom: { configMapKeyRef: { name: 'cm', key: 'nope', optional: true } } },
        { name: 'D', valueFrom: { secretKeyRef: { name: 'missing', key: 'k', optional: true } } },
      ],
      envFrom: [{ configMapRef: { name: 'missing', optional: true } }],
    };
    expect(asMap(await containerEnv(pod('ns'), c, objects(), node))).toEqual({ A: 'xyz', B: 'hunter2' });
  });

  it.each([
    ['missing configmap in envFrom', { envFrom: [{ configMapRef: { name: 'x' } }] }, 'configmap "x" not found'],
    ['missing secret in envFrom', { envFrom: [{ secretRef: { name: 'x' } }] }, 'secret "x" not found'],
    ['missing configmap key', { env: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'cm', key: 'k' } } }] }, "couldn't find key k in ConfigMap ns/cm"],
    ['missing secret', { env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 'x', key: 'k' } } }] }, 'secret "x" not found'],
    ['missing secret key', { env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] }, "couldn't find key k in Secret ns/s"],
    ['unsupported field', { env: [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'spec.containers' } } }] }, 'field label not supported: spec.containers'],
    ['unsupported resource', { env: [{ name: 'A', valueFrom: { resourceFieldRef: { resource: 'limits.gpu' } } }] }, 'unsupported container resource : limits.gpu'],
  ] as [string, Partial<Container>, string][])('%s fails with CreateContainerConfigError', async (_n, spec, message) => {
    const err = await containerEnv(pod('ns'), { name: 'c', ...spec }, objects(), node).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContainerConfigError);
    expect(err).toMatchObject({ reason: 'CreateContainerConfigError', message });
  });
});

describe('containerEnv: downward API', () => {
  it('reads pod fields and resources, defaulting limits to node allocatable', async () => {
    const c: Container = {
      name: 'c',
      resources: { requests: { cpu: '250m', memory: '100Mi' }, limits: { memory: '1Gi' } },
      env: ([
        ['POD_NAME', 'metadata.name'], ['POD_NAMESPACE', 'metadata.namespace'], ['POD_UID', 'metadata.uid'],
        ['APP', "metadata.labels['app']"], ['NOTE', "metadata.annotations['note']"], ['LABELS', 'metadata.labels'],
        ['NODE', 'spec.nodeName'], ['SA', 'spec.serviceAccountName'], ['HOST_IP', 'status.hostIP'],
        ['HOST_IPS', 'status.hostIPs'], ['POD_IP', 'status.podIP'], ['POD_IPS', 'status.podIPs'],
      ] as const).map(([name, fieldPath]): EnvVar => ({ name, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath } } })).concat(([
        ['CPU_REQ', 'requests.cpu', undefined], ['CPU_REQ_M', 'requests.cpu', '1m'], ['CPU_LIM', 'limits.cpu', undefined],
        ['MEM_LIM_MI', 'limits.memory', '1Mi'], ['MEM_REQ_G', 'requests.memory', '1G'], ['EPH_LIM', 'limits.ephemeral-storage', '1Gi'],
      ] as const).map(([name, resource, divisor]): EnvVar => ({ name, valueFrom: { resourceFieldRef: { resource, divisor } } }))),
    };
    const p = pod('ns', { containers: [c] });
    const env = asMap(await containerEnv(p, c, memoryObjects(), { ...node, podIPs: ['10.0.0.1', 'fd00::1'] }));
    expect(env).toEqual({
      POD_NAME: 'dapi-test-pod-name', POD_NAMESPACE: 'ns', POD_UID: 'uid-1', APP: 'web', NOTE: 'hi', LABELS: 'app="web"',
      NODE: 'node-1', SA: 'default', HOST_IP: '10.0.0.1', HOST_IPS: '10.0.0.1', POD_IP: '10.0.0.1', POD_IPS: '10.0.0.1,fd00::1',
      CPU_REQ: '1', CPU_REQ_M: '250', CPU_LIM: '4', MEM_LIM_MI: '1024', MEM_REQ_G: '1', EPH_LIM: '100',
    });
  });
});
