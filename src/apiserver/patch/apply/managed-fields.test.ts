import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSchema } from '../../../api/schema/index.js';
import { applyMergePatch } from '../merge-patch.js';
import { clone, type JsonObject } from '../json.js';
import { decodeManagedFields, encodeManagedFields, formatTime, managerFromUserAgent, updateManagedFields, type ManagedFieldsEntry } from './managed-fields.js';

const schema = loadSchema();
const DEPLOYMENT = 'io.k8s.api.apps.v1.Deployment';
const POD = 'io.k8s.api.core.v1.Pod';
const T0 = new Date('2025-01-01T00:00:00.750Z');
const T1 = new Date('2025-01-01T01:00:00Z');

/** `kubectl create deployment nginx --image=nginx:1.25 --port=80`, after defaulting. */
function created(): JsonObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'nginx', namespace: 'default', uid: 'u1', labels: { app: 'nginx' } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'nginx' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { app: 'nginx' } },
        spec: {
          containers: [{ name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80, protocol: 'TCP' }], resources: {}, imagePullPolicy: 'IfNotPresent' }],
          restartPolicy: 'Always',
          securityContext: {},
        },
      },
    },
    status: {},
  };
}

/** A write as the handlers record it: the returned entries replace metadata.managedFields. */
function update(old: JsonObject | null, updated: JsonObject, manager: string, extra: { now?: Date; subresource?: string; typeName?: string } = {}): JsonObject {
  const managedFields = updateManagedFields({ old, updated, manager, apiVersion: extra.typeName === POD ? 'v1' : 'apps/v1', subresource: extra.subresource, now: extra.now ?? T0, schema, typeName: extra.typeName ?? DEPLOYMENT });
  const obj = clone(updated);
  const meta = (obj.metadata ??= {}) as JsonObject;
  if (managedFields) meta.managedFields = managedFields as unknown as JsonObject[];
  else delete meta.managedFields;
  return obj;
}
const entries = (o: JsonObject) => ((o.metadata as JsonObject).managedFields ?? []) as unknown as ManagedFieldsEntry[];
const summary = (o: JsonObject) => entries(o).map((e) => [e.manager, e.operation, e.subresource ?? '', JSON.stringify(e.fieldsV1)]);

