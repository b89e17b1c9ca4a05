// Workload controllers: ReplicationController, ReplicaSet, Deployment, StatefulSet, DaemonSet,
// ControllerRevision, and the Scale subresource. Unset spec.replicas counts as 1 (the default).
import type { ReplicationController } from 'kubernetes-types/core/v1.js';
import type { ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { Scale } from 'kubernetes-types/autoscaling/v1.js';
import { formatLabelSelector, formatLabels, fromLabelSelector } from '../selectors/label-selector.js';
import { containerCells, int, since } from './format.js';
import {
  AGE_COLUMN,
  CONTAINERS_COLUMN,
  IMAGES_COLUMN,
  NAME_COLUMN,
  SELECTOR_COLUMN,
  col,
  printer,
  type TablePrinter,
} from './types.js';

const replicas = (v: number | undefined) => (typeof v === 'number' ? v : 1);

const replicaColumns = [
  NAME_COLUMN,
  col('Desired', 'integer', 'Number of pods wanted.'),
  col('Current', 'integer', 'Number of pods created.'),
  col('Ready', 'integer', 'Number of pods ready.'),
  AGE_COLUMN,
  CONTAINERS_COLUMN,
  IMAGES_COLUMN,
  SELECTOR_COLUMN,
];

export const replicationControllerPrinter: TablePrinter = printer<ReplicationController>(replicaColumns, (rc, now) => {
  const [names, images] = containerCells(rc.spec?.template?.spec?.containers);
  return [
    rc.metadata?.name ?? '',
    replicas(rc.spec?.replicas),
    int(rc.status?.replicas),
    int(rc.status?.readyReplicas),
    since(rc.metadata?.creationTimestamp, now),
    names,
    images,
    formatLabels(rc.spec?.selector),
  ];
});

export const replicaSetPrinter: TablePrinter = printer<ReplicaSet>(replicaColumns, (rs, now) => {
  const [names, images] = containerCells(rs.spec?.template?.spec?.containers);
  return [
    rs.metadata?.name ?? '',
    replicas(rs.spec?.replicas),
    int(rs.status?.replicas),
    int(rs.status?.readyReplicas),
    since(rs.metadata?.creationTimestamp, now),
    names,
    images,
    formatLabelSelector(rs.spec?.selector),
  ];
});

export const deploymentPrinter: TablePrinter = printer<Deployment>(
  [
    NAME_COLUMN,
    col('Ready', 'string', 'Ready pods of the wanted number.'),
    col('Up-to-date', 'string', 'Pods running the current template.'),
    col('Available', 'string', 'Pods available to serve.'),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    SELECTOR_COLUMN,
  ],
  (d, now) => {
    const [names, images] = containerCells(d.spec?.template?.spec?.containers);
    let selector: string;
    try {
      selector = fromLabelSelector(d.spec?.selector).toString();
    } catch {
      selector = '<invalid>';
    }
    return [
      d.metadata?.name ?? '',
      `${int(d.status?.readyReplicas)}/${replicas(d.spec?.replicas)}`,
      int(d.status?.updatedReplicas),
      int(d.status?.availableReplicas),
      since(d.metadata?.creationTimestamp, now),
      names,
      images,
      selector,
    ];
  },
);

export const statefulSetPrinter: TablePrinter = printer<StatefulSet>(
  [NAME_COLUMN, col('Ready', 'string', 'Ready pods of the wanted number.'), AGE_COLUMN, CONTAINERS_COLUMN, IMAGES_COLUMN],
  (s, now) => {
    const [names, images] = containerCells(s.spec?.template?.spec?.containers);
    return [s.metadata?.name ?? '', `${int(s.status?.readyReplicas)}/${replicas(s.spec?.replicas)}`, since(s.metadata?.creationTimestamp, now), names, images];
  },
);

export const daemonSetPrinter: TablePrinter = printer<DaemonSet>(
  [
    NAME_COLUMN,
    col('Desired', 'integer', 'Nodes that should run the pod.'),
    col('Current', 'integer', 'Nodes running the pod.'),
    col('Ready', 'integer', 'Nodes whose pod is ready.'),
    col('Up-to-date', 'integer', 'Nodes running the current template.'),
    col('Available', 'integer', 'Nodes whose pod is available.'),
    col('Node Selector', 'string', 'Node selector of the pod template.'),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    SELECTOR_COLUMN,
  ],
  (ds, now) => {
    const [names, images] = containerCells(ds.spec?.template?.spec?.containers);
    const st = ds.status;
    return [
      ds.metadata?.name ?? '',
      int(st?.desiredNumberScheduled),
      int(st?.currentNumberScheduled),
      int(st?.numberReady),
      int(st?.updatedNumberScheduled),
      int(st?.numberAvailable),
      formatLabels(ds.spec?.template?.spec?.nodeSelector),
      since(ds.metadata?.creationTimestamp, now),
      names,
      images,
      formatLabelSelector(ds.spec?.selector),
    ];
  },
);

/** `statefulset.apps/web` for a controller reference, or "<none>". */
function controllerName(obj: { metadata?: { ownerReferences?: { apiVersion?: string; kind?: string; name?: string; controller?: boolean }[] } }): string {
  const ref = (obj.metadata?.ownerReferences ?? []).find((r) => r.controller === true);
  if (!ref) return '<none>';
  const apiVersion = ref.apiVersion ?? '';
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const kind = ref.kind ?? '';
  if (group === '' && kind === '') return ref.name ?? '';
  return `${(group ? `${kind}.${group}` : kind).toLowerCase()}/${ref.name ?? ''}`;
}

export const controllerRevisionPrinter: TablePrinter = printer<ControllerRevision>(
  [NAME_COLUMN, col('Controller', 'string', 'Object that owns the revision.'), col('Revision', 'string', 'Revision number.'), AGE_COLUMN],
  (cr, now) => [cr.metadata?.name ?? '', controllerName(cr), int(cr.revision), since(cr.metadata?.creationTimestamp, now)],
);

export const scalePrinter: TablePrinter = printer<Scale>(
  [
    col('Name', 'string', 'Name of the scaled object.'),
    col('Desired', 'integer', 'Wanted replicas.'),
    col('Available', 'integer', 'Observed replicas.'),
    AGE_COLUMN,
  ],
  (s, now) => [s.metadata?.name ?? '', int(s.spec?.replicas), int(s.status?.replicas), since(s.metadata?.creationTimestamp, now)],
);
