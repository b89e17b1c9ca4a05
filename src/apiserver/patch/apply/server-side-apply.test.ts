import { describe, expect, it } from 'vitest';
import { loadSchema } from '../../../api/schema/index.js';
import { StatusError } from '../../../api/errors.js';
import { applyMergePatch } from '../merge-patch.js';
import { clone, isObject, type JsonObject } from '../json.js';
import { FieldSet } from './fieldsets.js';
import { updateManagedFields, type ManagedFieldsEntry } from './managed-fields.js';
import { LAST_APPLIED_ANNOTATION, serverSideApply } from './server-side-apply.js';

const schema = loadSchema();
const DEPLOYMENT = 'io.k8s.api.apps.v1.Deployment';
const T0 = new Date('2025-01-01T00:00:00Z');
const T1 = new Date('2025-01-01T01:00:00Z');

/** What `kubectl apply --server-side -f nginx.yaml` sends. */
function config(over: { replicas?: number; labels?: Record<string, string>; env?: { name: string; value: string }[]; containers?: JsonObject[] } = {}): JsonObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'nginx', namespace: 'default', labels: over.labels ?? { app: 'nginx', tier: 'web' } },
    spec: {
      replicas: over.replicas ?? 2,
      selector: { matchLabels: { app: 'nginx' } },
      template: {
        metadata: { labels: { app: 'nginx' } },
        spec: {
          containers: over.containers ?? [
            { name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80 }], env: over.env ?? [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] },
          ],
        },
      },
    },
  };
}

/** Stands in for the registry: defaults a few fields, as kube-apiserver would after the merge. */
function stored(obj: JsonObject): JsonObject {
  const o = clone(obj);
  const spec = o.spec as JsonObject;
  spec.strategy ??= { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } };
  spec.revisionHistoryLimit ??= 10;
  const pod = (spec.template as JsonObject).spec as JsonObject;
  for (const c of pod.containers as JsonObject[]) {
    c.imagePullPolicy ??= 'IfNotPresent';
    for (const p of (c.ports as JsonObject[] | undefined) ?? []) p.protocol ??= 'TCP';
  }
  pod.restartPolicy ??= 'Always';
  o.status ??= {};
  return o;
}

function apply(live: JsonObject | null, applied: JsonObject, manager = 'kubectl', opts: { force?: boolean; now?: Date; resetFields?: FieldSet; typeName?: string } = {}) {
  const r = serverSideApply({ live, applied, manager, force: !!opts.force, schema, typeName: 'typeName' in opts ? opts.typeName : DEPLOYMENT, now: opts.now ?? T0, resetFields: opts.resetFields });
  return { ...r, object: stored(r.object) };
}

/** A non-apply write as the handlers record it. */
function record(old: JsonObject | null, updated: JsonObject, manager: string, now: Date, subresource?: string): JsonObject {
  const managedFields = updateManagedFields({ old, updated, manager, apiVersion: 'apps/v1', subresource, now, schema, typeName: DEPLOYMENT });
  const obj = clone(updated);
  const meta = (obj.metadata ??= {}) as JsonObject;
  if (managedFields) meta.managedFields = managedFields as unknown as JsonObject[];
  else delete meta.managedFields;
  return obj;
}

function entries(obj: JsonObject): ManagedFieldsEntry[] {
  return ((obj.metadata as JsonObject).managedFields ?? []) as unknown as ManagedFieldsEntry[];
}
function fieldsOf(obj: JsonObject, manager: string): JsonObject | undefined {
  return entries(obj).find((e) => e.manager === manager)?.fieldsV1;
}
function conflict(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StatusError) return e;
    throw e;
  }
  throw new Error('expected a StatusError');
}
const at = (o: JsonObject, ...path: (string | number)[]): unknown => path.reduce<unknown>((v, k) => (v as Record<string, unknown>)?.[k as string], o);

