// Workload controllers: ReplicationController, ReplicaSet, Deployment, StatefulSet, DaemonSet,
// ControllerRevision, and the Scale subresource. Unset spec.replicas counts as 1 (the default).
import type { ReplicationController } from 'kubernetes-types/core/v1.js';
import type { ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { Scale } from 'kubernetes-types/autoscaling/v1.js';
import { formatLabelSelector, formatLabels, fromLabelSelector } from '../selectors/label-selector.js';
import { controllerPrinter } from './controller.js';
import { int, since } from './format.js';
import { AGE_COLUMN, NAME_COLUMN, col, printer, type TablePrinter } from './types.js';

const replicas = (v: number | undefined) => (typeof v === 'number' ? v : 1);

const replicaColumns = [
  col('Desired', 'integer', 'Number of pods wanted.'),
  col('Current', 'integer', 'Number of pods created.'),
  col('Ready', 'integer', 'Number of pods ready.'),
];

const replicaCells = (r: ReplicationController | ReplicaSet) => [replicas(r.spec?.replicas), int(r.status?.replicas), int(r.status?.readyReplicas)];

export const replicationControllerPrinter: TablePrinter = controllerPrinter<ReplicationController>({
  columns: replicaColumns,
  cells: replicaCells,
  containers: (rc) => rc.spec?.template?.spec?.containers,
  selector: (rc) => formatLabels(rc.spec?.selector),
});

export const replicaSetPrinter: TablePrinter = controllerPrinter<ReplicaSet>({
  columns: replicaColumns,
  cells: replicaCells,
  containers: (rs) => rs.spec?.template?.spec?.containers,
  selector: (rs) => formatLabelSelector(rs.spec?.selector),
});

export const deploymentPrinter: TablePrinter = controllerPrinter<Deployment>({
  columns: [
    col('Ready', 'string', 'Ready pods of the wanted number.'),
    col('Up-to-date', 'string', 'Pods running the current template.'),
    col('Available', 'string', 'Pods available to serve.'),
  ],
  cells: (d) => [`${int(d.status?.readyReplicas)}/${replicas(d.spec?.replicas)}`, int(d.status?.updatedReplicas), int(d.status?.availableReplicas)],
  containers: (d) => d.spec?.template?.spec?.containers,
  selector: (d) => {
    try {
      return fromLabelSelector(d.spec?.selector).toString();
    } catch {
      return '<invalid>';
    }
  },
});

export const statefulSetPrinter: TablePrinter = controllerPrinter<StatefulSet>({
  columns: [col('Ready', 'string', 'Ready pods of the wanted number.')],
  cells: (s) => [`${int(s.status?.readyReplicas)}/${replicas(s.spec?.replicas)}`],
  containers: (s) => s.spec?.template?.spec?.containers,
});

export const daemonSetPrinter: TablePrinter = controllerPrinter<DaemonSet>({
  columns: [
    col('Desired', 'integer', 'Nodes that should run the pod.'),
    col('Current', 'integer', 'Nodes running the pod.'),
    col('Ready', 'integer', 'Nodes whose pod is ready.'),
    col('Up-to-date', 'integer', 'Nodes running the current template.'),
    col('Available', 'integer', 'Nodes whose pod is available.'),
    col('Node Selector', 'string', 'Node selector of the pod template.'),
  ],
  cells: ({ spec, status: st }) => [
    int(st?.desiredNumberScheduled),
    int(st?.currentNumberScheduled),
    int(st?.numberReady),
    int(st?.updatedNumberScheduled),
    int(st?.numberAvailable),
    formatLabels(spec?.template?.spec?.nodeSelector),
  ],
  containers: (ds) => ds.spec?.template?.spec?.containers,
  selector: (ds) => formatLabelSelector(ds.spec?.selector),
});

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
