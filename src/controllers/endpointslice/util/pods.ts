// What the Endpoints and EndpointSlice controllers ask of a pod and its service (upstream's
// k8s.io/endpointslice/util): is the pod in the endpoints at all, is it ready, which hostname
// and which port number it gets for a service port.
import type { Pod, Service, ServicePort } from 'kubernetes-types/core/v1.js';
import type { Selector } from '../../../client/index.js';

/** The pod's Ready condition is True. */
export function isPodReady(pod: Pod): boolean {
  return pod.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
}

/**
 * Whether the pod belongs in Endpoints/EndpointSlices: not terminal (Succeeded/Failed), has an
 * IP, and is not terminating unless `includeTerminating` (slices keep terminating pods so that
 * consumers can drain them; Endpoints keeps them only for publishNotReadyAddresses).
 */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  if (!podIPs(pod).length) return false;
  if (!includeTerminating && pod.metadata?.deletionTimestamp) return false;
  return true;
}

/** status.podIPs, or status.podIP alone when a writer set only that. */
export function podIPs(pod: Pod): string[] {
  const ips = (pod.status?.podIPs ?? []).map((p) => p.ip).filter((ip): ip is string => !!ip);
  if (ips.length) return ips;
  return pod.status?.podIP ? [pod.status.podIP] : [];
}

/** The pod names itself under this service (hostname + subdomain = service name, same namespace). */
export function shouldSetHostname(pod: Pod, svc: Service): boolean {
  return !!pod.spec?.hostname && pod.spec.subdomain === svc.metadata?.name && svc.metadata?.namespace === pod.metadata?.namespace;
}

/**
 * The container port a service port reaches on this pod: a numeric targetPort as is; a named
 * one looked up (with the same protocol) in the containers' ports and in sidecar init
 * containers'. Undefined when the pod has no such port, which leaves the pod out for that port.
 */
export function findPort(pod: Pod, svcPort: ServicePort): number | undefined {
  const target = svcPort.targetPort ?? svcPort.port;
  if (typeof target === 'number') return target;
  const protocol = svcPort.protocol ?? 'TCP';
  const sidecars = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  for (const c of [...(pod.spec?.containers ?? []), ...sidecars]) {
    for (const p of c.ports ?? []) {
      if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
    }
  }
  return undefined;
}

/** The service has a cluster IP (neither headless nor unset). */
export function isServiceIPSet(svc: Service): boolean {
  const ip = svc.spec?.clusterIP;
  return !!ip && ip !== 'None';
}

/**
 * The service's pod selector; undefined for services without one (their endpoints are made by
 * hand). An empty map counts as none: the API drops it on the way to storage.
 */
export function serviceSelector(svc: Service): Selector | undefined {
  const sel = svc.spec?.selector;
  if (!sel || !Object.keys(sel).length) return undefined;
  const entries = Object.entries(sel);
  return { matches: (labels) => entries.every(([k, v]) => labels?.[k] === v) };
}

/** The object reference endpoints carry to their pod (no apiVersion or resourceVersion, as upstream). */
export function podReference(pod: Pod): { kind: string; namespace?: string; name?: string; uid?: string } {
  return { kind: 'Pod', namespace: pod.metadata?.namespace, name: pod.metadata?.name, uid: pod.metadata?.uid };
}

/** Go's time.RFC3339Nano: fractional seconds without trailing zeros. */
export function rfc3339Nano(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d*?)0*Z$/, (_m, frac: string) => (frac ? `.${frac}Z` : 'Z'));
}
