// Service benchmarks (issue 5) against a real `k8ts server` process (embedded agent with its node
// components: service proxy in USERSPACE mode, cluster DNS, ingress; process runtime) over HTTPS
// (figures, not tests). All traffic goes to this machine: 127.0.0.1 and the node's InternalIP.
//  - HTTP requests/s and latency p50/p99 with keep-alive (BENCH_SVC_CLIENTS clients, default 50,
//    BENCH_SVC_SECONDS each, default 5, after a 1 s warm-up): direct to the pod (nodeIP:podPort),
//    through the userspace proxy (nodeIP:nodePort), through the ingress (nodeIP:ingressHttpPort
//    with a Host header); ratios proxy/direct and ingress/direct. One pod behind the service, so
//    all three reach the same server process. The load generator is this (single) Node process.
//  - DNS queries/s (A for `<svc>.default.svc.cluster.local`, ~50 in flight) against the cluster DNS.
//  - Endpoint propagation: two pods behind a NodePort service (named targetPort `http`, each answers
//    with its own name; exec readinessProbe on a flag file, periodSeconds 1, failureThreshold 1).
//    Per flip: remove pod b's flag, wait until 20 fresh connections in a row reach only pod a, put
//    the flag back (t_flag), note when a watch sees b's Ready=True (t_ready), and probe the NodePort
//    with fresh connections (4 in parallel) until one answers `b` (t_traffic). p50/p99 of
//    t_traffic − t_ready (the propagation) and t_traffic − t_flag (includes the probe period).
// Cleanup: SIGTERM to the server; the server's children still alive afterwards and any pod
// process left (found by a marker in its command line) are counted and killed by pid.
// Refuses to run while another `k8ts server` with node components is running.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import http from 'node:http';
import { promises as dnsp } from 'node:dns';
import { NS, type PodLike, type Server, childrenOf, freePort, pct, pgrepPids, readyNode, recordStop, request, sleep, startAgentServer, stopServer, watchPods } from './agent-server.js';

const MARKER = 'k8ts-svc-bench-pod';

/** Other `k8ts server` processes that run node components (proxy/DNS/ingress). */
function otherNodeServiceServers(): string[] {
  let out = '';
  try {
    out = execFileSync('pgrep', ['-af', 'k8ts.js server'], { encoding: 'utf8' });
  } catch {
    return []; // none
  }
  return out.split('\n').filter(Boolean).filter((l) => {
    const pid = Number(l.split(' ')[0]);
    if (pid === process.pid || !/\bk8ts\.js server\b/.test(l) || /\bpgrep\b/.test(l)) return false;
    if (/--disable-agent\b/.test(l)) return false;
    const m = /--disable[ =](\S+)/.exec(l);
    const off = new Set((m?.[1] ?? '').split(','));
    return !(off.has('proxy') && off.has('dns') && off.has('ingress'));
  });
}

interface Ports { api: number; kubelet: number; dns: number; http: number; https: number }

async function create(s: Server, path: string, body: object): Promise<void> {
  const r = await request(s, 'POST', path, body);
  if (r.status !== 201) throw new Error(`POST ${path}: ${r.status} ${r.body.slice(0, 300)}`);
}

async function until<T>(f: () => Promise<T | undefined | false>, what: string, ms = 60_000, every = 100): Promise<T> {
  const end = performance.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await f();
      if (v !== undefined && v !== false) return v as T;
    } catch (e) {
      last = e;
    }
    if (performance.now() > end) throw new Error(`${what} not reached${last ? `: ${(last as Error).message}` : ''}`);
    await sleep(every);
  }
}

/** Node Ready, default ServiceAccount present; returns the node's InternalIP. */
async function waitUsable(s: Server): Promise<string> {
  return until(async () => {
    return (await readyNode(s))?.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
  }, 'node Ready with an InternalIP and the default ServiceAccount', 30_000);
}

const isReady = (p: PodLike) => !!p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');

