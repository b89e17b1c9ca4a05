// Scheduler benchmarks against a real API server in this process (memory store), with the
// scheduler bound through pods/binding over the in-process transport, as `k8ts server` wires it
// (figures, not tests). Each case gets a fresh cluster of 5,000 nodes (cpu 32, memory 128Gi,
// pods 110, spread over 10 zones), then pods are created by concurrent clients and throughput is
// pods / (first create → last pod seen bound by a watch):
//  - (a) 10,000 pods with resource requests only;
//  - (b) 2,000 pods with required pod anti-affinity (one per node, topologyKey hostname);
//  - (c) 5,000 pods with topology spread (zone, maxSkew 1, DoNotSchedule);
//  - a 1,000-replica Deployment: deployment + replicaset controllers and the scheduler, time from
//    the create until all 1,000 pods are bound.
// These "live" figures include everything on the one event loop: the 50 clients' creates, the
// scheduler's watch, cycles, bindings through the API and events, and the bench's own watch.
// The `cycle` case measures the same three pod sets through the scheduler alone (no API: a
// binder that confirms at once), which is what the scheduler itself costs.
// Sizes scale with `opts.scale` or BENCH_SCALE (e.g. 0.1 for a quick run); BENCH_CASES picks cases
// (comma-separated: basic,antiaffinity,spread,deployment,cycle); BENCH_PRELOAD=1|only adds (or
// runs only) the pod cases with the pods created before the scheduler starts.
import { resolve } from 'node:path';
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { EventBroadcaster, RestClient, SharedInformerFactory, realTimerClock, resources } from '../src/client/index.js';
import { inProcessTransport } from '../src/cli/in-process-transport.js';
import { CONTROLLERS } from '../src/controllers/index.js';
import { startTestCluster, type TestCluster } from '../src/controllers/testing/cluster.js';
import { startScheduler } from '../src/scheduler/index.js';
import { benchSchedulingCycles } from '../src/scheduler/testing/cycle-bench.js';

export type SchedulerCase = 'basic' | 'antiaffinity' | 'spread' | 'deployment' | 'cycle';
const ALL_CASES: SchedulerCase[] = ['basic', 'antiaffinity', 'spread', 'deployment', 'cycle'];

export interface SchedulerBenchOptions {
  /** Multiplies every size below (default BENCH_SCALE or 1). */
  scale?: number;
  nodes?: number;
  zones?: number;
  basicPods?: number;
  antiAffinityPods?: number;
  spreadPods?: number;
  deploymentReplicas?: number;
  /** Concurrent pod-creating clients (default 50). */
  concurrency?: number;
  cases?: SchedulerCase[];
  /** Gives up on a case after this long (default 120 s); the figure is then from what was bound. */
  caseTimeoutMs?: number;
  /** Prints each figure as it is measured (default true). */
  log?: boolean;
  /**
   * Also (or with BENCH_PRELOAD=only, instead) measure with the pods created before the scheduler
   * starts, timed from its start to the last bind: the scheduler and binding path without the
   * cost of the creates sharing the process (BENCH_PRELOAD=1 or 'only').
   */
  preload?: boolean | 'only';
}

const NS = 'default';
const ZONE = 'topology.kubernetes.io/zone';
const HOSTNAME = 'kubernetes.io/hostname';

function makeNode(name: string, zone: string): Node {
  const allocatable = { cpu: '32', memory: '128Gi', pods: '110' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { [HOSTNAME]: name, [ZONE]: zone, 'kubernetes.io/os': 'linux' } },
    spec: {},
    status: {
      capacity: allocatable,
      allocatable,
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
    },
  };
}

function podSpec(extra: Partial<NonNullable<Pod['spec']>> = {}): NonNullable<Pod['spec']> {
  return {
    containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '100m', memory: '500Mi' } } }],
    ...extra,
  };
}

type PodFactory = (i: number) => Pod;

const basicPod: PodFactory = (i) => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name: `basic-${i}`, namespace: NS, labels: { app: 'basic' } },
  spec: podSpec(),
});

const antiAffinityPod: PodFactory = (i) => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name: `anti-${i}`, namespace: NS, labels: { color: 'green' } },
  spec: podSpec({
    affinity: {
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { color: 'green' } }, topologyKey: HOSTNAME }],
      },
    },
  }),
});

