// The node agent (kubelet): registers the node and keeps its Lease and status, watches the pods
// bound to it, runs them through the runtime with one worker per pod, probes them, reports their
// status, and serves logs/exec/attach/port-forward/stats on its own HTTPS port for the API server.
// It talks to the cluster only through the API client, so it runs the same embedded in
// `k8ts server` or alone as `k8ts agent`.
import { hostname as osHostname } from 'node:os';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import type { ConfigMap, Node, Pod, Secret, Service, Taint } from 'kubernetes-types/core/v1.js';
import {
  EventBroadcaster, SharedInformerFactory, realTimerClock, resources, isDeletedFinalStateUnknown, isNotFound,
  type RestClient, type TimerClock, type Timer,
} from '../client/index.js';
import type { Runtime } from './runtime/cri.js';
import { containerEnv, expandCommand, type PodObjects } from './env/index.js';
import { VolumeManager, podDir } from './volumes/index.js';
import { readContainerLog } from './logs/index.js';
import { startKubeletServer } from './server/index.js';
import { ProbeManager } from './probes/probe-manager.js';
import { RestartBackoff } from './pods/backoff.js';
import { PodSyncer } from './pods/pod-sync.js';
import { PodWorkers } from './pods/pod-workers.js';
import { admitPod } from './pods/admission.js';
import { LABEL_POD_UID, podRef } from './pods/container-start.js';
import { StatusManager } from './status/status-manager.js';
import { NodeStatusReporter, type NodeConfig } from './node/node-status.js';
import { NodeLease, RENEW_INTERVAL_MS } from './node/node-lease.js';
import { defaultNodeIP, machineInfo } from './node/machine-info.js';
import { StatsProvider } from './stats/stats-provider.js';
import { KubeletHostImpl } from './kubelet-host.js';
import { KubeletMetrics } from './kubelet-metrics.js';
import { ManifestSource, isMirrorPod, isStaticPod } from './static/manifest-source.js';
import { MirrorPods } from './static/mirror-pods.js';

export interface KubeletOptions {
  client: RestClient;
  runtime: Runtime;
  nodeName?: string;
  nodeIP?: string;
  /** Agent state: pod volumes, container logs (`<rootDir>/pods`, `<rootDir>/logs/pods`). */
  rootDir: string;
  /** Port of the node's HTTPS server (0: any free port). */
  port: number;
  bindAddress?: string;
  tls: { certPem: string; keyPem: string; caPem: string };
  labels?: Record<string, string>;
  taints?: Taint[];
  reserved?: NodeConfig['reserved'];
  maxPods?: number;
  kubeletVersion: string;
  clock?: TimerClock;
  /** Node status check period (upstream nodeStatusUpdateFrequency, 10 s). */
  statusUpdateMs?: number;
  /** How often the runtime is relisted for container changes (upstream's PLEG, 1 s). */
  relistMs?: number;
  /** Directory of static pod manifests (upstream's --pod-manifest-path); none when unset. */
  podManifestPath?: string;
}

export interface RunningKubelet {
  nodeName: string;
  port: number;
  stop(): Promise<void>;
}

