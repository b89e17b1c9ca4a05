// Node agent (kubelet) benchmarks against a real `k8ts server` process (embedded agent, process
// runtime) over HTTPS (figures, not tests):
//  - pod startup latency: one watch on the namespace is opened first, then 100 pods running
//    `sleep 3600` are created by 10 concurrent clients; per pod, the time from sending its create
//    to the first watch event showing it Running with condition Ready=True. p50/p90/p99/max, pods/s
//    (pods / first send → last Ready). Upstream SLO: p99 ≤ 5 s; target here ≤ 1 s.
//  - the same for 20 pods each running a `node -e` HTTP server with an httpGet readiness probe
//    (periodSeconds 1: the prober's first tick is 1 s after the start, so ≈1 s is the floor).
//  - CPU (utime+stime over 10 s, % of one core) and RSS of the server process, idle before any pod
//    and again with the 100 sleep pods running. The server process holds the API server,
//    controllers, scheduler AND the kubelet, so these are whole-server figures; the difference
//    is what 100 pods cost. Pod processes are children, not counted in it (reported apart).
// Cleanup: SIGTERM to the server (its agent stops the containers); any of the server's child
// processes still alive afterwards is counted (leftover_processes) and killed by pid.
// BENCH_KUBELET_PODS / BENCH_KUBELET_HTTP_PODS / BENCH_KUBELET_CONCURRENCY change the sizes.
import { readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { NS, type PodLike, type Server, childrenOf, freePort, pct, pgrepCount, readyNode, recordStop, request, sleep, startAgentServer, stopServer, watchPods } from './agent-server.js';

const CLK_TCK = 100;

/** Waits until the node is Ready and the namespace's default ServiceAccount exists (pods need it). */
async function waitUsable(s: Server, timeoutMs = 30_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (await readyNode(s)) return;
    await sleep(100);
  }
  throw new Error(`node not Ready or no default ServiceAccount after ${timeoutMs} ms:\n${s.output()}`);
}

const runningAndReady = (p: PodLike) => p.status?.phase === 'Running' && !!p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');

async function runConcurrently(n: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, async () => {
    while (next < n) await fn(next++);
  }));
}

interface StartupResult {
  latencies: number[];
  /** Per pod, create sent → first event with spec.nodeName (scheduled and bound). */
  bound: number[];
  /** Per pod, create sent → first event with container statuses (the kubelet's first status). */
  firstStatus: number[];
  /** First create sent → last Ready seen. */
  totalMs: number;
  /** First create sent → last create answered. */
  createMs: number;
}

/**
 * Opens a watch on pods with label `case=<label>`, then creates `n` pods (`concurrency` clients)
 * and times each from its create being sent to the first watch event with it Running and Ready.
 */
async function startupCase(s: Server, label: string, n: number, concurrency: number, body: (name: string, i: number) => object, timeoutMs = 120_000): Promise<StartupResult> {
  const sentAt = new Map<string, number>();
  const readyAt = new Map<string, number>();
  const boundAt = new Map<string, number>();
  const statusAt = new Map<string, number>();
  let allReady: () => void = () => undefined;
  const done = new Promise<void>((r) => (allReady = r));
  const watchReq = await watchPods(s, `case=${label}`, (name, pod, now) => {
    if (readyAt.has(name)) return;
    if (pod.spec?.nodeName && !boundAt.has(name)) boundAt.set(name, now);
    if (pod.status?.containerStatuses?.length && !statusAt.has(name)) statusAt.set(name, now);
    if (runningAndReady(pod)) {
      readyAt.set(name, now);
      if (readyAt.size >= n) allReady();
    }
  });
  await sleep(200);
  const t0 = performance.now();
  await runConcurrently(n, concurrency, async (i) => {
    const name = `${label}-${i}`;
    sentAt.set(name, performance.now());
    const r = await request(s, 'POST', `/api/v1/namespaces/${NS}/pods`, body(name, i));
    if (r.status !== 201) throw new Error(`create ${name} failed: ${r.status} ${r.body.slice(0, 300)}`);
  });
  const createMs = performance.now() - t0;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([done, new Promise((r) => (timer = setTimeout(r, timeoutMs)))]);
  clearTimeout(timer);
  watchReq.destroy();
  const since = (m: Map<string, number>) => [...m].map(([name, at]) => at - sentAt.get(name)!).sort((a, b) => a - b);
  const last = Math.max(...readyAt.values());
  return { latencies: since(readyAt), bound: since(boundAt), firstStatus: since(statusAt), totalMs: last - t0, createMs };
}

function sleepPod(name: string, label = 'sleep'): object {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, labels: { case: label } },
    spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'app', image: 'busybox', command: ['sleep', '3600'] }] },
  };
}

function httpPod(port: number): (name: string) => object {
  return (name) => ({
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, labels: { case: 'http' } },
    spec: {
      terminationGracePeriodSeconds: 1,
      containers: [{
        name: 'web', image: 'node:20',
        command: [process.execPath, '-e', `require('http').createServer((q,s)=>s.end('ok')).listen(${port},'127.0.0.1')`],
        ports: [{ containerPort: port }],
        readinessProbe: { httpGet: { path: '/', port, host: '127.0.0.1' }, periodSeconds: 1 },
      }],
    },
  });
}

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]); // utime, stime (fields 14, 15)
}

