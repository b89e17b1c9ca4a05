// Pods as the node lifecycle controllers see them: indexed by the node they are bound to, and
// marked not Ready when their node is (MarkPodsNotReady), so endpoints stop sending them traffic.
import type { Pod } from 'kubernetes-types/core/v1.js';
import { isNotFound, resources, type EventRecorder, type RestClient } from '../../client/index.js';
import { rfc3339 } from '../../util/clock.js';

/** Index of pods by spec.nodeName (unbound pods are not indexed). */
export const POD_NODE_NAME_INDEX = 'spec.nodeName';

export function podNodeNameIndexFunc(pod: Pod): string[] {
  return pod.spec?.nodeName ? [pod.spec.nodeName] : [];
}

/**
 * Sets the Ready condition of each pod bound to `nodeName` to False through pods/status (pods
 * without a Ready condition, or already not Ready, are left alone), with a NodeNotReady warning
 * event on the pod. Pods gone meanwhile are skipped; other failures are collected and thrown.
 */
export async function markPodsNotReady(client: RestClient, recorder: EventRecorder, pods: readonly Pod[], nodeName: string, now: number): Promise<void> {
  const errs: unknown[] = [];
  for (const pod of pods) {
    if (pod.spec?.nodeName !== nodeName) continue;
    const conditions = pod.status?.conditions ?? [];
    const i = conditions.findIndex((c) => c.type === 'Ready');
    if (i < 0 || conditions[i]!.status === 'False') continue;
    const next = [...conditions];
    next[i] = { ...conditions[i]!, status: 'False', lastTransitionTime: rfc3339(now) };
    try {
      await client.resource(resources.pods).namespace(pod.metadata?.namespace).updateStatus({ ...pod, status: { ...pod.status, conditions: next } });
      recorder.event({ ...pod, apiVersion: 'v1', kind: 'Pod' }, 'Warning', 'NodeNotReady', 'Node is not ready');
    } catch (e) {
      if (!isNotFound(e)) errs.push(e);
    }
  }
  if (errs.length) throw errs[0];
}
