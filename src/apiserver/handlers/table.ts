// Server-side Table rendering (Accept: application/json;as=Table;v=v1;g=meta.k8s.io).
import type { KObject } from '../../api/strategies/types.js';
import { errors } from '../../api/errors.js';
import { printerFor, toTable } from '../../api/printers/index.js';
import { toExternal, type Scope } from './scope.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function tableOptions(query: URLSearchParams): { includeObject: IncludeObject } {
  const inc = query.get('includeObject') ?? 'Metadata';
  if (inc !== 'None' && inc !== 'Metadata' && inc !== 'Object') {
    throw errors.badRequest(`includeObject: Unsupported value: "${inc}": supported values: "Metadata", "None", "Object"`);
  }
  return { includeObject: inc };
}

export function renderTable(
  scope: Scope,
  objs: KObject[],
  opts: { includeObject: IncludeObject; rv: number; continue?: string; remaining?: number; noHeaders?: boolean },
): Record<string, unknown> {
  const printer = printerFor(scope.resource.storageGroup, scope.resource.kind);
  // Row cells are computed from the stored form; an included object is shown in the URL's version.
  const table = toTable(printer, objs, {
    includeObject: opts.includeObject,
    now: scope.ctx.clock.now(),
    resourceVersion: String(opts.rv),
    continue: opts.continue,
    remainingItemCount: opts.remaining,
  }) as Record<string, unknown> & { rows: { object?: unknown }[] };
  if (opts.includeObject === 'Object') table.rows.forEach((row, i) => (row.object = toExternal(scope, structuredClone(objs[i]))));
  if (opts.noHeaders) table.columnDefinitions = [];
  return table;
}