const spreadPod: PodFactory = (i) => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name: `spread-${i}`, namespace: NS, labels: { color: 'blue' } },
  spec: podSpec({
    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { color: 'blue' } } }],
  }),
});

interface BenchCluster {
  cluster: TestCluster;
  /** Starts the scheduler (its own identity and informers, as control-plane.ts wires it). */
  startScheduler(): Promise<void>;
  stop(): Promise<void>;
}

async function startCluster(nodes: number, zones: number, concurrency: number): Promise<BenchCluster & { registerMs: number; readonly eventsDropped: number }> {
  const cluster = await startTestCluster();
  const nodeClient = cluster.admin.resource(resources.nodes);
  const t0 = performance.now();
  await runConcurrently(nodes, concurrency, async (i) => {
    const node = makeNode(`node-${i}`, `zone-${i % zones}`);
    const created = await nodeClient.create(node);
    // Status may be dropped on create: write it through the status subresource too.
    if (!created.status?.allocatable) await nodeClient.updateStatus({ ...created, status: node.status });
  });
  const registerMs = performance.now() - t0;

  const abort = new AbortController();
  const schedClient = new RestClient(inProcessTransport(cluster.server, { name: 'system:kube-scheduler', groups: ['system:authenticated'] }));
  const schedInformers = new SharedInformerFactory(schedClient);
  let eventsDropped = 0;
  // Counted (and reported) rather than printed once per event.
  const schedEvents = new EventBroadcaster(schedClient, {
    log: (m) => {
      if (m.startsWith('event queue full')) eventsDropped++;
      else console.error(`events: ${m}`);
    },
  });
  let done: Promise<void> | undefined;
  return {
    cluster,
    registerMs,
    get eventsDropped() {
      return eventsDropped;
    },
    async startScheduler() {
      const running = await startScheduler({
        client: schedClient, informers: schedInformers, clock: realTimerClock, signal: abort.signal,
        recorder: (component: string) => schedEvents.newRecorder({ component, host: 'bench' }),
      });
      done = running.done;
    },
    async stop() {
      abort.abort();
      await schedInformers.shutdown();
      await schedEvents.shutdown();
      await cluster.stop();
      await done?.catch(() => undefined);
    },
  };
}

async function runConcurrently(n: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, async () => {
    while (next < n) await fn(next++);
  }));
}

/**
 * Watches pods in the namespace (matching `labelSelector`) and resolves once `want` distinct pods
 * have been seen with spec.nodeName set, or at the deadline; answers how many were bound and when.
 */
async function watchBound(admin: RestClient, labelSelector: string, want: number, timeoutMs: number): Promise<{ ready: Promise<{ bound: number; at: number }>; stop: () => void }> {
  const pods = admin.resource(resources.pods).namespace(NS);
  const list = await pods.list({ labelSelector });
  const bound = new Set<string>();
  for (const p of list.items) if (p.spec?.nodeName) bound.add(p.metadata!.name!);
  let rv = list.metadata?.resourceVersion;
  let stopped = false;
  let current: { stop(): void } | undefined;
  const ready = new Promise<{ bound: number; at: number }>((res) => {
    const timer = setTimeout(() => finish(), timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      stopped = true;
      current?.stop();
      res({ bound: bound.size, at: performance.now() });
    };
    if (bound.size >= want) return finish();
    void (async () => {
      while (!stopped) {
        const w = await pods.watch({ labelSelector, resourceVersion: rv, allowWatchBookmarks: true });
        current = w;
        if (stopped) w.stop();
        for await (const ev of w) {
          if (ev.type === 'ERROR') {
            // Too old a version (or anything else): start over from a fresh list.
            const l = await pods.list({ labelSelector });
            for (const p of l.items) if (p.spec?.nodeName) bound.add(p.metadata!.name!);
            rv = l.metadata?.resourceVersion;
            break;
          }
          rv = ev.object.metadata?.resourceVersion ?? rv;
          if ((ev.type === 'ADDED' || ev.type === 'MODIFIED') && ev.object.spec?.nodeName) {
            bound.add(ev.object.metadata!.name!);
            if (bound.size >= want) return finish();
          }
        }
        if (bound.size >= want) return finish();
      }
    })().catch((e) => {
      if (!stopped) console.error('bench: pod watch failed:', e);
      finish();
    });
  });
  return { ready, stop: () => { stopped = true; current?.stop(); } };
}

