// The time exported as `endpoints.kubernetes.io/last-change-trigger-time` (upstream's
// TriggerTimeTracker): the earliest change — a pod's Ready transition or the service's
// creation — that the endpoints object did not reflect yet. Like upstream, several changes of
// one object between two syncs count as its last one.
import type { Pod, Service } from 'kubernetes-types/core/v1.js';

interface ServiceState {
  serviceTriggerTime?: number;
  /** Pod name → the Ready transition time seen at the last sync. */
  podTriggerTimes: Map<string, number>;
}

export class TriggerTimeTracker {
  /** `ns/name` → state at the last sync of that service; never used by two workers at once (the queue serializes a key). */
  private readonly states = new Map<string, ServiceState>();

  /** Updates the service's state; answers the trigger time to export (undefined: none, clear the annotation). */
  compute(namespace: string, service: Service, pods: Pod[]): number | undefined {
    const key = `${namespace}/${service.metadata?.name}`;
    const state = this.states.get(key);
    let min: number | undefined;
    const podTimes = new Map<string, number>();
    for (const pod of pods) {
      const t = podTriggerTime(pod);
      if (t === undefined) continue;
      podTimes.set(pod.metadata?.name ?? '', t);
      const seen = state?.podTriggerTimes.get(pod.metadata?.name ?? '');
      if (seen === undefined || t > seen) min = min === undefined ? t : Math.min(min, t);
    }
    const svcTime = parseTime(service.metadata?.creationTimestamp);
    if (svcTime !== undefined && (state?.serviceTriggerTime === undefined || svcTime > state.serviceTriggerTime)) {
      min = min === undefined ? svcTime : Math.min(min, svcTime);
    }
    this.states.set(key, { serviceTriggerTime: svcTime, podTriggerTimes: podTimes });
    // A service seen for the first time reports its creation.
    if (!state) return svcTime;
    return min;
  }

  deleteService(namespace: string, name: string): void {
    this.states.delete(`${namespace}/${name}`);
  }
}

function podTriggerTime(pod: Pod): number | undefined {
  return parseTime(pod.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime);
}

function parseTime(s: string | undefined): number | undefined {
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}
