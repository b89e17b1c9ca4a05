// HorizontalPodAutoscaler, printed from its autoscaling/v2 shape (v1 objects are read through
// their CPU target). TARGETS shows up to two metrics as `current/target`.
import type { MetricSpec, MetricStatus, MetricTarget } from 'kubernetes-types/autoscaling/v2.js';
import { int, since } from './format.js';
import { AGE_COLUMN, NAME_COLUMN, col, printer, type KObject, type TablePrinter } from './types.js';

/** Quantity.String() of an optional quantity: "<nil>" when unset, as Go prints a nil *Quantity. */
const q = (v: unknown): string => (v === undefined || v === null ? '<nil>' : String(v));
const pct = (v: number) => `${v}%`;

/** spec.metrics and status.currentMetrics, whether the object is autoscaling/v2 or v1. */
function metricsOf(hpa: KObject): { specs: MetricSpec[]; statuses: MetricStatus[] } {
  const spec = hpa.spec ?? {};
  const status = hpa.status ?? {};
  if (spec.metrics !== undefined || spec.targetCPUUtilizationPercentage === undefined) {
    return { specs: spec.metrics ?? [], statuses: status.currentMetrics ?? [] };
  }
  const specs: MetricSpec[] = [
    { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage } } },
  ];
  const statuses: MetricStatus[] =
    typeof status.currentCPUUtilizationPercentage === 'number'
      ? [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: status.currentCPUUtilizationPercentage } } }]
      : [];
  return { specs, statuses };
}

/** `current/target` for a value or average-value target; `(avg)` marks an average on Object/External. */
function valueTarget(target: MetricTarget | undefined, current: { averageValue?: string; value?: string } | undefined, avgSuffix: boolean): string {
  if (target?.averageValue !== undefined && target?.averageValue !== null) {
    const cur = current?.averageValue !== undefined && current?.averageValue !== null ? current.averageValue : '<unknown>';
    return `${cur}/${target.averageValue}${avgSuffix ? ' (avg)' : ''}`;
  }
  const cur = current ? q(current.value) : '<unknown>';
  return `${cur}/${q(target?.value)}`;
}

/** Resource and ContainerResource metrics: `cpu: 40%/80%`, `memory: 100Mi/200Mi`. */
function resourceTarget(name: string, target: MetricTarget | undefined, current: { averageUtilization?: number; averageValue?: string } | undefined, hasStatus: boolean): string {
  if (target?.averageValue !== undefined && target?.averageValue !== null) {
    const cur = hasStatus ? q(current?.averageValue) : '<unknown>';
    return `${name}: ${cur}/${target.averageValue}`;
  }
  const cur = hasStatus && typeof current?.averageUtilization === 'number' ? pct(current.averageUtilization) : '<unknown>';
  const want = typeof target?.averageUtilization === 'number' ? pct(target.averageUtilization) : '<auto>';
  return `${name}: ${cur}/${want}`;
}

export function formatHPAMetrics(specs: MetricSpec[], statuses: MetricStatus[]): string {
  if (specs.length === 0) return '<none>';
  const max = 2;
  const list = specs.map((spec, i) => {
    const st = statuses[i];
    switch (spec.type) {
      case 'External':
        return valueTarget(spec.external?.target, st?.external?.current, true);
      case 'Pods': {
        const cur = st?.pods ? q(st.pods.current?.averageValue) : '<unknown>';
        return `${cur}/${q(spec.pods?.target?.averageValue)}`;
      }
      case 'Object':
        return valueTarget(spec.object?.target, st?.object?.current, true);
      case 'Resource':
        return resourceTarget(spec.resource?.name ?? '', spec.resource?.target, st?.resource?.current, st?.resource !== undefined);
      case 'ContainerResource':
        return resourceTarget(spec.containerResource?.name ?? '', spec.containerResource?.target, st?.containerResource?.current, st?.containerResource !== undefined);
      default:
        return '<unknown type>';
    }
  });
  if (list.length > max) return `${list.slice(0, max).join(', ')} + ${list.length - max} more...`;
  return list.join(', ');
}

export const horizontalPodAutoscalerPrinter: TablePrinter = printer<KObject>(
  [
    NAME_COLUMN,
    col('Reference', 'string', 'Object being scaled.'),
    col('Targets', 'string', 'Current and target metric values.'),
    col('MinPods', 'string', 'Lower bound of replicas.'),
    col('MaxPods', 'string', 'Upper bound of replicas.'),
    col('Replicas', 'string', 'Current replicas.'),
    AGE_COLUMN,
  ],
  (hpa, now) => {
    const { specs, statuses } = metricsOf(hpa);
    const ref = hpa.spec?.scaleTargetRef ?? {};
    const min = hpa.spec?.minReplicas;
    return [
      hpa.metadata?.name ?? '',
      `${ref.kind ?? ''}/${ref.name ?? ''}`,
      formatHPAMetrics(specs, statuses),
      typeof min === 'number' ? String(min) : '<unset>',
      int(hpa.spec?.maxReplicas),
      int(hpa.status?.currentReplicas),
      since(hpa.metadata?.creationTimestamp, now),
    ];
  },
);
