import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { record } from '../store-contract-helpers.js';
import { describeStoreContract } from '../store-contract.js';
import { SqliteStore } from './sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-sqlite-'));
let n = 0;
const freshFile = () => join(dir, `store-${n++}.db`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeStoreContract('sqlite', () => SqliteStore.open(freshFile()));

describe('SqliteStore', () => {
  it('keeps revisions, values, history and the compaction point across close and reopen', async () => {
    const file = freshFile();
    const a = SqliteStore.open(file);
    await a.create('/r/a', 'a1'); // 1
    await a.create('/r/b', 'b1'); // 2
    await a.update('/r/a', 'a2', 1); // 3
    await a.delete('/r/b'); // 4
    await a.create('/r/c', 'c1'); // 5
    await a.update('/r/c', 'c2', 5); // 6
    await a.compact(3);
    await a.close();

    const b = SqliteStore.open(file);
    expect(await b.currentRevision()).toBe(6);
    expect(await b.compactedRevision()).toBe(3);
    expect((await b.range('/r/')).kvs.map((kv) => `${kv.key}=${kv.value}@${kv.createRevision}/${kv.modRevision}`)).toEqual([
      '/r/a=a2@1/3',
      '/r/c=c2@5/6',
    ]);
    expect((await b.get('/r/b', { revision: 3 })).kv?.value).toBe('b1');
    const rec = record(b, '/r/', 3);
    expect((await b.create('/r/d', 'd1')).modRevision).toBe(7);
    await rec.until(4);
    expect(rec.events.map((e) => `${e.revision} ${e.type} ${e.kv.key}`)).toEqual([
      '4 delete /r/b',
      '5 create /r/c',
      '6 update /r/c',
      '7 create /r/d',
    ]);
    rec.watch.cancel();
    await b.close();
  });

  it('recovers the revision when compaction removed the newest rows', async () => {
    const file = freshFile();
    const a = SqliteStore.open(file);
    await a.create('/k', 'v');
    await a.delete('/k');
    await a.compact(2); // drops both rows: the table is empty
    await a.close();
    const b = SqliteStore.open(file);
    expect(await b.currentRevision()).toBe(2);
    expect((await b.create('/k', 'again')).modRevision).toBe(3);
    await b.close();
  });

  it('commits writes accepted before close', async () => {
    const file = freshFile();
    const a = SqliteStore.open(file);
    const pending = Promise.all([a.create('/x', '1'), a.create('/y', '2')]);
    await a.close();
    await pending;
    const b = SqliteStore.open(file);
    expect(await b.count('/')).toBe(2);
    await b.close();
  });

  it('compacts a long history in chunks', async () => {
    const store = SqliteStore.open(freshFile());
    await Promise.all(Array.from({ length: 11_000 }, (_, i) => store.create(`/h/${i}`, `v${i}`)));
    await Promise.all(Array.from({ length: 500 }, (_, i) => store.update(`/h/${i}`, `u${i}`, i + 1)));
    await Promise.all(Array.from({ length: 500 }, (_, i) => store.delete(`/h/${10_000 + i}`)));
    await store.compact(11_900); // more than one chunk of 10,000 revisions
    expect(await store.compactedRevision()).toBe(11_900);
    expect(await store.count('/h/')).toBe(10_500);
    expect((await store.get('/h/3')).kv).toEqual({ key: '/h/3', value: 'u3', createRevision: 4, modRevision: 11_004 });
    expect((await store.get('/h/10003', { revision: 11_900 })).kv).toBeNull();
    expect((await store.get('/h/10499', { revision: 11_900 })).kv?.value).toBe('v10499');
    const rec = record(store, '/h/', 11_900);
    await rec.until(100);
    expect(rec.events.map((e) => e.type)).toEqual(Array(100).fill('delete'));
    rec.watch.cancel();
    await store.close();
  });

  it('compacts periodically, keeping the last revisions', async () => {
    const store = SqliteStore.open(freshFile());
    for (let i = 0; i < 30; i++) await store.create(`/a/${i}`, `${i}`);
    const stop = store.startAutoCompaction(5, 10);
    await vi.waitFor(async () => expect(await store.compactedRevision()).toBe(20), { timeout: 5000 });
    stop();
    expect(await store.count('/a/')).toBe(30);
    await store.close();
  });

  it('keeps every acknowledged write when the process is killed with SIGKILL', async () => {
    const file = freshFile();
    const script = fileURLToPath(new URL('./testdata/ack-writer.ts', import.meta.url));
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script, file], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const acked = new Map<string, number>();
    let stderr = '';
    let buffered = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        buffered += d.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        for (const line of lines) {
          const [rev, key] = line.split(' ');
          acked.set(key!, Number(rev));
        }
        // Kill mid-stream: more writes are in flight when the signal lands.
        if (acked.size >= 2000) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      void exited.then(() => reject(new Error(`writer exited early: ${stderr}`)));
    });
    expect(await exited).toBe('SIGKILL');

    const store = SqliteStore.open(file);
    const { kvs } = await store.range('/durable/');
    const stored = new Map(kvs.map((kv) => [kv.key, kv]));
    for (const [key, rev] of acked) {
      expect(stored.get(key), key).toEqual({ key, value: `value of ${key}`, createRevision: rev, modRevision: rev });
    }
    expect(await store.currentRevision()).toBeGreaterThanOrEqual(Math.max(...acked.values()));
    await store.close();
  });
});
