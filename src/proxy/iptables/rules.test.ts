// Golden files: each case's service map → testdata/<case>.txt, the iptables-restore input.
// `UPDATE=1 npx vitest run src/proxy/iptables` rewrites them; review the diff like code.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { buildServiceMap } from '../service-map.js';
import { slice, svc } from '../testing.js';
import { endpointChain, serviceChain } from './chain-names.js';
import { generateRules, ruleLine, type RuleOptions } from './rules.js';

const testdata = join(dirname(fileURLToPath(import.meta.url)), 'testdata');

interface Case {
  name: string;
  services: Service[];
  slices: EndpointSlice[];
  opts?: RuleOptions;
}

const cases: Case[] = [
  { name: 'empty', services: [], slices: [] },
  {
    name: 'cluster-ip',
    services: [
      svc('default', 'web', { clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80 }] }),
      svc('default', 'idle', { clusterIP: '10.96.0.21', ports: [{ port: 8080 }] }),
    ],
    slices: [slice('default', 'web', [{ name: 'http', port: 8080 }], [{ ip: '10.244.0.5' }, { ip: '10.244.0.6', node: 'node-b' }, { ip: '10.244.0.7', ready: false }])],
  },
  {
    name: 'three-endpoints-terminating-fallback',
    services: [
      svc('default', 'three', { clusterIP: '10.96.0.30', ports: [{ port: 80 }] }),
      svc('default', 'draining', { clusterIP: '10.96.0.31', ports: [{ port: 80 }] }),
    ],
    slices: [
      slice('default', 'three', [{ port: 80 }], [{ ip: '10.244.0.1' }, { ip: '10.244.0.2' }, { ip: '10.244.0.3' }]),
      slice('default', 'draining', [{ port: 80 }], [{ ip: '10.244.0.9', ready: false, serving: true, terminating: true }]),
    ],
  },
  {
    name: 'nodeport-loadbalancer-externalip',
    services: [
      svc('shop', 'front', {
        type: 'LoadBalancer', clusterIP: '10.96.1.10', externalIPs: ['192.0.2.10'],
        ports: [{ name: 'http', port: 80, nodePort: 30080 }],
      }, ['172.16.0.2']),
      svc('shop', 'empty', { type: 'NodePort', clusterIP: '10.96.1.11', ports: [{ port: 80, nodePort: 30081 }] }),
    ],
    slices: [slice('shop', 'front', [{ name: 'http', port: 8080 }], [{ ip: '10.244.1.2' }])],
  },
  {
    name: 'external-traffic-policy-local',
    services: [
      svc('shop', 'local', { type: 'NodePort', clusterIP: '10.96.2.10', externalTrafficPolicy: 'Local', ports: [{ port: 80, nodePort: 30090 }] }),
      svc('shop', 'elsewhere', { type: 'NodePort', clusterIP: '10.96.2.11', externalTrafficPolicy: 'Local', ports: [{ port: 80, nodePort: 30091 }] }),
      svc('shop', 'internal', { clusterIP: '10.96.2.12', internalTrafficPolicy: 'Local', ports: [{ port: 80 }] }),
    ],
    slices: [
      slice('shop', 'local', [{ port: 8080 }], [{ ip: '10.244.2.1' }, { ip: '10.244.2.2', node: 'node-b' }]),
      slice('shop', 'elsewhere', [{ port: 8080 }], [{ ip: '10.244.2.3', node: 'node-b' }]),
      slice('shop', 'internal', [{ port: 8080 }], [{ ip: '10.244.2.4', node: 'node-b' }]),
    ],
  },
  {
    name: 'session-affinity-udp',
    services: [
      svc('kube-system', 'kube-dns', {
        clusterIP: '10.96.0.10', sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 300 } },
        ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }],
      }),
    ],
    slices: [slice('kube-system', 'kube-dns', [{ name: 'dns', port: 5353, protocol: 'UDP' }, { name: 'dns-tcp', port: 5353 }], [{ ip: '10.244.0.53' }, { ip: '10.244.0.54' }])],
  },
  {
    name: 'stale-chains-and-masquerade-all',
    services: [svc('default', 'web', { clusterIP: '10.96.0.20', ports: [{ port: 80 }] })],
    slices: [slice('default', 'web', [{ port: 8080 }], [{ ip: '10.244.0.5' }])],
    opts: {
      masqueradeAll: true,
      existingChains: {
        filter: ['K8TS-SERVICES', 'K8TS-EXTERNAL-SERVICES'],
        nat: ['K8TS-SERVICES', 'K8TS-SVC-GONEGONEGONEGONE', 'K8TS-SEP-GONEGONEGONEGONE', 'KUBE-SERVICES'],
      },
    },
  },
];

describe('generateRules (golden)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const map = buildServiceMap({ services: c.services, slices: c.slices, nodeName: 'node-a' });
      const got = generateRules(map, c.opts).text;
      const file = join(testdata, `${c.name}.txt`);
      if (process.env.UPDATE) {
        mkdirSync(testdata, { recursive: true });
        writeFileSync(file, got);
      }
      expect(got).toBe(readFileSync(file, 'utf8'));
    });
  }

  it('lists the chains it leaves, and deletes only stale chains of ours', () => {
    const map = buildServiceMap({ services: cases[6]!.services, slices: cases[6]!.slices, nodeName: 'node-a' });
    const rules = generateRules(map, cases[6]!.opts);
    expect(rules.chains.nat).toContain(serviceChain('default/web', 'TCP'));
    expect(rules.chains.nat).toContain(endpointChain('default/web', 'TCP', '10.244.0.5:8080'));
    expect(rules.text).toContain('-X K8TS-SVC-GONEGONEGONEGONE');
    expect(rules.text).not.toContain('-X KUBE-SERVICES');
  });
});

describe('chain names', () => {
  it('are stable, upstream-shaped and short enough for iptables', () => {
    const c = serviceChain('default/web:http', 'TCP');
    expect(c).toMatch(/^K8TS-SVC-[A-Z2-7]{16}$/);
    expect(serviceChain('default/web:http', 'TCP')).toBe(c);
    expect(serviceChain('default/web:http', 'UDP')).not.toBe(c);
    expect(endpointChain('default/web:http', 'TCP', '10.0.0.1:80').length).toBeLessThanOrEqual(28);
  });

  it('quotes arguments with spaces', () => {
    expect(ruleLine(['-A', 'X', '-m', 'comment', '--comment', 'a b', '-j', 'Y'])).toBe('-A X -m comment --comment "a b" -j Y');
  });
});
