import { describe, expect, it } from 'vitest';
import { strategyFor } from './index.js';
import type { KObject } from './types.js';

const messages = (errs: { toString(): string }[]) => errs.map(String);
const services = strategyFor('', 'Service');

function createService(spec: Record<string, any>, name = 'web'): KObject {
  const obj: KObject = { metadata: { name, namespace: 'default' }, spec };
  services.default!(obj);
  Object.assign(obj.metadata!, { uid: 'u', creationTimestamp: '2024-01-01T00:00:00Z' });
  services.prepareForCreate!(obj);
  return obj;
}

function updateService(old: KObject, mutate: (s: KObject) => void): { obj: KObject; errs: string[] } {
  const obj = structuredClone(old);
  mutate(obj);
  services.default!(obj);
  obj.status = old.status;
  services.prepareForUpdate!(obj, old);
  return { obj, errs: messages(services.validateUpdate(obj, old)) };
}

describe('Service defaults', () => {
  it('ClusterIP', () => {
    const svc = createService({ selector: { app: 'web' }, ports: [{ port: 80 }] });
    expect(svc.spec).toEqual({
      selector: { app: 'web' },
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
      type: 'ClusterIP',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      ipFamilyPolicy: 'SingleStack',
      ipFamilies: ['IPv4'],
    });
    expect(svc.status).toEqual({ loadBalancer: {} });
    expect(services.validate(svc)).toEqual([]);
  });

  it('NodePort and LoadBalancer', () => {
    const np = createService({ type: 'NodePort', ports: [{ port: 80, targetPort: 'http' }] });
    expect(np.spec).toMatchObject({ externalTrafficPolicy: 'Cluster', internalTrafficPolicy: 'Cluster', ports: [{ targetPort: 'http' }] });
    expect(np.spec.allocateLoadBalancerNodePorts).toBeUndefined();
    const lb = createService({ type: 'LoadBalancer', ports: [{ port: 443 }] });
    expect(lb.spec).toMatchObject({ externalTrafficPolicy: 'Cluster', allocateLoadBalancerNodePorts: true, ipFamilyPolicy: 'SingleStack' });
    expect(services.validate(np)).toEqual([]);
    expect(services.validate(lb)).toEqual([]);
  });

  it('headless services without selector require dual-stack', () => {
    const svc = createService({ clusterIP: 'None', ports: [{ port: 80 }] });
    expect(svc.spec).toMatchObject({ clusterIP: 'None', clusterIPs: ['None'], ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv4', 'IPv6'] });
    expect(services.validate(svc)).toEqual([]);
  });

  it('ExternalName gets no IP families', () => {
    const svc = createService({ type: 'ExternalName', externalName: 'example.com' });
    expect(svc.spec.ipFamilies).toBeUndefined();
    expect(svc.spec.internalTrafficPolicy).toBeUndefined();
    expect(services.validate(svc)).toEqual([]);
  });

  it('sessionAffinity ClientIP gets a timeout', () => {
    const svc = createService({ sessionAffinity: 'ClientIP', ports: [{ port: 80 }] });
    expect(svc.spec.sessionAffinityConfig).toEqual({ clientIP: { timeoutSeconds: 10800 } });
  });
});

describe('Service validation', () => {
  it.each<[string, Record<string, any>, string[]]>([
    ['ports required', { selector: { app: 'x' } }, ['spec.ports: Required value']],
    ['names required with several ports', { ports: [{ port: 80 }, { port: 443 }] }, ['spec.ports[0].name: Required value', 'spec.ports[1].name: Required value']],
    ['unique port names', { ports: [{ name: 'web', port: 80 }, { name: 'web', port: 81 }] }, ['spec.ports[1].name: Duplicate value: "web"']],
    ['port range', { ports: [{ port: 0, targetPort: 80 }] }, ['spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive']],
    ['nodePort on ClusterIP', { ports: [{ port: 80, nodePort: 30080 }] }, ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]],
    ['type values', { type: 'Internal', ports: [{ port: 80 }] }, [
      'spec.type: Unsupported value: "Internal": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
    ]],
    ['externalName required', { type: 'ExternalName' }, ['spec.externalName: Required value']],
    ['bad cluster IP', { clusterIP: '10.0.0.300', ports: [{ port: 80 }] }, [
      'spec.clusterIPs[0]: Invalid value: "10.0.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    ]],
    ['duplicate ports', { ports: [{ name: 'a', port: 80 }, { name: 'b', port: 80 }] }, [
      'spec.ports[1]: Duplicate value: {"Name":"","Protocol":"TCP","AppProtocol":null,"Port":80,"TargetPort":0,"NodePort":0}',
    ]],
  ])('%s', (_n, spec, want) => {
    expect(messages(services.validate(createService(spec)))).toEqual(want);
  });

  it('uses DNS-1035 label names', () => {
    expect(messages(services.validate(createService({ ports: [{ port: 80 }] }, '1web')))).toEqual([
      'metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or \'-\', start with an alphabetic character, and end with an alphanumeric character (e.g. \'my-name\',  or \'abc-123\', regex used for validation is \'[a-z]([-a-z0-9]*[a-z0-9])?\')',
    ]);
  });
});

describe('Service updates', () => {
  const base = () => createService({ clusterIP: '10.96.0.10', selector: { app: 'web' }, ports: [{ port: 80 }] });

  it('keeps an allocated cluster IP a client omitted', () => {
    const { obj, errs } = updateService(base(), (s) => {
      delete s.spec.clusterIP;
      delete s.spec.clusterIPs;
      s.spec.ports[0].port = 8080;
    });
    expect(errs).toEqual([]);
    expect(obj.spec.clusterIPs).toEqual(['10.96.0.10']);
  });

  it('refuses a changed cluster IP', () => {
    const { errs } = updateService(base(), (s) => (s.spec.clusterIP = '10.96.0.11'));
    expect(errs).toEqual(['spec.clusterIPs[0]: Invalid value: ["10.96.0.11"]: may not change once set']);
  });

  it('drops the cluster IP when switching to ExternalName', () => {
    const { obj, errs } = updateService(base(), (s) => {
      s.spec.type = 'ExternalName';
      s.spec.externalName = 'example.com';
    });
    expect(errs).toEqual([]);
    expect(obj.spec.clusterIP).toBeUndefined();
    expect(obj.spec.ipFamilies).toBeUndefined();
  });

  it('drops node ports when switching back to ClusterIP', () => {
    const np = createService({ type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }], clusterIP: '10.96.0.12' });
    const { obj, errs } = updateService(np, (s) => (s.spec.type = 'ClusterIP'));
    expect(errs).toEqual([]);
    expect(obj.spec.ports[0].nodePort).toBeUndefined();
    expect(obj.spec.externalTrafficPolicy).toBeUndefined();
  });

  it('drops the secondary family when a headless service turns SingleStack', () => {
    const hl = createService({ clusterIP: 'None', ports: [{ port: 80 }] });
    expect(hl.spec.ipFamilies).toEqual(['IPv4', 'IPv6']);
    const { obj, errs } = updateService(hl, (s) => (s.spec.ipFamilyPolicy = 'SingleStack'));
    expect(errs).toEqual([]);
    expect(obj.spec.ipFamilies).toEqual(['IPv4']);
  });
});

describe('Endpoints and EndpointSlices', () => {
  it('validates endpoint addresses and ports', () => {
    const ep = strategyFor('', 'Endpoints');
    const obj: KObject = {
      metadata: { name: 'web', namespace: 'default' },
      subsets: [{ addresses: [{ ip: '169.254.0.5' }, { ip: '127.0.0.1' }], ports: [{ port: 80 }, { port: 81 }] }],
    };
    ep.default!(obj);
    expect(obj.subsets[0].ports[0].protocol).toBe('TCP');
    expect(messages(ep.validate(obj))).toEqual([
      'subsets[0].addresses[0].ip: Invalid value: "169.254.0.5": may not be in the link-local range (169.254.0.0/16, fe80::/10)',
      'subsets[0].ports[0].name: Required value',
      'subsets[0].ports[1].name: Required value',
    ]);
  });

  it('keeps an EndpointSlice address type', () => {
    const es = strategyFor('discovery.k8s.io', 'EndpointSlice');
    const obj: KObject = { metadata: { name: 'web-1', namespace: 'default' }, addressType: 'IPv4', endpoints: [{ addresses: ['10.1.2.3'] }], ports: [{ port: 80 }] };
    es.default!(obj);
    expect(obj.ports).toEqual([{ port: 80, name: '', protocol: 'TCP' }]);
    expect(es.validate(obj)).toEqual([]);
    const next = { ...structuredClone(obj), addressType: 'IPv6' };
    expect(messages(es.validateUpdate(next, obj))).toEqual([
      'endpoints[0].addresses[0]: Invalid value: "10.1.2.3": must be an IPv6 address',
      'addressType: Invalid value: "IPv6": field is immutable',
    ]);
    expect(messages(es.validate({ metadata: obj.metadata }))).toEqual(['addressType: Required value']);
  });
});
