import { describe, expect, it } from 'vitest';
import { parseRoute } from './routes.js';
import { parseLogQuery } from './log-query.js';

describe('node server routes', () => {
  it.each([
    ['/healthz', { kind: 'healthz' }],
    ['/stats/summary', { kind: 'stats' }],
    ['/metrics', { kind: 'metrics' }],
    ['/containerLogs/ns/p/c', { kind: 'logs', namespace: 'ns', pod: 'p', container: 'c' }],
    ['/exec/ns/p/c', { kind: 'exec', namespace: 'ns', pod: 'p', container: 'c' }],
    ['/exec/ns/p/uid-1/c', { kind: 'exec', namespace: 'ns', pod: 'p', uid: 'uid-1', container: 'c' }],
    ['/attach/ns/p/c', { kind: 'attach', namespace: 'ns', pod: 'p', container: 'c' }],
    ['/portForward/ns/p', { kind: 'portforward', namespace: 'ns', pod: 'p' }],
    ['/portForward/ns/p/uid-1', { kind: 'portforward', namespace: 'ns', pod: 'p', uid: 'uid-1' }],
    ['/exec/ns', null],
    ['/stats', null],
    ['/run/ns/p/c', null],
  ])('%s', (path, want) => {
    expect(parseRoute(path)).toEqual(want);
  });
});

describe('log query', () => {
  const now = Date.parse('2024-05-01T12:00:00Z');
  it('maps the options', () => {
    expect(parseLogQuery(new URLSearchParams('follow=true&tailLines=10&timestamps=true&limitBytes=5&sinceSeconds=60&previous=true'), now)).toEqual({
      options: { follow: true, timestamps: true, tailLines: 10, limitBytes: 5, sinceMs: now - 60_000 },
      previous: true,
    });
    expect(parseLogQuery(new URLSearchParams('sinceTime=2024-05-01T11:00:00Z'), now)).toEqual({ options: { sinceMs: now - 3_600_000 }, previous: false });
  });
  it.each(['tailLines=-1', 'limitBytes=0', 'sinceSeconds=0', 'tailLines=x', 'sinceTime=yesterday', 'sinceSeconds=1&sinceTime=2024-05-01T11:00:00Z'])('rejects %s', (q) => {
    expect(parseLogQuery(new URLSearchParams(q), now)).toHaveProperty('error');
  });
});