describe('updateManagedFields', () => {
  it('records a create the way kube-apiserver does', () => {
    const obj = update(null, created(), 'kubectl-create');
    expect(entries(obj)).toEqual([
      {
        manager: 'kubectl-create',
        operation: 'Update',
        apiVersion: 'apps/v1',
        time: '2025-01-01T00:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
          'f:spec': {
            'f:replicas': {},
            'f:selector': {},
            'f:strategy': { 'f:rollingUpdate': { '.': {}, 'f:maxSurge': {}, 'f:maxUnavailable': {} }, 'f:type': {} },
            'f:template': {
              'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
              'f:spec': {
                'f:containers': {
                  'k:{"name":"nginx"}': {
                    '.': {},
                    'f:image': {},
                    'f:imagePullPolicy': {},
                    'f:name': {},
                    'f:ports': { '.': {}, 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {}, 'f:protocol': {} } },
                    'f:resources': {},
                  },
                },
                'f:restartPolicy': {},
                'f:securityContext': {},
              },
            },
          },
        },
      },
    ]);
  });

  it('gives changed fields to the writer and takes them from their previous owner', () => {
    const first = update(null, created(), 'kubectl-create');
    const edited = update(first, applyMergePatch(first, { spec: { replicas: 3 }, metadata: { labels: { tier: 'web' } } }), 'kubectl-edit', { now: T1 });
    expect(summary(edited)).toContainEqual(['kubectl-edit', 'Update', '', JSON.stringify({ 'f:metadata': { 'f:labels': { 'f:tier': {} } }, 'f:spec': { 'f:replicas': {} } })]);
    const creator = entries(edited).find((e) => e.manager === 'kubectl-create')!;
    expect(creator.fieldsV1!['f:spec']).not.toHaveProperty('f:replicas');
    expect(creator.time).toBe('2025-01-01T00:00:00Z');
    expect(entries(edited).find((e) => e.manager === 'kubectl-edit')!.time).toBe('2025-01-01T01:00:00Z');
  });

  it('takes removed fields from everyone', () => {
    const first = update(null, created(), 'kubectl-create');
    const trimmed = update(first, applyMergePatch(first, { spec: { strategy: { rollingUpdate: null } } }), 'kubectl-patch');
    const creator = entries(trimmed).find((e) => e.manager === 'kubectl-create')!;
    expect(creator.fieldsV1!['f:spec']).toHaveProperty('f:strategy', { 'f:type': {} });
    expect(entries(trimmed).map((e) => e.manager)).toEqual(['kubectl-create']); // removing owns nothing
  });

  it('returns nothing for an untracked object and accepts epoch milliseconds', () => {
    const legacy = created();
    expect(updateManagedFields({ old: legacy, updated: clone(legacy), manager: 'm', apiVersion: 'apps/v1', now: Date.UTC(2025, 0, 1), schema, typeName: DEPLOYMENT })).toBeUndefined();
    const entries = updateManagedFields({ old: undefined, updated: legacy, manager: 'm', apiVersion: 'apps/v1', now: Date.UTC(2025, 0, 1), schema, typeName: DEPLOYMENT });
    expect(entries?.[0]?.time).toBe('2025-01-01T00:00:00Z');
  });

  it('leaves managedFields alone when the write changes nothing', () => {
    const first = update(null, created(), 'kubectl-create');
    expect(update(first, clone(first), 'kubectl-replace', { now: T1 })).toEqual(first);
  });

  it('drops managers left with nothing and merges repeated writes of one manager', () => {
    let obj = update(null, created(), 'a');
    obj = update(obj, applyMergePatch(obj, { metadata: { labels: { x: '1' } } }), 'b');
    obj = update(obj, applyMergePatch(obj, { metadata: { labels: { x: '2', y: '1' } } }), 'c');
    expect(summary(obj).map((s) => s[0])).toEqual(['a', 'c']);
    obj = update(obj, applyMergePatch(obj, { metadata: { labels: { z: '1' } } }), 'c');
    expect(entries(obj).find((e) => e.manager === 'c')!.fieldsV1).toEqual({ 'f:metadata': { 'f:labels': { 'f:x': {}, 'f:y': {}, 'f:z': {} } } });
  });

  it('records status writes with their subresource and ignores managedFields they carry', () => {
    const first = update(null, created(), 'kubectl-create');
    const withStatus = applyMergePatch(first, { status: { replicas: 1, observedGeneration: 1 }, metadata: { managedFields: [] } });
    const obj = update(first, withStatus, 'kube-controller-manager', { subresource: 'status' });
    expect(summary(obj)).toContainEqual(['kube-controller-manager', 'Update', 'status', JSON.stringify({ 'f:status': { 'f:observedGeneration': {}, 'f:replicas': {} } })]);
    expect(entries(obj)).toHaveLength(2);
  });

  it('honours managedFields set by the request, and `[]` resets tracking', () => {
    const first = update(null, created(), 'kubectl-create');
    const mine: ManagedFieldsEntry[] = [{ manager: 'importer', operation: 'Update', apiVersion: 'apps/v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {} } } }];
    const replaced = update(first, { ...clone(first), metadata: { ...(first.metadata as JsonObject), managedFields: mine as unknown as JsonObject[] } }, 'kubectl-replace');
    expect(entries(replaced)).toEqual(mine);
    const reset = update(first, { ...clone(first), metadata: { ...(first.metadata as JsonObject), managedFields: [] } }, 'kubectl-patch');
    expect(reset.metadata).not.toHaveProperty('managedFields');
    // An existing object nobody tracks stays untracked until someone applies.
    expect(update(reset, applyMergePatch(reset, { spec: { replicas: 4 } }), 'kubectl-edit').metadata).not.toHaveProperty('managedFields');
  });

  it('keeps at most 10 Update managers, folding the oldest into "ancient-changes"', () => {
    let obj = update(null, created(), 'creator', { now: new Date('2025-01-01T00:00:00Z') });
    for (let i = 0; i < 11; i++) {
      obj = update(obj, applyMergePatch(obj, { metadata: { labels: { [`l${i}`]: 'x' } } }), `m${i}`, { now: new Date(Date.UTC(2025, 0, 1, 0, 0, i + 1)) });
    }
    const names = entries(obj).map((e) => e.manager);
    expect(names).toHaveLength(10);
    expect(names[0]).toBe('ancient-changes');
    expect(names).not.toContain('creator');
    expect(names).not.toContain('m0');
    expect(names).not.toContain('m1');
    const ancient = entries(obj)[0]!;
    expect(ancient.fieldsV1!['f:metadata']).toMatchObject({ 'f:labels': { 'f:l0': {}, 'f:l1': {} } });
    expect(ancient.fieldsV1).toHaveProperty('f:spec');
  });

  it('tracks a Pod the same way', () => {
    const pod = JSON.parse(readFileSync(new URL('../testdata/pod.json', import.meta.url), 'utf8')) as JsonObject;
    const obj = update(null, pod, 'kubelet', { typeName: POD });
    const fields = entries(obj)[0]!.fieldsV1!;
    expect(fields['f:metadata']).toEqual({
      'f:labels': { '.': {}, 'f:app': {} },
      'f:ownerReferences': { '.': {}, 'k:{"uid":"rs-uid-1"}': {} }, // OwnerReference is an atomic struct
    });
    expect(fields['f:spec']).toMatchObject({ 'f:nodeSelector': {}, 'f:volumes': { '.': {}, 'k:{"name":"data"}': { '.': {}, 'f:emptyDir': {}, 'f:name': {} } } });
  });
});

