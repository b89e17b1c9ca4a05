// Core cluster objects: Node, Namespace, ConfigMap, Secret, ServiceAccount, ResourceQuota,
// ComponentStatus.
import type { ComponentStatus, ConfigMap, Namespace, Node, ResourceQuota, Secret, ServiceAccount } from 'kubernetes-types/core/v1.js';
import { compareStrings } from '../selectors/label-selector.js';
import { quantity, since } from './format.js';
import { AGE_COLUMN, NAME_COLUMN, col, printer, wide, type TablePrinter } from './types.js';

const ROLE_LABEL_PREFIX = 'node-role.kubernetes.io/';
const ROLE_LABEL = 'kubernetes.io/role';

/** Roles from `node-role.kubernetes.io/<role>` labels and the `kubernetes.io/role` label, sorted. */
export function nodeRoles(node: Node): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata?.labels ?? {})) {
    if (k.startsWith(ROLE_LABEL_PREFIX)) {
      const role = k.slice(ROLE_LABEL_PREFIX.length);
      if (role) roles.add(role);
    } else if (k === ROLE_LABEL && v !== '') {
      roles.add(v);
    }
  }
  return [...roles].sort(compareStrings);
}

/** `Ready`, `NotReady` or `Unknown`, then `SchedulingDisabled` for a cordoned node. */
export function nodeStatus(node: Node): string {
  let ready: string | undefined;
  for (const c of node.status?.conditions ?? []) if (c.type === 'Ready') ready = c.status;
  const status: string[] = [];
  if (ready !== undefined) status.push(ready === 'True' ? 'Ready' : 'NotReady');
  else status.push('Unknown');
  if (node.spec?.unschedulable) status.push('SchedulingDisabled');
  return status.join(',');
}

function nodeAddress(node: Node, type: string): string {
  return (node.status?.addresses ?? []).find((a) => a.type === type)?.address ?? '<none>';
}

export const nodePrinter: TablePrinter = printer<Node>(
  [
    NAME_COLUMN,
    col('Status', 'string', 'Readiness of the node, and whether it is cordoned.'),
    col('Roles', 'string', 'Roles from the node-role labels.'),
    AGE_COLUMN,
    col('Version', 'string', 'Kubelet version.'),
    wide('Internal-IP', 'string', 'First internal address.'),
    wide('External-IP', 'string', 'First external address.'),
    wide('OS-Image', 'string', 'Operating system image.'),
    wide('Kernel-Version', 'string', 'Kernel version.'),
    wide('Container-Runtime', 'string', 'Container runtime and version.'),
  ],
  (node, now) => {
    const info = node.status?.nodeInfo;
    const roles = nodeRoles(node).join(',');
    return [
      node.metadata?.name ?? '',
      nodeStatus(node),
      roles || '<none>',
      since(node.metadata?.creationTimestamp, now),
      info?.kubeletVersion ?? '',
      nodeAddress(node, 'InternalIP'),
      nodeAddress(node, 'ExternalIP'),
      info?.osImage || '<unknown>',
      info?.kernelVersion || '<unknown>',
      info?.containerRuntimeVersion || '<unknown>',
    ];
  },
);

export const namespacePrinter: TablePrinter = printer<Namespace>(
  [NAME_COLUMN, col('Status', 'string', 'Phase of the namespace.'), AGE_COLUMN],
  (ns, now) => [ns.metadata?.name ?? '', ns.status?.phase ?? '', since(ns.metadata?.creationTimestamp, now)],
);

export const configMapPrinter: TablePrinter = printer<ConfigMap>(
  [NAME_COLUMN, col('Data', 'string', 'Number of keys.'), AGE_COLUMN],
  (cm, now) => [
    cm.metadata?.name ?? '',
    Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length,
    since(cm.metadata?.creationTimestamp, now),
  ],
);

export const secretPrinter: TablePrinter = printer<Secret>(
  [NAME_COLUMN, col('Type', 'string', 'Type of the secret.'), col('Data', 'string', 'Number of keys.'), AGE_COLUMN],
  (s, now) => [s.metadata?.name ?? '', s.type ?? '', Object.keys(s.data ?? {}).length, since(s.metadata?.creationTimestamp, now)],
);

export const serviceAccountPrinter: TablePrinter = printer<ServiceAccount>(
  [NAME_COLUMN, col('Secrets', 'string', 'Number of listed secrets.'), AGE_COLUMN],
  (sa, now) => [sa.metadata?.name ?? '', (sa.secrets ?? []).length, since(sa.metadata?.creationTimestamp, now)],
);

/** `resource: used/hard` pairs, requests and limits (`limits.*`) apart, sorted by resource. */
function quotaColumns(rq: ResourceQuota): [string, string] {
  const hard = rq.status?.hard ?? {};
  const used = rq.status?.used ?? {};
  const requests: string[] = [];
  const limits: string[] = [];
  for (const r of Object.keys(hard).sort(compareStrings)) {
    const pieces = r.split('.');
    const target = pieces.length > 1 && pieces[0] === 'limits' ? limits : requests;
    target.push(`${r}: ${quantity(used[r])}/${quantity(hard[r])}`);
  }
  return [requests.join(', '), limits.join(', ')];
}

export const resourceQuotaPrinter: TablePrinter = printer<ResourceQuota>(
  [
    NAME_COLUMN,
    col('Request', 'string', 'Used and hard request quotas.'),
    col('Limit', 'string', 'Used and hard limit quotas.'),
    AGE_COLUMN,
  ],
  (rq, now) => {
    const [request, limit] = quotaColumns(rq);
    return [rq.metadata?.name ?? '', request, limit, since(rq.metadata?.creationTimestamp, now)];
  },
);

export const componentStatusPrinter: TablePrinter = printer<ComponentStatus>(
  [
    NAME_COLUMN,
    col('Status', 'string', 'Health of the component.'),
    col('Message', 'string', 'Message of the health condition.'),
    col('Error', 'string', 'Error of the health condition.'),
  ],
  (cs) => {
    const c = (cs.conditions ?? []).find((x) => x.type === 'Healthy');
    const status = c ? (c.status === 'True' ? 'Healthy' : 'Unhealthy') : 'Unknown';
    return [cs.metadata?.name ?? '', status, c?.message ?? '', c?.error ?? ''];
  },
);
