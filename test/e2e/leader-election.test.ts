// Leader election of the scheduler and the controller manager inside `k8ts server`, seen through
// kubectl: their Leases in kube-system, and restarts that never wait for an old lease to expire.
import { describe, it, expect, afterEach } from 'vitest';
import { hostname } from 'node:os';
import { startServer, kubectl, cleanup, haveKubectl, type ServerHandle } from './harness.js';
import { startPodDouble } from './pod-double.js';

const enabled = haveKubectl();
const HOLDER = new RegExp(`^${hostname()}_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`);

async function until<T>(f: () => Promise<T | undefined>, what: string, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`${what} not reached`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface LeaseSpec { holderIdentity?: string; acquireTime?: string; renewTime?: string; leaseTransitions?: number; leaseDurationSeconds?: number }

describe.skipIf(!enabled)('leader election of the control-plane components', () => {
  const started: ServerHandle[] = [];
  const start = async (opts: Parameters<typeof startServer>[0] = {}) => {
    const s = await startServer(opts);
    started.push(s);
    return s;
  };
  afterEach(async () => {
    for (const s of started.splice(0)) {
      await s.stop();
      cleanup(s);
    }
  });
  const leases = async (s: ServerHandle): Promise<Record<string, LeaseSpec>> => {
    const r = await kubectl(s, ['get', 'lease', '-n', 'kube-system', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    return Object.fromEntries(JSON.parse(r.stdout).items.map((l: { metadata: { name: string }; spec: LeaseSpec }) => [l.metadata.name, l.spec]));
  };
  /** A pod that the scheduler binds to the one registered node; returns the node. */
  const scheduled = async (s: ServerHandle, name: string) => {
    const c = await kubectl(s, ['run', name, '--image=registry.local/x:1', '--restart=Never']);
    expect(c.code, c.stderr).toBe(0);
    return until(async () => {
      const r = await kubectl(s, ['get', 'pod', name, '-o', 'jsonpath={.spec.nodeName}']);
      return r.stdout ? r.stdout : undefined;
    }, `pod ${name} bound`);
  };

  it('kubectl get lease -n kube-system lists the scheduler and the controller manager with their holder', async () => {
    const s = await start();
    const table = await until(async () => {
      const r = await kubectl(s, ['get', 'lease', '-n', 'kube-system']);
      return /kube-scheduler/.test(r.stdout) && /kube-controller-manager/.test(r.stdout) ? r.stdout : undefined;
    }, 'both leases');
    expect(table).toMatch(/^NAME\s+HOLDER\s+AGE$/m);
    const l = await leases(s);
    for (const name of ['kube-scheduler', 'kube-controller-manager']) {
      expect(l[name]!.holderIdentity).toMatch(HOLDER);
      expect(l[name]!.leaseDurationSeconds).toBe(15);
      expect(table).toMatch(new RegExp(`^${name}\\s+${l[name]!.holderIdentity}\\s+\\d+s$`, 'm'));
    }
    // One process, one identity for both.
    expect(l['kube-scheduler']!.holderIdentity).toBe(l['kube-controller-manager']!.holderIdentity);
  });

  it('after a clean restart the server leads again at once (the lease was released) and schedules', async () => {
    const s = await start();
    const double = await startPodDouble(s, { nodes: ['only'] });
    await double.stop();
    expect(await scheduled(s, 'before')).toBe('only');
    const before = await leases(s);
    expect(await s.stop('SIGTERM')).toBe(0);
    const again = await start({ dataDir: s.dataDir, port: s.port });
    expect(await scheduled(again, 'after')).toBe('only');
    const after = await leases(again);
    for (const name of ['kube-scheduler', 'kube-controller-manager']) {
      const b = before[name]!;
      const a = after[name]!;
      expect(a.holderIdentity).toBe(b.holderIdentity);
      // Released on shutdown, so taken again as a new term…
      expect(a.leaseTransitions).toBe(b.leaseTransitions! + 1);
      // …without waiting for the old term to expire: a waiting server could only have taken it
      // 15 s after the last renewal, which is no earlier than the renewal read before stopping.
      expect(Date.parse(a.acquireTime!) - Date.parse(b.renewTime!)).toBeLessThan(15_000);
    }
  });

  it('after a crash (kill -9) the restarted server renews its own lease: same identity, same term', async () => {
    const s = await start();
    const before = await until(async () => {
      const l = await leases(s);
      return l['kube-scheduler'] && l['kube-controller-manager'] ? l : undefined;
    }, 'both leases');
    await s.stop('SIGKILL');
    const again = await start({ dataDir: s.dataDir, port: s.port });
    const after = await until(async () => {
      const l = await leases(again);
      return l['kube-scheduler']!.renewTime !== before['kube-scheduler']!.renewTime
        && l['kube-controller-manager']!.renewTime !== before['kube-controller-manager']!.renewTime ? l : undefined;
    }, 'renewals after the restart');
    for (const name of ['kube-scheduler', 'kube-controller-manager']) {
      expect(after[name]!.holderIdentity).toBe(before[name]!.holderIdentity);
      expect(after[name]!.acquireTime).toBe(before[name]!.acquireTime);
      expect(after[name]!.leaseTransitions).toBe(before[name]!.leaseTransitions);
    }
  });

  it('--leader-elect=false runs the components without leases', async () => {
    const s = await start({ extraArgs: ['--leader-elect=false'] });
    const double = await startPodDouble(s, { nodes: ['only'] });
    await double.stop();
    expect(await scheduled(s, 'p')).toBe('only');
    expect(await leases(s)).toEqual({});
  });
});
