import { describe, expect, it } from 'vitest';
import type { WatchEvent } from '../interface.js';
import { EventLog } from './event-log.js';

const ev = (revision: number): WatchEvent => ({
  type: 'create',
  kv: { key: `/k${revision}`, value: '', createRevision: revision, modRevision: revision },
  revision,
});
const revs = (events: WatchEvent[] | undefined) => events?.map((e) => e.revision);

describe('EventLog', () => {
  it('answers replays inside its window and refuses older ones', () => {
    const log = new EventLog(3);
    for (let r = 1; r <= 7; r++) log.push(ev(r));
    // Capacity 3 keeps between 3 and 5 recent events.
    expect(revs(log.since(6))).toEqual([7]);
    expect(revs(log.since(7))).toEqual([]);
    expect(revs(log.since(4))).toEqual([5, 6, 7]);
    expect(log.since(0)).toBeUndefined();
  });

  it('forgets compacted events', () => {
    const log = new EventLog(10);
    for (let r = 1; r <= 5; r++) log.push(ev(r));
    log.dropThrough(3);
    expect(revs(log.since(3))).toEqual([4, 5]);
    expect(log.since(2)).toBeUndefined();
  });
});