function webPod(name: string, app: string, port: number, readiness: object): object {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, labels: { app } },
    spec: {
      terminationGracePeriodSeconds: 1,
      containers: [{
        name: 'web', image: 'node:20',
        command: [process.execPath, '-e', `/*${MARKER}*/require('http').createServer((q,s)=>s.end('${name}')).listen(${port})`],
        ports: [{ name: 'http', containerPort: port }],
        readinessProbe: { ...readiness, periodSeconds: 1 },
      }],
    },
  };
}

function nodePortService(name: string, app: string): object {
  return {
    apiVersion: 'v1', kind: 'Service', metadata: { name },
    spec: { type: 'NodePort', selector: { app }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  };
}

/** One GET on a fresh connection; the body, or undefined on error/timeout. */
function getOnce(url: string, host?: string, timeoutMs = 2_000): Promise<string | undefined> {
  return new Promise((res) => {
    const req = http.request(url, { agent: false, timeout: timeoutMs, headers: host ? { host } : {} }, (r) => {
      let body = '';
      r.setEncoding('utf8');
      r.on('data', (d) => (body += d));
      r.on('end', () => res(r.statusCode === 200 ? body : undefined));
      r.on('error', () => res(undefined));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => res(undefined));
    req.end();
  });
}

interface LoadResult { rps: number; p50: number; p99: number; errors: number }

/** `clients` keep-alive clients, each sending GETs back to back for `seconds` (after a 1 s warm-up). */
async function httpLoad(url: string, host: string | undefined, clients: number, seconds: number): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const headers = host ? { host } : {};
  const one = () => new Promise<boolean>((res) => {
    const req = http.request(url, { agent, headers }, (r) => {
      r.resume();
      r.on('end', () => res(r.statusCode === 200));
      r.on('error', () => res(false));
    });
    req.on('error', () => res(false));
    req.end();
  });
  const run = async (ms: number, record: boolean) => {
    const lat: number[] = [];
    let errors = 0;
    const t0 = performance.now();
    const end = t0 + ms;
    await Promise.all(Array.from({ length: clients }, async () => {
      while (performance.now() < end) {
        const a = performance.now();
        const ok = await one();
        if (!record) continue;
        if (ok) lat.push(performance.now() - a);
        else errors++;
      }
    }));
    return { lat, errors, elapsed: performance.now() - t0 };
  };
  try {
    await run(1_000, false);
    const r = await run(seconds * 1000, true);
    r.lat.sort((a, b) => a - b);
    return { rps: r.lat.length / (r.elapsed / 1000), p50: pct(r.lat, 50), p99: pct(r.lat, 99), errors: r.errors };
  } finally {
    agent.destroy();
  }
}

async function dnsLoad(server: string, name: string, inflight: number, seconds: number): Promise<{ qps: number; p50: number; p99: number; errors: number }> {
  const resolver = new dnsp.Resolver({ timeout: 2_000, tries: 1 });
  resolver.setServers([server]);
  const lat: number[] = [];
  let errors = 0;
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  await Promise.all(Array.from({ length: inflight }, async () => {
    while (performance.now() < end) {
      const a = performance.now();
      try {
        const ips = await resolver.resolve4(name);
        if (ips.length > 0) lat.push(performance.now() - a);
        else errors++;
      } catch {
        errors++;
      }
    }
  }));
  const elapsed = performance.now() - t0;
  lat.sort((a, b) => a - b);
  return { qps: lat.length / (elapsed / 1000), p50: pct(lat, 50), p99: pct(lat, 99), errors };
}

/** Watches pods labelled app=<app>; remembers when each pod's Ready condition last turned True. */
async function watchReady(s: Server, app: string): Promise<{ readyAt: Map<string, number>; ready: Map<string, boolean>; close: () => void }> {
  const readyAt = new Map<string, number>();
  const ready = new Map<string, boolean>();
  const req = await watchPods(s, `app=${app}`, (name, pod, now) => {
    const r2 = isReady(pod);
    if (r2 && !ready.get(name)) readyAt.set(name, now);
    ready.set(name, r2);
  }, { ignoreStreamErrors: true });
  return { readyAt, ready, close: () => req.destroy() };
}

export async function benchServices(opts: { clients?: number; seconds?: number; flips?: number } = {}): Promise<Record<string, number>> {
  const clients = opts.clients ?? Number(process.env.BENCH_SVC_CLIENTS ?? 50);
  const seconds = opts.seconds ?? Number(process.env.BENCH_SVC_SECONDS ?? 5);
  const flips = opts.flips ?? Number(process.env.BENCH_SVC_FLIPS ?? 20);
  const others = otherNodeServiceServers();
  if (others.length) throw new Error(`another k8ts server with node components is running; not starting a second one:\n${others.join('\n')}`);
  const out: Record<string, number> = {};
  const ports: Ports = { api: await freePort(), kubelet: await freePort(), dns: await freePort(), http: await freePort(), https: await freePort() };
  const [webPort, flipAPort, flipBPort] = [await freePort(), await freePort(), await freePort()];
  const work = mkdtempSync(join(tmpdir(), 'k8ts-bench-svc-flags-'));
  const s = await startAgentServer({
    dataDirPrefix: 'k8ts-bench-svc-', apiPort: ports.api, kubeletPort: ports.kubelet, maxSockets: 16,
    extraArgs: ['--cluster-dns-port', String(ports.dns), '--ingress-http-port', String(ports.http), '--ingress-https-port', String(ports.https), '--proxy-mode', 'userspace'],
  });
  const pid = s.proc.pid!;
  let children: number[] = [];
  let watch: Awaited<ReturnType<typeof watchReady>> | undefined;
  try {
    const nodeIP = await waitUsable(s);
    const flagA = join(work, 'ready-a');
    const flagB = join(work, 'ready-b');
    writeFileSync(flagA, '');
    writeFileSync(flagB, '');
    await create(s, `/api/v1/namespaces/${NS}/pods`, webPod('bench-web', 'bench-web', webPort, { tcpSocket: { port: webPort } }));
    await create(s, `/api/v1/namespaces/${NS}/pods`, webPod('flip-a', 'bench-flip', flipAPort, { exec: { command: ['test', '-f', flagA] }, failureThreshold: 1 }));
    await create(s, `/api/v1/namespaces/${NS}/pods`, webPod('flip-b', 'bench-flip', flipBPort, { exec: { command: ['test', '-f', flagB] }, failureThreshold: 1 }));
    await create(s, `/api/v1/namespaces/${NS}/services`, nodePortService('bench-web', 'bench-web'));
    await create(s, `/api/v1/namespaces/${NS}/services`, nodePortService('bench-flip', 'bench-flip'));
    const host = 'bench.example.test';
    await create(s, `/apis/networking.k8s.io/v1/namespaces/${NS}/ingresses`, {
      apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'bench-web' },
      spec: { rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'bench-web', port: { number: 80 } } } }] } }] },
    });
    const nodePort = async (svc: string) => JSON.parse((await request(s, 'GET', `/api/v1/namespaces/${NS}/services/${svc}`)).body).spec.ports[0].nodePort as number;
    const webNodePort = await nodePort('bench-web');
    const flipNodePort = await nodePort('bench-flip');
    const direct = `http://${nodeIP}:${webPort}/`;
    const viaProxy = `http://${nodeIP}:${webNodePort}/`;
    const viaIngress = `http://${nodeIP}:${ports.http}/`;
    await until(async () => (await getOnce(direct)) === 'bench-web', 'the pod answering directly');
    await until(async () => (await getOnce(viaProxy)) === 'bench-web', 'the NodePort answering');
    await until(async () => (await getOnce(viaIngress, host)) === 'bench-web', 'the ingress answering');
    await sleep(1000);

    const d = await httpLoad(direct, undefined, clients, seconds);
    const p = await httpLoad(viaProxy, undefined, clients, seconds);
    const i = await httpLoad(viaIngress, host, clients, seconds);
    for (const [k, r] of [['direct', d], ['proxy', p], ['ingress', i]] as const) {
      out[`http_${k}_rps`] = r.rps;
      out[`http_${k}_p50_ms`] = r.p50;
      out[`http_${k}_p99_ms`] = r.p99;
      out[`http_${k}_errors`] = r.errors;
    }
    out['ratio_proxy_direct_rps'] = p.rps / d.rps;
    out['ratio_ingress_direct_rps'] = i.rps / d.rps;
    out['added_p50_proxy_ms'] = p.p50 - d.p50;
    out['added_p50_ingress_ms'] = i.p50 - d.p50;

    const q = await dnsLoad(`${nodeIP}:${ports.dns}`, 'bench-web.default.svc.cluster.local', 50, seconds);
    out['dns_qps'] = q.qps;
    out['dns_p50_ms'] = q.p50;
    out['dns_p99_ms'] = q.p99;
    out['dns_errors'] = q.errors;

    // Endpoint propagation.
    const flipUrl = `http://${nodeIP}:${flipNodePort}/`;
    watch = await watchReady(s, 'bench-flip');
    await until(async () => {
      const seen = new Set<string | undefined>();
      for (let k = 0; k < 20; k++) seen.add(await getOnce(flipUrl));
      return seen.has('flip-a') && seen.has('flip-b');
    }, 'both flip pods answering through the NodePort');
    const fromReady: number[] = [];
    const fromFlag: number[] = [];
    for (let f = 0; f < flips; f++) {
      rmSync(flagB);
      await until(async () => {
        for (let k = 0; k < 20; k++) if ((await getOnce(flipUrl)) !== 'flip-a') return undefined;
        return true;
      }, 'traffic only to flip-a', 30_000, 50);
      await until(async () => watch!.ready.get('flip-b') === false, 'flip-b unready by watch', 10_000, 20);
      const tFlag = performance.now();
      writeFileSync(flagB, '');
      let tTraffic = NaN;
      await Promise.all(Array.from({ length: 4 }, async () => {
        const end = tFlag + 30_000;
        while (Number.isNaN(tTraffic) && performance.now() < end) {
          const b = await getOnce(flipUrl);
          if (b === 'flip-b' && Number.isNaN(tTraffic)) tTraffic = performance.now();
        }
      }));
      if (Number.isNaN(tTraffic)) throw new Error('flip-b never got traffic back');
      await until(async () => watch!.ready.get('flip-b') === true, 'flip-b Ready by watch', 10_000, 20);
      const tReady = watch.readyAt.get('flip-b')!;
      fromReady.push(tTraffic - tReady);
      fromFlag.push(tTraffic - tFlag);
    }
    fromReady.sort((a, b) => a - b);
    fromFlag.sort((a, b) => a - b);
    out['propagation_flips'] = fromReady.length;
    out['propagation_ready_to_traffic_p50_ms'] = pct(fromReady, 50);
    out['propagation_ready_to_traffic_p99_ms'] = pct(fromReady, 99);
    out['propagation_flag_to_traffic_p50_ms'] = pct(fromFlag, 50);
    out['propagation_flag_to_traffic_p99_ms'] = pct(fromFlag, 99);
    children = childrenOf(pid);
  } finally {
    watch?.close();
    children = [...new Set([...children, ...childrenOf(pid)])];
    recordStop(out, await stopServer(s, children, () => pgrepPids(MARKER)));
    rmSync(s.dataDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
  return out;
}

export function printServices(r: Record<string, number>): void {
  for (const [k, v] of Object.entries(r)) console.log(`${k.padEnd(38)} ${v.toFixed(2)}`);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  printServices(await benchServices());
}
