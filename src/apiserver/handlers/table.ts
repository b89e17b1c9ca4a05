// Server-side Table rendering (Accept: application/json;as=Table;v=v1;g=meta.k8s.io).
import type { KObject } from '../../api/strategies/types.js';
import { errors } from '../../api/errors.js';
import { printerFor, toTable } from '../../api/printers/index.js';
import { toExternal, type Scope } from './scope.js';
import type { CacheEntry } from '../cache/watch-cache.js';

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

/**
 * A list's Table as JSON text, built row by row so each object's metadata is serialized once per
 * version (kept on the cache entry) rather than on every list.
 */
export function renderTableText(
  scope: Scope,
  entries: CacheEntry[],
  opts: { includeObject: IncludeObject; rv: number; continue?: string; remaining?: number },
): string {
  if (opts.includeObject !== 'Metadata') {
    return JSON.stringify(renderTable(scope, entries.map((e) => e.obj), opts));
  }
  const printer = printerFor(scope.resource.storageGroup, scope.resource.kind);
  const now = scope.ctx.clock.now();
  const head = toTable(printer, [], { includeObject: 'Metadata', now, resourceVersion: String(opts.rv), continue: opts.continue, remainingItemCount: opts.remaining });
  const rows = entries.map((e) => {
    e.metaJson ??= JSON.stringify(e.obj.metadata ?? {});
    const conditions = printer.conditions?.(e.obj);
    const cond = conditions && conditions.length ? `,"conditions":${JSON.stringify(conditions)}` : '';
    return `{"cells":${JSON.stringify(printer.row(e.obj, now))}${cond},"object":{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":${e.metaJson}}}`;
  });
  const text = JSON.stringify(head);
  return `${text.slice(0, text.lastIndexOf('[]'))}[${rows.join(',')}]}`;
}
