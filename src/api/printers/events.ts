// Events (core/v1 and events.k8s.io/v1 share one printer, as they share storage upstream).
// LAST SEEN falls back to the first timestamp, then the event time; a series shows its last
// observation and count; singleton events of the new API count as 1.
import type { Event } from 'kubernetes-types/core/v1.js';
import { int, parseTime, since } from './format.js';
import { col, printer, wide, type KObject, type TablePrinter } from './types.js';

/** An events.k8s.io/v1 Event in the core/v1 shape (already-core objects pass through). */
export function asCoreEvent(obj: KObject): Event {
  if (obj.involvedObject !== undefined || obj.regarding === undefined) return obj as Event;
  return {
    metadata: obj.metadata ?? {},
    involvedObject: obj.regarding ?? {},
    reason: obj.reason,
    message: obj.note,
    source: obj.deprecatedSource,
    firstTimestamp: obj.deprecatedFirstTimestamp,
    lastTimestamp: obj.deprecatedLastTimestamp,
    count: obj.deprecatedCount,
    type: obj.type,
    eventTime: obj.eventTime,
    series: obj.series,
    action: obj.action,
    related: obj.related,
    reportingComponent: obj.reportingController,
    reportingInstance: obj.reportingInstance,
  };
}

/** `component, host`, taking the reporting controller/instance when the source is empty. */
function eventSource(e: Event): string {
  const component = e.source?.component || e.reportingComponent || '';
  const instance = e.source?.host || e.reportingInstance || '';
  return instance ? `${component}, ${instance}` : component;
}

function eventRow(obj: KObject, now: number): unknown[] {
  const e = asCoreEvent(obj);
  const first = parseTime(e.firstTimestamp) !== undefined ? since(e.firstTimestamp, now) : since(e.eventTime, now);
  let last = parseTime(e.lastTimestamp) !== undefined ? since(e.lastTimestamp, now) : first;
  let count = int(e.count);
  if (e.series) {
    last = since(e.series.lastObservedTime, now);
    count = int(e.series.count);
  } else if (count === 0) {
    count = 1;
  }
  const io = e.involvedObject ?? {};
  const kind = (io.kind ?? '').toLowerCase();
  const target = io.name ? `${kind}/${io.name}` : kind;
  return [
    last,
    e.type ?? '',
    e.reason ?? '',
    target,
    io.fieldPath ?? '',
    eventSource(e),
    (e.message ?? '').trim(),
    first,
    count,
    e.metadata?.name ?? '',
  ];
}

export const eventPrinter: TablePrinter = printer<KObject>(
  [
    col('Last Seen', 'string', 'Time since the event was last seen.'),
    col('Type', 'string', 'Type of the event (Normal, Warning).'),
    col('Reason', 'string', 'Short machine-readable reason.'),
    col('Object', 'string', 'Object the event is about.'),
    wide('Subobject', 'string', 'Part of the object the event is about.'),
    wide('Source', 'string', 'Component (and host) that reported the event.'),
    col('Message', 'string', 'Human-readable description.'),
    wide('First Seen', 'string', 'Time since the event was first seen.'),
    wide('Count', 'string', 'Times the event occurred.'),
    { name: 'Name', type: 'string', format: 'name', description: 'Name of the event.', priority: 1 },
  ],
  eventRow,
);
