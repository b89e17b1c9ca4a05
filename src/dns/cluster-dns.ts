// The cluster DNS a node agent runs: informers over the API feed the resolver, listeners answer
// on UDP and TCP, other names go to the host's resolvers. Start-up order: informers registered
// and started, listeners bound (answers before the first sync are SERVFAIL for absent names, so
// clients retry rather than cache a false NXDOMAIN), then the handle is returned.
import { SharedInformerFactory, type RestClient } from '../client/index.js';
import type { ClusterView } from './cluster-view.js';
import { Forwarder } from './forwarder.js';
import { DnsHandler } from './handler.js';
import { informerView } from './informer-view.js';
import { hostUpstreams } from './resolv-conf.js';
import { listenDns, type ListenAddress } from './server.js';
import type { PodMode } from './zone-nodes.js';

export interface ClusterDnsOptions {
  /** Where the data comes from: a client (the server makes its own informers) or the agent's factory. */
  client?: RestClient;
  informers?: SharedInformerFactory;
  /** A fixed view instead of informers (tests, tools). */
  view?: ClusterView;
  listen: ListenAddress[];
  /** Default cluster.local. */
  clusterDomain?: string;
  /** Resolvers for other names (`host` or `host:port`); default: the host's resolv.conf. */
  upstreams?: string[];
  /** resolv.conf to read when `upstreams` is not given (default /etc/resolv.conf). */
  resolvConf?: string;
  /** Nameservers of resolv.conf never to forward to because they lead back here (the kube-dns ClusterIP). */
  selfAddresses?: string[];
  /** TTL of every answer, in seconds (default 5, as kubeadm's CoreDNS). */
  ttl?: number;
  /** Pod names `a-b-c-d.<ns>.pod.<zone>` (default insecure, as kubeadm's CoreDNS). */
  podMode?: PodMode;
  /** Per-attempt upstream timeout (default 2 s). */
  upstreamTimeoutMs?: number;
  onError?: (err: unknown) => void;
}

export interface ClusterDns {
  /** The port bound for each listen address (UDP and TCP alike). */
  ports: number[];
  /** Resolves once the caches have synced (false if the server closed first). */
  synced(): Promise<boolean>;
  close(): Promise<void>;
}

export async function startClusterDns(opts: ClusterDnsOptions): Promise<ClusterDns> {
  const ownFactory = !opts.view && !opts.informers;
  if (ownFactory && !opts.client) throw new Error('cluster dns: a client, an informer factory or a view is required');
  const factory = opts.informers ?? (ownFactory ? new SharedInformerFactory(opts.client!) : undefined);
  const podMode = opts.podMode ?? 'insecure';
  const view = opts.view ?? informerView(factory!, { pods: podMode === 'verified' });
  const stop = new AbortController();
  let synced: Promise<boolean> = Promise.resolve(view.hasSynced());
  if (factory) {
    factory.start();
    synced = factory.waitForCacheSync(stop.signal).then(() => view.hasSynced());
  }

  const upstreams = opts.upstreams ?? hostUpstreams(opts.listen, opts.resolvConf, opts.selfAddresses);
  const handler = new DnsHandler({
    view,
    resolver: { zone: opts.clusterDomain ?? 'cluster.local', ttl: opts.ttl ?? 5, podMode, serial: Math.floor(Date.now() / 1000) },
    forwarder: new Forwarder(upstreams, { timeoutMs: opts.upstreamTimeoutMs }),
  });
  let listeners;
  try {
    listeners = await listenDns(handler, opts.listen, { onError: opts.onError });
  } catch (err) {
    stop.abort();
    if (ownFactory) await factory!.shutdown();
    throw err;
  }
  return {
    ports: listeners.ports,
    synced: () => synced,
    close: async () => {
      stop.abort();
      await listeners.close();
      // A factory given by the agent is the agent's to stop.
      if (ownFactory) await factory!.shutdown();
    },
  };
}
