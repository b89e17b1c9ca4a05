// Cluster events that can make an unschedulable pod schedulable (upstream's fwk.ClusterEvent).
// Plugins say which events may help the pods they rejected; the queue moves only those pods.
import type { Pod } from 'kubernetes-types/core/v1.js';

export type EventResource = 'Node' | 'AssignedPod' | 'UnscheduledPod' | 'Pod' | '*';
export type ActionType = 'Add' | 'Update' | 'Delete';

export interface ClusterEvent {
  resource: EventResource;
  /** The actions that matter; empty means all. */
  actions: ActionType[];
  /** A readable label for logs and metrics ("NodeAdd", "AssignedPodDelete", …). */
  label?: string;
}

/** The event that happened: its resource and action, with the old and new objects. */
export interface IncomingEvent {
  resource: Exclude<EventResource, 'Pod' | '*'>;
  action: ActionType;
  label: string;
}

export enum QueueingHint {
  /** The event cannot make the pod schedulable. */
  Skip = 'QueueSkip',
  Queue = 'Queue',
}

/** Decides, for one rejected pod, whether an event may make it schedulable. */
export type QueueingHintFn = (pod: Pod, oldObj: unknown, newObj: unknown) => QueueingHint;

export interface ClusterEventWithHint {
  event: ClusterEvent;
  hint?: QueueingHintFn;
}

export const NodeAdd: IncomingEvent = { resource: 'Node', action: 'Add', label: 'NodeAdd' };
export const NodeUpdate: IncomingEvent = { resource: 'Node', action: 'Update', label: 'NodeUpdate' };
export const NodeDelete: IncomingEvent = { resource: 'Node', action: 'Delete', label: 'NodeDelete' };
export const AssignedPodAdd: IncomingEvent = { resource: 'AssignedPod', action: 'Add', label: 'AssignedPodAdd' };
export const AssignedPodUpdate: IncomingEvent = { resource: 'AssignedPod', action: 'Update', label: 'AssignedPodUpdate' };
export const AssignedPodDelete: IncomingEvent = { resource: 'AssignedPod', action: 'Delete', label: 'AssignedPodDelete' };
export const UnscheduledPodUpdate: IncomingEvent = { resource: 'UnscheduledPod', action: 'Update', label: 'UnscheduledPodUpdate' };
/** Pods left unschedulable too long are retried anyway. */
export const UnschedulableTimeout: IncomingEvent = { resource: 'Node', action: 'Update', label: 'UnschedulableTimeout' };

/** Whether a registered event covers an incoming one. */
export function eventMatches(registered: ClusterEvent, incoming: IncomingEvent): boolean {
  const resourceOk =
    registered.resource === '*' ||
    registered.resource === incoming.resource ||
    (registered.resource === 'Pod' && (incoming.resource === 'AssignedPod' || incoming.resource === 'UnscheduledPod'));
  return resourceOk && (registered.actions.length === 0 || registered.actions.includes(incoming.action));
}
