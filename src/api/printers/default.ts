// The printer of kinds without one (upstream's default table convertor): NAME and CREATED AT,
// the creation time as an RFC 3339 UTC timestamp.
import { parseTime } from './format.js';
import { NAME_COLUMN, col, printer, type KObject, type TablePrinter } from './types.js';

/** time.Time.UTC().Format(time.RFC3339) of a timestamp; the zero time when unset. */
export function rfc3339(ts: unknown): string {
  const t = parseTime(ts);
  if (t === undefined) return '0001-01-01T00:00:00Z';
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export const defaultPrinter: TablePrinter = printer<KObject>(
  [NAME_COLUMN, col('Created At', 'date', 'Time the object was created.')],
  (obj) => [obj.metadata?.name ?? '', rfc3339(obj.metadata?.creationTimestamp)],
);
