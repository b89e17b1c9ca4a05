// Wiring of the node agent: embedded in `k8ts server` (in-process transport as system:node:<name>,
// certificates straight from the server's CA), or alone as `k8ts agent --server --token`, which
// trades the join token for a node client certificate and a serving certificate first.
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { mkdirSync } from 'node:fs';
import type { Taint } from 'kubernetes-types/core/v1.js';
import { HttpsTransport, RestClient } from '../client/index.js';
import { startKubelet, type RunningKubelet } from '../kubelet/kubelet.js';
import { defaultNodeIP } from '../kubelet/node/machine-info.js';
import { createRuntime } from '../kubelet/runtime/index.js';
import type { RunningApiServer } from '../apiserver/api-server.js';
import { inProcessTransport } from './in-process-transport.js';
import { startNodeServices, type NodeServiceFlags } from './node-services.js';
import { K8TS_VERSION } from '../version.js';
import { caHash, parseJoinToken } from '../apiserver/pki/join-token.js';
import { X509Certificate } from 'node:crypto';

export interface AgentFlags extends NodeServiceFlags {
  nodeName?: string;
  nodeIP?: string;
  nodeLabels?: string[];
  nodeTaints?: string[];
  kubeletPort: number;
  containerRuntimeEndpoint?: string;
  kubeReserved?: string;
  systemReserved?: string;
  maxPods?: number;
  podManifestPath?: string;
}

export interface Credentials {
  caPem: string;
  clientCertPem: string;
  clientKeyPem: string;
  servingCertPem: string;
  servingKeyPem: string;
}

/** `k=v` labels; errors name the flag. */
export function parseLabels(items: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items) {
    const i = item.indexOf('=');
    if (i <= 0) throw new Error(`--node-label: "${item}" is not key=value`);
    out[item.slice(0, i)] = item.slice(i + 1);
  }
  return out;
}

/** `key=value:Effect` or `key:Effect` taints, as the kubelet's --register-with-taints. */
export function parseTaints(items: string[] = []): Taint[] {
  return items.map((item) => {
    const m = /^([^=:]+)(?:=([^:]*))?:(NoSchedule|PreferNoSchedule|NoExecute)$/.exec(item);
    if (!m) throw new Error(`--node-taint: "${item}" is not key[=value]:NoSchedule|PreferNoSchedule|NoExecute`);
    return { key: m[1], ...(m[2] !== undefined ? { value: m[2] } : {}), effect: m[3] };
  });
}

