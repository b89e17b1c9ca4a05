import type { Pod } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { containerResourceValue, extractFieldPath, formatMap, goQuote } from './downward-api.js';

const pod: Pod = {
  metadata: { name: 'p', namespace: 'ns', uid: 'u', labels: { b: '2', a: '1' }, annotations: { 'Example.com/Key': 'v' } },
  spec: {
    containers: [{ name: 'app', resources: { limits: { cpu: '500m', 'hugepages-2Mi': '4Mi' } } }],
    initContainers: [{ name: 'init', resources: { requests: { memory: '64Mi' } } }],
  },
};

describe('formatMap and goQuote', () => {
  it('writes sorted key="value" lines with Go quoting', () => {
    expect(formatMap({ z: 'x', a: 'line1\nline2 "q" \\ tab\t', m: 'é\u0001\u007f\u2028' })).toBe(
      'a="line1\\nline2 \\"q\\" \\\\ tab\\t"\nm="é\\x01\\x7f\\u2028"\nz="x"',
    );
    expect(formatMap(undefined)).toBe('');
    expect(goQuote('\u0007\v')).toBe('"\\a\\v"');
  });
});

describe('extractFieldPath', () => {
  it.each([
    ['metadata.labels', 'a="1"\nb="2"'],
    ["metadata.labels['a']", '1'],
    ["metadata.labels['missing']", ''],
    ["metadata.annotations['Example.com/Key']", 'v'],
    ['metadata.uid', 'u'],
  ])('%s', (path, want) => {
    expect(extractFieldPath(pod, path)).toBe(want);
  });

  it('rejects bad subscripts and unknown paths', () => {
    expect(() => extractFieldPath(pod, "metadata.labels['a b']")).toThrow(/^invalid key subscript in metadata.labels\['a b'\]: /);
    expect(() => extractFieldPath(pod, "metadata.name['x']")).toThrow('fieldPath "metadata.name[\'x\']" does not support subscript');
    expect(() => extractFieldPath(pod, 'spec.nodeName')).toThrow('unsupported fieldPath: spec.nodeName');
  });
});

describe('containerResourceValue', () => {
  const alloc = { cpu: '2', memory: '4Gi' };
  it.each([
    [{ resource: 'limits.cpu', containerName: 'app' }, '1'],
    [{ resource: 'limits.cpu', containerName: 'app', divisor: '1m' }, '500'],
    [{ resource: 'limits.memory', containerName: 'app', divisor: '1Mi' }, '4096'],
    [{ resource: 'requests.memory', containerName: 'init', divisor: '1M' }, '68'],
    [{ resource: 'requests.cpu', containerName: 'app' }, '0'],
    [{ resource: 'limits.hugepages-2Mi', containerName: 'app', divisor: '1Mi' }, '4'],
    [{ resource: 'limits.ephemeral-storage', containerName: 'app' }, '0'],
    [{ resource: 'limits.cpu', containerName: 'app', divisor: '0' }, '1'],
  ])('%o → %s', (fs, want) => {
    expect(containerResourceValue(fs, pod, undefined, alloc)).toBe(want);
  });

  it('names a missing container', () => {
    expect(() => containerResourceValue({ resource: 'limits.cpu', containerName: 'x' }, pod, undefined, alloc)).toThrow('container x not found');
  });
});
