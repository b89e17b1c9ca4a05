import { describe, expect, it } from 'vitest';
import type { Node, Service } from 'kubernetes-types/core/v1.js';
import { desiredIngress, isManaged, loadBalancerIPs } from './service-lb-utils.js';

function node(name: string, ips: string[], o: { ready?: boolean; unschedulable?: boolean; labels?: Record<string, string> } = {}): Node {
  return {
    metadata: { name, labels: o.labels },
    spec: { unschedulable: o.unschedulable },
    status: {
      conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }],
      addresses: [{ type: 'Hostname', address: name }, ...ips.map((address) => ({ type: 'InternalIP', address }))],
    },
  };
}

const lb = (spec: Service['spec'] = {}): Service => ({ metadata: { name: 's', namespace: 'n' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }], ...spec } });

describe('isManaged', () => {
  it.each([
    [lb(), true],
    [lb({ loadBalancerClass: 'k8ts.io/service-lb' }), true],
    [lb({ loadBalancerClass: 'example.com/metal' }), false],
    [lb({ type: 'ClusterIP' }), false],
    [lb({ type: 'NodePort' }), false],
  ])('%j → %s', (svc, want) => expect(isManaged(svc)).toBe(want));
});

describe('loadBalancerIPs', () => {
  const nodes = [
    node('b', ['10.0.0.10']),
    node('a', ['10.0.0.9', 'fd00::9']),
    node('down', ['10.0.0.20'], { ready: false }),
    node('cordoned', ['10.0.0.21'], { unschedulable: true }),
    node('excluded', ['10.0.0.22'], { labels: { 'node.kubernetes.io/exclude-from-external-load-balancers': '' } }),
  ];
  it('takes the InternalIPs of Ready, schedulable nodes, sorted, of the Service\'s families', () => {
    expect(loadBalancerIPs(lb(), nodes)).toEqual(['10.0.0.9', '10.0.0.10']);
    expect(loadBalancerIPs(lb({ ipFamilies: ['IPv6'] }), nodes)).toEqual(['fd00::9']);
    expect(loadBalancerIPs(lb({ ipFamilies: ['IPv4', 'IPv6'] }), nodes)).toEqual(['10.0.0.9', '10.0.0.10', 'fd00::9']);
  });
});

describe('desiredIngress', () => {
  const nodes = [node('a', ['192.168.1.5'])];
  it('is the node IPs in VIP mode for a managed Service', () => {
    expect(desiredIngress(lb(), nodes)).toEqual([{ ip: '192.168.1.5', ipMode: 'VIP' }]);
    expect(desiredIngress(lb(), [])).toEqual([]);
  });
  it('is empty once the type is no longer LoadBalancer, and undefined for another class', () => {
    expect(desiredIngress(lb({ type: 'ClusterIP' }), nodes)).toEqual([]);
    expect(desiredIngress(lb({ loadBalancerClass: 'example.com/metal' }), nodes)).toBeUndefined();
  });
});
