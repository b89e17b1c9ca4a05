// The meta.k8s.io Table kube-apiserver answers to `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`:
// column definitions, one row of cells per object, and per row the object itself as asked by
// `?includeObject=` — its metadata as a PartialObjectMetadata (the default; kubectl needs it for
// -A's NAMESPACE and --show-labels), the whole object, or nothing.
import type { ColumnDefinition, KObject, TablePrinter, TableRowCondition } from './types.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableOptions {
  /** What each row carries besides its cells (default Metadata). */
  includeObject?: IncludeObject;
  /** The time ages are computed at (epoch ms). */
  now: number;
  /** The list's (or the single object's) resourceVersion. */
  resourceVersion?: string;
  /** The continue token of a paged list. */
  continue?: string;
  remainingItemCount?: number;
  /** `?noHeaders=true` (TableOptions): leave out the column definitions. */
  noHeaders?: boolean;
  /** The Table's group-version: meta.k8s.io/v1 (default) or the older meta.k8s.io/v1beta1. */
  apiVersion?: 'meta.k8s.io/v1' | 'meta.k8s.io/v1beta1';
}

// Plain object types (not interfaces), so a Table is also a Record<string, unknown>.
export type TableRow = {
  cells: unknown[];
  conditions?: TableRowCondition[];
  object?: KObject;
};

export type Table = {
  kind: 'Table';
  apiVersion: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: ColumnDefinition[];
  rows: TableRow[];
};

/** The rows' object: the PartialObjectMetadata of an object (its whole metadata). */
export function partialObjectMetadata(obj: KObject, apiVersion = 'meta.k8s.io/v1'): KObject {
  return { kind: 'PartialObjectMetadata', apiVersion, metadata: obj.metadata ?? {} };
}

/** Prints objects (a list's items, or one object) as a Table. */
export function toTable(printer: TablePrinter, objects: readonly KObject[], opts: TableOptions): Table {
  const apiVersion = opts.apiVersion ?? 'meta.k8s.io/v1';
  const include = opts.includeObject ?? 'Metadata';
  const metadata: Table['metadata'] = {};
  if (opts.resourceVersion) metadata.resourceVersion = opts.resourceVersion;
  if (opts.continue) metadata.continue = opts.continue;
  if (opts.remainingItemCount !== undefined) metadata.remainingItemCount = opts.remainingItemCount;
  const rows = objects.map((obj): TableRow => {
    const row: TableRow = { cells: printer.row(obj, opts.now) };
    const conditions = printer.conditions?.(obj);
    if (conditions && conditions.length > 0) row.conditions = conditions;
    if (include === 'Metadata') row.object = partialObjectMetadata(obj, apiVersion);
    else if (include === 'Object') row.object = obj;
    return row;
  });
  return {
    kind: 'Table',
    apiVersion,
    metadata,
    columnDefinitions: opts.noHeaders ? [] : printer.columns.map((c) => ({ ...c })),
    rows,
  };
}
