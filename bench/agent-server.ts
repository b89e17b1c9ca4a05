// Helpers shared by the benchmarks that run a real `k8ts server` process with its embedded agent
// (kubelet.ts, services.ts): starting it and waiting for "is ready at", HTTPS requests with the
// admin certificate, waiting for a usable node, watching pods, and stopping it while counting the
// processes it leaves behind. freePort and pct serve the other benchmarks too.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import https from 'node:https';
import type { ClientRequest } from 'node:http';
import { createServer } from 'node:net';

// npm runs scripts from the package root.
const ROOT = process.cwd();
export const NS = 'default';

export interface Server {
  proc: ChildProcess;
  url: string;
  dataDir: string;
  agent: https.Agent;
  output: () => string;
}

export interface NodeLike {
  status?: { addresses?: { type: string; address: string }[]; conditions?: { type: string; status: string }[] };
}

export interface PodLike {
  metadata?: { name?: string };
  spec?: { nodeName?: string };
  status?: { phase?: string; conditions?: { type: string; status: string }[]; containerStatuses?: unknown[] };
}

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => res(p));
    });
    s.on('error', rej);
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The p-th percentile (nearest rank) of an ascending array; NaN when it is empty. */
export function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export interface AgentServerOptions {
  /** Prefix of the temporary data directory (under the OS tmpdir). */
  dataDirPrefix: string;
  /** API server port; a free one when not given. */
  apiPort?: number;
  /** Kubelet port; a free one when not given. */
  kubeletPort?: number;
  /** Arguments after `--data-dir … --https-listen-port … --kubelet-port …`. */
  extraArgs?: string[];
  /** maxSockets of the admin https.Agent. */
  maxSockets?: number;
}

/**
 * Starts `k8ts server` as a child process and waits (30 s at most) for "is ready at" on its stdout.
 * On failure the process is stopped, the data directory removed and the error (with the output)
 * thrown.
 */
