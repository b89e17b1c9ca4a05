// API benchmarks against a real `k8ts server` process over HTTPS (figures, not tests):
//  - start → ready time and idle RSS;
//  - pod creates/s with 50 concurrent clients (≈2 KB pods), p50/p99 latency;
//  - LIST of 10,000 pods as JSON and as a Table;
//  - watch fan-out: one write seen by 1,000 watchers, p50/p99 delivery latency.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import https from 'node:https';
import type { ClientRequest } from 'node:http';
import { freePort } from './agent-server.js';

// npm runs scripts from the package root.
const ROOT = process.cwd();

interface Server {
  proc: ChildProcess;
  url: string;
  dataDir: string;
  readyMs: number;
}

async function start(datastore?: string): Promise<Server> {
  const dataDir = mkdtempSync(join(tmpdir(), 'k8ts-bench-'));
  const port = await freePort();
  // The API server's own figures: without a scheduler, every pod made here (no nodes exist) would
  // also cost a scheduling attempt, a status write and an event.
  const args = [join(ROOT, 'bin/k8ts.js'), 'server', '--data-dir', dataDir, '--https-listen-port', String(port), '--disable-scheduler', '--disable-agent'];
  if (datastore) args.push('--datastore-endpoint', datastore);
  const t0 = performance.now();
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((res, rej) => {
    let out = '';
    proc.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('is ready at')) res();
    });
    proc.on('exit', (c) => rej(new Error(`server exited ${c}`)));
  });
  return { proc, url: `https://127.0.0.1:${port}`, dataDir, readyMs: performance.now() - t0 };
}

function agentFor(s: Server, maxSockets = 64): https.Agent {
  const tls = join(s.dataDir, 'tls');
  return new https.Agent({ ca: readFileSync(join(tls, 'ca.crt')), cert: readFileSync(join(tls, 'admin.crt')), key: readFileSync(join(tls, 'admin.key')), keepAlive: true, maxSockets });
}

function request(s: Server, agent: https.Agent, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((res, rej) => {
    const req = https.request(`${s.url}${path}`, { method, agent, headers: { 'Content-Type': 'application/json', ...headers } }, (r) => {
      const chunks: Buffer[] = [];
      r.on('data', (c) => chunks.push(c));
      r.on('end', () => res({ status: r.statusCode!, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', rej);
    req.end(body);
  });
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function podBody(name: string): string {
  const env = Array.from({ length: 12 }, (_, i) => ({ name: `VAR_${i}`, value: `value-${i}-${'x'.repeat(40)}` }));
  return JSON.stringify({
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, labels: { app: 'bench', tier: 'backend', run: name }, annotations: { 'bench.k8ts.io/note': 'a pod of about two kilobytes' } },
    spec: {
      containers: [{
        name: 'app', image: 'registry.local/bench/app:1.0', command: ['/bin/app', '--serve'], args: ['--port=8080', '--verbose'],
        ports: [{ name: 'http', containerPort: 8080 }], env,
        resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } },
        readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 5 },
      }],
    },
  });
}

async function rss(pid: number): Promise<number> {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

export async function benchApi(opts: { creates?: number; listSize?: number; watchers?: number } = {}): Promise<Record<string, number>> {
  const creates = opts.creates ?? 10_000;
  const listSize = opts.listSize ?? 10_000;
  const watchers = opts.watchers ?? 1_000;
  const out: Record<string, number> = {};

  const s = await start();
  out['ready_ms'] = s.readyMs;
  await new Promise((r) => setTimeout(r, 1500));
  out['idle_rss_mb'] = await rss(s.proc.pid!);
  const agent = agentFor(s, 50);
  try {
    // Creates: 50 concurrent clients.
    const lat: number[] = [];
    let next = 0;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: 50 }, async () => {
      while (next < creates) {
        const i = next++;
        const a = performance.now();
        const r = await request(s, agent, 'POST', '/api/v1/namespaces/default/pods', podBody(`pod-${i}`));
        if (r.status !== 201) throw new Error(`create failed: ${r.status} ${r.body.slice(0, 200)}`);
        lat.push(performance.now() - a);
      }
    }));
    const secs = (performance.now() - t0) / 1000;
    lat.sort((a, b) => a - b);
    out['creates_per_s'] = creates / secs;
    out['create_p50_ms'] = pct(lat, 50);
    out['create_p99_ms'] = pct(lat, 99);

    // Top up to listSize pods, then LIST them.
    for (let i = creates; i < listSize; i += 50) {
      await Promise.all(Array.from({ length: Math.min(50, listSize - i) }, (_, j) => request(s, agent, 'POST', '/api/v1/namespaces/default/pods', podBody(`pod-${i + j}`))));
    }
    const timeList = async (accept: string) => {
      const ms: number[] = [];
      for (let i = 0; i < 7; i++) {
        const a = performance.now();
        // As kubectl and client-go do: gzip on the wire; timed to the last byte.
        const r = await request(s, agent, 'GET', '/api/v1/namespaces/default/pods', undefined, { Accept: accept, 'Accept-Encoding': 'gzip' });
        if (r.status !== 200) throw new Error(`list failed ${r.status}`);
        ms.push(performance.now() - a);
      }
      ms.sort((a, b) => a - b);
      return ms[3];
    };
    out['list_10k_json_ms'] = await timeList('application/json');
    out['list_10k_table_ms'] = await timeList('application/json;as=Table;v=v1;g=meta.k8s.io');

    // Watch fan-out.
    const list = JSON.parse((await request(s, agent, 'GET', '/api/v1/namespaces/default/configmaps')).body);
    const rv = list.metadata.resourceVersion;
    const wagent = agentFor(s, watchers + 10);
    const seen: number[] = [];
    let sentAt = 0;
    const reqs: ClientRequest[] = [];
    await Promise.all(Array.from({ length: watchers }, () => new Promise<void>((res) => {
      const req = https.request(`${s.url}/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}`, { agent: wagent }, (r) => {
        res();
        r.on('data', (c: Buffer) => {
          if (c.includes('"fanout"')) seen.push(performance.now() - sentAt);
        });
      });
      reqs.push(req);
      req.end();
    })));
    await new Promise((r) => setTimeout(r, 500));
    sentAt = performance.now();
    await request(s, agent, 'POST', '/api/v1/namespaces/default/configmaps', JSON.stringify({ metadata: { name: 'fanout' } }));
    const deadline = performance.now() + 10_000;
    while (seen.length < watchers && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    seen.sort((a, b) => a - b);
    out['fanout_watchers_reached'] = seen.length;
    out['fanout_p50_ms'] = pct(seen, 50);
    out['fanout_p99_ms'] = pct(seen, 99);
    for (const r of reqs) r.destroy();
    wagent.destroy();
    out['rss_after_mb'] = await rss(s.proc.pid!);
  } finally {
    agent.destroy();
    s.proc.kill('SIGTERM');
    await new Promise((r) => s.proc.once('exit', r));
    rmSync(s.dataDir, { recursive: true, force: true });
  }
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const r = await benchApi();
  for (const [k, v] of Object.entries(r)) console.log(`${k.padEnd(26)} ${v.toFixed(1)}`);
}
