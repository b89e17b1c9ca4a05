import { describe, it, expect } from 'vitest';
import { loadSchema } from '../../api/schema/index.js';
import { Registry } from '../../api/registry/registry.js';
import type { KObject } from '../../api/strategies/types.js';
import { WatchCache, type CacheEntry } from '../cache/watch-cache.js';
import { renderTable, renderTableText, tableOptions, type IncludeObject } from './table.js';
import type { ApiServerContext, Scope } from './scope.js';

const registry = new Registry(loadSchema());
const NOW = Date.parse('2025-03-01T12:00:00Z');

/** Just what Table rendering reads of a request's scope. */
function scopeFor(group: string, version: string, resource: string): Scope {
  const info = registry.get(group, version, resource)!;
  return {
    ctx: { clock: { now: () => NOW }, registry } as unknown as ApiServerContext,
    resource: info,
    info: { namespace: 'default' },
    query: new URLSearchParams(),
    warnings: [],
  } as unknown as Scope;
}

function entries(prefix: string, objs: KObject[]): CacheEntry[] {
  const c = new WatchCache(prefix, true);
  return objs.map((obj, i) => {
    const rv = 10 + i;
    obj.metadata!.resourceVersion = String(rv);
    const ns = obj.metadata!.namespace;
    const e: CacheEntry = { key: `${prefix}${ns}/${obj.metadata!.name}`, namespace: ns, name: obj.metadata!.name, obj, json: JSON.stringify(obj), rv };
    c.apply({ type: 'ADDED', entry: e, rv });
    return e;
  });
}

const pods: KObject[] = [
  {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'running', namespace: 'default', uid: 'u1', creationTimestamp: '2025-03-01T11:58:00Z', labels: { app: 'web', 'x"y': 'q\\"' }, annotations: { note: 'ünïcode ✓ \u2028' } },
    spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'nginx' }], readinessGates: [{ conditionType: 'example.com/ready' }] },
    status: {
      phase: 'Running', podIP: '10.0.0.5', nominatedNodeName: 'node-2',
      conditions: [{ type: 'Ready', status: 'True' }, { type: 'example.com/ready', status: 'True' }],
      containerStatuses: [{ name: 'c', ready: true, restartCount: 2, state: { running: { startedAt: '2025-03-01T11:58:10Z' } }, lastState: { terminated: { exitCode: 1, finishedAt: '2025-03-01T11:59:00Z' } } }],
    },
  },
  {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'done', namespace: 'default', uid: 'u2', creationTimestamp: '2025-02-28T12:00:00Z', deletionTimestamp: '2025-03-01T12:00:30Z', finalizers: ['example.com/f'] },
    spec: { containers: [{ name: 'c', image: 'busybox' }] },
    status: { phase: 'Succeeded', containerStatuses: [{ name: 'c', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] },
  },
  {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'failed', namespace: 'other', uid: 'u3', creationTimestamp: '2025-03-01T10:00:00Z' },
    spec: { containers: [{ name: 'c', image: 'busybox' }] },
    status: { phase: 'Failed', reason: 'Evicted' },
  },
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bare', namespace: 'default', creationTimestamp: '2025-03-01T12:00:00Z' }, spec: { containers: [] } },
];

const deployments: KObject[] = [
  {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', uid: 'd1', creationTimestamp: '2025-03-01T11:00:00Z', generation: 3, labels: { app: 'web' } },
    spec: {
      replicas: 3, selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }, { name: 'side', image: 'busybox' }] } },
    },
    status: { replicas: 3, readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2, observedGeneration: 3 },
  },
  {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'empty', namespace: 'default', uid: 'd2', creationTimestamp: '2025-03-01T11:59:59Z' },
    spec: { selector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] }, template: { spec: { containers: [{ name: 'x', image: 'y' }] } } },
  },
];