interface PodCaseResult {
  /** Scheduler events (Scheduled) dropped because the event queue was full. */
  eventsDropped: number;
  podsPerS: number;
  createMs: number;
  totalMs: number;
  /** CPU time of this process over the same span (less sensitive to other load on the machine). */
  cpuMs: number;
  bound: number;
}

async function podCase(nodes: number, zones: number, n: number, make: PodFactory, label: string, concurrency: number, timeoutMs: number, preload = false): Promise<PodCaseResult & { registerMs: number }> {
  const c = await startCluster(nodes, zones, concurrency);
  try {
    if (!preload) await c.startScheduler();
    const w = await watchBound(c.cluster.admin, label, n, timeoutMs);
    const pods = c.cluster.admin.resource(resources.pods).namespace(NS);
    let t0 = performance.now();
    let cpu0 = process.cpuUsage();
    await runConcurrently(n, concurrency, async (i) => {
      await pods.create(make(i));
    });
    const createMs = performance.now() - t0;
    if (preload) {
      t0 = performance.now();
      cpu0 = process.cpuUsage();
      await c.startScheduler();
    }
    const { bound, at } = await w.ready;
    const totalMs = at - t0;
    return { podsPerS: bound / (totalMs / 1000), createMs, totalMs, cpuMs: cpuMsSince(cpu0), bound, registerMs: c.registerMs, eventsDropped: c.eventsDropped };
  } finally {
    await c.stop();
  }
}

/** User + system CPU ms of this process since `from`. */
function cpuMsSince(from: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
}

async function deploymentCase(nodes: number, zones: number, replicas: number, concurrency: number, timeoutMs: number): Promise<{ totalMs: number; cpuMs: number; bound: number; eventsDropped: number }> {
  const c = await startCluster(nodes, zones, concurrency);
  try {
    await c.cluster.run({ deployment: CONTROLLERS.deployment!, replicaset: CONTROLLERS.replicaset! }, 5);
    await c.startScheduler();
    const w = await watchBound(c.cluster.admin, 'app=web', replicas, timeoutMs);
    const dep: Deployment = {
      apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: { name: 'web', namespace: NS },
      spec: {
        replicas,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: podSpec({ containers: [{ name: 'nginx', image: 'nginx', resources: { requests: { cpu: '100m', memory: '500Mi' } } }] }) },
      },
    };
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    await c.cluster.admin.resource(resources.deployments).namespace(NS).create(dep);
    const { bound, at } = await w.ready;
    return { totalMs: at - t0, cpuMs: cpuMsSince(cpu0), bound, eventsDropped: c.eventsDropped };
  } finally {
    await c.stop();
  }
}

/** What the printed figures include. */
export const LEGEND = [
  '*_pods_per_s: live, pods / (first create → last bound seen by a watch); includes the creates by 50 clients,',
  '  API server, scheduler (watch, cycles, bindings through pods/binding, events) on the one event loop;',
  '*_preloaded_*: pods created before the scheduler starts, timed from its start (scheduler + binding API path);',
  'cycle_only_*: the scheduler alone, no API (queue, snapshot, plugins, assume, cache confirmation);',
  'deployment_*_bound_ms: create of the Deployment → all pods bound (controllers + scheduler + API);',
  '*_cpu_ms: CPU time of the process over the same span (compare these when the machine is shared).',
].join('\n');

