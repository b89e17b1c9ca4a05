import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../client/index.js';
import { EXPECTATIONS_TIMEOUT_MS, UIDTrackingExpectations } from './expectations.js';

describe('UIDTrackingExpectations', () => {
  it('is satisfied for a controller that never set expectations', () => {
    expect(new UIDTrackingExpectations(new FakeClock()).satisfiedExpectations('ns/a')).toBe(true);
  });

  it('waits for every expected creation', () => {
    const e = new UIDTrackingExpectations(new FakeClock());
    e.expectCreations('ns/a', 2);
    expect(e.satisfiedExpectations('ns/a')).toBe(false);
    e.creationObserved('ns/a');
    expect(e.satisfiedExpectations('ns/a')).toBe(false);
    e.creationObserved('ns/a');
    expect(e.satisfiedExpectations('ns/a')).toBe(true);
    e.creationObserved('ns/a'); // more than expected: still satisfied
    expect(e.satisfiedExpectations('ns/a')).toBe(true);
  });

  it('counts each expected deletion once, by pod key, and ignores others', () => {
    const e = new UIDTrackingExpectations(new FakeClock());
    e.expectDeletions('ns/a', ['ns/p1', 'ns/p2']);
    e.deletionObserved('ns/a', 'ns/p1');
    e.deletionObserved('ns/a', 'ns/p1'); // deletionTimestamp update, then the delete itself
    e.deletionObserved('ns/a', 'ns/other');
    expect(e.get('ns/a')).toMatchObject({ add: 0, del: 1 });
    expect(e.satisfiedExpectations('ns/a')).toBe(false);
    e.deletionObserved('ns/a', 'ns/p2');
    expect(e.satisfiedExpectations('ns/a')).toBe(true);
  });

  it('expires unmet expectations after the timeout', () => {
    const clock = new FakeClock();
    const e = new UIDTrackingExpectations(clock);
    e.expectCreations('ns/a', 5);
    clock.step(EXPECTATIONS_TIMEOUT_MS);
    expect(e.satisfiedExpectations('ns/a')).toBe(false);
    clock.step(1);
    expect(e.satisfiedExpectations('ns/a')).toBe(true);
  });

  it('raises, lowers and forgets', () => {
    const e = new UIDTrackingExpectations(new FakeClock());
    e.expectCreations('ns/a', 1);
    e.raiseExpectations('ns/a', 2, 1);
    expect(e.get('ns/a')).toMatchObject({ add: 3, del: 1 });
    e.lowerExpectations('ns/a', 3, 1);
    expect(e.satisfiedExpectations('ns/a')).toBe(true);
    e.deleteExpectations('ns/a');
    expect(e.get('ns/a')).toBeUndefined();
    e.creationObserved('ns/a'); // no-op without expectations
    expect(e.get('ns/a')).toBeUndefined();
  });
});
