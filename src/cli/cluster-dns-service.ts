// The kube-dns Service (kube-system, clusterIP --cluster-dns, ports 53/UDP and 53/TCP) that
// points at the agents' DNS servers: it has no selector, so each agent publishes an
// EndpointSlice with its own address and removes it when it stops.
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { isNotFound, resources, type RestClient } from '../client/index.js';

export interface ClusterDnsEndpoint {
  nodeName: string;
  nodeIP: string;
  clusterIP: string;
  /** The port the node's DNS server listens on. */
  port: number;
}

const NS = 'kube-system';

export async function publishClusterDns(client: RestClient, e: ClusterDnsEndpoint): Promise<() => Promise<void>> {
  const services = client.resource(resources.services).namespace(NS);
  try {
    await services.get('kube-dns');
  } catch (err) {
    if (!isNotFound(err)) throw err;
    await services.create({
      apiVersion: 'v1', kind: 'Service',
      metadata: { name: 'kube-dns', namespace: NS, labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'KubeDNS' } },
      spec: {
        clusterIP: e.clusterIP,
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
          { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        ],
      },
    }).catch((err2) => {
      if ((err2 as { code?: number }).code !== 409) throw err2;
    });
  }
  const slices = client.resource(resources.endpointSlices).namespace(NS);
  const name = `kube-dns-${e.nodeName}`.slice(0, 253);
  const slice: EndpointSlice = {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { name, namespace: NS, labels: { 'kubernetes.io/service-name': 'kube-dns', 'endpointslice.kubernetes.io/managed-by': 'agent.k8ts.io' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [e.nodeIP], conditions: { ready: true, serving: true, terminating: false }, nodeName: e.nodeName }],
    ports: [{ name: 'dns', port: e.port, protocol: 'UDP' }, { name: 'dns-tcp', port: e.port, protocol: 'TCP' }],
  };
  try {
    const old = await slices.get(name);
    await slices.update({ ...slice, metadata: { ...slice.metadata, resourceVersion: old.metadata?.resourceVersion } });
  } catch (err) {
    if (!isNotFound(err)) throw err;
    await slices.create(slice);
  }
  return async () => {
    await slices.delete(name).catch(() => {});
  };
}
