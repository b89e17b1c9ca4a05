// GET and LIST of metrics.k8s.io/v1beta1 nodes and pods (kubectl top), answered from the kubelets'
// stats summaries as metrics-server answers: objects without a sample are left out of lists and
// are 404 on get; label selectors and metadata.name/metadata.namespace field selectors filter.
import { errors, StatusError } from '../../api/errors.js';
import type { KObject } from '../../api/strategies/types.js';
import { parseFieldSelector, parseLabelSelector } from '../../api/selectors/index.js';
import { toTable } from '../../api/printers/table.js';
import type { TablePrinter } from '../../api/printers/types.js';
import { addQuantities, parseQuantity, quantityString } from '../../util/quantity.js';
import { parseAccept } from '../http/negotiate.js';
import { writeJson } from '../http/respond.js';
import type { Scope } from '../handlers/scope.js';
import { nodeMetrics, podMetrics } from './convert.js';
import type { StatsSummary } from '../../api/kubelet/stats-summary.js';
import { METRICS_GROUP, METRICS_VERSION } from './schema.js';

/** Reads the objects metrics are reported for. */
export interface MetricsObjects {
  node(name: string): Promise<KObject | undefined>;
  nodes(): Promise<KObject[]>;
  pod(namespace: string, name: string): Promise<KObject | undefined>;
  /** Pods of a namespace ('' = all), in namespace/name order. */
  pods(namespace: string): Promise<KObject[]>;
}

export interface MetricsApiOptions {
  objects: MetricsObjects;
  /** Stats summaries by node name (see StatsCollector). */
  stats: { summaries(): Promise<Map<string, StatsSummary>> };
  now?: () => Date;
}

type Filter = (obj: KObject) => boolean;

function selection(query: URLSearchParams): Filter {
  try {
    const ls = query.get('labelSelector') ?? '';
    const fs = query.get('fieldSelector') ?? '';
    const labels = ls.trim() ? parseLabelSelector(ls) : undefined;
    const fields = fs.trim() ? parseFieldSelector(fs) : undefined;
    return (obj) =>
      (!labels || labels.matches(obj.metadata?.labels ?? {})) &&
      (!fields || fields.matches({ 'metadata.name': obj.metadata?.name ?? '', 'metadata.namespace': obj.metadata?.namespace ?? '' }));
  } catch (e) {
    if (e instanceof StatusError) throw e;
    throw errors.badRequest((e as Error).message);
  }
}

export function metricsApiHandler(opts: MetricsApiOptions) {
  const now = opts.now ?? (() => new Date());
  return async (scope: Scope): Promise<void> => {
    const { info, resource } = scope;
    const isNodes = resource.kind === 'NodeMetrics';
    const accept = parseAccept(scope.req.headers.accept as string | undefined);
    if (!accept.ok && !accept.table) throw errors.notAcceptable('only the following media types are accepted: application/json, application/yaml, application/json;as=Table;v=v1;g=meta.k8s.io');
    const summaries = await opts.stats.summaries();
    const t = now();
    const metricsOf = (obj: KObject) => {
      const node = isNodes ? obj.metadata?.name : obj.spec?.nodeName;
      const summary = node ? summaries.get(node) : undefined;
      return isNodes ? nodeMetrics(obj, summary, t) : podMetrics(obj, summary, t);
    };
    let items: Record<string, unknown>[];
    if (info.verb === 'get') {
      const obj = isNodes ? await opts.objects.node(info.name) : await opts.objects.pod(info.namespace, info.name);
      if (!obj) throw errors.notFound('', isNodes ? 'nodes' : 'pods', info.name);
      const m = metricsOf(obj);
      if (!m) throw errors.notFound(METRICS_GROUP, isNodes ? 'nodemetrics' : 'podmetrics', isNodes ? info.name : `${info.namespace}/${info.name}`);
      if (accept.table) return writeJson(scope.req, scope.res, 200, table(scope, [m], t));
      return writeJson(scope.req, scope.res, 200, m);
    } else if (info.verb === 'list') {
      const filter = selection(scope.query);
      const objs = isNodes ? await opts.objects.nodes() : await opts.objects.pods(info.namespace);
      items = objs.filter(filter).map(metricsOf).filter((m): m is Record<string, unknown> => m !== undefined);
    } else {
      throw errors.methodNotSupported(METRICS_GROUP, resource.resource, info.verb);
    }
    if (accept.table) return writeJson(scope.req, scope.res, 200, table(scope, items, t));
    writeJson(scope.req, scope.res, 200, {
      kind: resource.listKind, apiVersion: `${METRICS_GROUP}/${METRICS_VERSION}`, metadata: {}, items,
    });
  };
}

/** metrics-server's table: Name, one quantity column per resource, Window. */
const PRINTER: TablePrinter = {
  columns: [
    { name: 'Name', type: 'string', format: 'name', description: 'Name of the resource', priority: 0 },
    { name: 'cpu', type: 'string', format: 'quantity', description: '', priority: 0 },
    { name: 'memory', type: 'string', format: 'quantity', description: '', priority: 0 },
    { name: 'Window', type: 'string', format: 'duration', description: '', priority: 0 },
  ],
  row(obj) {
    const u = obj.usage ?? sumContainers(obj.containers ?? []);
    return [obj.metadata?.name ?? '', u.cpu ?? '0', u.memory ?? '0', obj.window ?? ''];
  },
};

/** A pod's usage: its containers' usages added up, as metrics-server's table shows it. */
function sumContainers(containers: { usage?: { cpu?: string; memory?: string } }[]): { cpu: string; memory: string } {
  const sum = (key: 'cpu' | 'memory') =>
    quantityString(containers.reduce((acc, c) => addQuantities(acc, parseQuantity(c.usage?.[key] ?? '0')), parseQuantity('0')));
  return { cpu: sum('cpu'), memory: sum('memory') };
}

function table(scope: Scope, items: KObject[], now: Date): unknown {
  const inc = scope.query.get('includeObject') ?? 'Metadata';
  if (inc !== 'None' && inc !== 'Metadata' && inc !== 'Object') {
    throw errors.badRequest(`includeObject: Unsupported value: "${inc}": supported values: "Metadata", "None", "Object"`);
  }
  return toTable(PRINTER, items, { includeObject: inc, now: now.getTime() });
}
