// Starting and stopping the API server: an explicit sequence of steps, each failure wrapped
// with what was being started (k3s style).
import http2 from 'node:http2';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Http2SecureServer } from 'node:http2';
import { loadSchema } from '../api/schema/index.js';
import { Registry } from '../api/registry/registry.js';
import { strategyFor } from '../api/strategies/index.js';
import { openStore, type ManagedStore } from '../storage/index.js';
import { realClock, type Clock } from '../util/clock.js';
import { CacheSet } from './cache/cache-set.js';
import { ResourceStore } from './registry/resource-store.js';
import { AdmissionChain } from './admission/types.js';
import { NamespaceLifecycle } from './admission/namespace-lifecycle.js';
import { DefaultTolerationSeconds } from './admission/default-toleration-seconds.js';
import { Priority } from './admission/priority.js';
import { DefaultIngressClass } from './admission/default-ingress-class.js';
import { AllowAuthenticatedAuthorizer } from './auth/authorizer.js';
import { ApiMetrics, instrumentStore } from './metrics.js';
import { NonResourceDocs, type VersionInfo } from './non-resource.js';
import { Router } from './router.js';
import { inProcessRequest, type InProcessRequest, type InProcessResponse } from './in-process.js';
import { bootstrap } from './bootstrap.js';
import { storeFor, type ApiServerContext } from './handlers/scope.js';
import { ensureJoinToken, ensurePki, issueAgentCredentials, type AgentCredentials, type Pki } from './pki/index.js';
import { AGENT_CREDENTIALS_PATH, agentCredentialsEndpoint, KubeletClient, nodeProxyHandlers, prepareUpgrade, type NodeLike } from './node-proxy/index.js';
import { createMetricsApi, METRICS_GROUP, withMetricsApi } from './metrics-api/index.js';
import { buildKubeconfig, writeKubeconfig } from '../cli/kubeconfig.js';
import { K8TS_VERSION } from '../version.js';
import { ServiceAllocation, firstServiceIP, DEFAULT_SERVICE_CLUSTER_IP_RANGE } from './service-alloc/index.js';

export interface ApiServerOptions {
  dataDir: string;
  bindAddress: string;
  port: number;
  datastoreEndpoint?: string;
  /** Where to write the admin kubeconfig (default `<data-dir>/kubeconfig.yaml`). */
  writeKubeconfig?: string;
  clock?: Clock;
  /** ClusterIP range (default 10.96.0.0/12). */
  serviceClusterIpRange?: string;
  /** NodePort range (default 30000-32767). */
  serviceNodePortRange?: string;
}

export interface RunningApiServer {
  url: string;
  port: number;
  kubeconfigPath: string;
  pki: Pki;
  ctx: ApiServerContext;
  /** The join token agents present (`k8ts agent --token`), also in `<data-dir>/token`. */
  joinToken: string;
  /** What POST /k8ts/v1/agent-credentials answers, for an agent embedded in this process. */
  agentCredentials(nodeName: string, addresses: string[]): Promise<AgentCredentials>;
  /** Sends a request through the router as `user`, without a socket (in-server components). */
  inProcess(r: InProcessRequest): Promise<InProcessResponse>;
  close(): Promise<void>;
}

async function step<T>(what: string, fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw new Error(`${what}: ${(e as Error).message}`, { cause: e });
  }
}

export function versionInfo(schemaVersion: string): VersionInfo {
  const m = /^v(\d+)\.(\d+)\.(\d+)/.exec(schemaVersion) ?? ['', '1', '35', '0'];
  return {
    major: m[1], minor: m[2], gitVersion: `v${m[1]}.${m[2]}.${m[3]}-k8ts.${K8TS_VERSION}`, gitCommit: '', gitTreeState: 'clean',
    buildDate: '1970-01-01T00:00:00Z', goVersion: `node${process.versions.node}`, compiler: 'k8ts', platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  };
}

