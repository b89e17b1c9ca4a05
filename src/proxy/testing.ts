// Builders for the proxy's tests: Services and EndpointSlices as the API would store them.
import type { Service, ServiceSpec } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';

export function svc(ns: string, name: string, spec: ServiceSpec, lbIPs: string[] = []): Service {
  return {
    apiVersion: 'v1', kind: 'Service',
    metadata: { namespace: ns, name },
    spec: { type: 'ClusterIP', sessionAffinity: 'None', ...spec },
    status: lbIPs.length ? { loadBalancer: { ingress: lbIPs.map((ip) => ({ ip })) } } : {},
  };
}

export interface EP {
  ip: string;
  ready?: boolean;
  serving?: boolean;
  terminating?: boolean;
  node?: string;
}

/** A slice for service `name` with the given ports (name → port) and endpoints. */
export function slice(ns: string, name: string, ports: Array<{ name?: string; port: number; protocol?: 'TCP' | 'UDP' }>, eps: EP[], sliceName = `${name}-abc`): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { namespace: ns, name: sliceName, labels: { 'kubernetes.io/service-name': name, 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' } },
    addressType: 'IPv4',
    ports: ports.map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' })),
    endpoints: eps.map((e) => ({
      addresses: [e.ip],
      conditions: { ready: e.ready ?? true, serving: e.serving ?? e.ready ?? true, terminating: e.terminating ?? false },
      nodeName: e.node ?? 'node-a',
    })),
  };
}
