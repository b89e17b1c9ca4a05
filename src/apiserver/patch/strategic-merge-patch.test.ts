import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import jsonpatch from 'fast-json-patch';
import { loadSchema } from '../../api/schema/index.js';
import { StatusError } from '../../api/errors.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';
import type { JsonObject } from './json.js';

const schema = loadSchema();
const DEPLOYMENT = 'io.k8s.api.apps.v1.Deployment';
const POD = 'io.k8s.api.core.v1.Pod';

function fixture(name: string): JsonObject {
  return JSON.parse(readFileSync(new URL(`./testdata/${name}.json`, import.meta.url), 'utf8')) as JsonObject;
}

interface GoldenCase {
  name: string;
  original: string | JsonObject;
  typeName?: string;
  patch: JsonObject;
  want: Record<string, unknown>;
}

const golden = fixture('strategic-merge-patch') as unknown as { cases: GoldenCase[] };

describe('strategic merge patch (testdata/strategic-merge-patch.json)', () => {
  it.each(golden.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const original = typeof c.original === 'string' ? fixture(c.original) : c.original;
    const before = JSON.stringify(original);
    const out = applyStrategicMergePatch(original, c.patch, schema, c.typeName ?? DEPLOYMENT);
    expect(JSON.stringify(original)).toBe(before); // the input is not mutated
    for (const [where, want] of Object.entries(c.want)) {
      if (where.startsWith('names:')) {
        const list = jsonpatch.getValueByPointer(out, where.slice('names:'.length)) as { name: string }[];
        expect(list.map((i) => i.name), where).toEqual(want);
      } else if (want === '<absent>') {
        expect(() => jsonpatch.getValueByPointer(out, where)).not.toThrow();
        expect(jsonpatch.getValueByPointer(out, where), where).toBeUndefined();
      } else {
        expect(jsonpatch.getValueByPointer(out, where), where).toEqual(want);
      }
    }
  });

  it('leaves everything the patch does not mention alone', () => {
    const live = fixture('deployment');
    const out = applyStrategicMergePatch(live, { spec: { replicas: 5 } }, schema, DEPLOYMENT);
    expect(out).toEqual({ ...live, spec: { ...(live.spec as JsonObject), replicas: 5 } });
  });

  it('treats a null patch as empty', () => {
    const live = fixture('pod');
    expect(applyStrategicMergePatch(live, null, schema, POD)).toEqual(live);
  });
});

describe('strategic merge patch errors', () => {
  const cases: { name: string; patch: unknown; code: number; message: string | RegExp }[] = [
    { name: 'a patch that is not an object', patch: [1], code: 400, message: 'json: cannot unmarshal array into Go value of type map[string]interface {}' },
    { name: 'an unknown $patch in a map', patch: { metadata: { labels: { $patch: 'bogus' } } }, code: 400, message: 'unknown patch type: bogus in map: map[$patch:bogus]' },
    { name: '$patch: merge in a list', patch: { spec: { containers: [{ name: 'web', $patch: 'merge' }] } }, code: 400, message: 'merging lists cannot yet be specified in the patch' },
    { name: 'a list item without its merge key', patch: { spec: { containers: [{ image: 'x' }] } }, code: 400, message: 'map: map[image:x] does not contain declared merge key: name' },
    { name: 'a $patch: delete item without merge key', patch: { spec: { containers: [{ $patch: 'delete' }] } }, code: 400, message: 'map: map[$patch:delete] does not contain declared merge key: name' },
    { name: '$retainKeys that is not a list', patch: { spec: { $retainKeys: 'x' } }, code: 400, message: 'invalid patch format of retainKeys' },
    { name: '$retainKeys missing a patched key', patch: { spec: { $retainKeys: ['volumes'], nodeName: 'n1' } }, code: 400, message: 'invalid patch format of retainKeys' },
    { name: 'a malformed $deleteFromPrimitiveList key', patch: { metadata: { $deleteFromPrimitiveList: ['a'] } }, code: 400, message: 'invalid patch format of primitive list' },
    { name: 'a malformed $setElementOrder key', patch: { spec: { $setElementOrderContainers: [] } }, code: 400, message: 'invalid patch format of setElementOrder list' },
    { name: '$setElementOrder that is not a list', patch: { spec: { '$setElementOrder/containers': 'x' } }, code: 400, message: 'expected a []interface {}, but received a string' },
    {
      name: 'a patch list out of $setElementOrder order',
      patch: { spec: { '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }], containers: [{ name: 'b' }, { name: 'a' }] } },
      code: 400,
      message: /^The order in patch list:\n\[map\[name:b\] map\[name:a\]\]\n doesn't match \$setElementOrder list:/,
    },
    { name: 'mixed element types in a merged list', patch: { metadata: { finalizers: [{ a: 1 }] } }, code: 400, message: /^list element types are not identical/ },
  ];
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const live: JsonObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { a: 'b' }, finalizers: ['f'] }, spec: { containers: [{ name: 'web', image: 'nginx' }] } };
    let err: unknown;
    try {
      applyStrategicMergePatch(live, c.patch, schema, POD);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StatusError);
    const se = err as StatusError;
    expect(se.code).toBe(c.code);
    if (c.code === 400) expect(se.reason).toBe('BadRequest');
    if (typeof c.message === 'string') expect(se.message).toBe(c.message);
    else expect(se.message).toMatch(c.message);
  });

  it('answers a list of lists like upstream: 422', () => {
    const live: JsonObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', finalizers: [] } };
    let err: StatusError | undefined;
    try {
      applyStrategicMergePatch(live, { metadata: { finalizers: [['x']] } }, schema, POD);
    } catch (e) {
      err = e as StatusError;
    }
    expect(err?.code).toBe(422);
    expect(err?.reason).toBe('Invalid');
  });
});
