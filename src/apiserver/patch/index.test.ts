import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSchema } from '../../api/schema/index.js';
import { acceptedPatchTypes, applyPatch, validatePatchOptions, type ApplyPatchOptions } from './index.js';
import type { JsonObject } from './json.js';
import { failure } from '../../api/testing/status-failure.js';

const schema = loadSchema();
const DEPLOYMENT = 'io.k8s.api.apps.v1.Deployment';
const now = new Date('2025-01-01T00:00:00Z');
const live = (): JsonObject => JSON.parse(readFileSync(new URL('./testdata/deployment.json', import.meta.url), 'utf8')) as JsonObject;

function patch(over: Partial<ApplyPatchOptions>) {
  return applyPatch({ contentType: 'application/merge-patch+json', live: live(), body: '{}', schema, typeName: DEPLOYMENT, manager: 'kubectl', now, ...over });
}
describe('applyPatch dispatch', () => {
  it.each([
    ['application/json-patch+json', '[{"op":"replace","path":"/spec/replicas","value":4}]'],
    ['application/merge-patch+json', '{"spec":{"replicas":4}}'],
    ['application/strategic-merge-patch+json', '{"spec":{"replicas":4}}'],
    ['application/merge-patch+json; charset=utf-8', '{"spec":{"replicas":4}}'],
  ])('%s', (contentType, body) => {
    const out = patch({ contentType, body: Buffer.from(body) });
    expect((out.spec as JsonObject).replicas).toBe(4);
  });

  it('applies a YAML configuration and creates when absent', () => {
    const body = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: default\nspec:\n  replicas: 2\n';
    const out = patch({ contentType: 'application/apply-patch+yaml', live: undefined, body, now: Date.UTC(2025, 0, 1) });
    expect((out.spec as JsonObject).replicas).toBe(2);
    expect((out.metadata as JsonObject).managedFields).toMatchObject([{ manager: 'kubectl', operation: 'Apply', time: '2025-01-01T00:00:00Z' }]);
  });

  it('applies the JSON body kubectl sends with force', () => {
    const cfg = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'nginx', namespace: 'default' }, spec: { replicas: 7 } };
    const out = patch({ contentType: 'application/apply-patch+yaml', body: JSON.stringify(cfg), force: true, manager: 'ci' });
    expect((out.spec as JsonObject).replicas).toBe(7);
  });

  it('answers 415 for unknown patch types, listing what the resource accepts', () => {
    const err = failure(() => patch({ contentType: 'application/json' }));
    expect([err.code, err.reason, err.message]).toEqual([
      415,
      'UnsupportedMediaType',
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml',
    ]);
  });

  it('answers 415 for a strategic merge patch of a kind without schema (custom resources)', () => {
    const err = failure(() => patch({ contentType: 'application/strategic-merge-patch+json', typeName: undefined }));
    expect(err.code).toBe(415);
    expect(err.message).toBe('the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml');
    expect(acceptedPatchTypes(false)).not.toContain('application/strategic-merge-patch+json');
  });

  it('merge patches custom resources', () => {
    const cr = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 1 } };
    const out = patch({ live: cr, typeName: undefined, body: '{"spec":{"size":2}}' });
    expect(out.spec).toEqual({ size: 2 });
  });

  it('rejects bodies that are not JSON with 400', () => {
    for (const contentType of ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json']) {
      const err = failure(() => patch({ contentType, body: '{"spec":' }));
      expect([err.code, err.message]).toEqual([400, 'invalid JSON patch']);
    }
  });

  it('rejects apply bodies that are not YAML objects with 400', () => {
    const bad = failure(() => patch({ contentType: 'application/apply-patch+yaml', body: 'a: [1' }));
    expect(bad.code).toBe(400);
    expect(bad.message).toMatch(/^error encoding patch: /);
    const list = failure(() => patch({ contentType: 'application/apply-patch+yaml', body: '- 1' }));
    expect([list.code, list.message]).toEqual([400, 'error decoding patch: json: cannot unmarshal array into Go value of type map[string]interface {}']);
  });

  it('requires a field manager for apply', () => {
    const err = failure(() => patch({ contentType: 'application/apply-patch+yaml', manager: '', body: '{}' }));
    expect([err.code, err.reason, err.message]).toEqual([422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch']);
  });

  it('checks the applied kind against the endpoint', () => {
    const cfg = { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'nginx' }, spec: { replicas: 2 } };
    const scale = { ...cfg, metadata: { name: 'nginx', namespace: 'default' } };
    const out = patch({ contentType: 'application/apply-patch+yaml', live: scale, body: JSON.stringify(cfg), typeName: 'io.k8s.api.autoscaling.v1.Scale', apiVersion: 'autoscaling/v1', kind: 'Scale' });
    expect(out.spec).toEqual({ replicas: 2 });
    const err = failure(() => patch({ contentType: 'application/apply-patch+yaml', live: scale, body: JSON.stringify(cfg), apiVersion: 'apps/v1', kind: 'Deployment' }));
    expect([err.code, err.message]).toEqual([400, 'invalid object type: autoscaling/v1, Kind=Scale']);
  });

  it('answers a uid mismatch when an apply would create an object naming a uid', () => {
    const cfg = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'nginx', namespace: 'default', uid: 'gone' } };
    const err = failure(() => patch({ contentType: 'application/apply-patch+yaml', live: null, body: JSON.stringify(cfg), target: { group: 'apps', resource: 'deployments', name: 'nginx' } }));
    expect([err.code, err.reason, err.message]).toEqual([409, 'Conflict', 'Operation cannot be fulfilled on deployments.apps "nginx": uid mismatch: the provided object specified uid gone, and no existing object was found']);
  });

  it('records an apply through a subresource', () => {
    const cfg = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'nginx', namespace: 'default' }, status: { replicas: 1 } };
    const out = patch({ contentType: 'application/apply-patch+yaml', body: JSON.stringify(cfg), manager: 'status-writer', subresource: 'status' });
    const [entry] = (out.metadata as JsonObject).managedFields as JsonObject[];
    expect(entry).toMatchObject({ manager: 'status-writer', operation: 'Apply', subresource: 'status', fieldsV1: { 'f:status': { 'f:replicas': {} } } });
  });

  it('answers NotFound when a non-apply patch finds nothing', () => {
    const err = failure(() => patch({ live: null, target: { group: 'apps', resource: 'deployments', name: 'nginx' } }));
    expect([err.code, err.message]).toEqual([404, 'deployments.apps "nginx" not found']);
  });
});

describe('validatePatchOptions', () => {
  it('forbids force on non-apply patches', () => {
    const err = failure(() => validatePatchOptions({ patchType: 'application/merge-patch+json', fieldManager: 'x', force: false }));
    expect(err.message).toBe('PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch');
  });

  it('checks the field manager', () => {
    expect(() => validatePatchOptions({ patchType: 'application/apply-patch+yaml', fieldManager: 'kubectl' })).not.toThrow();
    expect(failure(() => validatePatchOptions({ patchType: 'application/apply-patch+yaml', fieldManager: 'x'.repeat(129) })).message).toMatch(/fieldManager: Too long: may not be more than 128 bytes/);
    expect(failure(() => validatePatchOptions({ patchType: 'application/json-patch+json', fieldManager: 'a\u0007' })).message).toBe(
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Invalid value: "a\\u0007": invalid character U+0007 (at position 1)',
    );
  });
});
