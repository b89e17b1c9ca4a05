// A small cluster for end-to-end placement tests: a `k8ts server` on the memory store, nodes
// registered by the pod double, and kubectl helpers that read what a user would look at.
import { startServer, kubectl, cleanup, type ServerHandle, type KubectlResult } from './harness.js';
import { startPodDouble, type NodeSpec, type PodDouble } from './pod-double.js';

export interface Cluster {
  s: ServerHandle;
  double: PodDouble;
  k(...args: string[]): Promise<KubectlResult>;
  /** `kubectl … -o json`, parsed; throws on a failing kubectl. */
  json(...args: string[]): Promise<any>;
  /** `kubectl apply -f -` of objects; throws on failure. */
  apply(...objs: object[]): Promise<void>;
  /** The live (not terminating) pods with a label selector. */
  pods(selector: string): Promise<any[]>;
  stop(): Promise<void>;
}

export async function until<T>(f: () => Promise<T | undefined>, what = 'condition', ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`${what} not reached`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startCluster(nodes: (string | NodeSpec)[], extraArgs: string[] = []): Promise<Cluster> {
  const s = await startServer({ datastore: 'memory://', extraArgs });
  let double: PodDouble;
  try {
    double = await startPodDouble(s, { nodes, leaseRenewMs: 1_000 });
  } catch (e) {
    await s.stop();
    cleanup(s);
    throw e;
  }
  const k = (...args: string[]) => kubectl(s, args, { timeoutMs: 90_000 });
  const json = async (...args: string[]) => {
    const r = await k(...args, '-o', 'json');
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
    return JSON.parse(r.stdout);
  };
  return {
    s, double, k, json,
    async apply(...objs) {
      const r = await kubectl(s, ['apply', '-f', '-'], { input: objs.map((o) => JSON.stringify(o)).join('\n') });
      if (r.code !== 0) throw new Error(`kubectl apply: ${r.stderr}`);
    },
    pods: async (selector) => (await json('get', 'pods', '-l', selector)).items.filter((p: any) => !p.metadata.deletionTimestamp),
    async stop() {
      await double.stop();
      await s.stop();
      cleanup(s);
    },
  };
}

export interface PodOptions {
  labels?: Record<string, string>;
  cpu?: string;
  [field: string]: unknown;
}

/** A pod spec with one container; other options are pod spec fields (affinity, tolerations…). */
export function podSpec(opts: PodOptions = {}): object {
  const { labels: _labels, cpu, ...spec } = opts;
  return {
    terminationGracePeriodSeconds: 30,
    containers: [{ name: 'c', image: 'registry.local/app:1', ...(cpu ? { resources: { requests: { cpu } } } : {}) }],
    ...spec,
  };
}

export function pod(name: string, opts: PodOptions = {}): object {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: opts.labels ?? { app: name } }, spec: podSpec(opts) };
}

export function deployment(name: string, replicas: number, opts: PodOptions = {}): object {
  const labels = opts.labels ?? { app: name };
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name },
    spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: podSpec(opts) } },
  };
}

/** node name → how many of `pods` it runs. */
export function countByNode(pods: any[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of pods) if (p.spec.nodeName) out[p.spec.nodeName] = (out[p.spec.nodeName] ?? 0) + 1;
  return out;
}
