// core/v1 Event ↔ events.k8s.io/v1 Event (stored as core/v1), as upstream's
// pkg/apis/events/v1/conversion.go: note↔message, regarding↔involvedObject,
// deprecatedSource↔source, deprecatedFirstTimestamp/LastTimestamp/Count ↔
// firstTimestamp/lastTimestamp/count, reportingController↔reportingComponent; eventTime, series,
// related, reportingInstance, action, reason and type carry over. Fields are written in Go's
// order and with Go's zero values (`eventTime: null`, `regarding: {}`), as upstream prints them.

type Obj = Record<string, unknown>;

const has = (v: unknown): boolean => v !== undefined && v !== null && v !== '' && v !== 0;

/** Sets `key` when Go's omitempty would print it. */
function opt(out: Obj, key: string, v: unknown): void {
  if (has(v)) out[key] = v;
}

/** core/v1 Event → events.k8s.io/v1 Event. */
export function coreToEventsV1(e: Obj): Obj {
  const out: Obj = { apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: e.metadata ?? {} };
  out.eventTime = e.eventTime ?? null;
  opt(out, 'series', e.series);
  opt(out, 'reportingController', e.reportingComponent);
  opt(out, 'reportingInstance', e.reportingInstance);
  opt(out, 'action', e.action);
  opt(out, 'reason', e.reason);
  out.regarding = e.involvedObject ?? {};
  opt(out, 'related', e.related);
  opt(out, 'note', e.message);
  opt(out, 'type', e.type);
  out.deprecatedSource = e.source ?? {};
  out.deprecatedFirstTimestamp = e.firstTimestamp ?? null;
  out.deprecatedLastTimestamp = e.lastTimestamp ?? null;
  opt(out, 'deprecatedCount', e.count);
  return out;
}

/** events.k8s.io/v1 Event → core/v1 Event. */
export function eventsV1ToCore(e: Obj): Obj {
  const out: Obj = { apiVersion: 'v1', kind: 'Event', metadata: e.metadata ?? {} };
  out.involvedObject = e.regarding ?? {};
  opt(out, 'reason', e.reason);
  opt(out, 'message', e.note);
  out.source = e.deprecatedSource ?? {};
  out.firstTimestamp = e.deprecatedFirstTimestamp ?? null;
  out.lastTimestamp = e.deprecatedLastTimestamp ?? null;
  opt(out, 'count', e.deprecatedCount);
  opt(out, 'type', e.type);
  out.eventTime = e.eventTime ?? null;
  opt(out, 'series', e.series);
  opt(out, 'action', e.action);
  opt(out, 'related', e.related);
  out.reportingComponent = e.reportingController ?? '';
  out.reportingInstance = e.reportingInstance ?? '';
  return out;
}