describe('managedFields entries', () => {
  it('sort Apply before Update, then by time and manager', () => {
    const managed = decodeManagedFields([
      { manager: 'z', operation: 'Update', apiVersion: 'v1', time: '2025-01-01T00:00:01Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:a': {} } },
      { manager: 'b', operation: 'Update', apiVersion: 'v1', time: '2025-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:b': {} } },
      { manager: 'y', operation: 'Apply', apiVersion: 'v1', time: '2025-01-01T00:00:09Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:c': {} } },
      { manager: 'a', operation: 'Update', apiVersion: 'v1', time: '2025-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:d': {} } },
    ]);
    expect(encodeManagedFields(managed).map((e) => e.manager)).toEqual(['y', 'a', 'b', 'z']);
  });

  it('reject what upstream rejects', () => {
    expect(() => decodeManagedFields([{ manager: 'a', operation: 'Patch', apiVersion: 'v1', fieldsType: 'FieldsV1' }])).toThrow('operation must be `Apply` or `Update`');
    expect(() => decodeManagedFields([{ manager: 'a', operation: 'Apply', fieldsType: 'FieldsV1' }])).toThrow('apiVersion must not be empty');
    expect(() => decodeManagedFields([{ manager: 'a', operation: 'Apply', apiVersion: 'v1' }])).toThrow('missing fieldsType in managed fields entry 0');
    expect(() => decodeManagedFields([{ manager: 'a', operation: 'Apply', apiVersion: 'v1', fieldsType: 'FieldsV2' }])).toThrow('invalid fieldsType "FieldsV2" in managed fields entry 0');
  });

  it('stamp whole seconds in UTC', () => {
    expect(formatTime(T0)).toBe('2025-01-01T00:00:00Z');
    expect(formatTime(T0.getTime())).toBe('2025-01-01T00:00:00Z');
  });
});

describe('managerFromUserAgent', () => {
  it.each([
    ['kubectl/v1.32.5 (linux/amd64) kubernetes/abc', 'kubectl'],
    ['kubectl.1.32/v1.32.5 (linux/amd64) kubernetes/abc', 'kubectl.1.32'],
    ['kube-controller-manager/v1.35.0 (linux/amd64) kubernetes/x/system:serviceaccount:kube-system:deployment-controller', 'kube-controller-manager'],
    ['my\u0007agent/1.0', 'myagent'],
    ['', ''],
  ])('%j → %j', (ua, want) => {
    expect(managerFromUserAgent(ua)).toBe(want);
  });

  it('keeps at most 128 characters', () => {
    expect(managerFromUserAgent('x'.repeat(200))).toHaveLength(128);
  });
});
