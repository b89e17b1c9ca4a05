// Pure helpers of the EndpointSlice reconciler (upstream's k8s.io/endpointslice utils.go): an
// endpoint from a pod, the ports a pod offers, a new slice for a Service, the slice labels, and
// which address types a Service wants.
import type { Node, Pod, Service } from 'kubernetes-types/core/v1.js';
import type { Endpoint, EndpointPort, EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { isIPv6String, parseIP, formatIP } from '../../api/validation/ip.js';
import { findPort, isPodReady, isServiceIPSet, podIPs, podReference, rfc3339Nano, shouldSetHostname } from './util/pods.js';

export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';
export const LABEL_MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';
export const LAST_CHANGE_TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';
export const ZONE_LABEL = 'topology.kubernetes.io/zone';

export type AddressType = 'IPv4' | 'IPv6';

/**
 * The pod as an endpoint. serving = Ready; terminating = being deleted; ready = serving and not
 * terminating, or always with publishNotReadyAddresses.
 */
export function podToEndpoint(pod: Pod, node: Node | undefined, service: Service, addressType: AddressType): Endpoint {
  const serving = isPodReady(pod);
  const terminating = !!pod.metadata?.deletionTimestamp;
  const ready = !!service.spec?.publishNotReadyAddresses || (serving && !terminating);
  const ep: Endpoint = {
    addresses: endpointAddresses(pod, addressType),
    conditions: { ready, serving, terminating },
    targetRef: podReference(pod),
  };
  if (pod.spec?.nodeName) ep.nodeName = pod.spec.nodeName;
  const zone = node?.metadata?.labels?.[ZONE_LABEL];
  if (zone) ep.zone = zone;
  if (shouldSetHostname(pod, service)) ep.hostname = pod.spec!.hostname;
  return ep;
}

/** The pod's IPs of one family, in canonical form. */
export function endpointAddresses(pod: Pod, addressType: AddressType): string[] {
  const out: string[] = [];
  for (const raw of podIPs(pod)) {
    const ip = parseIP(raw);
    if (!ip) continue;
    if (isIPv6String(raw) === (addressType === 'IPv6')) out.push(formatIP(ip.bytes));
  }
  return out;
}

/** The service's ports as this pod offers them (a port the pod lacks is left out). */
export function endpointPorts(service: Service, pod: Pod): EndpointPort[] {
  const out: EndpointPort[] = [];
  const svcPorts = service.spec?.ports ?? [];
  for (const sp of svcPorts) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    const ep: EndpointPort = { name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP' };
    if (sp.appProtocol) ep.appProtocol = sp.appProtocol;
    out.push(ep);
  }
  return out;
}

/**
 * The slice labels: the Service's own labels (reserved keys skipped) plus service-name,
 * managed-by and, for headless Services, the headless label. `changed` says whether the
 * slice's non-reserved labels differ from the Service's.
 */
export function sliceLabels(slice: EndpointSlice | undefined, service: Service): { labels: Record<string, string>; changed: boolean } {
  const own = withoutReserved(slice?.metadata?.labels);
  const svc = withoutReserved(service.metadata?.labels);
  const changed = !sameMap(own, svc);
  const labels = { ...svc };
  if (!isServiceIPSet(service)) labels[HEADLESS_LABEL] = '';
  labels[LABEL_SERVICE_NAME] = service.metadata?.name ?? '';
  labels[LABEL_MANAGED_BY] = CONTROLLER_NAME;
  return { labels, changed };
}

function withoutReserved(labels: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels ?? {})) if (k !== LABEL_SERVICE_NAME && k !== LABEL_MANAGED_BY && k !== HEADLESS_LABEL) out[k] = v;
  return out;
}

function sameMap(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => b[k] === a[k]);
}

/** A new, empty slice for the Service, owned by it, named by the server from `<service>-`. */
export function newEndpointSlice(service: Service, ports: EndpointPort[], addressType: AddressType): EndpointSlice {
  const name = service.metadata?.name ?? '';
  const slice: EndpointSlice = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      namespace: service.metadata?.namespace,
      // Without the dash when it would make the prefix an invalid name (upstream's rule).
      generateName: name.length < 253 ? `${name}-` : name,
      ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name, uid: service.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true }],
    },
    addressType,
    endpoints: [],
    ports,
  };
  slice.metadata!.labels = sliceLabels(slice, service).labels;
  return slice;
}

/** The slice is owned by this very Service (by UID). */
export function ownedBy(slice: EndpointSlice, service: Service): boolean {
  return (slice.metadata?.ownerReferences ?? []).some((o) => o.uid === service.metadata?.uid && o.kind === 'Service' && o.apiVersion === 'v1');
}

/** The unchanged slice that `n` more endpoints would fill closest to `max`, if any fits them. */
export function sliceToFill(slices: EndpointSlice[], n: number, max: number): EndpointSlice | undefined {
  let best: EndpointSlice | undefined;
  let bestDiff = max;
  for (const s of slices) {
    const diff = max - (n + (s.endpoints?.length ?? 0));
    if (diff >= 0 && diff < bestDiff) {
      bestDiff = diff;
      best = s;
      if (diff === 0) break;
    }
  }
  return best;
}

export function setTriggerTime(slice: EndpointSlice, triggerTime: number | undefined): void {
  const annotations = { ...slice.metadata?.annotations };
  if (triggerTime !== undefined) annotations[LAST_CHANGE_TRIGGER_TIME] = rfc3339Nano(triggerTime);
  else delete annotations[LAST_CHANGE_TRIGGER_TIME];
  slice.metadata = { ...slice.metadata, annotations };
}

/** The `ns/name` key of the Service a slice belongs to, by its service-name label. */
export function serviceKeyOfSlice(slice: EndpointSlice): string | undefined {
  const name = slice.metadata?.labels?.[LABEL_SERVICE_NAME];
  return name ? `${slice.metadata?.namespace ?? ''}/${name}` : undefined;
}

/**
 * The address types the Service wants: its ipFamilies; else its clusterIP's family; else (a
 * headless Service an old apiserver left without families) both.
 */
export function addressTypesForService(service: Service): Set<AddressType> {
  const out = new Set<AddressType>();
  for (const f of service.spec?.ipFamilies ?? []) if (f === 'IPv4' || f === 'IPv6') out.add(f);
  if (out.size) return out;
  const cip = service.spec?.clusterIP;
  if (cip && cip !== 'None') return new Set([isIPv6String(cip) ? 'IPv6' : 'IPv4']);
  return new Set(['IPv4', 'IPv6']);
}
