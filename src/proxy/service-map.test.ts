import { describe, expect, it } from 'vitest';
import { selectEndpoints } from './endpoint-selection.js';
import { buildServiceMap, servicePortName, type ServicePortInfo } from './service-map.js';
import { slice, svc, type EP } from './testing.js';

const node = 'node-a';

describe('buildServiceMap', () => {
  it('has one entry per service port with its addresses, policies and endpoints per port name', () => {
    const map = buildServiceMap({
      nodeName: node,
      services: [
        svc('default', 'web', {
          type: 'LoadBalancer', clusterIP: '10.96.0.20', externalIPs: ['192.0.2.9'], externalTrafficPolicy: 'Local',
          sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } },
          ports: [{ name: 'http', port: 80, nodePort: 30080, protocol: 'TCP' }, { name: 'dns', port: 53, nodePort: 30053, protocol: 'UDP' }],
        }, ['127.0.0.1']),
      ],
      slices: [
        slice('default', 'web', [{ name: 'http', port: 8080 }, { name: 'dns', port: 5353, protocol: 'UDP' }], [{ ip: '10.1.0.2' }, { ip: '10.1.0.1', node: 'node-b' }]),
      ],
    });
    expect(map.map(servicePortName)).toEqual(['default/web:dns', 'default/web:http']);
    const http = map[1]!;
    expect(http).toMatchObject({
      protocol: 'TCP', clusterIP: '10.96.0.20', port: 80, nodePort: 30080, externalIPs: ['192.0.2.9'], loadBalancerIPs: ['127.0.0.1'],
      stickySeconds: 60, externalPolicyLocal: true, internalPolicyLocal: false,
    });
    expect(http.endpoints.map((e) => `${e.ip}:${e.port} local=${e.isLocal}`)).toEqual(['10.1.0.1:8080 local=false', '10.1.0.2:8080 local=true']);
    expect(map[0]!.endpoints.map((e) => e.port)).toEqual([5353, 5353]);
  });

  it('skips headless, ExternalName and other proxies\' services; ClusterIP services have no node port', () => {
    const map = buildServiceMap({
      nodeName: node,
      services: [
        svc('a', 'headless', { clusterIP: 'None', ports: [{ port: 80 }] }),
        svc('a', 'ext', { type: 'ExternalName', externalName: 'example.org' }),
        svc('a', 'plain', { clusterIP: '10.96.0.5', ports: [{ port: 80, nodePort: 30001 }], sessionAffinity: 'ClientIP' }),
      ],
      slices: [],
    });
    expect(map).toHaveLength(1);
    expect(map[0]).toMatchObject({ name: 'plain', portName: '', nodePort: 0, stickySeconds: 10800, endpoints: [] });
  });

  it('merges slices of one service, ignores slices of other services, other families and other ports', () => {
    const other = slice('default', 'web', [{ port: 8080 }], [{ ip: '10.1.0.9' }], 'web-2');
    const v6 = { ...slice('default', 'web', [{ port: 8080 }], [{ ip: 'fd00::1' }], 'web-3'), addressType: 'IPv6' };
    const map = buildServiceMap({
      nodeName: node,
      services: [svc('default', 'web', { clusterIP: '10.96.0.20', ports: [{ port: 80 }] })],
      slices: [
        slice('default', 'web', [{ port: 8080 }], [{ ip: '10.1.0.2' }]),
        other, v6,
        slice('default', 'db', [{ port: 5432 }], [{ ip: '10.1.0.7' }]),
        slice('default', 'web', [{ name: 'metrics', port: 9090 }], [{ ip: '10.1.0.3' }], 'web-4'),
      ],
    });
    expect(map[0]!.endpoints.map((e) => e.ip)).toEqual(['10.1.0.2', '10.1.0.9']);
  });
});

function sp(eps: EP[], policy: { internal?: boolean; external?: boolean } = {}): ServicePortInfo {
  const [info] = buildServiceMap({
    nodeName: node,
    services: [svc('ns', 's', {
      type: 'NodePort', clusterIP: '10.96.0.9', ports: [{ port: 80, nodePort: 30009 }],
      internalTrafficPolicy: policy.internal ? 'Local' : 'Cluster', externalTrafficPolicy: policy.external ? 'Local' : 'Cluster',
    })],
    slices: [slice('ns', 's', [{ port: 8080 }], eps)],
  });
  return info!;
}

describe('selectEndpoints', () => {
  const ready = (n: number, node = 'node-a'): EP => ({ ip: `10.1.0.${n}`, node });
  const terminating = (n: number, serving: boolean, node = 'node-a'): EP => ({ ip: `10.1.0.${n}`, ready: false, serving, terminating: true, node });
  const ips = (eps: { ip: string }[]) => eps.map((e) => e.ip.split('.')[3]).join(',');
  const cases: Array<{ name: string; eps: EP[]; policy?: { internal?: boolean; external?: boolean }; cluster: string; local: string; any: boolean }> = [
    { name: 'ready endpoints only', eps: [ready(1), { ip: '10.1.0.2', ready: false }, ready(3, 'node-b')], cluster: '1,3', local: '', any: true },
    { name: 'serving+terminating when none is ready', eps: [terminating(1, true), terminating(2, false), { ip: '10.1.0.3', ready: false }], cluster: '1', local: '', any: true },
    { name: 'terminating ignored while one is ready', eps: [terminating(1, true), ready(2, 'node-b')], cluster: '2', local: '', any: true },
    { name: 'nothing usable', eps: [terminating(1, false)], cluster: '', local: '', any: false },
    { name: 'external Local: local ready ones', eps: [ready(1), ready(2, 'node-b')], policy: { external: true }, cluster: '1,2', local: '1', any: true },
    { name: 'external Local, none local', eps: [ready(2, 'node-b')], policy: { external: true }, cluster: '2', local: '', any: true },
    { name: 'both Local: no cluster set', eps: [ready(1), ready(2, 'node-b')], policy: { internal: true, external: true }, cluster: '', local: '1', any: true },
    { name: 'both Local: local serving+terminating fallback', eps: [terminating(1, true), ready(2, 'node-b')], policy: { internal: true, external: true }, cluster: '', local: '1', any: true },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const sel = selectEndpoints(sp(c.eps, c.policy));
      expect({ cluster: ips(sel.cluster), local: ips(sel.local), any: sel.hasAnyEndpoints }).toEqual({ cluster: c.cluster, local: c.local, any: c.any });
    });
  }
});
