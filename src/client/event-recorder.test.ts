import { describe, it, expect } from 'vitest';
import type { Event, Pod } from 'kubernetes-types/core/v1.js';
import { FakeClock, settle } from './clock.js';
import { AGGREGATE_MESSAGE_PREFIX, EventCorrelator, eventName } from './event-correlator.js';
import { EventBroadcaster } from './event-recorder.js';
import { RestClient } from './rest-client.js';
import { events } from './resources.js';
import { FakeApiServer } from './testing/fake-api.js';
import type { Transport } from './transport.js';

const T0 = Date.UTC(2025, 0, 1);
const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1', namespace: 'prod', uid: 'u-1', resourceVersion: '9' } };

function setup(opts: { noSpamFilter?: boolean } = {}) {
  const clock = new FakeClock(T0);
  const api = new FakeApiServer({ clock });
  const logs: string[] = [];
  const b = new EventBroadcaster(new RestClient(api, { clock }), { clock, random: () => 0, log: (m) => logs.push(m), correlator: { noSpamFilter: opts.noSpamFilter } });
  const rec = b.newRecorder({ component: 'test-controller', host: 'node-a' });
  return { clock, api, b, rec, logs };
}

describe('EventBroadcaster', () => {
  it('writes an Event as upstream makes it', async () => {
    const { api, b, rec } = setup();
    rec.event(pod, 'Normal', 'Scheduled', 'Successfully assigned prod/web-1 to node-a');
    await b.flush();
    const [e] = api.list(events, 'prod');
    expect(e).toMatchObject({
      metadata: { namespace: 'prod' },
      involvedObject: { kind: 'Pod', apiVersion: 'v1', name: 'web-1', namespace: 'prod', uid: 'u-1', resourceVersion: '9' },
      reason: 'Scheduled',
      message: 'Successfully assigned prod/web-1 to node-a',
      type: 'Normal',
      count: 1,
      firstTimestamp: '2025-01-01T00:00:00Z',
      lastTimestamp: '2025-01-01T00:00:00Z',
      source: { component: 'test-controller', host: 'node-a' },
      reportingComponent: 'test-controller',
      reportingInstance: 'node-a',
    });
    const [, hex] = /^web-1\.([0-9a-f]+)$/.exec(e!.metadata.name!)!;
    expect(BigInt(`0x${hex}`) / 1_000_000n).toBe(BigInt(T0)); // unix nanos
  });

  it('a repeated event becomes a PATCH: count + 1, new lastTimestamp, same firstTimestamp', async () => {
    const { clock, api, b, rec } = setup();
    rec.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
    await b.flush();
    clock.step(30_000);
    rec.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
    await b.flush();
    clock.step(30_000);
    rec.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
    await b.flush();
    const all = api.list(events, 'prod');
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ count: 3, firstTimestamp: '2025-01-01T00:00:00Z', lastTimestamp: '2025-01-01T00:01:00Z' });
    const writes = api.writes().map((w) => `${w.verb} ${w.contentType}`);
    expect(writes).toEqual(['create application/json', 'patch application/strategic-merge-patch+json', 'patch application/strategic-merge-patch+json']);
    expect(api.writes()[2]!.body).toEqual({ count: 3, lastTimestamp: '2025-01-01T00:01:00Z', message: 'Back-off restarting failed container' });
  });

  it('aggregates similar events with different messages from the 10th on', async () => {
    const { api, b, rec } = setup({ noSpamFilter: true });
    for (let i = 1; i <= 12; i++) rec.event(pod, 'Warning', 'FailedMount', `volume ${i} not ready`);
    await b.flush();
    const all = api.list(events, 'prod');
    expect(all).toHaveLength(10); // 9 individual + 1 aggregate
    const agg = all.find((e) => e.message!.startsWith(AGGREGATE_MESSAGE_PREFIX))!;
    expect(agg).toMatchObject({ count: 3, message: `${AGGREGATE_MESSAGE_PREFIX}volume 12 not ready`, reason: 'FailedMount' });
  });

  it('creates the event anew when the old one is gone', async () => {
    const { api, b, rec } = setup();
    rec.event(pod, 'Normal', 'Pulled', 'pulled');
    await b.flush();
    const [first] = api.list(events, 'prod');
    await new RestClient(api).resource(events).namespace('prod').delete(first!.metadata.name!);
    rec.event(pod, 'Normal', 'Pulled', 'pulled');
    await b.flush();
    const all = api.list(events, 'prod');
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ count: 2 });
    expect(api.writes().map((w) => w.verb)).toEqual(['create', 'delete', 'patch', 'create']);
  });

  it('drops events beyond the spam filter burst (25 per object, one more per 5 minutes)', async () => {
    const { clock, api, b, rec } = setup();
    for (let i = 0; i < 30; i++) rec.event(pod, 'Normal', 'Tick', 'tick');
    await b.flush();
    expect(api.list(events, 'prod')[0]!.count).toBe(25);
    clock.step(300_000);
    rec.event(pod, 'Normal', 'Tick', 'tick');
    rec.event(pod, 'Normal', 'Tick', 'tick');
    await b.flush();
    // As upstream, dropped repeats still count: the one written says 31 (25 + 5 dropped + 1).
    expect(api.list(events, 'prod')[0]!.count).toBe(31);
  });

  it('retries a write that failed in transit, not one the server rejected', async () => {
    const clock = new FakeClock(T0);
    const api = new FakeApiServer({ clock });
    let failures = 2;
    const flaky: Transport = {
      request: (req) => (failures-- > 0 ? Promise.reject(new Error('ECONNREFUSED')) : api.request(req)),
      stream: (req) => api.stream(req),
    };
    const logs: string[] = [];
    const b = new EventBroadcaster(new RestClient(flaky, { clock }), { clock, random: () => 0.5, log: (m) => logs.push(m) });
    const rec = b.newRecorder({ component: 'c' });
    rec.event(pod, 'Normal', 'R', 'm');
    await settle();
    expect(api.list(events, 'prod')).toHaveLength(0);
    await clock.advance(5000); // first retry after a random share of 10 s
    await clock.advance(10_000);
    await b.flush();
    expect(api.list(events, 'prod')).toHaveLength(1);
    api.addReactor((a) => (a.verb === 'create' ? { status: 422, body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 422, reason: 'Invalid', message: 'bad event' } } : undefined));
    rec.event(pod, 'Normal', 'Other', 'm2');
    await b.flush();
    expect(logs.filter((l) => l.includes('will not retry'))).toHaveLength(1);
    await b.shutdown();
  });

  it('ignores unknown types and objects it cannot reference', async () => {
    const { api, b, rec, logs } = setup();
    rec.event(pod, 'Bogus' as 'Normal', 'R', 'm');
    rec.event({ metadata: { name: 'x' } }, 'Normal', 'R', 'm');
    await b.flush();
    expect(api.list(events)).toHaveLength(0);
    expect(logs).toHaveLength(2);
  });
});