describe('renderTableText', () => {
  const cases: { what: string; scope: Scope; list: CacheEntry[] }[] = [
    { what: 'pods', scope: scopeFor('', 'v1', 'pods'), list: entries('/registry/pods/', structuredClone(pods)) },
    { what: 'deployments', scope: scopeFor('apps', 'v1', 'deployments'), list: entries('/registry/deployments/', structuredClone(deployments)) },
  ];
  const variants: { includeObject: IncludeObject; continue?: string; remaining?: number }[] = [
    { includeObject: 'Metadata' },
    { includeObject: 'Metadata', continue: 'abc', remaining: 7 },
    { includeObject: 'None' },
    { includeObject: 'Object' },
  ];
  for (const { what, scope, list } of cases) {
    for (const v of variants) {
      it(`is the JSON of renderTable for ${what} (${JSON.stringify(v)})`, () => {
        const opts = { ...v, rv: 42 };
        const text = renderTableText(scope, list, opts);
        const expected = JSON.stringify(renderTable(scope, list.map((e) => e.obj), opts));
        expect(JSON.parse(text)).toEqual(JSON.parse(expected));
        expect(text).toBe(expected);
        // Rendered twice (the metadata JSON is cached on the entry) it is still the same.
        expect(renderTableText(scope, list, opts)).toBe(expected);
      });
    }
    it(`of no ${what} is an empty Table with its columns`, () => {
      const text = renderTableText(scope, [], { includeObject: 'Metadata', rv: 5 });
      expect(text).toBe(JSON.stringify(renderTable(scope, [], { includeObject: 'Metadata', rv: 5 })));
      expect(JSON.parse(text)).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: '5' }, rows: [] });
    });
  }

  it('pod rows carry the wide columns, row conditions and PartialObjectMetadata', () => {
    const scope = scopeFor('', 'v1', 'pods');
    const t = JSON.parse(renderTableText(scope, entries('/registry/pods/', structuredClone(pods)), { includeObject: 'Metadata', rv: 42 }));
    expect(t.columnDefinitions.map((c: { name: string; priority: number }) => `${c.name}:${c.priority}`)).toEqual([
      'Name:0', 'Ready:0', 'Status:0', 'Restarts:0', 'Age:0', 'IP:1', 'Node:1', 'Nominated Node:1', 'Readiness Gates:1',
    ]);
    expect(t.rows[0].cells).toEqual(['running', '1/1', 'Running', '2 (60s ago)', '2m', '10.0.0.5', 'node-1', 'node-2', '1/1']);
    expect(t.rows[0].object).toEqual({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: pods[0].metadata && { ...pods[0].metadata, resourceVersion: '10' } });
    expect(t.rows[0].conditions).toBeUndefined();
    expect(t.rows[1].conditions).toEqual([{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }]);
    // A finished pod being deleted shows its terminal state, not Terminating (upstream printPod).
    expect(t.rows[1].cells[2]).toBe('Completed');
    expect(t.rows[2].conditions).toEqual([{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }]);
  });

  it('a metadata change is a new entry and renders anew', () => {
    const scope = scopeFor('', 'v1', 'pods');
    const [first] = entries('/registry/pods/', [structuredClone(pods[0])]);
    renderTableText(scope, [first], { includeObject: 'Metadata', rv: 1 });
    const changed = structuredClone(first.obj);
    changed.metadata!.labels = { app: 'changed' };
    const [second] = entries('/registry/pods/', [changed]);
    const t = JSON.parse(renderTableText(scope, [second], { includeObject: 'Metadata', rv: 2 }));
    expect(t.rows[0].object.metadata.labels).toEqual({ app: 'changed' });
  });
});

describe('tableOptions', () => {
  it('defaults includeObject to Metadata and refuses unknown values', () => {
    expect(tableOptions(new URLSearchParams())).toEqual({ includeObject: 'Metadata' });
    expect(tableOptions(new URLSearchParams('includeObject=Object'))).toEqual({ includeObject: 'Object' });
    expect(tableOptions(new URLSearchParams('includeObject=None'))).toEqual({ includeObject: 'None' });
    expect(() => tableOptions(new URLSearchParams('includeObject=All'))).toThrow('includeObject: Unsupported value: "All"');
  });
});
