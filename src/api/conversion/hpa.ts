// autoscaling/v1 HorizontalPodAutoscaler ↔ autoscaling/v2 (stored as v2), as upstream's
// pkg/apis/autoscaling/v1/conversion.go. v1 has only targetCPUUtilizationPercentage (a v2
// Resource cpu Utilization metric) and currentCPUUtilizationPercentage; what else v2 holds rides
// in annotations so a v1 client that reads and writes an object back loses nothing:
//   autoscaling.alpha.kubernetes.io/metrics          other metrics, as v1 MetricSpec JSON
//   autoscaling.alpha.kubernetes.io/current-metrics  all current metrics, as v1 MetricStatus JSON
//   autoscaling.alpha.kubernetes.io/conditions       conditions
//   autoscaling.alpha.kubernetes.io/behavior         behavior, as Go's internal type marshals it
//                                                     (no json tags: `ScaleUp`, `Policies`…)
// Annotation JSON is written in Go's field order so the strings match upstream's.

type Obj = Record<string, any>;

export const METRICS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/metrics';
export const CURRENT_METRICS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/current-metrics';
export const CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';
export const BEHAVIOR_ANNOTATION = 'autoscaling.alpha.kubernetes.io/behavior';
const ROUND_TRIP = [
  METRICS_ANNOTATION,
  CURRENT_METRICS_ANNOTATION,
  CONDITIONS_ANNOTATION,
  BEHAVIOR_ANNOTATION,
  'autoscaling.alpha.kubernetes.io/scale-down-tolerance',
  'autoscaling.alpha.kubernetes.io/scale-up-tolerance',
];
const DEFAULT_CPU_UTILIZATION = 80;

const present = (v: unknown): boolean => v !== undefined && v !== null;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj) : []);

/** Sets `key` only when the value is there (Go's omitempty on pointers). */
function opt(out: Obj, key: string, v: unknown): void {
  if (present(v)) out[key] = v;
}

/** A LabelSelector in Go's field order, map keys sorted. */
function selector(s: unknown): Obj | undefined {
  if (!present(s)) return undefined;
  const sel = obj(s);
  const out: Obj = {};
  if (sel.matchLabels && Object.keys(sel.matchLabels).length) {
    out.matchLabels = Object.fromEntries(Object.keys(sel.matchLabels).sort().map((k) => [k, sel.matchLabels[k]]));
  }
  if (Array.isArray(sel.matchExpressions) && sel.matchExpressions.length) {
    out.matchExpressions = list(sel.matchExpressions).map((e) => {
      const x: Obj = { key: e.key ?? '', operator: e.operator ?? '' };
      if (Array.isArray(e.values) && e.values.length) x.values = e.values;
      return x;
    });
  }
  return out;
}

function ref(r: unknown): Obj {
  const x = obj(r);
  const out: Obj = { kind: x.kind ?? '', name: x.name ?? '' };
  if (x.apiVersion) out.apiVersion = x.apiVersion;
  return out;
}

const isCpuUtilization = (m: Obj): boolean => m.type === 'Resource' && obj(m.resource).name === 'cpu' && present(obj(obj(m.resource).target).averageUtilization);

// ---- metrics: v2 → v1 -----------------------------------------------------------------------

function metricSpecToV1(m: Obj): Obj {
  const out: Obj = { type: m.type ?? '' };
  if (present(m.object)) {
    const o = obj(m.object);
    const t = obj(o.target);
    const x: Obj = { target: ref(o.describedObject), metricName: obj(o.metric).name ?? '', targetValue: t.value ?? '0' };
    opt(x, 'selector', selector(obj(o.metric).selector));
    opt(x, 'averageValue', t.averageValue);
    out.object = x;
  }
  if (present(m.pods)) {
    const p = obj(m.pods);
    const x: Obj = { metricName: obj(p.metric).name ?? '', targetAverageValue: obj(p.target).averageValue ?? '0' };
    opt(x, 'selector', selector(obj(p.metric).selector));
    out.pods = x;
  }
  for (const key of ['resource', 'containerResource'] as const) {
    if (!present(m[key])) continue;
    const r = obj(m[key]);
    const t = obj(r.target);
    const x: Obj = { name: r.name ?? '' };
    opt(x, 'targetAverageUtilization', t.averageUtilization);
    opt(x, 'targetAverageValue', t.averageValue);
    if (key === 'containerResource') x.container = r.container ?? '';
    out[key] = x;
  }
  if (present(m.external)) {
    const e = obj(m.external);
    const t = obj(e.target);
    const x: Obj = { metricName: obj(e.metric).name ?? '' };
    opt(x, 'metricSelector', selector(obj(e.metric).selector));
    opt(x, 'targetValue', t.value);
    opt(x, 'targetAverageValue', t.averageValue);
    out.external = x;
  }
  return out;
}

