// The subsets of a service's core/v1 Endpoints, computed from its pods (upstream's
// syncService loop): one address per pod in endpoints, ready or not ready, with the ports the
// pod resolves; repacked into the canonical layout and truncated beyond MAX_CAPACITY.
import type { EndpointAddress, EndpointPort, EndpointSubset, Pod, Service, ServicePort } from 'kubernetes-types/core/v1.js';
import { isIPv6String } from '../../api/validation/ip.js';
import { findPort, isPodReady, podIPs, podReference, shouldPodBeInEndpoints, shouldSetHostname } from '../endpointslice/util/pods.js';
import { repackSubsets } from './repack.js';

export interface ComputedSubsets {
  subsets: EndpointSubset[];
  ready: number;
  notReady: number;
}

/** The subsets the service's Endpoints should have for these (selected) pods. */
export function computeSubsets(service: Service, pods: Pod[]): ComputedSubsets {
  const tolerateUnready = !!service.spec?.publishNotReadyAddresses;
  const raw: EndpointSubset[] = [];
  let ready = 0;
  let notReady = 0;
  const add = (pod: Pod, addr: EndpointAddress, port: EndpointPort | undefined) => {
    const ports = port ? [port] : [];
    if (tolerateUnready || isPodReady(pod)) {
      raw.push({ addresses: [addr], ports });
      ready++;
    } else {
      raw.push({ notReadyAddresses: [addr], ports });
      notReady++;
    }
  };
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, tolerateUnready)) continue;
    const addr = podToEndpointAddress(service, pod);
    if (!addr) continue; // no IP of the service's family (a dual-stack transition)
    if (shouldSetHostname(pod, service)) addr.hostname = pod.spec!.hostname;
    const svcPorts = service.spec?.ports ?? [];
    if (!svcPorts.length) {
      // A headless service may have no ports at all.
      if (service.spec?.clusterIP === 'None') add(pod, addr, undefined);
      continue;
    }
    for (const sp of svcPorts) {
      const num = findPort(pod, sp);
      if (num === undefined) continue; // this pod lacks the named port
      add(pod, addr, endpointPort(sp, num));
    }
  }
  return { subsets: repackSubsets(raw), ready, notReady };
}

/** The pod's address for the service's (first) IP family; undefined when the pod has none. */
export function podToEndpointAddress(service: Service, pod: Pod): EndpointAddress | undefined {
  const wantV6 = serviceWantsIPv6(service, pod);
  const ip = podIPs(pod).find((x) => isIPv6String(x) === wantV6);
  if (!ip) return undefined;
  const addr: EndpointAddress = { ip, targetRef: podReference(pod) };
  // Upstream always sets nodeName; an empty one would fail validation here, so it is left out.
  if (pod.spec?.nodeName) addr.nodeName = pod.spec.nodeName;
  return addr;
}

function serviceWantsIPv6(service: Service, pod: Pod): boolean {
  const families = service.spec?.ipFamilies ?? [];
  if (families.length) return families[0] === 'IPv6';
  const cip = service.spec?.clusterIP;
  if (cip && cip !== 'None') return isIPv6String(cip);
  // Headless without families (an old apiserver): go by the pod's primary IP.
  return isIPv6String(pod.status?.podIP ?? '');
}

function endpointPort(sp: ServicePort, port: number): EndpointPort {
  const p: EndpointPort = { port, protocol: sp.protocol ?? 'TCP' };
  if (sp.name) p.name = sp.name;
  if (sp.appProtocol) p.appProtocol = sp.appProtocol;
  return p;
}
