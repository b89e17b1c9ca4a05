import { describe, expect, it } from 'vitest';
import { humanDuration, parseTime, shortHumanDuration, since } from './format.js';
import { rfc3339 } from './default.js';

const ms = 1;
const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;
const y = 365 * d;

describe('humanDuration', () => {
  const cases: [number, string][] = [
    [-2 * s, '<invalid>'],
    [-2 * s + 1, '0s'],
    [0, '0s'],
    [s - ms, '0s'],
    [s, '1s'],
    [5 * s, '5s'],
    [70 * s, '70s'],
    [2 * m - ms, '119s'],
    [2 * m, '2m'],
    [2 * m + s, '2m1s'],
    [150 * s, '2m30s'],
    [190 * s, '3m10s'],
    [10 * m - ms, '9m59s'],
    [10 * m, '10m'],
    [10 * m + s, '10m'],
    [70 * m, '70m'],
    [3 * h - ms, '179m'],
    [3 * h, '3h'],
    [3 * h + m, '3h1m'],
    [8 * h - ms, '7h59m'],
    [8 * h, '8h'],
    [8 * h + 59 * m, '8h'],
    [47 * h, '47h'],
    [2 * d - ms, '47h'],
    [2 * d, '2d'],
    [49 * h, '2d1h'],
    [8 * d - ms, '7d23h'],
    [8 * d, '8d'],
    [8 * d + 23 * h, '8d'],
    [367 * d, '367d'],
    [2 * y - ms, '729d'],
    [2 * y, '2y'],
    [2 * y + 24 * h - ms, '2y'],
    [2 * y + 24 * h, '2y1d'],
    [2 * y + 25 * h, '2y1d'],
    [8 * y - ms, '7y364d'],
    [8 * y, '8y'],
    [8 * y + 364 * d, '8y'],
    [9 * y, '9y'],
  ];
  it.each(cases)('%d ms → %s', (dur, want) => {
    expect(humanDuration(dur)).toBe(want);
  });
});

describe('shortHumanDuration', () => {
  const cases: [number, string][] = [
    [-2 * s, '<invalid>'],
    [-2 * s + 1, '0s'],
    [0, '0s'],
    [s - ms, '0s'],
    [s, '1s'],
    [m - ms, '59s'],
    [m, '1m'],
    [2 * m - ms, '1m'],
    [h - ms, '59m'],
    [h, '1h'],
    [d - ms, '23h'],
    [d, '1d'],
    [y - ms, '364d'],
    [y, '1y'],
    [2 * y - ms, '1y'],
    [2 * y, '2y'],
  ];
  it.each(cases)('%d ms → %s', (dur, want) => {
    expect(shortHumanDuration(dur)).toBe(want);
  });
});

describe('timestamps', () => {
  const now = Date.parse('2024-05-01T12:00:00Z');
  it('parses RFC 3339 and MicroTime', () => {
    expect(parseTime('2024-05-01T11:59:30Z')).toBe(now - 30 * s);
    expect(parseTime('2024-05-01T11:59:30.123456Z')).toBe(now - 30 * s + 123);
    expect(parseTime('2024-05-01T13:59:30+02:00')).toBe(now - 30 * s);
    expect(parseTime('0001-01-01T00:00:00Z')).toBeUndefined();
    expect(parseTime(undefined)).toBeUndefined();
    expect(parseTime('yesterday')).toBeUndefined();
  });
  it('ages timestamps, <unknown> when unset', () => {
    expect(since('2024-05-01T11:55:00Z', now)).toBe('5m');
    expect(since('2024-04-28T12:00:00Z', now)).toBe('3d');
    expect(since(undefined, now)).toBe('<unknown>');
    expect(since('2024-05-01T12:00:05Z', now)).toBe('<invalid>');
  });
  it('formats Created At as UTC RFC 3339', () => {
    expect(rfc3339('2024-05-01T13:59:30.5+02:00')).toBe('2024-05-01T11:59:30Z');
    expect(rfc3339(undefined)).toBe('0001-01-01T00:00:00Z');
  });
});