function metricStatusToV1(m: Obj): Obj {
  const out: Obj = { type: m.type ?? '' };
  if (present(m.object)) {
    const o = obj(m.object);
    const c = obj(o.current);
    const x: Obj = { target: ref(o.describedObject), metricName: obj(o.metric).name ?? '', currentValue: c.value ?? '0' };
    opt(x, 'selector', selector(obj(o.metric).selector));
    opt(x, 'averageValue', c.averageValue);
    out.object = x;
  }
  if (present(m.pods)) {
    const p = obj(m.pods);
    const x: Obj = { metricName: obj(p.metric).name ?? '', currentAverageValue: obj(p.current).averageValue ?? '0' };
    opt(x, 'selector', selector(obj(p.metric).selector));
    out.pods = x;
  }
  for (const key of ['resource', 'containerResource'] as const) {
    if (!present(m[key])) continue;
    const r = obj(m[key]);
    const c = obj(r.current);
    const x: Obj = { name: r.name ?? '' };
    opt(x, 'currentAverageUtilization', c.averageUtilization);
    x.currentAverageValue = c.averageValue ?? '0';
    if (key === 'containerResource') x.container = r.container ?? '';
    out[key] = x;
  }
  if (present(m.external)) {
    const e = obj(m.external);
    const c = obj(e.current);
    const x: Obj = { metricName: obj(e.metric).name ?? '' };
    opt(x, 'metricSelector', selector(obj(e.metric).selector));
    x.currentValue = c.value ?? '0';
    opt(x, 'currentAverageValue', c.averageValue);
    out.external = x;
  }
  return out;
}

function conditionToV1(c: Obj): Obj {
  const out: Obj = { type: c.type ?? '', status: c.status ?? '', lastTransitionTime: c.lastTransitionTime ?? null };
  if (c.reason) out.reason = c.reason;
  if (c.message) out.message = c.message;
  return out;
}

/** The behavior as json.Marshal of Go's internal type writes it: Go field names, nil as null. */
function behaviorToGo(b: Obj): Obj {
  const rules = (r: unknown): Obj | null => {
    if (!present(r)) return null;
    const x = obj(r);
    return {
      StabilizationWindowSeconds: x.stabilizationWindowSeconds ?? null,
      SelectPolicy: x.selectPolicy ?? null,
      Policies: Array.isArray(x.policies) ? list(x.policies).map((p) => ({ Type: p.type ?? '', Value: p.value ?? 0, PeriodSeconds: p.periodSeconds ?? 0 })) : null,
      Tolerance: x.tolerance ?? null,
    };
  };
  return { ScaleUp: rules(b.scaleUp), ScaleDown: rules(b.scaleDown) };
}

// ---- metrics: v1 → v2 -----------------------------------------------------------------------

function identifier(name: unknown, sel: unknown): Obj {
  const out: Obj = { name: name ?? '' };
  opt(out, 'selector', sel);
  return out;
}

