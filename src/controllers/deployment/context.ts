// What the strategy files (sync, rolling, recreate, rollback, progress) need from the
// controller: the client, the caches, the recorder, the clock and a way to requeue. Tests build
// one around a recording client and fake listers.
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { ObjectReference, Pod } from 'kubernetes-types/core/v1.js';
import type { EventRecorder, NamespaceLister, RestClient, TimerClock } from '../../client/index.js';

export interface DeploymentSyncContext {
  client: RestClient;
  rsLister: { namespace(ns: string): NamespaceLister<ReplicaSet> };
  podLister: { namespace(ns: string): NamespaceLister<Pod> };
  recorder: EventRecorder;
  clock: Pick<TimerClock, 'now'>;
  /** Syncs the Deployment again after `ms` (progress deadline checks). */
  enqueueAfter(d: Deployment, ms: number): void;
  enqueueRateLimited(d: Deployment): void;
}

/** The reference events are recorded against (listed objects carry no kind). */
export function deploymentRef(d: Deployment): ObjectReference {
  const m = d.metadata ?? {};
  return { kind: 'Deployment', apiVersion: 'apps/v1', name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion };
}
