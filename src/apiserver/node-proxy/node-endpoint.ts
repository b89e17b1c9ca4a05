// Where a node's kubelet listens, read from its Node object as kube-apiserver's
// NodeConnectionInfoGetter does: the first address of the preferred types, and the port the
// kubelet reported in status.daemonEndpoints (the configured default when it reported none).
import { StatusError } from '../../api/errors.js';

export interface NodeLike {
  metadata?: { name?: string };
  status?: {
    addresses?: { type?: string; address?: string }[];
    daemonEndpoints?: { kubeletEndpoint?: { Port?: number } };
  };
}

export interface KubeletEndpoint {
  host: string;
  port: number;
}

/** k3s's order: the node's own IP first, then names. */
export const PREFERRED_ADDRESS_TYPES = ['InternalIP', 'Hostname', 'InternalDNS', 'ExternalIP', 'ExternalDNS'];
export const DEFAULT_KUBELET_PORT = 10250;

export function nodeEndpoint(node: NodeLike, defaultPort = DEFAULT_KUBELET_PORT): KubeletEndpoint {
  const name = node.metadata?.name ?? '';
  const addresses = node.status?.addresses ?? [];
  let host: string | undefined;
  for (const type of PREFERRED_ADDRESS_TYPES) {
    host = addresses.find((a) => a.type === type && a.address)?.address;
    if (host) break;
  }
  if (!host) {
    const known = addresses.map((a) => `${a.type}:${a.address}`).join(' ');
    throw new StatusError(503, 'ServiceUnavailable', `node "${name}" has no address the API server can reach its kubelet on (known addresses: [${known}]); is its node agent running?`);
  }
  const reported = node.status?.daemonEndpoints?.kubeletEndpoint?.Port;
  const port = typeof reported === 'number' && reported > 0 && reported < 65536 ? reported : defaultPort;
  return { host, port };
}
