// The row shape upstream's printers share for objects that run pods from a template
// (ReplicationController, ReplicaSet, Deployment, StatefulSet, DaemonSet, Job, CronJob): Name, the
// kind's own columns, Age, then the -o wide Containers and Images of the template and, where the
// kind prints one, the Selector of its pods.
import type { Container } from 'kubernetes-types/core/v1.js';
import { containerCells, since } from './format.js';
import {
  AGE_COLUMN,
  CONTAINERS_COLUMN,
  IMAGES_COLUMN,
  NAME_COLUMN,
  SELECTOR_COLUMN,
  printer,
  type ColumnDefinition,
  type TablePrinter,
} from './types.js';

export interface ControllerColumns<T> {
  /** The kind's own columns, between Name and Age. */
  columns: ColumnDefinition[];
  /** Their cells, one per column. */
  cells: (obj: T, now: number) => unknown[];
  /** The containers of the pod template. */
  containers: (obj: T) => readonly Container[] | undefined;
  /** The Selector cell; a kind without it has no Selector column. */
  selector?: (obj: T) => string;
}

/** A printer for a controller of templated pods. */
export function controllerPrinter<T extends { metadata?: { name?: string; creationTimestamp?: string } }>(
  spec: ControllerColumns<T>,
): TablePrinter {
  const { cells, containers, selector } = spec;
  const columns = [NAME_COLUMN, ...spec.columns, AGE_COLUMN, CONTAINERS_COLUMN, IMAGES_COLUMN];
  if (selector) columns.push(SELECTOR_COLUMN);
  return printer<T>(columns, (obj, now) => {
    const [names, images] = containerCells(containers(obj));
    const row = [obj.metadata?.name ?? '', ...cells(obj, now), since(obj.metadata?.creationTimestamp, now), names, images];
    if (selector) row.push(selector(obj));
    return row;
  });
}
