// Custom resources: NAME, then the CRD version's additionalPrinterColumns (an AGE column when it
// declares none), each cell read with the column's JSONPath and typed as the column says.
// JSONPaths are the simple ones CRDs allow: `.a.b`, `.a[0]`, `.a['dotted.key']`.
import type { CustomResourceColumnDefinition, CustomResourceDefinition } from 'kubernetes-types/apiextensions/v1.js';
import { humanDuration, parseTime } from './format.js';
import { NAME_COLUMN, printer, type ColumnDefinition, type KObject, type TablePrinter } from './types.js';

const AGE: CustomResourceColumnDefinition = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', description: 'Time since the object was created.' };

/** Splits a simple JSONPath into keys and indices; undefined if it uses anything fancier. */
export function parseSimpleJSONPath(path: string): (string | number)[] | undefined {
  let p = path.trim();
  if (p.startsWith('{') && p.endsWith('}')) p = p.slice(1, -1);
  if (p.startsWith('$')) p = p.slice(1);
  const out: (string | number)[] = [];
  const re = /\.([^.[\]]+)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]/y;
  let i = 0;
  while (i < p.length) {
    re.lastIndex = i;
    const m = re.exec(p);
    if (!m) return undefined;
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else out.push((m[3] ?? m[4])!);
    i = re.lastIndex;
  }
  return out;
}

function lookup(obj: unknown, path: (string | number)[]): unknown {
  let cur: unknown = obj;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[k];
  }
  return cur;
}

/** A found value as a typed cell (cellForJSONValue); null when absent or of the wrong type. */
function cell(type: string, value: unknown, now: number): unknown {
  if (value === undefined || value === null) return null;
  switch (type) {
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'string':
      // JSONPath text output: scalars as text, objects and arrays as compact JSON.
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
    case 'date': {
      if (typeof value !== 'string') return null;
      const t = parseTime(value);
      if (t === undefined) return value === '' ? '<unknown>' : '<invalid>';
      return humanDuration(now - t);
    }
    default:
      return null;
  }
}

/** The printer for custom resources with the given printer columns. */
export function customResourcePrinter(columns: readonly CustomResourceColumnDefinition[]): TablePrinter {
  const cols = columns.length > 0 ? columns : [AGE];
  const paths = cols.map((c) => parseSimpleJSONPath(c.jsonPath));
  const defs: ColumnDefinition[] = [
    NAME_COLUMN,
    ...cols.map((c) => ({
      name: c.name,
      type: c.type,
      format: c.format ?? '',
      description: c.description || `Value at ${c.jsonPath}.`,
      priority: c.priority ?? 0,
    })),
  ];
  return printer<KObject>(defs, (obj, now) => [
    obj.metadata?.name ?? '',
    ...cols.map((c, i) => {
      const path = paths[i];
      return path ? cell(c.type, lookup(obj, path), now) : null;
    }),
  ]);
}

/** The printer for one served version of a CRD (top-level columns are the pre-v1 form). */
export function crdPrinterFor(crd: CustomResourceDefinition, version: string): TablePrinter {
  const spec = crd.spec as CustomResourceDefinition['spec'] & { additionalPrinterColumns?: CustomResourceColumnDefinition[] };
  const v = (spec?.versions ?? []).find((x) => x.name === version);
  return customResourcePrinter(v?.additionalPrinterColumns ?? spec?.additionalPrinterColumns ?? []);
}
