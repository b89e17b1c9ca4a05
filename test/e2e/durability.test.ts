// An acknowledged write survives `kill -9` of the server: write, kill, restart, all present.
import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { startServer, cleanup, freePort, type ServerHandle } from './harness.js';

function client(s: ServerHandle): k8s.CoreV1Api {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(s.kubeconfig);
  return kc.makeApiClient(k8s.CoreV1Api);
}

describe('durability (SQLite store)', () => {
  const handles: ServerHandle[] = [];
  afterAll(async () => {
    for (const h of handles) await h.stop('SIGKILL');
    if (handles[0]) cleanup(handles[0]);
  });

  it('every acknowledged write is present after kill -9 and restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'k8ts-dur-'));
    const port = await freePort();
    const s1 = await startServer({ dataDir, port });
    handles.push(s1);
    const api = client(s1);
    const acked: string[] = [];
    // 20 concurrent writers; the kill lands after 100 acknowledgements, with writes in flight.
    // A request in flight when the process dies may never be answered: stop waiting for it then.
    const exited = new Promise<'exited'>((r) => s1.proc.once('exit', () => r('exited')));
    const writers = Array.from({ length: 20 }, async (_, w) => {
      for (let i = 0; i < 50; i++) {
        const name = `cm-${w}-${i}`;
        try {
          const r = await Promise.race([api.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name }, data: { i: String(i) } } }), exited]);
          if (r === 'exited') return;
          acked.push(name);
          if (acked.length === 100) s1.proc.kill('SIGKILL');
        } catch {
          return;
        }
      }
    });
    await Promise.all(writers);
    await exited;
    expect(acked.length).toBeGreaterThan(0);

    const s2 = await startServer({ dataDir, port });
    handles.push(s2);
    const list = await client(s2).listNamespacedConfigMap({ namespace: 'default' });
    const present = new Set(list.items.map((c) => c.metadata!.name));
    const lost = acked.filter((n) => !present.has(n));
    expect(lost).toEqual([]);
  });
});
