// computeSubsets table: which pods land in addresses or notReadyAddresses, with which ports.
import { describe, expect, it } from 'vitest';
import type { EndpointSubset, Pod, Service } from 'kubernetes-types/core/v1.js';
import { computeSubsets } from './subsets.js';
import { truncateSubsets } from './capacity.js';

function svc(spec: Service['spec'] = {}): Service {
  return { metadata: { name: 'web', namespace: 'ns' }, spec: { clusterIP: '10.96.0.5', ipFamilies: ['IPv4'], selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }], ...spec } };
}

interface PodOpts { ip?: string; ready?: boolean; deleting?: boolean; phase?: string; ports?: Array<{ name: string; containerPort: number }>; hostname?: string; subdomain?: string }

function pod(name: string, o: PodOpts = {}): Pod {
  const ip = o.ip ?? `10.0.0.${name.charCodeAt(0) - 96}`;
  return {
    metadata: { name, namespace: 'ns', uid: `uid-${name}`, labels: { app: 'web' }, ...(o.deleting ? { deletionTimestamp: '2025-01-01T00:00:00Z' } : {}) },
    spec: { nodeName: 'n1', hostname: o.hostname, subdomain: o.subdomain, containers: [{ name: 'c', image: 'i', ports: o.ports }] },
    status: { phase: o.phase ?? 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
  };
}

const addr = (name: string, extra: Record<string, unknown> = {}) => ({
  ip: `10.0.0.${name.charCodeAt(0) - 96}`, nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'ns', name, uid: `uid-${name}` }, ...extra,
});
const http8080 = [{ name: 'http', port: 8080, protocol: 'TCP' }];

const cases: Array<{ name: string; service: Service; pods: Pod[]; want: EndpointSubset[] }> = [
  {
    name: 'ready and unready pods share one subset',
    service: svc(), pods: [pod('b', { ready: false }), pod('a')],
    want: [{ addresses: [addr('a')], notReadyAddresses: [addr('b')], ports: http8080 }],
  },
  {
    name: 'publishNotReadyAddresses lists unready pods as ready, and keeps terminating ones',
    service: svc({ publishNotReadyAddresses: true }), pods: [pod('a', { ready: false }), pod('b', { deleting: true })],
    want: [{ addresses: [addr('a'), addr('b')], ports: http8080 }],
  },
  {
    name: 'terminating, terminal and IP-less pods are left out',
    service: svc(), pods: [pod('a', { deleting: true }), pod('b', { phase: 'Succeeded' }), pod('c', { phase: 'Failed' }), { ...pod('d'), status: { phase: 'Pending' } }],
    want: [],
  },
  {
    name: 'a named targetPort is resolved per pod; pods without it are left out',
    service: svc({ ports: [{ name: 'http', port: 80, targetPort: 'web', protocol: 'TCP' }] }),
    pods: [pod('a', { ports: [{ name: 'web', containerPort: 8080 }] }), pod('b', { ports: [{ name: 'web', containerPort: 9090 }] }), pod('c')],
    want: [
      { addresses: [addr('a')], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] },
      { addresses: [addr('b')], ports: [{ name: 'http', port: 9090, protocol: 'TCP' }] },
    ],
  },
  {
    // Repacking groups by port: each port lists the addresses that offer it.
    name: 'pods offering different port sets: one subset per distinct address set',
    service: svc({ ports: [{ name: 'http', port: 80, targetPort: 'web', protocol: 'TCP' }, { name: 'm', port: 9100, targetPort: 9100, protocol: 'TCP' }] }),
    pods: [pod('a', { ports: [{ name: 'web', containerPort: 8080 }] }), pod('b')],
    want: [
      { addresses: [addr('a'), addr('b')], ports: [{ name: 'm', port: 9100, protocol: 'TCP' }] },
      { addresses: [addr('a')], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] },
    ],
  },
  {
    name: 'hostname when the pod names the service as its subdomain',
    service: svc({ clusterIP: 'None' }), pods: [pod('a', { hostname: 'a0', subdomain: 'web' }), pod('b', { hostname: 'b0', subdomain: 'other' })],
    want: [{ addresses: [addr('a', { hostname: 'a0' }), addr('b')], ports: http8080 }],
  },
  {
    name: 'a headless service without ports still lists addresses',
    service: svc({ clusterIP: 'None', ports: [] }), pods: [pod('a'), pod('b', { ready: false })],
    want: [{ addresses: [addr('a')], notReadyAddresses: [addr('b')] }],
  },
  {
    name: 'an IPv6 service skips IPv4-only pods',
    service: svc({ ipFamilies: ['IPv6'], clusterIP: 'fd00::5' }), pods: [pod('a')],
    want: [],
  },
];

describe('computeSubsets', () => {
  for (const c of cases) {
    it(c.name, () => {
      expect(computeSubsets(c.service, c.pods).subsets).toEqual(c.want);
    });
  }

  it('counts ready and not-ready addresses per port', () => {
    const r = computeSubsets(svc(), [pod('a'), pod('b', { ready: false })]);
    expect([r.ready, r.notReady]).toEqual([1, 1]);
  });
});

describe('truncateSubsets', () => {
  const many = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => ({ ip: `${prefix}.${Math.floor(i / 250)}.${i % 250}` }));

  it('leaves endpoints within capacity alone', () => {
    expect(truncateSubsets([{ addresses: many(1000, '10.0') }])).toBeUndefined();
  });

  it('keeps ready addresses first, cutting not-ready ones', () => {
    const out = truncateSubsets([{ addresses: many(900, '10.0'), notReadyAddresses: many(300, '10.1') }])!;
    expect(out[0].addresses).toHaveLength(900);
    expect(out[0].notReadyAddresses).toHaveLength(100);
  });

  it('shares ready addresses between subsets in proportion and drops not-ready ones', () => {
    const out = truncateSubsets([{ addresses: many(1500, '10.0'), notReadyAddresses: many(5, '10.9') }, { addresses: many(500, '10.1') }])!;
    expect(out.map((s) => s.addresses?.length)).toEqual([750, 250]);
    expect(out[0].notReadyAddresses).toBeUndefined();
  });
});