describe('server-side apply: the kubectl flows', () => {
  it('creates the object and records the applier', () => {
    const r = serverSideApply({ live: null, applied: config(), manager: 'kubectl', force: false, schema, typeName: DEPLOYMENT, now: T0 });
    const { managedFields, ...meta } = r.object.metadata as JsonObject;
    expect({ ...r.object, metadata: meta }).toEqual(config());
    expect(managedFields).toEqual(r.managedFields);
    expect(r.managedFields).toEqual([
      {
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: 'apps/v1',
        time: '2025-01-01T00:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { 'f:app': {}, 'f:tier': {} } },
          'f:spec': {
            'f:replicas': {},
            'f:selector': {},
            'f:template': {
              'f:metadata': { 'f:labels': { 'f:app': {} } },
              'f:spec': {
                'f:containers': {
                  'k:{"name":"nginx"}': {
                    '.': {},
                    'f:env': { 'k:{"name":"A"}': { '.': {}, 'f:name': {}, 'f:value': {} }, 'k:{"name":"B"}': { '.': {}, 'f:name': {}, 'f:value': {} } },
                    'f:image': {},
                    'f:name': {},
                    'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
                  },
                },
              },
            },
          },
        },
      },
    ]);
  });

  it('re-applying removes what the applier dropped and keeps defaulted fields', () => {
    const live = apply(null, config()).object;
    const next = apply(live, config({ labels: { app: 'nginx' }, env: [{ name: 'A', value: '1' }] }), 'kubectl', { now: T1 }).object;
    expect(at(next, 'metadata', 'labels')).toEqual({ app: 'nginx' });
    expect(at(next, 'spec', 'template', 'spec', 'containers', 0, 'env')).toEqual([{ name: 'A', value: '1' }]);
    expect(at(next, 'spec', 'template', 'spec', 'containers', 0, 'imagePullPolicy')).toBe('IfNotPresent');
    expect(at(next, 'spec', 'template', 'spec', 'containers', 0, 'ports')).toEqual([{ containerPort: 80, protocol: 'TCP' }]);
    expect(at(next, 'spec', 'strategy')).toEqual(at(live, 'spec', 'strategy'));
    expect(entries(next)[0]!.time).toBe('2025-01-01T01:00:00Z');
  });

  it('re-applying the same configuration changes nothing, not even the time', () => {
    const live = apply(null, config()).object;
    const again = apply(live, config(), 'kubectl', { now: T1 }).object;
    expect(again).toEqual(live);
  });

  it('appends applied list items after the live ones, keeping items other managers added', () => {
    const live = apply(null, config()).object;
    const injected = clone(live);
    (at(injected, 'spec', 'template', 'spec', 'containers') as JsonObject[]).push({ name: 'injected', image: 'proxy:1' });
    const withSidecar = record(live, injected, 'injector', T0);
    const containers = config().spec as JsonObject;
    const both = [...(at(containers, 'template', 'spec', 'containers') as JsonObject[]), { name: 'log', image: 'fluentd:1' }];
    const next = apply(withSidecar, config({ containers: both })).object;
    expect((at(next, 'spec', 'template', 'spec', 'containers') as JsonObject[]).map((c) => c.name)).toEqual(['nginx', 'injected', 'log']);
  });

  it('two appliers share a field set to the same value; it goes when the last one drops it', () => {
    let live = apply(null, config()).object;
    const labelOnly = (labels?: Record<string, string>): JsonObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'nginx', namespace: 'default', ...(labels ? { labels } : {}) } });
    live = apply(live, labelOnly({ tier: 'web' }), 'labeller').object; // same value: no conflict
    expect(fieldsOf(live, 'labeller')).toEqual({ 'f:metadata': { 'f:labels': { 'f:tier': {} } } });
    live = apply(live, config({ labels: { app: 'nginx' } })).object; // kubectl drops tier: still owned by labeller
    expect(at(live, 'metadata', 'labels')).toEqual({ app: 'nginx', tier: 'web' });
    live = apply(live, labelOnly(), 'labeller').object; // now nobody owns it, and the labeller owns nothing
    expect(at(live, 'metadata', 'labels')).toEqual({ app: 'nginx' });
    expect(entries(live).map((e) => e.manager)).toEqual(['kubectl']);
  });

  it('conflicts with kubectl scale, and --force-conflicts takes the field over', () => {
    const live = apply(null, config()).object;
    const scaled = record(live, applyMergePatch(live, { spec: { replicas: 5 } }), 'kubectl', T1, 'scale');
    const err = conflict(() => apply(scaled, config({ replicas: 3 })));
    expect(err.toStatus()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas',
      reason: 'Conflict',
      details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl" with subresource "scale" using apps/v1', field: '.spec.replicas' }] },
      code: 409,
    });
    // Leaving replicas out of the configuration is fine: the scaler keeps it.
    const without = config();
    delete (without.spec as JsonObject).replicas;
    const kept = apply(scaled, without).object;
    expect(at(kept, 'spec', 'replicas')).toBe(5);
    const forced = apply(scaled, config({ replicas: 3 }), 'kubectl', { force: true }).object;
    expect(at(forced, 'spec', 'replicas')).toBe(3);
    expect(entries(forced).map((e) => [e.manager, e.operation])).toEqual([['kubectl', 'Apply']]);
  });

  it('conflicts with fields set by client-side apply', () => {
    const csa = config({ replicas: 2 });
    const created = record(null, stored(csa), 'kubectl-client-side-apply', T0);
    const err = conflict(() => apply(created, config({ replicas: 4 }), 'ci'));
    expect(err.code).toBe(409);
    expect(err.message).toBe('Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');
    expect(err.details?.causes).toEqual([{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.spec.replicas' }]);
  });

  it('lets kubectl take over what its last-applied annotation set, and keeps the annotation current', () => {
    const csa = config({ replicas: 2 });
    const withAnnotation = clone(csa);
    (withAnnotation.metadata as JsonObject).annotations = { [LAST_APPLIED_ANNOTATION]: `${JSON.stringify(csa)}\n` };
    const created = record(null, stored(withAnnotation), 'kubectl-client-side-apply', T0);
    const next = apply(created, config({ replicas: 4 }), 'kubectl', { now: T1 }).object;
    expect(at(next, 'spec', 'replicas')).toBe(4);
    const annotation = at(next, 'metadata', 'annotations', LAST_APPLIED_ANNOTATION) as string;
    expect(annotation.endsWith('\n')).toBe(true);
    expect(JSON.parse(annotation)).toEqual(config({ replicas: 4 }));
    expect(fieldsOf(next, 'kubectl-client-side-apply')?.['f:spec']).not.toHaveProperty('f:replicas');
  });

  it('still conflicts for kubectl when the field changed since the last client-side apply', () => {
    const csa = config({ replicas: 2 });
    const withAnnotation = clone(csa);
    (withAnnotation.metadata as JsonObject).annotations = { [LAST_APPLIED_ANNOTATION]: JSON.stringify(csa) };
    const created = record(null, stored(withAnnotation), 'kubectl-client-side-apply', T0);
    const edited = record(created, applyMergePatch(created, { spec: { replicas: 7 } }), 'kubectl-edit', T1);
    const err = conflict(() => apply(edited, config({ replicas: 4 })));
    expect(err.message).toBe('Apply failed with 1 conflict: conflict with "kubectl-edit" using apps/v1: .spec.replicas');
  });

  it('words several conflicts as upstream does', () => {
    let live = apply(null, config()).object;
    live = record(live, applyMergePatch(live, { spec: { replicas: 9 }, metadata: { labels: { tier: 'db' } } }), 'kubectl-edit', T1);
    const image: JsonObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'nginx', namespace: 'default' }, spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } } };
    live = apply(live, image, 'ci', { force: true }).object;
    const err = conflict(() => apply(live, config({ replicas: 1, labels: { app: 'nginx', tier: 'cache' } }), 'kubectl'));
    expect(err.message).toBe(
      'Apply failed with 3 conflicts: conflicts with "ci":\n- .spec.template.spec.containers[name="nginx"].image\nconflicts with "kubectl-edit" using apps/v1:\n- .metadata.labels.tier\n- .spec.replicas',
    );
    expect(err.details?.causes?.map((c) => c.field)).toEqual(['.spec.template.spec.containers[name="nginx"].image', '.metadata.labels.tier', '.spec.replicas']);
  });

  it('gives an untracked object to "before-first-apply"', () => {
    const legacy = stored(config());
    const err = conflict(() => apply(legacy, config({ replicas: 3 }), 'ci'));
    expect(err.message).toBe('Apply failed with 1 conflict: conflict with "before-first-apply" using apps/v1: .spec.replicas');
    const same = apply(legacy, config(), 'ci').object;
    expect(entries(same).map((e) => [e.manager, e.operation])).toEqual([['ci', 'Apply'], ['before-first-apply', 'Update']]);
  });

  it('never owns reset fields such as status on the main resource', () => {
    const withStatus = { ...config(), status: { replicas: 1 } };
    const r = apply(null, withStatus, 'kubectl', { resetFields: FieldSet.of([{ field: 'status' }]) });
    expect(fieldsOf(r.object, 'kubectl')).not.toHaveProperty('f:status');
  });

  it('applies objects of unknown type with deduced semantics (lists atomic, maps granular)', () => {
    const widget = (spec: JsonObject): JsonObject => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'default' }, spec });
    const first = serverSideApply({ live: null, applied: widget({ size: 1, tags: ['a', 'b'], extra: { x: 1 } }), manager: 'kubectl', force: false, schema, typeName: undefined, now: T0 }).object;
    const next = serverSideApply({ live: first, applied: widget({ size: 2, tags: ['c'] }), manager: 'kubectl', force: false, schema, typeName: undefined, now: T0 }).object;
    expect(next.spec).toEqual({ size: 2, tags: ['c'] });
  });
});

