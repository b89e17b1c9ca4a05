import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import { FakeClock, settle } from '../client/clock.js';
import { RestClient } from '../client/rest-client.js';
import { leases } from '../client/resources.js';
import { FakeApiServer } from '../client/testing/fake-api.js';
import { leaderIdentity, runElected, type ElectedComponent } from './leader-election-wiring.js';

/** A component that records its life. */
function recorder(name: string, log: string[]): ElectedComponent {
  return {
    name,
    async start(signal) {
      log.push(`${name} started`);
      signal.addEventListener('abort', () => log.push(`${name} signal aborted`));
      return async () => void log.push(`${name} wound down`);
    },
  };
}

const lease = (api: FakeApiServer, name: string): Lease | undefined => api.get(leases, 'kube-system', name);

describe('runElected', () => {
  it('starts the component only once leading, with the Lease in kube-system named after it', async () => {
    const clock = new FakeClock();
    const api = new FakeApiServer({ clock });
    const log: string[] = [];
    const e = runElected(recorder('kube-scheduler', log), { identity: 'h_1', client: new RestClient(api, { clock }), clock, log: () => {}, onLost: () => log.push('lost') });
    await e.settled;
    expect(log).toEqual(['kube-scheduler started']);
    expect(lease(api, 'kube-scheduler')!.spec).toMatchObject({ holderIdentity: 'h_1', leaseDurationSeconds: 15 });
    await e.stop();
    // a clean stop stops the component and releases the lease, and is not a loss
    expect(log).toEqual(['kube-scheduler started', 'kube-scheduler signal aborted', 'kube-scheduler wound down']);
    expect(lease(api, 'kube-scheduler')!.spec!.holderIdentity).toBe('');
  });

  it('a second candidate waits, its component not started, while the first leads', async () => {
    const clock = new FakeClock();
    const api = new FakeApiServer({ clock });
    const log: string[] = [];
    const opts = { client: new RestClient(api, { clock }), clock, log: () => {}, onLost: () => log.push('lost') };
    const a = runElected(recorder('a', log), { ...opts, identity: 'h_a' });
    await a.settled;
    const b = runElected({ ...recorder('b', log), name: 'a' }, { ...opts, identity: 'h_b' });
    await b.settled; // settles on seeing another leader
    await clock.advance(30_000);
    expect(b.isLeader()).toBe(false);
    expect(log).toEqual(['a started']);
    // a stops cleanly and releases: b takes over at its next retry (2 s, jittered up to ×2.2),
    // without waiting for the 15 s lease to run out
    await a.stop();
    await clock.advance(4_500);
    expect(b.isLeader()).toBe(true);
    expect(log).toContain('b started');
    await b.stop();
  });

  it('losing the lease stops the component, then reports the loss (the server exits)', async () => {
    const clock = new FakeClock();
    const api = new FakeApiServer({ clock });
    const log: string[] = [];
    const e = runElected(recorder('kube-controller-manager', log), {
      identity: 'h_1', client: new RestClient(api, { clock }), clock, log: () => {}, onLost: (c) => log.push(`lost ${c}`),
    });
    await e.settled;
    // Another server takes the lease over (say this one was cut off and its lease expired).
    const l = lease(api, 'kube-controller-manager')!;
    await new RestClient(api, { clock }).resource(leases).namespace('kube-system').update({ ...l, spec: { ...l.spec, holderIdentity: 'other_2' } });
    await clock.advance(12_000);
    expect(log).toEqual(['kube-controller-manager started', 'kube-controller-manager signal aborted', 'kube-controller-manager wound down', 'lost kube-controller-manager']);
    expect(e.isLeader()).toBe(false);
    await e.stop();
    expect(log.filter((x) => x.startsWith('lost'))).toHaveLength(1);
  });
});

describe('leaderIdentity', () => {
  it('is <hostname>_<uuid>, stable for a data dir', () => {
    const dir = mkdtempSync(join(tmpdir(), 'k8ts-le-'));
    try {
      const id = leaderIdentity(dir);
      expect(id).toMatch(new RegExp(`^${hostname()}_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`));
      expect(leaderIdentity(dir)).toBe(id);
      expect(readFileSync(join(dir, 'leader-election-id'), 'utf8').trim()).toBe(id.slice(hostname().length + 1));
      expect(leaderIdentity()).not.toBe(leaderIdentity());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
