import { describe, expect, it } from 'vitest';
import { StatusError } from '../../api/errors.js';
import { applyMergePatch } from './merge-patch.js';
import type { JsonObject } from './json.js';

const pod = (): JsonObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', labels: { app: 'web', tier: 'front' }, annotations: { a: '1' } },
  spec: { containers: [{ name: 'web', image: 'nginx:1.25' }], nodeSelector: { disktype: 'ssd' } },
});

describe('applyMergePatch', () => {
  const cases: { name: string; patch: JsonObject; want: (o: JsonObject) => unknown; expected: unknown }[] = [
    { name: 'kubectl label: add and remove', patch: { metadata: { labels: { team: 'a', tier: null } } }, want: (o) => (o.metadata as JsonObject).labels, expected: { app: 'web', team: 'a' } },
    { name: 'kubectl scale', patch: { spec: { replicas: 3 } }, want: (o) => (o.spec as JsonObject).replicas, expected: 3 },
    { name: 'lists are replaced, never merged', patch: { spec: { containers: [{ name: 'log', image: 'fluentd' }] } }, want: (o) => (o.spec as JsonObject).containers, expected: [{ name: 'log', image: 'fluentd' }] },
    { name: 'null removes a whole map', patch: { metadata: { annotations: null } }, want: (o) => 'annotations' in (o.metadata as JsonObject), expected: false },
    { name: 'new objects lose their nulls', patch: { spec: { affinity: { nodeAffinity: null, podAffinity: { x: 1, y: null } } } }, want: (o) => (o.spec as JsonObject).affinity, expected: { podAffinity: { x: 1 } } },
    { name: 'an object replaces a scalar', patch: { spec: { nodeSelector: { zone: 'a' } } }, want: (o) => (o.spec as JsonObject).nodeSelector, expected: { disktype: 'ssd', zone: 'a' } },
    { name: 'a scalar replaces an object', patch: { metadata: { labels: 'x' } }, want: (o) => (o.metadata as JsonObject).labels, expected: 'x' },
    { name: 'resourceVersion precondition travels in the patch', patch: { metadata: { resourceVersion: '7' } }, want: (o) => (o.metadata as JsonObject).resourceVersion, expected: '7' },
  ];
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    const live = pod();
    const out = applyMergePatch(live, c.patch);
    expect(c.want(out)).toEqual(c.expected);
    expect(live).toEqual(pod());
  });

  it.each([[null], [[1, 2]], ['x'], [3]])('rejects the non-object patch %j with 400', (patch) => {
    let err: unknown;
    try {
      applyMergePatch(pod(), patch);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StatusError);
    expect([(err as StatusError).code, (err as StatusError).message]).toEqual([400, 'Invalid JSON Patch']);
  });
});