export async function startApiServer(opts: ApiServerOptions): Promise<RunningApiServer> {
  const clock = opts.clock ?? realClock;
  const schema = await step('loading the API schema', () => withMetricsApi(loadSchema()));
  const registry = new Registry(schema);
  const metrics = new ApiMetrics();
  const rawStore: ManagedStore = await step('opening the datastore', () => openStore(opts.datastoreEndpoint, opts.dataDir));
  const store = instrumentStore(rawStore, metrics);
  const caches = new CacheSet(store);
  const serviceAlloc = await step('preparing service allocation', () => new ServiceAllocation({
    store, clock, serviceClusterIpRange: opts.serviceClusterIpRange, serviceNodePortRange: opts.serviceNodePortRange,
  }));
  const stores = new Map<string, ResourceStore>();
  for (const info of registry.all) {
    if (info.virtual || stores.has(info.keyPrefix)) continue;
    const storageInfo = registry.get(info.storageGroup, info.storageVersion, info.resource) ?? registry.all.find((r) => r.group === info.storageGroup && r.version === info.storageVersion && r.keyPrefix === info.keyPrefix)!;
    const cache = caches.cacheFor(info.keyPrefix, info.namespaced);
    stores.set(info.keyPrefix, new ResourceStore(storageInfo, store, cache, strategyFor(storageInfo.group, storageInfo.kind), clock, serviceAlloc.hooksFor(storageInfo)));
  }
  await step('loading the watch caches', () => caches.start());
  await step('repairing service allocations', () => serviceAlloc.start());

  const namespaces = storeFor({ stores } as ApiServerContext, registry.get('', 'v1', 'namespaces')!)!;
  const priorityClasses = storeFor({ stores } as ApiServerContext, registry.get('scheduling.k8s.io', 'v1', 'priorityclasses')!)!;
  const ingressClasses = storeFor({ stores } as ApiServerContext, registry.get('networking.k8s.io', 'v1', 'ingressclasses')!)!;
  const admission = new AdmissionChain([
    new Priority({
      get: async (name) => (await priorityClasses.fresh(), priorityClasses.cache.get(priorityClasses.key('', name))?.obj),
      list: async () => (await priorityClasses.fresh(), priorityClasses.cache.list('').map((e) => e.obj)),
    }),
    new DefaultTolerationSeconds(),
    new DefaultIngressClass(async () => (await ingressClasses.fresh(), ingressClasses.cache.list('').map((e) => e.obj))),
    new NamespaceLifecycle({
      getNamespace: async (name) => {
        await namespaces.fresh();
        return namespaces.cache.get(namespaces.key('', name))?.obj as { status?: { phase?: string } } | undefined;
      },
    }),
  ]);
  const ctx: ApiServerContext = {
    schema, registry, store, caches, stores, strategies: strategyFor, admission, authorizer: new AllowAuthenticatedAuthorizer(), clock, metrics,
  };

  const advertise = opts.bindAddress === '0.0.0.0' || opts.bindAddress === '::' ? '127.0.0.1' : opts.bindAddress;
  const pki = await step('preparing certificates', () => ensurePki({ dir: join(opts.dataDir, 'tls'), bindAddress: opts.bindAddress }));
  const joinToken = await step('preparing the join token', () => ensureJoinToken(join(opts.dataDir, 'token'), pki.ca.certPem));
  const nodes = storeFor(ctx, registry.get('', 'v1', 'nodes')!)!;
  const kubelet = new KubeletClient({
    caPem: pki.ca.certPem,
    clientCert: pki.kubeletClient,
    getNode: async (name) => (await nodes.fresh(), nodes.cache.get(nodes.key('', name))?.obj as NodeLike | undefined),
  });
  const agentCredentials = (nodeName: string, addresses: string[]) => issueAgentCredentials(pki, nodeName, addresses);
  const docs = await step('building discovery and OpenAPI documents', () => new NonResourceDocs(registry, schema, versionInfo(schema.version), `${advertise}:${opts.port}`));
  let ready = false;
  const router = new Router(ctx, docs, () => {
    const storeOk = !caches.error;
    const checks = [
      { name: 'etcd', ok: storeOk },
      { name: 'informer-sync', ok: ready },
      { name: 'poststarthook/bootstrap-system-namespaces', ok: ready },
    ];
    return { ok: checks.every((c) => c.ok), checks };
  }, {
    subresources: nodeProxyHandlers(kubelet),
    groups: { [METRICS_GROUP]: createMetricsApi({ ctx, kubelet }) },
    selfAuthenticated: { [AGENT_CREDENTIALS_PATH]: agentCredentialsEndpoint({ token: joinToken, issue: agentCredentials }) },
  });

  const server: Http2SecureServer = http2.createSecureServer(
    {
      key: pki.server.keyPem, cert: pki.server.certPem, ca: pki.ca.certPem,
      requestCert: true, rejectUnauthorized: false, allowHTTP1: true,
      settings: { maxConcurrentStreams: 1000 },
    },
    (req, res) => void router.handle(req, res),
  );
  // WebSocket/SPDY requests (exec, attach, port-forward) arrive as HTTP/1.1 upgrades.
  server.on('upgrade', (req, socket, head) => void router.handle(req, prepareUpgrade(req, socket, head)));
  const sessions = new Set<{ destroy(): void }>();
  server.on('session', (s) => {
    sessions.add(s);
    s.on('close', () => sessions.delete(s));
  });
  const sockets = new Set<{ destroy(): void }>();
  server.on('secureConnection', (sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
  });
  await step(`listening on ${opts.bindAddress}:${opts.port}`, () => new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.bindAddress, () => {
      server.off('error', reject);
      resolve();
    });
  }));
  const port = (server.address() as AddressInfo).port;
  await step('creating the system namespaces', () => bootstrap(ctx, { advertiseAddress: advertise, port, kubernetesServiceIP: firstServiceIP(opts.serviceClusterIpRange ?? DEFAULT_SERVICE_CLUSTER_IP_RANGE) }));

  const url = `https://${advertise.includes(':') ? `[${advertise}]` : advertise}:${port}`;
  const kubeconfigPath = opts.writeKubeconfig ?? join(opts.dataDir, 'kubeconfig.yaml');
  await step('writing the kubeconfig', () => writeKubeconfig(kubeconfigPath, buildKubeconfig({
    server: url, caPem: pki.ca.certPem, certPem: pki.admin.certPem, keyPem: pki.admin.keyPem,
  })));

  const stopCompaction = rawStore.startAutoCompaction(60_000, 10_000, (e) => console.error('k8ts: compaction failed:', e.message));
  const countObjects = () => {
    for (const rs of stores.values()) metrics.storageObjects.set({ resource: `${rs.info.resource}${rs.info.group ? '.' + rs.info.group : ''}` }, rs.cache.entries.size);
  };
  countObjects();
  const counter = setInterval(countObjects, 10_000);
  counter.unref();
  ready = true;

  return {
    url, port, kubeconfigPath, pki, ctx, joinToken: joinToken.token, agentCredentials,
    inProcess: (r) => inProcessRequest((req, res) => router.handle(req, res), r),
    async close() {
      ready = false;
      clearInterval(counter);
      stopCompaction();
      serviceAlloc.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sessions) s.destroy();
        for (const s of sockets) s.destroy();
      });
      kubelet.close();
      caches.stop();
      await rawStore.close();
    },
  };
}