/** `cpu=500m,memory=1Gi` reserved amounts (kube-reserved, system-reserved), summed. */
export function parseReserved(...specs: (string | undefined)[]): { cpuMilli: number; memoryBytes: number; ephemeralStorageBytes: number } {
  const out = { cpuMilli: 0, memoryBytes: 0, ephemeralStorageBytes: 0 };
  for (const spec of specs) {
    for (const part of (spec ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
      const [k, v] = part.split('=');
      const n = parseAmount(v ?? '');
      if (k === 'cpu') out.cpuMilli += Math.ceil(n * 1000);
      else if (k === 'memory') out.memoryBytes += Math.ceil(n);
      else if (k === 'ephemeral-storage') out.ephemeralStorageBytes += Math.ceil(n);
      else throw new Error(`reserved resources: unknown resource "${k}" (cpu, memory, ephemeral-storage)`);
    }
  }
  return out;
}

const SUFFIX: Record<string, number> = { '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
function parseAmount(v: string): number {
  const m = /^(\d+(?:\.\d+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(v);
  if (!m) throw new Error(`reserved resources: "${v}" is not a quantity`);
  return Number(m[1]) * SUFFIX[m[2] ?? ''];
}

export interface RunningAgent {
  nodeName: string;
  port: number;
  /** One line per node component (proxy, DNS, ingress) that runs. */
  summary: string[];
  stop(): Promise<void>;
}

async function runKubelet(flags: AgentFlags, dataDir: string, client: RestClient, creds: Credentials, nodeName: string, nodeIP: string): Promise<RunningAgent> {
  const rootDir = join(dataDir, 'agent');
  mkdirSync(rootDir, { recursive: true, mode: 0o700 });
  const runtime = await createRuntime(flags.containerRuntimeEndpoint ?? 'process', { process: { rootDir, nodeIp: nodeIP } });
  const kubelet: RunningKubelet = await startKubelet({
    client, runtime, nodeName, nodeIP, rootDir,
    port: flags.kubeletPort,
    tls: { certPem: creds.servingCertPem, keyPem: creds.servingKeyPem, caPem: creds.caPem },
    labels: parseLabels(flags.nodeLabels),
    taints: parseTaints(flags.nodeTaints),
    reserved: parseReserved(flags.kubeReserved, flags.systemReserved),
    maxPods: flags.maxPods,
    podManifestPath: flags.podManifestPath,
    kubeletVersion: `v1.35.0-k8ts.${K8TS_VERSION}`,
  });
  let services;
  try {
    services = await startNodeServices(client, kubelet.nodeName, nodeIP, flags);
  } catch (e) {
    await kubelet.stop();
    throw e;
  }
  return {
    nodeName: kubelet.nodeName,
    port: kubelet.port,
    summary: services.summary,
    async stop() {
      await services.stop();
      await kubelet.stop();
    },
  };
}

/** The agent inside `k8ts server`. */
export async function startEmbeddedAgent(server: RunningApiServer, flags: AgentFlags, dataDir: string): Promise<RunningAgent> {
  const nodeName = (flags.nodeName ?? hostname()).toLowerCase();
  const nodeIP = flags.nodeIP ?? defaultNodeIP();
  const creds = await server.agentCredentials(nodeName, [nodeIP]);
  const user = { name: `system:node:${nodeName}`, groups: ['system:nodes', 'system:authenticated'] };
  const client = new RestClient(inProcessTransport(server, user), { userAgent: `k8ts-kubelet/${K8TS_VERSION}` });
  return runKubelet(flags, dataDir, client, creds, nodeName, nodeIP);
}

/**
 * Trades the join token for the node's certificates (`POST /k8ts/v1/agent-credentials`). The
 * token carries the CA's hash (k3s style), so the agent checks that the CA it is handed is the
 * cluster's and that the server it talked to holds a certificate from that CA.
 */
export async function fetchCredentials(serverUrl: string, token: string, nodeName: string, addresses: string[]): Promise<Credentials> {
  const res = await postForCredentials(`${serverUrl.replace(/\/$/, '')}/k8ts/v1/agent-credentials`, token, JSON.stringify({ nodeName, addresses }));
  if (res.status !== 200) throw new Error(`the server refused the join token (${res.status}): ${res.body.slice(0, 300)}`);
  const creds = JSON.parse(res.body) as Credentials;
  const want = parseJoinToken(token).caHash;
  if (want && caHash(creds.caPem) !== want) throw new Error('the CA the server returned does not match the join token (wrong server, or a token from another cluster)');
  if (res.peerCert && !res.peerCert.checkIssued(new X509Certificate(creds.caPem))) {
    throw new Error('the server certificate was not issued by the CA it returned');
  }
  return creds;
}

/** The first contact happens before the agent knows the CA; the answer is checked afterwards. */
async function postForCredentials(url: string, token: string, body: string): Promise<{ status: number; body: string; peerCert?: X509Certificate }> {
  const https = await import('node:https');
  return new Promise((resolvePromise, reject) => {
    const req = https.request(url, {
      method: 'POST', rejectUnauthorized: false, agent: false,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    }, (res) => {
      const raw = (res.socket as import('node:tls').TLSSocket).getPeerCertificate?.()?.raw;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, body: text, peerCert: raw ? new X509Certificate(raw) : undefined }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

export interface RemoteAgentFlags extends AgentFlags {
  server: string;
  token: string;
  dataDir?: string;
}

/** `k8ts agent`: the same node agent against a remote server. */
export async function runAgent(flags: RemoteAgentFlags, defaultDataDir: string): Promise<void> {
  const dataDir = resolve(flags.dataDir ?? defaultDataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const nodeName = (flags.nodeName ?? hostname()).toLowerCase();
  const nodeIP = flags.nodeIP ?? defaultNodeIP();
  let kubelet: RunningAgent;
  try {
    const creds = await fetchCredentials(flags.server, flags.token, nodeName, [nodeIP]);
    const client = new RestClient(new HttpsTransport({ server: flags.server.replace(/\/$/, ''), ca: creds.caPem, cert: creds.clientCertPem, key: creds.clientKeyPem }), { userAgent: `k8ts-kubelet/${K8TS_VERSION}` });
    kubelet = await runKubelet(flags, dataDir, client, creds, nodeName, nodeIP);
  } catch (e) {
    console.error(`k8ts agent: ${(e as Error).message}`);
    process.exit(1);
  }
  console.log(`k8ts agent: node ${kubelet.nodeName} is registered with ${flags.server} (node port ${kubelet.port})`);
  for (const line of kubelet.summary) console.log(`  ${line}`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`k8ts agent: ${signal} received, stopping pods and shutting down`);
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await kubelet.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
