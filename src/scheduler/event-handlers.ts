// Turns informer events into cache and queue changes (upstream's eventhandlers.go):
//  - bound pods feed the cache (confirming assumed ones); their changes may help pods waiting;
//  - pending pods this scheduler is responsible for feed the queue;
//  - nodes feed the cache; an added node, or a change of what scheduling looks at, may help.
// Pods in a terminal phase count as deleted (upstream's informer leaves them out).
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { deletedObject, type DeletedFinalStateUnknown, type ResourceEventHandler } from '../client/index.js';
import { AssignedPodAdd, AssignedPodDelete, AssignedPodUpdate, NodeAdd, NodeUpdate } from './framework/events.js';
import { podUid } from './framework/types.js';
import type { Scheduler } from './scheduler.js';

const assigned = (p: Pod) => !!p.spec?.nodeName;
const terminal = (p: Pod) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

export function podEventHandler(s: Scheduler): ResourceEventHandler<Pod> {
  const removeAssigned = (pod: Pod) => {
    s.cache.removePod(pod);
    s.queue.moveAllToActiveOrBackoffQueue(AssignedPodDelete, pod, undefined);
  };
  const removePending = (pod: Pod) => {
    s.queue.delete(pod);
    // A pod held at Permit is let go.
    for (const fwk of s.profiles.values()) fwk.waitingPods.get(podUid(pod))?.reject('', 'removed');
  };
  return {
    onAdd(pod) {
      if (assigned(pod)) {
        if (terminal(pod)) return;
        s.cache.addPod(pod);
        s.queue.moveAllToActiveOrBackoffQueue(AssignedPodAdd, undefined, pod);
      } else if (s.responsibleFor(pod) && !terminal(pod)) {
        s.queue.add(pod);
      }
    },
    onUpdate(oldPod, pod) {
      if (assigned(pod)) {
        if (terminal(pod)) {
          if (!terminal(oldPod) && assigned(oldPod)) removeAssigned(oldPod);
          return;
        }
        if (!assigned(oldPod)) {
          // Just bound: no longer pending; confirms the assumption if we bound it.
          s.queue.delete(pod);
          s.cache.addPod(pod);
          s.queue.moveAllToActiveOrBackoffQueue(AssignedPodAdd, undefined, pod);
          return;
        }
        s.cache.updatePod(oldPod, pod);
        s.queue.moveAllToActiveOrBackoffQueue(AssignedPodUpdate, oldPod, pod);
        return;
      }
      if (!s.responsibleFor(pod)) return;
      if (terminal(pod)) return removePending(pod);
      // Our own assumption of the pod will be confirmed by the bound update.
      if (s.cache.isAssumedPod(pod)) return;
      s.queue.update(oldPod, pod);
    },
    onDelete(obj: Pod | DeletedFinalStateUnknown<Pod>) {
      const pod = deletedObject(obj);
      if (!pod) return;
      if (assigned(pod)) removeAssigned(pod);
      else removePending(pod);
    },
  };
}

/** Whether a node update changed something a plugin looks at (not just heartbeats). */
export function nodeSchedulingPropertiesChanged(a: Node, b: Node): boolean {
  const j = (x: unknown) => JSON.stringify(x ?? null);
  const conds = (n: Node) => (n.status?.conditions ?? []).map((c) => [c.type, c.status]);
  return (
    (a.spec?.unschedulable ?? false) !== (b.spec?.unschedulable ?? false) ||
    j(a.status?.allocatable) !== j(b.status?.allocatable) ||
    j(a.metadata?.labels) !== j(b.metadata?.labels) ||
    j(a.spec?.taints) !== j(b.spec?.taints) ||
    j(conds(a)) !== j(conds(b)) ||
    j(a.metadata?.annotations) !== j(b.metadata?.annotations)
  );
}

export function nodeEventHandler(s: Scheduler): ResourceEventHandler<Node> {
  return {
    onAdd(node) {
      s.cache.addNode(node);
      s.queue.moveAllToActiveOrBackoffQueue(NodeAdd, undefined, node);
    },
    onUpdate(oldNode, node) {
      s.cache.updateNode(oldNode, node);
      if (nodeSchedulingPropertiesChanged(oldNode, node)) s.queue.moveAllToActiveOrBackoffQueue(NodeUpdate, oldNode, node);
    },
    onDelete(obj) {
      const node = deletedObject(obj);
      if (node) s.cache.removeNode(node);
    },
  };
}
