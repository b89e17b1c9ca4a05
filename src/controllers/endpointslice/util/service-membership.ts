// Which services a pod event concerns (upstream's GetPodServiceMemberships and
// GetServicesToUpdateOnPodChange): a pod change that cannot alter any endpoint enqueues nothing.
import { isDeepStrictEqual } from 'node:util';
import type { Pod, Service } from 'kubernetes-types/core/v1.js';
import { deletedObject, metaNamespaceKey, resources, type Lister } from '../../../client/index.js';
import type { ControllerContext } from '../../types.js';
import { isPodReady, podIPs, serviceSelector } from './pods.js';

/** Keys of the services in the pod's namespace whose selector matches these labels. */
export function servicesForLabels(services: Lister<Service>, namespace: string, labels: Record<string, string> | undefined): Set<string> {
  const out = new Set<string>();
  for (const svc of services.namespace(namespace).list()) {
    if (serviceSelector(svc)?.matches(labels ?? {})) out.add(metaNamespaceKey(svc));
  }
  return out;
}

export function podServiceMemberships(services: Lister<Service>, pod: Pod): Set<string> {
  return servicesForLabels(services, pod.metadata?.namespace ?? '', pod.metadata?.labels);
}

/**
 * Whether an update may change endpoints (`podChanged`: deletion, readiness, IPs) and whether
 * it may change which services select the pod (`labelsChanged`: labels, hostname, subdomain).
 */
export function podEndpointsChanged(old: Pod, cur: Pod): { podChanged: boolean; labelsChanged: boolean } {
  const labelsChanged = !isDeepStrictEqual(old.metadata?.labels ?? {}, cur.metadata?.labels ?? {}) ||
    old.spec?.hostname !== cur.spec?.hostname || old.spec?.subdomain !== cur.spec?.subdomain;
  const podChanged = old.metadata?.deletionTimestamp !== cur.metadata?.deletionTimestamp ||
    isPodReady(old) !== isPodReady(cur) ||
    !isDeepStrictEqual(podIPs(old), podIPs(cur));
  return { podChanged, labelsChanged };
}

/**
 * Services to sync after a pod update: none for a resync (same resourceVersion) or an
 * irrelevant change; after a label change, the union of old and new memberships when the pod
 * also changed, else only the services it joined or left.
 */
export function servicesToUpdateOnPodChange(services: Lister<Service>, old: Pod, cur: Pod): Set<string> {
  if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return new Set();
  const { podChanged, labelsChanged } = podEndpointsChanged(old, cur);
  if (!podChanged && !labelsChanged) return new Set();
  const now = podServiceMemberships(services, cur);
  if (!labelsChanged) return now;
  const before = podServiceMemberships(services, old);
  if (podChanged) return new Set([...now, ...before]);
  return new Set([...[...now].filter((k) => !before.has(k)), ...[...before].filter((k) => !now.has(k))]);
}

/**
 * The event wiring both endpoint controllers share: a Service event enqueues that service; a pod
 * event enqueues the services it concerns (after `batchPeriodMs` when set, upstream's batching).
 * Returns the two informers for the controller's listers and cache sync.
 */
export function enqueueServicesOnChange(
  informers: ControllerContext['informers'],
  queue: { add(key: string): void; addAfter(key: string, ms: number): void },
  batchPeriodMs: number,
) {
  const services = informers.informerFor(resources.services);
  const serviceLister = services.lister();
  services.addEventHandler({
    onAdd: (svc) => queue.add(metaNamespaceKey(svc)),
    onUpdate: (_old, svc) => queue.add(metaNamespaceKey(svc)),
    onDelete: (svc) => queue.add(metaNamespaceKey(deletedObject(svc))),
  });
  const enqueue = (keys: Set<string>) => {
    for (const key of keys) {
      if (batchPeriodMs > 0) queue.addAfter(key, batchPeriodMs);
      else queue.add(key);
    }
  };
  const pods = informers.informerFor(resources.pods);
  pods.addEventHandler({
    onAdd: (pod) => enqueue(podServiceMemberships(serviceLister, pod)),
    onUpdate: (old, cur) => enqueue(servicesToUpdateOnPodChange(serviceLister, old, cur)),
    onDelete: (pod) => enqueue(podServiceMemberships(serviceLister, deletedObject(pod))),
  });
  return { services, pods };
}
