// The apiserver's Prometheus metrics, under upstream's names so dashboards built for
// kube-apiserver read them unchanged.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Store } from '../storage/interface.js';

export class ApiMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'apiserver_request_total', help: 'Counter of apiserver requests broken out for each verb, group, version, resource, scope, component, and HTTP response code.',
    labelNames: ['verb', 'dry_run', 'group', 'version', 'resource', 'subresource', 'scope', 'component', 'code'] as const, registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: 'apiserver_request_duration_seconds', help: 'Response latency distribution in seconds for each verb, group, version, resource, subresource, scope and component.',
    labelNames: ['verb', 'dry_run', 'group', 'version', 'resource', 'subresource', 'scope', 'component'] as const,
    buckets: [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60],
    registers: [this.registry],
  });
  readonly inflight = new Gauge({
    name: 'apiserver_current_inflight_requests', help: 'Maximal number of currently used inflight request limit of this apiserver per request kind in last second.',
    labelNames: ['request_kind'] as const, registers: [this.registry],
  });
  readonly watchers = new Gauge({
    name: 'apiserver_registered_watchers', help: 'Number of currently registered watchers for a given resources',
    labelNames: ['group', 'version', 'kind'] as const, registers: [this.registry],
  });
  readonly storageObjects = new Gauge({
    name: 'apiserver_storage_objects', help: 'Number of stored objects at the time of last check split by kind.',
    labelNames: ['resource'] as const, registers: [this.registry],
  });
  readonly storageLatency = new Histogram({
    name: 'etcd_request_duration_seconds', help: 'Etcd request latency in seconds for each operation and object type.',
    labelNames: ['operation', 'type'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly rejected = new Counter({
    name: 'apiserver_dropped_requests_total', help: 'Number of requests dropped with \'TooManyRequests\' response.',
    labelNames: ['request_kind'] as const, registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}

/** Wraps a store so each call is timed into etcd_request_duration_seconds. */
export function instrumentStore(store: Store, metrics: ApiMetrics): Store {
  const typeOf = (key: string) => key.split('/')[2] ?? '';
  const timed = <T>(operation: string, key: string, p: Promise<T>): Promise<T> => {
    const end = metrics.storageLatency.startTimer({ operation, type: typeOf(key) });
    return p.finally(() => end());
  };
  return {
    currentRevision: () => store.currentRevision(),
    get: (key, opts) => timed('get', key, store.get(key, opts)),
    range: (prefix, opts) => timed('list', prefix, store.range(prefix, opts)),
    count: (prefix) => timed('count', prefix, store.count(prefix)),
    create: (key, value) => timed('create', key, store.create(key, value)),
    update: (key, value, rev) => timed('update', key, store.update(key, value, rev)),
    delete: (key, rev) => timed('delete', key, store.delete(key, rev)),
    watch: (prefix, opts, onEvents, onError) => store.watch(prefix, opts, onEvents, onError),
    compact: (rev) => store.compact(rev),
    compactedRevision: () => store.compactedRevision(),
    close: () => store.close(),
  };
}