export async function startAgentServer(opts: AgentServerOptions): Promise<Server> {
  const dataDir = mkdtempSync(join(tmpdir(), opts.dataDirPrefix));
  const port = opts.apiPort ?? await freePort();
  const kubeletPort = opts.kubeletPort ?? await freePort();
  // BENCH_SERVER_NODE_ARGS: extra node flags for the server, e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const args = [...nodeArgs, join(ROOT, 'bin/k8ts.js'), 'server', '--data-dir', dataDir, '--https-listen-port', String(port), '--kubelet-port', String(kubeletPort), ...(opts.extraArgs ?? [])];
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  // BENCH_SERVER_LOG: a file that gets all of the server's output.
  const logFile = process.env.BENCH_SERVER_LOG;
  const keep = (d: Buffer) => {
    if (logFile) appendFileSync(logFile, d);
    out += d;
    if (out.length > 20_000) out = out.slice(-10_000);
  };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  try {
    await new Promise<void>((res, rej) => {
      const t = setTimeout(() => rej(new Error(`server did not get ready:\n${out}`)), 30_000);
      proc.stdout!.on('data', () => {
        if (out.includes('is ready at')) {
          clearTimeout(t);
          res();
        }
      });
      proc.on('exit', (c) => {
        clearTimeout(t);
        rej(new Error(`server exited ${c}:\n${out}`));
      });
    });
  } catch (e) {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  const tls = join(dataDir, 'tls');
  const agent = new https.Agent({ ca: readFileSync(join(tls, 'ca.crt')), cert: readFileSync(join(tls, 'admin.crt')), key: readFileSync(join(tls, 'admin.key')), keepAlive: true, maxSockets: opts.maxSockets ?? 64 });
  return { proc, url: `https://127.0.0.1:${port}`, dataDir, agent, output: () => out };
}

/** One request with the admin agent; `body` is sent as JSON. */
export function request(s: Server, method: string, path: string, body?: object): Promise<{ status: number; body: string }> {
  return new Promise((res, rej) => {
    const req = https.request(`${s.url}${path}`, { method, agent: s.agent, headers: { 'Content-Type': 'application/json' } }, (r) => {
      const chunks: Buffer[] = [];
      r.on('data', (c) => chunks.push(c));
      r.on('end', () => res({ status: r.statusCode!, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', rej);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/**
 * One look (two GETs) at whether the server is usable for pods: the first node with Ready=True,
 * or undefined while there is none or the namespace's default ServiceAccount is missing.
 */
export async function readyNode(s: Server): Promise<NodeLike | undefined> {
  const nodes = await request(s, 'GET', '/api/v1/nodes');
  const sa = await request(s, 'GET', `/api/v1/namespaces/${NS}/serviceaccounts/default`);
  if (nodes.status !== 200 || sa.status !== 200) return undefined;
  return ((JSON.parse(nodes.body).items ?? []) as NodeLike[]).find((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
}

/**
 * Lists the pods matching `labelSelector`, then watches them from that list's resourceVersion.
 * `onPod` gets each ADDED/MODIFIED pod that has a name, with the arrival time of its chunk.
 * Resolves (with the request, to destroy) once the watch has answered 200.
 */
export async function watchPods(s: Server, labelSelector: string, onPod: (name: string, pod: PodLike, now: number) => void, opts: { ignoreStreamErrors?: boolean } = {}): Promise<ClientRequest> {
  const sel = encodeURIComponent(labelSelector);
  const list = await request(s, 'GET', `/api/v1/namespaces/${NS}/pods?labelSelector=${sel}`);
  const rv = JSON.parse(list.body).metadata.resourceVersion;
  const req = https.request(`${s.url}/api/v1/namespaces/${NS}/pods?watch=true&labelSelector=${sel}&resourceVersion=${rv}`, { agent: s.agent });
  await new Promise<void>((res, rej) => {
    req.on('response', (r) => {
      if (r.statusCode !== 200) return rej(new Error(`watch failed: ${r.statusCode}`));
      res();
      let buf = '';
      r.setEncoding('utf8');
      r.on('data', (chunk: string) => {
        const now = performance.now();
        buf += chunk;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (!line.trim()) continue;
          const ev = JSON.parse(line) as { type: string; object: PodLike };
          const name = ev.object.metadata?.name;
          if (!name || (ev.type !== 'ADDED' && ev.type !== 'MODIFIED')) continue;
          onPod(name, ev.object, now);
        }
      });
      if (opts.ignoreStreamErrors) r.on('error', () => {});
    });
    req.on('error', rej);
    req.end();
  });
  return req;
}

/** Pids of the direct children of `pid` (the container processes of the process runtime). */
export function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) out.push(Number(d));
    } catch {
      // gone
    }
  }
  return out;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function pgrep(pattern: string): number[] {
  try {
    return execFileSync('pgrep', ['-f', pattern], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

/** How many processes match `pattern` (pgrep -f). */
export function pgrepCount(pattern: string): number {
  return pgrep(pattern).length;
}

/** Pids of the processes matching `pattern` (pgrep -f), this process left out. */
export function pgrepPids(pattern: string): number[] {
  return pgrep(pattern).filter((p) => p !== process.pid);
}

export interface StopResult {
  /** SIGTERM → exit; undefined when the server had already exited. */
  stopMs?: number;
  /** `children` still alive 500 ms after the exit, plus `extraLeftovers()`; all SIGKILLed. */
  leftoverProcesses: number;
}

/**
 * Closes the admin agent, stops the server with SIGTERM (timing it), waits 500 ms, then counts and
 * kills by pid the processes left: those of `children` still alive and those `extraLeftovers`
 * names. The data directory is left to the caller.
 */
export async function stopServer(s: Server, children: number[], extraLeftovers: () => number[] = () => []): Promise<StopResult> {
  s.agent.destroy();
  let stopMs: number | undefined;
  if (s.proc.exitCode === null && s.proc.signalCode === null) {
    const exited = new Promise((r) => s.proc.once('exit', r));
    const t0 = performance.now();
    s.proc.kill('SIGTERM');
    await exited;
    stopMs = performance.now() - t0;
  }
  await sleep(500);
  const left = [...new Set([...children.filter(alive), ...extraLeftovers()])];
  for (const p of left) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  return { stopMs, leftoverProcesses: left.length };
}

/** Copies a StopResult into a bench's figures (stop_ms only when the server was stopped here). */
export function recordStop(out: Record<string, number>, r: StopResult): void {
  if (r.stopMs !== undefined) out['stop_ms'] = r.stopMs;
  out['leftover_processes'] = r.leftoverProcesses;
}
