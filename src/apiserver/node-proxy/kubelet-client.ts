// The API server's HTTPS client towards kubelets: it finds the node's endpoint, presents the
// kubelet-client certificate and verifies the kubelet's serving certificate against the cluster CA
// (host name / IP checked against its SANs, as Go's client does).
import https from 'node:https';
import type { ClientRequest, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { errors, StatusError } from '../../api/errors.js';
import type { CertKeyPem } from '../pki/index.js';
import { nodeEndpoint, DEFAULT_KUBELET_PORT, type KubeletEndpoint, type NodeLike } from './node-endpoint.js';

export interface KubeletClientOptions {
  caPem: string;
  /** The API server's client certificate (CN kube-apiserver-kubelet-client). */
  clientCert: CertKeyPem;
  /** Reads a Node object (undefined when there is none). */
  getNode(name: string): Promise<NodeLike | undefined>;
  defaultPort?: number;
}

export interface KubeletRequest {
  method?: string;
  /** Path and query on the kubelet, e.g. `/containerLogs/ns/pod/c?follow=true`. */
  path: string;
  headers?: OutgoingHttpHeaders;
  signal?: AbortSignal;
}

export class KubeletClient {
  private readonly agent: https.Agent;

  constructor(private readonly opts: KubeletClientOptions) {
    this.agent = new https.Agent({ keepAlive: true, ca: opts.caPem, cert: opts.clientCert.certPem, key: opts.clientCert.keyPem });
  }

  /** The node's kubelet endpoint; 404 for an unknown node, 503 for a node without an address. */
  async endpoint(nodeName: string): Promise<KubeletEndpoint> {
    const node = await this.opts.getNode(nodeName);
    if (!node) throw errors.notFound('', 'nodes', nodeName);
    return nodeEndpoint(node, this.opts.defaultPort ?? DEFAULT_KUBELET_PORT);
  }

  /** Sends a request and resolves with the kubelet's response head (any status); the body is left to read. */
  async request(nodeName: string, r: KubeletRequest): Promise<IncomingMessage> {
    const ep = await this.endpoint(nodeName);
    return new Promise((resolve, reject) => {
      const req = https.request({ ...this.target(ep, r), agent: this.agent }, resolve);
      req.on('error', (e) => reject(dialError(nodeName, ep, e)));
      req.end();
    });
  }

  /**
   * Starts a request on a connection of its own (for protocol upgrades: the socket leaves the pool
   * when the kubelet switches protocols). The caller listens for 'upgrade', 'response' and 'error'.
   */
  async open(nodeName: string, r: KubeletRequest): Promise<{ req: ClientRequest; endpoint: KubeletEndpoint }> {
    const ep = await this.endpoint(nodeName);
    const req = https.request({ ...this.target(ep, r), agent: false, ca: this.opts.caPem, cert: this.opts.clientCert.certPem, key: this.opts.clientCert.keyPem });
    return { req, endpoint: ep };
  }

  close(): void {
    this.agent.destroy();
  }

  private target(ep: KubeletEndpoint, r: KubeletRequest): https.RequestOptions {
    return { host: ep.host, port: ep.port, method: r.method ?? 'GET', path: r.path, headers: r.headers, signal: r.signal };
  }
}

/** A failure to reach a kubelet, as the Status a client sees. */
export function dialError(nodeName: string, ep: KubeletEndpoint, e: Error): StatusError {
  if (e instanceof StatusError) return e;
  const host = ep.host.includes(':') ? `[${ep.host}]` : ep.host;
  return new StatusError(503, 'ServiceUnavailable', `error dialing backend: node "${nodeName}" kubelet at ${host}:${ep.port}: ${e.message}`);
}
