// Wiring of the per-node service components that run beside the kubelet in every agent: the
// service proxy, the cluster DNS (with the kube-dns Service and this node's endpoint for it),
// and the ingress controller. Each can be turned off with `--disable proxy,dns,ingress`.
import type { RestClient } from '../client/index.js';
import { detectProxyMode, startServiceProxy, type ProxyMode } from '../proxy/index.js';
import { defaultIngressPorts, startIngressController } from '../ingress/index.js';
import { startClusterDns } from '../dns/index.js';
import { publishClusterDns } from './cluster-dns-service.js';

export const NODE_COMPONENTS = ['proxy', 'dns', 'ingress'] as const;
export type NodeComponent = (typeof NODE_COMPONENTS)[number];

export interface NodeServiceFlags {
  disable?: string;
  proxyMode?: string;
  serviceCidr?: string;
  clusterDns?: string;
  clusterDomain?: string;
  clusterDnsPort?: number;
  ingressHttpPort?: number;
  ingressHttpsPort?: number;
}

export interface RunningNodeServices {
  summary: string[];
  stop(): Promise<void>;
}

/** Components named by `--disable` (unknown names are an error). */
export function disabledComponents(spec: string | undefined): Set<NodeComponent> {
  const out = new Set<NodeComponent>();
  for (const raw of (spec ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    if (!(NODE_COMPONENTS as readonly string[]).includes(raw)) throw new Error(`--disable: unknown component "${raw}" (known: ${NODE_COMPONENTS.join(', ')})`);
    out.add(raw as NodeComponent);
  }
  return out;
}

export async function startNodeServices(client: RestClient, nodeName: string, nodeIP: string, flags: NodeServiceFlags): Promise<RunningNodeServices> {
  const off = disabledComponents(flags.disable);
  const root = process.getuid?.() === 0;
  const stops: (() => Promise<void>)[] = [];
  const summary: string[] = [];
  const clusterDns = flags.clusterDns ?? '10.96.0.10';
  // A component that cannot start (a port in use, no permission) is reported and left out; the
  // node and its pods still run. The summary printed at start says what happened.
  const attempt = async (name: string, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (e) {
      summary.push(`${name}: not running: ${(e as Error).message}`);
      console.error(`k8ts: ${name} did not start: ${(e as Error).message}`);
    }
  };
  if (!off.has('proxy')) {
    await attempt('service proxy', async () => {
      const mode = (flags.proxyMode ?? detectProxyMode()) as ProxyMode;
      if (mode !== 'iptables' && mode !== 'userspace') throw new Error(`--proxy-mode: "${mode}" is not iptables or userspace`);
      const proxy = await startServiceProxy({
        client, nodeName, nodeIPs: [nodeIP], mode, serviceCidr: flags.serviceCidr,
        onError: (e) => console.error(`k8ts proxy: ${(e as Error)?.message ?? e}`),
      });
      stops.push(() => proxy.close());
      summary.push(`service proxy: ${proxy.mode}${proxy.mode === 'userspace' ? ' (NodePorts and LoadBalancer ports; ClusterIPs need the iptables mode, as root)' : ''}`);
    });
  }
  if (!off.has('dns')) {
    await attempt('cluster DNS', async () => {
      const port = flags.clusterDnsPort ?? (root ? 53 : 10053);
      const dns = await startClusterDns({ client, listen: [{ address: nodeIP, port }], clusterDomain: flags.clusterDomain ?? 'cluster.local', selfAddresses: [clusterDns, nodeIP] });
      stops.push(() => dns.close());
      const unpublish = await publishClusterDns(client, { nodeName, nodeIP, clusterIP: clusterDns, port: dns.ports[0] ?? port });
      stops.push(unpublish);
      summary.push(`cluster DNS: ${nodeIP}:${dns.ports[0] ?? port} (service kube-system/kube-dns ${clusterDns})`);
    });
  }
  if (!off.has('ingress')) {
    await attempt('ingress', async () => {
      const d = defaultIngressPorts();
      const ing = await startIngressController({
        client, nodeName, nodeIPs: [nodeIP], httpPort: flags.ingressHttpPort ?? d.http, httpsPort: flags.ingressHttpsPort ?? d.https,
        onError: (e) => console.error(`k8ts ingress: ${(e as Error)?.message ?? e}`),
      });
      stops.push(() => ing.close());
      summary.push(`ingress: http ${ing.httpPort}, https ${ing.httpsPort} (IngressClass k8ts)`);
    });
  }
  return {
    summary,
    async stop() {
      for (const s of stops.reverse()) await s().catch((e) => console.error(`k8ts: stopping a node component: ${(e as Error).message}`));
    },
  };
}
