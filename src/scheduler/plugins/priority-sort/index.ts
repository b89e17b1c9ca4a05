// PrioritySort: the queue's order — higher spec.priority first, then the pod queued earlier.
import type { PluginFactory, QueueSortPlugin } from '../../framework/interface.js';
import { podPriority, type QueuedPodInfo } from '../../framework/types.js';

export const NAME = 'PrioritySort';

export const prioritySort = {
  name: NAME,
  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
    const pa = podPriority(a.podInfo.pod);
    const pb = podPriority(b.podInfo.pod);
    return pa > pb || (pa === pb && a.timestamp < b.timestamp);
  },
} satisfies QueueSortPlugin;

export const factory: PluginFactory = () => prioritySort;