describe('server-side apply: rejected configurations', () => {
  const cases: { name: string; applied: JsonObject; code: number; message: string }[] = [
    { name: 'another kind', applied: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'nginx' } }, code: 400, message: 'invalid object type: /v1, Kind=Pod' },
    { name: 'no apiVersion or kind', applied: { metadata: { name: 'nginx' } }, code: 400, message: 'invalid object type: /, Kind=' },
    { name: 'managedFields in the configuration', applied: { ...config(), metadata: { name: 'nginx', managedFields: [] } }, code: 400, message: 'metadata.managedFields must be nil' },
    {
      name: 'a field the schema does not declare',
      applied: { ...config(), spec: { replica: 3 } },
      code: 500,
      message: 'failed to create typed patch object (default/nginx; apps/v1, Kind=Deployment): .spec.replica: field not declared in schema',
    },
    {
      name: 'duplicate list keys',
      applied: config({ containers: [{ name: 'nginx', image: 'a' }, { name: 'nginx', image: 'b' }] }),
      code: 500,
      message: 'failed to create typed patch object (default/nginx; apps/v1, Kind=Deployment): .spec.template.spec.containers: duplicate entries for key [name="nginx"]',
    },
    {
      name: 'a list item without its key',
      applied: config({ containers: [{ image: 'a' }] }),
      code: 500,
      message: 'failed to create typed patch object (default/nginx; apps/v1, Kind=Deployment): .spec.template.spec.containers: element 0: associative list with keys has an element that omits all key fields ["name"] (and doesn\'t have default values for any key fields)',
    },
  ];
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    const err = conflict(() => serverSideApply({ live: null, applied: c.applied, manager: 'kubectl', force: false, schema, typeName: DEPLOYMENT, now: T0 }));
    expect([err.code, err.message]).toEqual([c.code, c.message]);
  });

  it('refuses live managedFields it cannot decode', () => {
    const live = stored(config());
    (live.metadata as JsonObject).managedFields = [{ manager: 'x', operation: 'Patch', apiVersion: 'apps/v1', fieldsType: 'FieldsV1', fieldsV1: {} }];
    const err = conflict(() => apply(live, config()));
    expect([err.code, err.message]).toEqual([500, 'failed to decode managed fields: operation must be `Apply` or `Update`']);
    expect(isObject(live.metadata)).toBe(true);
  });
});