function rssMb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
}

/** CPU of `pid` over `ms`, as percent of one core. */
async function cpuPercent(pid: number, ms: number): Promise<number> {
  const a = cpuTicks(pid);
  const t = performance.now();
  await sleep(ms);
  return ((cpuTicks(pid) - a) / CLK_TCK) / ((performance.now() - t) / 1000) * 100;
}

export async function benchKubelet(opts: { pods?: number; httpPods?: number; concurrency?: number; cpuSampleMs?: number } = {}): Promise<Record<string, number>> {
  const pods = opts.pods ?? Number(process.env.BENCH_KUBELET_PODS ?? 100);
  const httpPods = opts.httpPods ?? Number(process.env.BENCH_KUBELET_HTTP_PODS ?? 20);
  const concurrency = opts.concurrency ?? Number(process.env.BENCH_KUBELET_CONCURRENCY ?? 10);
  const sampleMs = opts.cpuSampleMs ?? 10_000;
  const out: Record<string, number> = {};
  const sleepsBefore = pgrepCount('^sleep 3600$');

  const s = await startAgentServer({ dataDirPrefix: 'k8ts-bench-kubelet-', extraArgs: ['--max-pods', '200', '--disable', 'proxy,dns,ingress'] });
  const pid = s.proc.pid!;
  let children: number[] = [];
  try {
    await waitUsable(s);
    await sleep(3000); // let the start-up work (controllers' first syncs, node status) settle
    out['idle_server_cpu_pct'] = await cpuPercent(pid, sampleMs);
    out['idle_server_rss_mb'] = rssMb(pid);

    const r = await startupCase(s, 'sleep', pods, concurrency, (name) => sleepPod(name));
    out[`sleep_pods_ready`] = r.latencies.length;
    out['sleep_creates_ms'] = r.createMs;
    out['sleep_startup_min_ms'] = r.latencies[0] ?? NaN;
    out['sleep_startup_p50_ms'] = pct(r.latencies, 50);
    out['sleep_startup_p90_ms'] = pct(r.latencies, 90);
    out['sleep_startup_p99_ms'] = pct(r.latencies, 99);
    out['sleep_startup_max_ms'] = r.latencies[r.latencies.length - 1] ?? NaN;
    out['sleep_pods_per_s'] = r.latencies.length / (r.totalMs / 1000);
    out['sleep_bound_p50_ms'] = pct(r.bound, 50);
    out['sleep_bound_p99_ms'] = pct(r.bound, 99);
    out['sleep_first_status_p50_ms'] = pct(r.firstStatus, 50);
    out['sleep_first_status_p99_ms'] = pct(r.firstStatus, 99);

    await sleep(3000); // the pods are up; let status writes and events drain
    out[`pods_${pods}_server_cpu_pct`] = await cpuPercent(pid, sampleMs);
    out[`pods_${pods}_server_rss_mb`] = rssMb(pid);
    children = childrenOf(pid);
    out[`pods_${pods}_child_processes`] = children.length;
    out[`pods_${pods}_children_rss_mb`] = children.reduce((a, c) => {
      try {
        return a + rssMb(c);
      } catch {
        return a;
      }
    }, 0);

    // One pod at a time (each Ready before the next is created): the latency without queueing.
    const one: number[] = [];
    for (let k = 0; k < 5; k++) {
      const o = await startupCase(s, `one${k}`, 1, 1, (name) => sleepPod(name, `one${k}`));
      one.push(...o.latencies);
    }
    one.sort((a, b) => a - b);
    out['single_pod_startup_median_ms'] = pct(one, 50);
    out['single_pod_startup_min_ms'] = one[0] ?? NaN;

    if (httpPods > 0) {
      const ports = await Promise.all(Array.from({ length: httpPods }, () => freePort()));
      const h = await startupCase(s, 'http', httpPods, concurrency, (name, i) => httpPod(ports[i])(name));
      out['http_pods_ready'] = h.latencies.length;
      out['http_startup_p50_ms'] = pct(h.latencies, 50);
      out['http_startup_p90_ms'] = pct(h.latencies, 90);
      out['http_startup_p99_ms'] = pct(h.latencies, 99);
      out['http_startup_max_ms'] = h.latencies[h.latencies.length - 1] ?? NaN;
      out['http_pods_per_s'] = h.latencies.length / (h.totalMs / 1000);
    }
    children = childrenOf(pid);
  } finally {
    recordStop(out, await stopServer(s, children));
    out['leftover_sleep_3600'] = Math.max(0, pgrepCount('^sleep 3600$') - sleepsBefore);
    rmSync(s.dataDir, { recursive: true, force: true });
  }
  return out;
}

export function printKubelet(r: Record<string, number>): void {
  for (const [k, v] of Object.entries(r)) console.log(`${k.padEnd(32)} ${v.toFixed(1)}`);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  printKubelet(await benchKubelet());
}
