// What a node agent needs to join: the cluster CA, a client certificate that makes it the node's
// user (system:node:<name> in system:nodes, as the Node authorizer expects) and a serving
// certificate for its kubelet server (port 10250), which the API server verifies when it calls in.
import { isIP } from 'node:net';
import { issueClientCert, issueServingCert, type Pki } from './pki.js';

export interface AgentCredentials {
  caPem: string;
  clientCertPem: string;
  clientKeyPem: string;
  servingCertPem: string;
  servingKeyPem: string;
}

/** Node names are DNS subdomains (upstream validates Node names so). */
const NODE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const HOST_NAME = /^[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*$/;

/** Why a request for credentials is unusable, or undefined. */
export function agentRequestProblem(nodeName: unknown, addresses: unknown): string | undefined {
  if (typeof nodeName !== 'string' || nodeName.length === 0) return 'nodeName is required';
  if (nodeName.length > 253 || !NODE_NAME.test(nodeName)) return `nodeName "${nodeName}" is not a valid node name (a lowercase RFC 1123 subdomain)`;
  if (!Array.isArray(addresses)) return 'addresses must be a list of IP addresses or host names';
  for (const a of addresses) {
    if (typeof a !== 'string' || !(isIP(a) || (a.length <= 253 && HOST_NAME.test(a)))) return `address ${JSON.stringify(a)} is neither an IP address nor a host name`;
  }
  return undefined;
}

/** Issues a fresh pair of certificates for node `nodeName` reachable at `addresses`. Nothing is written. */
export async function issueAgentCredentials(pki: Pick<Pki, 'ca'>, nodeName: string, addresses: string[]): Promise<AgentCredentials> {
  const problem = agentRequestProblem(nodeName, addresses);
  if (problem) throw new Error(problem);
  const client = await issueClientCert(pki, { cn: `system:node:${nodeName}`, organizations: ['system:nodes'] });
  const sans = [...new Set([...addresses, nodeName, 'localhost', '127.0.0.1'])];
  const serving = await issueServingCert(pki, { cn: nodeName, sans });
  return {
    caPem: pki.ca.certPem,
    clientCertPem: client.certPem,
    clientKeyPem: client.keyPem,
    servingCertPem: serving.certPem,
    servingKeyPem: serving.keyPem,
  };
}