describe('EventCorrelator', () => {
  const ev = (message: string, reason = 'R'): Event => ({ metadata: { name: eventName('o', T0), namespace: 'ns' }, involvedObject: { kind: 'Pod', name: 'o', namespace: 'ns', uid: 'u' }, reason, message, type: 'Normal', count: 1, firstTimestamp: 't0', lastTimestamp: 't0', source: { component: 'c' } });

  it('restarts aggregation after 10 minutes without similar events', () => {
    const clock = new FakeClock(T0);
    const c = new EventCorrelator({ clock, noSpamFilter: true });
    for (let i = 1; i <= 9; i++) expect(c.correlate(ev(`m${i}`)).event.message).toBe(`m${i}`);
    clock.step(601_000);
    expect(c.correlate(ev('m10')).event.message).toBe('m10');
    for (let i = 11; i <= 18; i++) c.correlate(ev(`m${i}`));
    expect(c.correlate(ev('m19')).event.message).toBe(`${AGGREGATE_MESSAGE_PREFIX}m19`);
  });

  it('different reasons are not similar', () => {
    const clock = new FakeClock(T0);
    const c = new EventCorrelator({ clock, noSpamFilter: true });
    for (let i = 1; i <= 20; i++) expect(c.correlate(ev('same', `reason-${i}`)).patch).toBeUndefined();
  });
});