function metricSpecToV2(m: Obj): Obj {
  const out: Obj = { type: m.type ?? '' };
  if (present(m.object)) {
    const o = obj(m.object);
    const target: Obj = { type: present(o.averageValue) ? 'AverageValue' : 'Value', value: o.targetValue ?? '0' };
    opt(target, 'averageValue', o.averageValue);
    out.object = { describedObject: ref(o.target), target, metric: identifier(o.metricName, o.selector) };
  }
  if (present(m.pods)) {
    const p = obj(m.pods);
    out.pods = { metric: identifier(p.metricName, p.selector), target: { type: 'AverageValue', averageValue: p.targetAverageValue ?? '0' } };
  }
  for (const key of ['resource', 'containerResource'] as const) {
    if (!present(m[key])) continue;
    const r = obj(m[key]);
    const target: Obj = { type: present(r.targetAverageUtilization) ? 'Utilization' : 'AverageValue' };
    opt(target, 'averageValue', r.targetAverageValue);
    opt(target, 'averageUtilization', r.targetAverageUtilization);
    out[key] = key === 'resource' ? { name: r.name ?? '', target } : { name: r.name ?? '', target, container: r.container ?? '' };
  }
  if (present(m.external)) {
    const e = obj(m.external);
    const target: Obj = { type: present(e.targetValue) ? 'Value' : 'AverageValue' };
    opt(target, 'value', e.targetValue);
    opt(target, 'averageValue', e.targetAverageValue);
    out.external = { metric: identifier(e.metricName, e.metricSelector), target };
  }
  return out;
}

function metricStatusToV2(m: Obj): Obj {
  const out: Obj = { type: m.type ?? '' };
  if (present(m.object)) {
    const o = obj(m.object);
    const current: Obj = { value: o.currentValue ?? '0' };
    opt(current, 'averageValue', o.averageValue);
    out.object = { metric: identifier(o.metricName, o.selector), current, describedObject: ref(o.target) };
  }
  if (present(m.pods)) {
    const p = obj(m.pods);
    out.pods = { metric: identifier(p.metricName, p.selector), current: { averageValue: p.currentAverageValue ?? '0' } };
  }
  for (const key of ['resource', 'containerResource'] as const) {
    if (!present(m[key])) continue;
    const r = obj(m[key]);
    const current: Obj = { averageValue: r.currentAverageValue ?? '0' };
    opt(current, 'averageUtilization', r.currentAverageUtilization);
    out[key] = key === 'resource' ? { name: r.name ?? '', current } : { name: r.name ?? '', current, container: r.container ?? '' };
  }
  if (present(m.external)) {
    const e = obj(m.external);
    const current: Obj = { value: e.currentValue ?? '0' };
    opt(current, 'averageValue', e.currentAverageValue);
    out.external = { metric: identifier(e.metricName, e.metricSelector), current };
  }
  return out;
}

/** Reads the behavior annotation back; keys match case-insensitively, as encoding/json does. */
function behaviorFromGo(text: string): Obj | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  const get = (o: unknown, name: string): unknown => {
    const x = obj(o);
    const k = Object.keys(x).find((key) => key.toLowerCase() === name.toLowerCase());
    return k === undefined ? undefined : x[k];
  };
  const rules = (r: unknown): Obj | undefined => {
    if (typeof r !== 'object' || r === null) return undefined;
    const out: Obj = {};
    opt(out, 'stabilizationWindowSeconds', get(r, 'StabilizationWindowSeconds'));
    opt(out, 'selectPolicy', get(r, 'SelectPolicy'));
    const policies = get(r, 'Policies');
    if (Array.isArray(policies)) out.policies = policies.map((p) => ({ type: get(p, 'Type') ?? '', value: get(p, 'Value') ?? 0, periodSeconds: get(p, 'PeriodSeconds') ?? 0 }));
    opt(out, 'tolerance', get(r, 'Tolerance'));
    return out;
  };
  const out: Obj = {};
  opt(out, 'scaleUp', rules(get(v, 'ScaleUp')));
  opt(out, 'scaleDown', rules(get(v, 'ScaleDown')));
  return Object.keys(out).length ? out : undefined;
}

function parseList(text: unknown): Obj[] | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    const v = JSON.parse(text);
    return Array.isArray(v) ? v.map(obj) : undefined;
  } catch {
    return undefined;
  }
}

/** Metadata without the round-trip annotations (annotations dropped when left empty). */
function dropRoundTrip(metadata: unknown): Obj {
  const meta: Obj = { ...obj(metadata) };
  if (!meta.annotations) return meta;
  const ann: Obj = { ...obj(meta.annotations) };
  for (const k of ROUND_TRIP) delete ann[k];
  if (Object.keys(ann).length) meta.annotations = ann;
  else delete meta.annotations;
  return meta;
}

// ---- objects --------------------------------------------------------------------------------

