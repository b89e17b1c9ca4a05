import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import jsonpatch from 'fast-json-patch';
import { applyJsonPatch, MAX_JSON_PATCH_OPERATIONS } from './json-patch.js';
import type { JsonObject } from './json.js';
import { failure } from '../../api/testing/status-failure.js';

const deployment = (): JsonObject => JSON.parse(readFileSync(new URL('./testdata/deployment.json', import.meta.url), 'utf8')) as JsonObject;

describe('applyJsonPatch', () => {
  const cases: { name: string; patch: unknown[]; at: string; want: unknown }[] = [
    { name: 'add a label', patch: [{ op: 'add', path: '/metadata/labels/team', value: 'a' }], at: '/metadata/labels', want: { app: 'nginx', tier: 'web', team: 'a' } },
    { name: 'remove a label', patch: [{ op: 'remove', path: '/metadata/labels/tier' }], at: '/metadata/labels', want: { app: 'nginx' } },
    { name: 'replace replicas', patch: [{ op: 'replace', path: '/spec/replicas', value: 5 }], at: '/spec/replicas', want: 5 },
    { name: 'replace a missing key adds it (evanphx v4)', patch: [{ op: 'replace', path: '/metadata/labels/new', value: 'x' }], at: '/metadata/labels/new', want: 'x' },
    { name: 'append to a list with -', patch: [{ op: 'add', path: '/metadata/finalizers/-', value: 'example.com/c' }], at: '/metadata/finalizers', want: ['example.com/a', 'example.com/b', 'example.com/c'] },
    { name: 'insert into a list', patch: [{ op: 'add', path: '/metadata/finalizers/0', value: 'x' }], at: '/metadata/finalizers', want: ['x', 'example.com/a', 'example.com/b'] },
    { name: 'escaped path tokens', patch: [{ op: 'add', path: '/metadata/annotations/example.com~1note', value: 'n' }], at: '/metadata/annotations/example.com~1note', want: 'n' },
    { name: 'test then replace', patch: [{ op: 'test', path: '/spec/replicas', value: 3 }, { op: 'replace', path: '/spec/replicas', value: 1 }], at: '/spec/replicas', want: 1 },
    { name: 'move', patch: [{ op: 'move', from: '/metadata/labels/tier', path: '/metadata/labels/layer' }], at: '/metadata/labels', want: { app: 'nginx', layer: 'web' } },
    { name: 'copy', patch: [{ op: 'copy', from: '/metadata/labels/app', path: '/metadata/labels/name' }], at: '/metadata/labels/name', want: 'nginx' },
    {
      name: 'kubectl rollout undo: replace the template and annotations',
      patch: [
        { op: 'replace', path: '/spec/template', value: { metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.24' }] } } },
        { op: 'replace', path: '/metadata/annotations', value: { 'deployment.kubernetes.io/revision': '3' } },
      ],
      at: '/spec/template/spec/containers/0/image',
      want: 'nginx:1.24',
    },
  ];
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    const live = deployment();
    const before = JSON.stringify(live);
    const out = applyJsonPatch(live, c.patch);
    expect(jsonpatch.getValueByPointer(out, c.at)).toEqual(c.want);
    expect(JSON.stringify(live)).toBe(before);
  });

  it('an empty or null patch changes nothing', () => {
    expect(applyJsonPatch(deployment(), [])).toEqual(deployment());
    expect(applyJsonPatch(deployment(), null)).toEqual(deployment());
  });

  const rejected: { name: string; patch: unknown[] }[] = [
    { name: 'a failing test', patch: [{ op: 'test', path: '/spec/replicas', value: 4 }] },
    { name: 'removing a missing path', patch: [{ op: 'remove', path: '/metadata/labels/missing' }] },
    { name: 'adding below a missing parent', patch: [{ op: 'add', path: '/spec/missing/child', value: 1 }] },
    { name: 'an index past the end', patch: [{ op: 'add', path: '/metadata/finalizers/9', value: 'x' }] },
    { name: 'an unknown op', patch: [{ op: 'frobnicate', path: '/spec' }] },
    { name: 'an op without path', patch: [{ op: 'add', value: 1 }] },
    { name: 'move without from', patch: [{ op: 'move', path: '/spec/x' }] },
  ];
  it.each(rejected.map((c) => [c.name, c] as const))('rejects %s with upstream\'s generic 422', (_n, c) => {
    const err = failure(() => applyJsonPatch(deployment(), c.patch));
    expect(err.code).toBe(422);
    expect(err.reason).toBe('Invalid');
    expect(err.message).toBe('the server rejected our request due to an error in our request');
    expect(err.cause).toBeInstanceOf(Error);
  });

  it('rejects a body that is not a list of operations with 400', () => {
    const err = failure(() => applyJsonPatch(deployment(), { op: 'add' }));
    expect([err.code, err.reason, err.message]).toEqual([400, 'BadRequest', 'json: cannot unmarshal object into Go value of type jsonpatch.Patch']);
    const err2 = failure(() => applyJsonPatch(deployment(), ['add']));
    expect(err2.message).toBe('json: cannot unmarshal string into Go value of type jsonpatch.Operation');
  });

  it('rejects a result that is no longer an object', () => {
    const err = failure(() => applyJsonPatch(deployment(), [{ op: 'replace', path: '', value: [1] }]));
    expect(err.code).toBe(422);
    expect(err.message).toMatch(/^ "" is invalid: patch: Invalid value: "\[1\]"/);
  });

  it('caps the number of operations', () => {
    const ops = Array.from({ length: MAX_JSON_PATCH_OPERATIONS + 1 }, () => ({ op: 'test', path: '/kind', value: 'Deployment' }));
    const err = failure(() => applyJsonPatch(deployment(), ops));
    expect([err.code, err.message]).toEqual([413, 'The allowed maximum operations in a JSON patch is 10000, got 10001']);
  });
});