export async function startKubelet(opts: KubeletOptions): Promise<RunningKubelet> {
  const clock = opts.clock ?? realTimerClock;
  const host = osHostname();
  const nodeName = (opts.nodeName ?? host).toLowerCase();
  const nodeIP = opts.nodeIP ?? defaultNodeIP();
  mkdirSync(join(opts.rootDir, 'pods'), { recursive: true });
  const logRoot = join(opts.rootDir, 'logs', 'pods');
  mkdirSync(logRoot, { recursive: true });
  const client = opts.client;
  const signal = new AbortController();
  const timers: Timer[] = [];
  const every = (ms: number, fn: () => Promise<void>) => {
    const loop = () => {
      if (signal.signal.aborted) return;
      void fn().catch((e) => console.error(`k8ts kubelet: ${(e as Error).message}`)).finally(() => {
        if (!signal.signal.aborted) timers.push(clock.setTimer(loop, ms));
      });
    };
    loop();
  };

  // Informers: this node's pods, and the objects their containers read.
  const podInformers = new SharedInformerFactory(client, { narrow: { fieldSelector: `spec.nodeName=${nodeName}` }, clock });
  const informers = new SharedInformerFactory(client, { clock });
  const podInformer = podInformers.informerFor(resources.pods);
  const cmInformer = informers.informerFor(resources.configMaps);
  const secretInformer = informers.informerFor(resources.secrets);
  const svcInformer = informers.informerFor(resources.services);
  const nodeInformer = new SharedInformerFactory(client, { narrow: { fieldSelector: `metadata.name=${nodeName}` }, clock }).informerFor(resources.nodes);
  const objects: PodObjects = {
    configMap: async (ns, name) => cmInformer.lister().namespace(ns).get(name) as ConfigMap | undefined,
    secret: async (ns, name) => secretInformer.lister().namespace(ns).get(name) as Secret | undefined,
    services: async (ns) => svcInformer.lister().namespace(ns).list() as Service[],
  };

  const machine = machineInfo(opts.rootDir);
  const nodeCfg: NodeConfig = {
    nodeName, nodeIP, hostname: host, kubeletPort: 0,
    labels: opts.labels ?? {}, taints: opts.taints ?? [],
    reserved: opts.reserved ?? { cpuMilli: 0, memoryBytes: 0, ephemeralStorageBytes: 0 },
    maxPods: opts.maxPods ?? 110,
    runtimeVersion: `${opts.runtime.name}://${(await opts.runtime.version()).runtimeVersion}`,
    kubeletVersion: opts.kubeletVersion,
  };
  const node = (): Node | undefined => nodeInformer.lister().get(nodeName) as Node | undefined;

  const events = new EventBroadcaster(client);
  const recorder = events.newRecorder({ component: 'kubelet', host: nodeName });
  const metrics = new KubeletMetrics();
  const statuses = new StatusManager(client, (pod, e) => console.error(`k8ts kubelet: status of ${pod.metadata?.namespace}/${pod.metadata?.name}: ${(e as Error).message}`));
  const volumes = new VolumeManager({ rootDir: opts.rootDir, objects, node: () => envNode() });
  const envNode = () => ({
    nodeName, hostIP: nodeIP, podIP: nodeIP, podIPs: [nodeIP],
    allocatable: (node()?.status?.allocatable ?? {}) as { cpu?: string; memory?: string; 'ephemeral-storage'?: string },
  });
  const backoff = new RestartBackoff(clock);
  // eslint-disable-next-line prefer-const
  let workers: PodWorkers;
  const probes = new ProbeManager({
    clock,
    running: (uid, name) => running.get(`${uid}/${name}`),
    target: (_pod, container, id) => ({ podIP: nodeIP, container, execSync: (cmd, t) => opts.runtime.execSync(id, cmd, t) }),
    onChange: (uid) => workers.kickUid(uid),
    onFailure: (pod, name, kind, outcome) => {
      const c = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].find((x) => x.name === name);
      const what = kind[0].toUpperCase() + kind.slice(1);
      recorder.event(podRef(pod, c), 'Warning', 'Unhealthy', `${what} probe failed: ${outcome.output}`.trimEnd());
    },
  });
  /** `${uid}/${container}` → running instance, refreshed by the relist loop (for probes). */
  const running = new Map<string, { id: string; startedAt: number }>();

  const syncer = new PodSyncer({
    nodeName, nodeIP, logRoot, runtime: opts.runtime, clock, recorder, probes, backoff, volumes,
    podDir: (uid) => podDir(opts.rootDir, uid),
    env: (pod, c) => containerEnv(pod, c, objects, envNode(), {
      warn: (reason, message) => recorder.event(podRef(pod), 'Warning', reason, message),
    }),
    expand: (args, env) => expandCommand({ command: args }, env).command,
    // A static pod's status goes to its mirror pod (upstream's translatePodUID); none yet: later.
    setStatus: async (pod, status) => {
      const target = isStaticPod(pod) ? mirrors.mirrorOf(pod) : pod;
      if (target) await statuses.setStatus(target, status);
    },
    deletePod: async (pod) => {
      try {
        await client.resource(resources.pods).namespace(pod.metadata!.namespace!).delete(pod.metadata!.name!, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata!.uid } });
      } catch (e) {
        if (!isNotFound(e) && (e as { code?: number }).code !== 409) throw e;
      }
    },
    requeue: (uid, ms) => workers.requeue(uid, ms),
  });

  workers = new PodWorkers({
    sync: async (rec) => {
      if (!rec.admitted && !rec.failed) {
        const active = workers.records().filter((r) => r.admitted && !r.terminated && !r.removed).map((r) => r.pod);
        const verdict = admitPod(rec.pod, node(), active);
        if (!verdict.admit) {
          rec.failed = { reason: verdict.reason!, message: verdict.message! };
          recorder.event(podRef(rec.pod), 'Warning', verdict.reason!, verdict.message!);
        }
        rec.admitted = true;
        probes.addPod(rec.pod);
      }
      await syncer.sync(rec);
    },
    terminate: (rec) => syncer.terminate(rec),
    cleanup: async (rec) => {
      probes.removePod(rec.uid);
      backoff.forgetPrefix(`${rec.uid}/`);
      for (const c of await opts.runtime.listContainers({ labelSelector: { [LABEL_POD_UID]: rec.uid } })) {
        await opts.runtime.removeContainer(c.id).catch(() => {});
        probes.forgetContainer(c.id);
      }
      if (rec.sandboxId) await opts.runtime.removePodSandbox(rec.sandboxId).catch(() => {});
      rec.sandboxId = undefined;
      await volumes.tearDownPod(rec.uid);
      statuses.forget(rec.uid);
    },
    onError: (rec, e) => console.error(`k8ts kubelet: syncing pod ${rec.pod.metadata?.namespace}/${rec.pod.metadata?.name}: ${(e as Error).stack ?? e}`),
  }, clock);

  // Static pods come from the manifest directory; their mirrors in the API are never run.
  let statics = new Map<string, Pod>();
  const podsOnNode = () => podInformer.lister().list() as Pod[];
  const mirrors = new MirrorPods({ client, nodeName, node, podsOnNode, warn: (m) => console.error(`k8ts kubelet: ${m}`) });
  const syncMirrors = () => void mirrors.sync(() => [...statics.values()]).then(() => {
    for (const uid of statics.keys()) workers.kickUid(uid); // their status can go to a new mirror now
  });
  const manifests = opts.podManifestPath ? new ManifestSource({
    dir: opts.podManifestPath, nodeName,
    warn: (m) => console.error(`k8ts kubelet: ${m}`),
    onPods: (pods) => {
      for (const uid of statics.keys()) if (!pods.has(uid)) workers.remove(uid);
      statics = pods;
      for (const pod of pods.values()) workers.update(pod);
      syncMirrors();
    },
  }) : undefined;

  podInformer.addEventHandler({
    onAdd: (pod) => {
      if (isMirrorPod(pod as Pod)) return syncMirrors();
      workers.update(pod as Pod);
    },
    onUpdate: (old, pod) => {
      if (isMirrorPod(pod as Pod)) return syncMirrors();
      if (sameForKubelet(old as Pod, pod as Pod)) return workers.refresh(pod as Pod);
      workers.update(pod as Pod);
      // downwardAPI volumes show labels and annotations.
      const o = old as Pod, n = pod as Pod;
      if (JSON.stringify([o.metadata?.labels, o.metadata?.annotations]) !== JSON.stringify([n.metadata?.labels, n.metadata?.annotations])) {
        void volumes.refreshPod(n).catch(() => {});
      }
    },
    onDelete: (obj) => {
      const pod = (isDeletedFinalStateUnknown(obj) ? obj.obj : obj) as Pod;
      if (isMirrorPod(pod)) return syncMirrors();
      workers.remove(pod.metadata!.uid!);
    },
  });
  // ConfigMap and Secret volumes follow their sources (atomic swap in the pod's volume dir).
  const refreshUsers = (kind: 'configMap' | 'secret', obj: { metadata?: { namespace?: string; name?: string } }) => {
    for (const rec of workers.records()) {
      if (rec.removed || rec.terminated || rec.pod.metadata?.namespace !== obj.metadata?.namespace) continue;
      if (usesObject(rec.pod, kind, obj.metadata?.name ?? '')) void volumes.refreshPod(rec.pod).catch(() => {});
    }
  };
  cmInformer.addEventHandler({ onUpdate: (_o, n) => refreshUsers('configMap', n), onAdd: (n) => refreshUsers('configMap', n) });
  secretInformer.addEventHandler({ onUpdate: (_o, n) => refreshUsers('secret', n), onAdd: (n) => refreshUsers('secret', n) });

  const stats = new StatsProvider(nodeName, opts.runtime, () => workers.records().filter((r) => !r.removed).map((r) => r.pod));
  const hostImpl = new KubeletHostImpl({
    runtime: opts.runtime, workers, syncer, stats,
    readLog: (path, o, out, s, isRunning) => readContainerLog(path, o, out, s, isRunning),
    metrics: () => metrics.render(workers.records(), running.size),
  });
  const server = await startKubeletServer({ host: hostImpl, port: opts.port, bindAddress: opts.bindAddress ?? '0.0.0.0', tls: opts.tls });
  nodeCfg.kubeletPort = server.port;

  // Register, then start heartbeats before pods, so the node is Ready as soon as possible.
  const reporter = new NodeStatusReporter(client, clock, () => machine, nodeCfg, () => ({ ok: true, message: 'kubelet is posting ready status' }));
  const registered = await reporter.register();
  const lease = new NodeLease(client, clock, nodeName, () => registered.metadata?.uid);
  await reporter.update(true);
  every(RENEW_INTERVAL_MS, () => lease.renew());
  every(opts.statusUpdateMs ?? 10_000, () => reporter.update());

  nodeInformer.run();
  informers.start();
  await Promise.all([informers.waitForCacheSync(signal.signal), nodeInformer.waitForSync(signal.signal)]);
  podInformers.start();
  if (manifests) {
    await podInformers.waitForCacheSync(signal.signal); // mirrors are compared with what the API has
    manifests.start();
    every(10_000, async () => syncMirrors());
  }

  // PLEG: relist containers and sync pods whose containers changed state.
  const lastSeen = new Map<string, string>();
  every(opts.relistMs ?? 1_000, async () => {
    const list = await opts.runtime.listContainers();
    const byPod = new Map<string, string[]>();
    running.clear();
    for (const c of list) {
      const uid = c.labels?.[LABEL_POD_UID];
      if (!uid) continue;
      byPod.set(uid, [...(byPod.get(uid) ?? []), `${c.id}:${c.state}`]);
      if (c.state === 'CONTAINER_RUNNING') {
        const st = await opts.runtime.containerStatus(c.id).catch(() => undefined);
        const name = c.metadata.name;
        const prev = running.get(`${uid}/${name}`);
        if (st && (!prev || st.metadata.attempt >= 0)) running.set(`${uid}/${name}`, { id: c.id, startedAt: Math.floor(st.startedAt / 1e6) });
      }
    }
    for (const uid of new Set([...byPod.keys(), ...lastSeen.keys()])) {
      const sig = (byPod.get(uid) ?? []).sort().join(',');
      if (lastSeen.get(uid) !== sig) {
        lastSeen.set(uid, sig);
        workers.kickUid(uid);
      }
      if (!byPod.has(uid)) lastSeen.delete(uid);
    }
  });
  // Housekeeping: CPU rates need samples between `kubectl top` calls; back-off entries expire.
  every(10_000, async () => {
    await stats.summary();
    backoff.gc();
  });

  return {
    nodeName,
    port: server.port,
    async stop() {
      signal.abort();
      manifests?.stop();
      for (const t of timers) t.cancel();
      workers.stop();
      probes.stopAll();
      await Promise.all([podInformers.shutdown(), informers.shutdown()]);
      nodeInformer.stop?.();
      const stopAll = (opts.runtime as { stopAll?: (grace: number) => Promise<void> }).stopAll;
      if (stopAll) await stopAll.call(opts.runtime, 5);
      await opts.runtime.close();
      await server.close();
      await events.shutdown();
    },
  };
}

function usesObject(pod: Pod, kind: 'configMap' | 'secret', name: string): boolean {
  for (const v of pod.spec?.volumes ?? []) {
    if (kind === 'configMap' && v.configMap?.name === name) return true;
    if (kind === 'secret' && v.secret?.secretName === name) return true;
    for (const s of v.projected?.sources ?? []) {
      if (kind === 'configMap' && s.configMap?.name === name) return true;
      if (kind === 'secret' && s.secret?.name === name) return true;
    }
  }
  return false;
}

/** Whether two versions of a pod differ only in status and bookkeeping (resourceVersion, managedFields). */
function sameForKubelet(a: Pod, b: Pod): boolean {
  const view = (p: Pod) => JSON.stringify([
    p.spec, p.metadata?.labels, p.metadata?.annotations, p.metadata?.deletionTimestamp, p.metadata?.deletionGracePeriodSeconds,
  ]);
  return view(a) === view(b);
}