/** autoscaling/v2 (storage) → autoscaling/v1. */
export function hpaV2ToV1(hpa: Obj): Obj {
  const spec = obj(hpa.spec);
  const status = obj(hpa.status);
  const metrics = list(spec.metrics);
  const meta = dropRoundTrip(hpa.metadata);

  const outSpec: Obj = { scaleTargetRef: ref(spec.scaleTargetRef) };
  opt(outSpec, 'minReplicas', spec.minReplicas);
  outSpec.maxReplicas = spec.maxReplicas ?? 0;
  const cpu = metrics.find((m) => m.type === 'Resource' && obj(m.resource).name === 'cpu');
  if (cpu) opt(outSpec, 'targetCPUUtilizationPercentage', obj(obj(cpu.resource).target).averageUtilization);

  const outStatus: Obj = {};
  opt(outStatus, 'observedGeneration', status.observedGeneration);
  opt(outStatus, 'lastScaleTime', status.lastScaleTime);
  outStatus.currentReplicas = status.currentReplicas ?? 0;
  outStatus.desiredReplicas = status.desiredReplicas ?? 0;
  const current = list(status.currentMetrics);
  for (const m of current) {
    if (m.type === 'Resource' && obj(m.resource).name === 'cpu') opt(outStatus, 'currentCPUUtilizationPercentage', obj(obj(m.resource).current).averageUtilization);
  }

  const ann: Obj = {};
  const others = metrics.filter((m) => !isCpuUtilization(m));
  if (others.length) ann[METRICS_ANNOTATION] = JSON.stringify(others.map(metricSpecToV1));
  if (current.length) ann[CURRENT_METRICS_ANNOTATION] = JSON.stringify(current.map(metricStatusToV1));
  const conditions = list(status.conditions);
  if (conditions.length) ann[CONDITIONS_ANNOTATION] = JSON.stringify(conditions.map(conditionToV1));
  if (present(spec.behavior)) ann[BEHAVIOR_ANNOTATION] = JSON.stringify(behaviorToGo(obj(spec.behavior)));
  if (Object.keys(ann).length) meta.annotations = { ...obj(meta.annotations), ...ann };

  return { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: meta, spec: outSpec, status: outStatus };
}

/** autoscaling/v1 → autoscaling/v2 (storage). */
export function hpaV1ToV2(hpa: Obj): Obj {
  const spec = obj(hpa.spec);
  const status = obj(hpa.status);
  const ann = obj(obj(hpa.metadata).annotations);

  const outSpec: Obj = { scaleTargetRef: ref(spec.scaleTargetRef) };
  opt(outSpec, 'minReplicas', spec.minReplicas);
  outSpec.maxReplicas = spec.maxReplicas ?? 0;
  let metrics: Obj[] = [];
  if (present(spec.targetCPUUtilizationPercentage)) {
    metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage } } }];
  }
  const others = parseList(ann[METRICS_ANNOTATION]);
  if (others) metrics = [...others.map(metricSpecToV2), ...metrics];
  if (metrics.length === 0) {
    metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } }];
  }
  outSpec.metrics = metrics;
  const behavior = typeof ann[BEHAVIOR_ANNOTATION] === 'string' ? behaviorFromGo(ann[BEHAVIOR_ANNOTATION]) : undefined;
  if (behavior) outSpec.behavior = behavior;

  const outStatus: Obj = {};
  opt(outStatus, 'observedGeneration', status.observedGeneration);
  opt(outStatus, 'lastScaleTime', status.lastScaleTime);
  if (status.currentReplicas) outStatus.currentReplicas = status.currentReplicas;
  outStatus.desiredReplicas = status.desiredReplicas ?? 0;
  let current: Obj[] | undefined;
  if (present(status.currentCPUUtilizationPercentage)) {
    current = [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: status.currentCPUUtilizationPercentage } } }];
  }
  const fromAnnotation = parseList(ann[CURRENT_METRICS_ANNOTATION]);
  if (fromAnnotation) current = fromAnnotation.map(metricStatusToV2);
  if (current?.length) outStatus.currentMetrics = current;
  const conditions = parseList(ann[CONDITIONS_ANNOTATION]);
  if (conditions?.length) outStatus.conditions = conditions.map(conditionToV1);

  return { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: dropRoundTrip(hpa.metadata), spec: outSpec, status: outStatus };
}
