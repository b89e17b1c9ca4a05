// Test harness: a real API server in this process (memory store) and a controller context wired
// as `k8ts server` wires it, so controller tests exercise the real API semantics.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer, type RunningApiServer } from '../../apiserver/api-server.js';
import { RestClient, SharedInformerFactory, EventBroadcaster, realTimerClock } from '../../client/index.js';
import { inProcessTransport } from '../../cli/in-process-transport.js';
import { runControllerManager } from '../controller-manager.js';
import type { ControllerContext, ControllerFactory } from '../types.js';

export interface TestCluster {
  server: RunningApiServer;
  /** A client acting as the cluster admin (for the test's own reads and writes). */
  admin: RestClient;
  ctx: ControllerContext;
  /** Starts the given controllers (informers started and synced first). */
  run(controllers: Record<string, ControllerFactory>, workers?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestCluster(): Promise<TestCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-ctl-'));
  const server = await startApiServer({ dataDir: dir, bindAddress: '127.0.0.1', port: 0, datastoreEndpoint: 'memory://' });
  const abort = new AbortController();
  const client = new RestClient(inProcessTransport(server, { name: 'system:kube-controller-manager', groups: ['system:authenticated'] }));
  const admin = new RestClient(inProcessTransport(server, { name: 'admin', groups: ['system:masters', 'system:authenticated'] }));
  const informers = new SharedInformerFactory(client);
  const events = new EventBroadcaster(client);
  const ctx: ControllerContext = {
    client, informers, clock: realTimerClock, signal: abort.signal,
    recorder: (component) => events.newRecorder({ component, host: 'test' }),
  };
  return {
    server, admin, ctx,
    async run(controllers, workers = 2) {
      await runControllerManager(ctx, { controllers, workers });
    },
    async stop() {
      abort.abort();
      await informers.shutdown();
      await events.shutdown();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls until `check` returns a truthy value (or throws after `tries` × 20 ms). */
export async function eventually<T>(check: () => Promise<T | undefined | false> | T | undefined | false, tries = 500): Promise<T> {
  let last: unknown;
  for (let i = 0; i < tries; i++) {
    try {
      const v = await check();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`condition not met${last ? `: ${(last as Error).message}` : ''}`);
}
