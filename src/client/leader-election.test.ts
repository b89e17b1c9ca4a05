import { describe, it, expect } from 'vitest';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import { FakeClock, settle } from './clock.js';
import { LeaderElector } from './leader-election.js';
import { LeaseLock } from './lease-lock.js';
import { RestClient } from './rest-client.js';
import { leases } from './resources.js';
import { FakeApiServer } from './testing/fake-api.js';

function candidate(api: FakeApiServer, clock: FakeClock, id: string, events: string[], opts: { releaseOnCancel?: boolean } = {}) {
  const client = new RestClient(api, { clock });
  const ac = new AbortController();
  const elector = new LeaderElector({
    lock: new LeaseLock(client, 'kube-system', 'k8ts-controller-manager', id),
    clock,
    random: () => 0,
    releaseOnCancel: opts.releaseOnCancel,
    log: () => {},
    callbacks: {
      onStartedLeading: (signal) => {
        events.push(`${id} started @${(clock.now() - T0) / 1000}`);
        signal.addEventListener('abort', () => events.push(`${id} signal aborted`));
      },
      onStoppedLeading: () => events.push(`${id} stopped @${(clock.now() - T0) / 1000}`),
      onNewLeader: (who) => events.push(`${id} sees leader ${who || '(none)'}`),
    },
  });
  const done = elector.run(ac.signal);
  return { elector, ac, done };
}

const T0 = Date.UTC(2025, 0, 1);
const lease = (api: FakeApiServer): Lease => api.get(leases, 'kube-system', 'k8ts-controller-manager')!;

describe('LeaderElector', () => {
  it('acquires a missing lease, then renews it every retryPeriod', async () => {
    const clock = new FakeClock(T0);
    const api = new FakeApiServer({ clock });
    const events: string[] = [];
    const a = candidate(api, clock, 'a', events);
    await settle();
    expect(a.elector.isLeader()).toBe(true);
    const l = lease(api);
    expect(l.spec).toMatchObject({ holderIdentity: 'a', leaseDurationSeconds: 15, leaseTransitions: 0 });
    expect(l.spec!.acquireTime).toBe('2025-01-01T00:00:00.000000Z');
    await clock.advance(2000);
    expect(lease(api).spec!.renewTime).toBe('2025-01-01T00:00:02.000000Z');
    expect(lease(api).spec!.acquireTime).toBe('2025-01-01T00:00:00.000000Z');
    await clock.advance(10_000);
    expect(lease(api).spec!.renewTime).toBe('2025-01-01T00:00:12.000000Z');
    expect(events).toEqual(['a sees leader a', 'a started @0']);
    // optimistic concurrency: every renewal is a PUT carrying the resourceVersion read last
    const puts = api.writes().filter((w) => w.verb === 'update');
    expect(puts.length).toBe(7); // at once after acquiring (as upstream), then at 2, 4, … 12 s
    expect(puts.every((p) => (p.body as Lease).metadata!.resourceVersion)).toBe(true);
    a.ac.abort();
    await a.done;
  });

  it('a candidate takes over when the holder stops renewing; the holder steps down after renewDeadline', async () => {
    const clock = new FakeClock(T0);
    const api = new FakeApiServer({ clock });
    const events: string[] = [];
    const a = candidate(api, clock, 'a', events);
    await settle();
    const b = candidate(api, clock, 'b', events);
    await clock.advance(6000);
    expect(b.elector.isLeader()).toBe(false);
    expect(b.elector.getLeader()).toBe('a');
    // From t=6 s, a's renewals fail (say a is cut off from the API server).
    api.addReactor((act) => (act.resource === 'leases' && act.verb === 'update' && clientIsA(act.body) ? { status: 503, body: 'unavailable' } : undefined));
    await clock.advance(30_000);
    expect(events).toEqual([
      'a sees leader a',
      'a started @0',
      'b sees leader a',
      // a renewed last at t=6 s; its attempt from t=8 s fails until renewDeadline (10 s) is over
      'a signal aborted',
      'a stopped @18',
      // b saw the record change last at t=6 s and takes over after leaseDuration (15 s)
      expect.stringMatching(/^b sees leader b$/),
      'b started @22',
    ]);
    expect(lease(api).spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
    await a.done;
    b.ac.abort();
    await b.done;
  });

  it('releaseOnCancel hands the lease over at once', async () => {
    const clock = new FakeClock(T0);
    const api = new FakeApiServer({ clock });
    const events: string[] = [];
    const a = candidate(api, clock, 'a', events, { releaseOnCancel: true });
    await settle();
    const b = candidate(api, clock, 'b', events);
    await clock.advance(4000);
    a.ac.abort();
    await a.done;
    expect(lease(api).spec).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1 });
    await clock.advance(2000);
    expect(b.elector.isLeader()).toBe(true);
    expect(lease(api).spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
    expect(events.filter((e) => e.includes('started') || e.includes('stopped'))).toEqual(['a started @0', 'a stopped @4', 'b started @6']);
    b.ac.abort();
    await b.done;
  });

  it('of two candidates racing for a missing lease, exactly one wins', async () => {
    const clock = new FakeClock(T0);
    const api = new FakeApiServer({ clock });
    const events: string[] = [];
    const a = candidate(api, clock, 'a', events);
    const b = candidate(api, clock, 'b', events);
    await clock.advance(20_000);
    expect([a.elector.isLeader(), b.elector.isLeader()].filter(Boolean)).toHaveLength(1);
    expect(events.filter((e) => e.includes('started'))).toHaveLength(1);
    a.ac.abort();
    b.ac.abort();
    await Promise.all([a.done, b.done]);
  });

  it('rejects inconsistent timings', () => {
    const api = new FakeApiServer();
    const lock = new LeaseLock(new RestClient(api), 'ns', 'l', 'x');
    expect(() => new LeaderElector({ lock, leaseDurationMs: 10_000, renewDeadlineMs: 10_000, callbacks: { onStartedLeading() {} } })).toThrow(/leaseDuration/);
    expect(() => new LeaderElector({ lock, renewDeadlineMs: 2000, retryPeriodMs: 2000, callbacks: { onStartedLeading() {} } })).toThrow(/renewDeadline/);
  });
});

function clientIsA(body: unknown): boolean {
  return (body as Lease | undefined)?.spec?.holderIdentity === 'a';
}
