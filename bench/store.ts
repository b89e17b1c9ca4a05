// Store benchmark: SQLite (durable: WAL + synchronous=FULL, in a temp dir) against memory.
// Run: npx tsx bench/store.ts. Each phase runs 3 timed rounds and reports the median, in
// operations per second; the whole run takes about 20 s whatever the disk.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Store } from '../src/storage/interface.js';
import { MemoryStore } from '../src/storage/memory/memory-store.js';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.js';

const ROUNDS = 3;
const ROUND_MS = 700;
const CONCURRENCY = 50;
const RANGE_KEYS = 1000;
const RANGE_PREFIXES = 5;

/** A value shaped like a small pod, so row sizes are realistic (~1 KB). */
const VALUE = JSON.stringify({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'bench', namespace: 'default', labels: { app: 'bench', tier: 'backend' }, uid: '0'.repeat(36) },
  spec: {
    containers: [{ name: 'main', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '100m', memory: '64Mi' } } }],
    nodeName: 'node-1',
    restartPolicy: 'Always',
  },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], podIP: '10.0.0.1', padding: 'x'.repeat(500) },
});

type Phase = 'create (sequential)' | `create (${typeof CONCURRENCY}-way)` | 'get' | `range (${typeof RANGE_KEYS} keys)`;
const PHASES: Phase[] = ['create (sequential)', `create (${CONCURRENCY}-way)`, 'get', `range (${RANGE_KEYS} keys)`];

/**
 * Runs `op` from `workers` concurrent loops in ROUNDS rounds of ROUND_MS each; returns the median
 * ops/s. One untimed call first takes one-off costs (statement preparation, the memory index's
 * merge of new keys).
 */
async function rate(workers: number, op: (i: number) => Promise<unknown>): Promise<number> {
  await op(0);
  let next = 1;
  const rates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const first = next;
    const start = performance.now();
    const deadline = start + ROUND_MS;
    const loop = async () => {
      while (performance.now() < deadline) await op(next++);
    };
    await Promise.all(Array.from({ length: workers }, loop));
    rates.push((next - first) / ((performance.now() - start) / 1000));
  }
  return rates.sort((a, b) => a - b)[ROUNDS >> 1]!;
}

async function benchOne(store: Store): Promise<Record<Phase, number>> {
  // Keys for the range phase: RANGE_PREFIXES namespaces of exactly RANGE_KEYS keys each.
  const setup: Promise<unknown>[] = [];
  for (let ns = 0; ns < RANGE_PREFIXES; ns++) {
    for (let i = 0; i < RANGE_KEYS; i++) setup.push(store.create(`/registry/configmaps/ns-${ns}/cm-${i}`, VALUE));
  }
  await Promise.all(setup);

  const seq = await rate(1, (i) => store.create(`/registry/pods/seq/pod-${i}`, VALUE));
  const conc = await rate(CONCURRENCY, (i) => store.create(`/registry/pods/ns-${i % 20}/pod-${i}`, VALUE));
  const get = await rate(1, (i) => store.get(`/registry/configmaps/ns-${i % RANGE_PREFIXES}/cm-${(i * 7919) % RANGE_KEYS}`));
  const range = await rate(1, async (i) => {
    const { kvs } = await store.range(`/registry/configmaps/ns-${i % RANGE_PREFIXES}/`);
    if (kvs.length !== RANGE_KEYS) throw new Error(`range returned ${kvs.length} keys`);
  });
  return {
    'create (sequential)': seq,
    [`create (${CONCURRENCY}-way)`]: conc,
    get,
    [`range (${RANGE_KEYS} keys)`]: range,
  } as Record<Phase, number>;
}

/** Measures both backends; keys are `<backend>.<phase>` (ops/s) and `ratio.<phase>` (sqlite/memory). */
export async function benchStore(): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-bench-store-'));
  const results: Record<string, number> = {};
  try {
    const sqlite = SqliteStore.open(join(dir, 'state.db'));
    const s = await benchOne(sqlite);
    await sqlite.close();
    const memory = new MemoryStore();
    const m = await benchOne(memory);
    await memory.close();
    for (const phase of PHASES) {
      results[`sqlite.${phase}`] = s[phase];
      results[`memory.${phase}`] = m[phase];
      results[`ratio.${phase}`] = s[phase] / m[phase];
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

export function printTable(r: Record<string, number>): void {
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const rows = PHASES.map((p) => [p, fmt(r[`sqlite.${p}`]!), fmt(r[`memory.${p}`]!), (r[`ratio.${p}`]!).toFixed(3)]);
  const header = ['operation (ops/s)', 'sqlite', 'memory', 'sqlite/memory'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printTable(await benchStore());
}
