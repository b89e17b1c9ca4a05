// NodeUnschedulable: a cordoned node (spec.unschedulable) takes only pods that tolerate the
// node.kubernetes.io/unschedulable:NoSchedule taint.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { QueueingHint } from '../../framework/events.js';
import { tolerationsTolerateTaint } from '../../framework/helpers.js';
import type { EnqueueExtensions, FilterPlugin, PluginFactory } from '../../framework/interface.js';
import { Status, type MaybeStatus } from '../../framework/status.js';
import type { NodeInfo } from '../../framework/types.js';

export const NAME = 'NodeUnschedulable';
export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';
export const ERR_REASON_UNKNOWN_CONDITION = 'node(s) had unknown conditions';
const UNSCHEDULABLE_TAINT = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

export const nodeUnschedulable = {
  name: NAME,
  filter(_state: unknown, pod: Pod, nodeInfo: NodeInfo): MaybeStatus {
    const node = nodeInfo.node;
    if (!node) return Status.unresolvable(ERR_REASON_UNKNOWN_CONDITION);
    if (!node.spec?.unschedulable) return undefined;
    if (tolerationsTolerateTaint(pod.spec?.tolerations, UNSCHEDULABLE_TAINT)) return undefined;
    return Status.unresolvable(ERR_REASON_UNSCHEDULABLE);
  },
  eventsToRegister() {
    return [
      {
        event: { resource: 'Node' as const, actions: ['Add' as const, 'Update' as const] },
        hint: (_pod: Pod, oldObj: unknown, newObj: unknown) => {
          const n = newObj as Node | undefined;
          const o = oldObj as Node | undefined;
          return n && !n.spec?.unschedulable && (!o || o.spec?.unschedulable) ? QueueingHint.Queue : QueueingHint.Skip;
        },
      },
    ];
  },
} satisfies FilterPlugin & EnqueueExtensions;

export const factory: PluginFactory = () => nodeUnschedulable;
