import { describe, expect, it } from 'vitest';
import type { StatsSummary } from '../../api/kubelet/stats-summary.js';
import { StatsCollector } from './stats-collector.js';
import { cpuQuantity, memoryQuantity } from './convert.js';

const summary = (name: string) => ({ node: { nodeName: name, startTime: '' }, pods: [] }) as StatsSummary;

describe('StatsCollector', () => {
  it('asks every node in parallel, leaves out failures and reuses a round within the TTL', async () => {
    let now = 0;
    const asked: string[] = [];
    const failed: string[] = [];
    const c = new StatsCollector({
      nodeNames: () => ['a', 'b', 'slow'],
      fetch: (n, signal) => {
        asked.push(n);
        if (n === 'b') return Promise.reject(new Error('refused'));
        if (n === 'slow') return new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
        return Promise.resolve(summary(n));
      },
      ttlMs: 5000, timeoutMs: 50, now: () => now,
      onError: (n) => failed.push(n),
    });
    expect([...(await c.summaries()).keys()]).toEqual(['a']);
    expect(failed.sort()).toEqual(['b', 'slow']);
    now = 4999;
    await c.summaries();
    expect(asked).toHaveLength(3);
    now = 5000;
    await c.summaries();
    expect(asked).toHaveLength(6);
  });
});

describe('quantities', () => {
  it('prints as Go Quantity does', () => {
    expect(cpuQuantity(123456789)).toBe('123456789n');
    expect(cpuQuantity(2_000_000_000)).toBe('2');
    expect(cpuQuantity(1_500_000)).toBe('1500u');
    expect(memoryQuantity(1024 * 1024 * 3)).toBe('3Mi');
    expect(memoryQuantity(4096 * 3)).toBe('12Ki');
    expect(memoryQuantity(1500)).toBe('1500');
  });
});
