// metrics.k8s.io/v1beta1 (NodeMetrics, PodMetrics) as metrics-server serves it. The group is not in
// the generated schema (it comes from an aggregated server upstream), so its types and resources
// are added here to a copy of the schema; the registry then serves discovery and OpenAPI for it
// like any group, and the resources are virtual (answered from kubelet stats, never stored).
import { Schema, type ResourceSchema, type TypeSchema } from '../../api/schema/index.js';

export const METRICS_GROUP = 'metrics.k8s.io';
export const METRICS_VERSION = 'v1beta1';
/** Kinds answered by the metrics API: registered as virtual (no storage). */
export const METRICS_KINDS = ['NodeMetrics', 'PodMetrics'];

const P = 'io.k8s.metrics.pkg.apis.metrics.v1beta1.';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
const gvk = (kind: string) => [{ group: METRICS_GROUP, version: METRICS_VERSION, kind }];
const usage = { type: 'object' as const, additionalProperties: { ref: QUANTITY } };

const TYPES: Record<string, TypeSchema> = {
  [`${P}NodeMetrics`]: {
    type: 'object', gvk: gvk('NodeMetrics'), required: ['timestamp', 'window', 'usage'],
    properties: {
      apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { ref: `${META}ObjectMeta` },
      timestamp: { ref: `${META}Time` }, window: { type: 'string' }, usage,
    },
  },
  [`${P}NodeMetricsList`]: {
    type: 'object', gvk: gvk('NodeMetricsList'), required: ['items'],
    properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { ref: `${META}ListMeta` }, items: { type: 'array', items: { ref: `${P}NodeMetrics` } } },
  },
  [`${P}PodMetrics`]: {
    type: 'object', gvk: gvk('PodMetrics'), required: ['timestamp', 'window', 'containers'],
    properties: {
      apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { ref: `${META}ObjectMeta` },
      timestamp: { ref: `${META}Time` }, window: { type: 'string' },
      containers: { type: 'array', items: { ref: `${P}ContainerMetrics` }, listType: 'atomic' },
    },
  },
  [`${P}PodMetricsList`]: {
    type: 'object', gvk: gvk('PodMetricsList'), required: ['items'],
    properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { ref: `${META}ListMeta` }, items: { type: 'array', items: { ref: `${P}PodMetrics` } } },
  },
  [`${P}ContainerMetrics`]: {
    type: 'object', required: ['name', 'usage'],
    properties: { name: { type: 'string' }, usage },
  },
};

const RESOURCES: ResourceSchema[] = [
  { group: METRICS_GROUP, version: METRICS_VERSION, resource: 'nodes', kind: 'NodeMetrics', namespaced: false, verbs: ['get', 'list'], subresources: [] },
  { group: METRICS_GROUP, version: METRICS_VERSION, resource: 'pods', kind: 'PodMetrics', namespaced: true, verbs: ['get', 'list'], subresources: [] },
];

/** A copy of `base` that also describes metrics.k8s.io/v1beta1. */
export function withMetricsApi(base: Schema): Schema {
  return new Schema({
    ...base.raw,
    types: { ...base.raw.types, ...TYPES },
    resources: [...base.raw.resources, ...RESOURCES],
  });
}
