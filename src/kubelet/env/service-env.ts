// Service link variables (upstream's pkg/kubelet/envvars and getServiceEnvVarMap): for each service
// with a cluster IP, `<NAME>_SERVICE_HOST`/`_PORT` plus the Docker-link style `<NAME>_PORT_*` set.
import type { Service } from 'kubernetes-types/core/v1.js';
import type { KeyValue } from '../runtime/cri.js';
import type { PodObjects } from './pod-objects.js';

/** Services every pod sees, from the default namespace, whatever enableServiceLinks says. */
const MASTER_SERVICES = new Set(['kubernetes']);
const MASTER_NAMESPACE = 'default';

export function isServiceIPSet(svc: Service): boolean {
  const ip = svc.spec?.clusterIP;
  return !!ip && ip !== 'None';
}

/** `my-svc.x` → `MY_SVC_X`; a leading digit gets a `_` in front. */
export function envVariableName(name: string): string {
  const upper = name.replaceAll('.', '_').replaceAll('-', '_').toUpperCase();
  return /^[0-9]/.test(upper) ? `_${upper}` : upper;
}

function linkVariables(svc: Service, prefix: string, ip: string): KeyValue[] {
  const out: KeyValue[] = [];
  (svc.spec?.ports ?? []).forEach((sp, i) => {
    const protocol = sp.protocol || 'TCP';
    const url = `${protocol.toLowerCase()}://${ip}:${sp.port}`;
    if (i === 0) out.push({ key: `${prefix}_PORT`, value: url });
    const portPrefix = `${prefix}_PORT_${sp.port}_${protocol.toUpperCase()}`;
    out.push(
      { key: portPrefix, value: url },
      { key: `${portPrefix}_PROTO`, value: protocol.toLowerCase() },
      { key: `${portPrefix}_PORT`, value: String(sp.port) },
      { key: `${portPrefix}_ADDR`, value: ip },
    );
  });
  return out;
}

/** upstream's FromServices: the variables for each service that has a cluster IP and ports. */
export function serviceEnvVars(services: readonly Service[]): KeyValue[] {
  const out: KeyValue[] = [];
  for (const svc of services) {
    const ports = svc.spec?.ports ?? [];
    // Validation guarantees ports on a ClusterIP service; guard rather than index an empty list.
    if (!isServiceIPSet(svc) || ports.length === 0) continue;
    const ip = svc.spec!.clusterIP!;
    const prefix = envVariableName(svc.metadata?.name ?? '');
    out.push({ key: `${prefix}_SERVICE_HOST`, value: ip });
    const portName = `${prefix}_SERVICE_PORT`;
    out.push({ key: portName, value: String(ports[0]!.port) });
    for (const sp of ports) {
      if (sp.name) out.push({ key: `${portName}_${envVariableName(sp.name)}`, value: String(sp.port) });
    }
    out.push(...linkVariables(svc, prefix, ip));
  }
  return out;
}

/**
 * The service variables a pod in `namespace` sees: the master services always, the namespace's
 * own services when service links are enabled (a same-named local service wins over a master one).
 */
export async function serviceEnvMap(
  objects: PodObjects,
  namespace: string,
  enableServiceLinks: boolean,
): Promise<Map<string, string>> {
  const chosen = new Map<string, Service>();
  for (const svc of await objects.services(MASTER_NAMESPACE)) {
    const name = svc.metadata?.name ?? '';
    if (MASTER_SERVICES.has(name) && isServiceIPSet(svc)) chosen.set(name, svc);
  }
  if (enableServiceLinks) {
    for (const svc of await objects.services(namespace)) {
      if (isServiceIPSet(svc)) chosen.set(svc.metadata?.name ?? '', svc);
    }
  }
  const sorted = [...chosen.keys()].sort().map((k) => chosen.get(k)!);
  return new Map(serviceEnvVars(sorted).map((e) => [e.key, e.value]));
}
