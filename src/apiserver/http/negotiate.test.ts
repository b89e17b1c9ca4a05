import { describe, it, expect } from 'vitest';
import { mediaType, parseAccept } from './negotiate.js';

describe('parseAccept', () => {
  const cases: [string | undefined, { table: boolean; ok: boolean }][] = [
    [undefined, { table: false, ok: true }],
    ['', { table: false, ok: true }],
    ['application/json', { table: false, ok: true }],
    ['*/*', { table: false, ok: true }],
    ['application/*', { table: false, ok: true }],
    ['application/yaml', { table: false, ok: true }],
    ['application/json, */*', { table: false, ok: true }],
    // kubectl get: a Table, falling back to JSON.
    ['application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json', { table: true, ok: true }],
    ['application/json;as=Table;v=v1beta1;g=meta.k8s.io', { table: true, ok: true }],
    ['application/json; as=Table; v=v1; g=meta.k8s.io', { table: true, ok: true }],
    // client-go reads: protobuf first, JSON acceptable.
    ['application/vnd.kubernetes.protobuf,application/json', { table: false, ok: true }],
    ['application/vnd.kubernetes.protobuf', { table: false, ok: false }],
    ['text/html', { table: false, ok: false }],
    // A Table of an unknown group or version is not something we serve.
    ['application/json;as=Table;v=v2;g=meta.k8s.io', { table: false, ok: false }],
    ['application/json;as=Table;v=v1;g=example.com', { table: false, ok: false }],
    // Other "as" forms (PartialObjectMetadata) are not served, but a JSON fallback is fine.
    ['application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io', { table: false, ok: false }],
    ['application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json', { table: false, ok: true }],
  ];
  for (const [header, want] of cases) {
    it(`${JSON.stringify(header)} → ${JSON.stringify(want)}`, () => {
      expect(parseAccept(header)).toEqual(want);
    });
  }
});

describe('mediaType', () => {
  it('drops parameters, trims and lower-cases', () => {
    expect(mediaType('application/json; charset=utf-8')).toBe('application/json');
    expect(mediaType(' Application/Merge-Patch+JSON ')).toBe('application/merge-patch+json');
    expect(mediaType('application/vnd.kubernetes.protobuf')).toBe('application/vnd.kubernetes.protobuf');
    expect(mediaType(undefined)).toBe('');
    expect(mediaType('')).toBe('');
  });
});