export async function benchScheduler(opts: SchedulerBenchOptions = {}): Promise<Record<string, number>> {
  const scale = opts.scale ?? Number(process.env.BENCH_SCALE ?? 1);
  const sz = (v: number) => Math.max(1, Math.round(v * scale));
  const nodes = opts.nodes ?? sz(5_000);
  const zones = opts.zones ?? 10;
  const basicPods = opts.basicPods ?? sz(10_000);
  const antiPods = Math.min(opts.antiAffinityPods ?? sz(2_000), nodes);
  const spreadPods = opts.spreadPods ?? sz(5_000);
  const replicas = opts.deploymentReplicas ?? sz(1_000);
  const concurrency = opts.concurrency ?? 50;
  const timeoutMs = opts.caseTimeoutMs ?? 120_000;
  const envCases = process.env.BENCH_CASES?.split(',').map((s) => s.trim()).filter(Boolean) as SchedulerCase[] | undefined;
  const cases = new Set(opts.cases ?? envCases ?? ALL_CASES);
  const log = opts.log ?? true;
  const out: Record<string, number> = {};
  const put = (k: string, v: number) => {
    out[k] = v;
    if (log) console.log(`${k.padEnd(34)} ${v.toFixed(1)}`);
  };
  out['nodes'] = nodes;
  if (log) console.log(LEGEND);

  const envPreload = process.env.BENCH_PRELOAD;
  const preload = opts.preload ?? (envPreload === 'only' ? 'only' : envPreload === '1' || envPreload === 'true');
  const runPods = async (name: string, n: number, make: PodFactory, label: string) => {
    if (preload !== 'only') {
      const r = await podCase(nodes, zones, n, make, label, concurrency, timeoutMs);
      put(`${name}_register_${nodes}_nodes_ms`, r.registerMs);
      put(`${name}_${n}_pods_per_s`, r.podsPerS);
      put(`${name}_create_ms`, r.createMs);
      put(`${name}_all_bound_ms`, r.totalMs);
      put(`${name}_cpu_ms`, r.cpuMs);
      if (r.bound < n) put(`${name}_bound_before_timeout`, r.bound);
      put(`${name}_sched_events_dropped`, r.eventsDropped);
    }
    if (preload) {
      const r = await podCase(nodes, zones, n, make, label, concurrency, timeoutMs, true);
      put(`${name}_preloaded_${n}_pods_per_s`, r.podsPerS);
      put(`${name}_preloaded_create_ms`, r.createMs);
      put(`${name}_preloaded_all_bound_ms`, r.totalMs);
      put(`${name}_preloaded_cpu_ms`, r.cpuMs);
      if (r.bound < n) put(`${name}_preloaded_bound_before_timeout`, r.bound);
      put(`${name}_preloaded_sched_events_dropped`, r.eventsDropped);
    }
  };
  if (cases.has('basic')) await runPods('basic', basicPods, basicPod, 'app=basic');
  if (cases.has('antiaffinity')) await runPods('antiaffinity', antiPods, antiAffinityPod, 'color=green');
  if (cases.has('spread')) await runPods('spread', spreadPods, spreadPod, 'color=blue');
  if (cases.has('cycle')) {
    // The scheduler alone (no API server): queue, snapshot, plugins, assume, cache confirmation.
    const nodeList = Array.from({ length: nodes }, (_, i) => makeNode(`node-${i}`, `zone-${i % zones}`));
    const withUid = (make: PodFactory) => (i: number): Pod => {
      const p = make(i);
      return { ...p, metadata: { ...p.metadata, uid: `uid-${p.metadata!.name}` } };
    };
    for (const [name, n, make] of [['basic', basicPods, basicPod], ['antiaffinity', antiPods, antiAffinityPod], ['spread', spreadPods, spreadPod]] as const) {
      const cpu0 = process.cpuUsage();
      const r = await benchSchedulingCycles(nodeList, Array.from({ length: n }, (_, i) => withUid(make)(i)));
      put(`cycle_only_${name}_${n}_pods_per_s`, r.podsPerS);
      put(`cycle_only_${name}_cpu_ms`, cpuMsSince(cpu0));
    }
  }
  if (cases.has('deployment')) {
    const r = await deploymentCase(nodes, zones, replicas, concurrency, timeoutMs);
    put(`deployment_${replicas}_replicas_bound_ms`, r.totalMs);
    put('deployment_cpu_ms', r.cpuMs);
    if (r.bound < replicas) put('deployment_bound_before_timeout', r.bound);
    put('deployment_sched_events_dropped', r.eventsDropped);
  }
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const t0 = performance.now();
  console.log('== scheduler (in-process API server, memory store) ==');
  await benchScheduler();
  console.log(`total ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
