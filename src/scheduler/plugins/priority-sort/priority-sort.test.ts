import { describe, expect, it } from 'vitest';
import { PodInfo, type QueuedPodInfo } from '../../framework/types.js';
import { makePod } from '../../testing/wrappers.js';
import { prioritySort } from './index.js';

const queued = (priority: number, timestamp: number): QueuedPodInfo => ({
  podInfo: new PodInfo(makePod('p', { priority })), timestamp, attempts: 0, unschedulableCount: 0, consecutiveErrorsCount: 0, unschedulablePlugins: new Set(), pendingPlugins: new Set(),
});

describe('PrioritySort', () => {
  const table = [
    { name: 'higher priority first', a: queued(10, 2), b: queued(1, 1), want: true },
    { name: 'lower priority later', a: queued(1, 1), b: queued(10, 2), want: false },
    { name: 'same priority: older first', a: queued(5, 1), b: queued(5, 2), want: true },
    { name: 'same priority: newer later', a: queued(5, 2), b: queued(5, 1), want: false },
  ];
  for (const t of table) it(t.name, () => expect(prioritySort.less(t.a, t.b)).toBe(t.want));
});
