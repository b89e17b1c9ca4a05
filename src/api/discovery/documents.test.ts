import { describe, expect, it } from 'vitest';
import { loadSchema } from '../schema/index.js';
import { Registry } from '../registry/index.js';
import { buildDiscoveryDocuments } from './documents.js';
import { AGGREGATED_DISCOVERY_CONTENT_TYPE } from './aggregated.js';

const registry = new Registry(loadSchema());

describe('DiscoveryDocuments', () => {
  const docs = buildDiscoveryDocuments(registry, { serverAddress: '127.0.0.1:6443' });
  const aggregated = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';

  it('picks the aggregated or legacy form from the Accept header', () => {
    expect(docs.lookup('/apis', aggregated)).toEqual({ document: docs.aggregatedApis, contentType: AGGREGATED_DISCOVERY_CONTENT_TYPE });
    expect(docs.lookup('/api', aggregated)?.document).toBe(docs.aggregatedCore);
    expect(JSON.parse(docs.lookup('/apis', 'application/json')!.document.json).kind).toBe('APIGroupList');
    expect(JSON.parse(docs.lookup('/api', undefined)!.document.json).kind).toBe('APIVersions');
    expect(docs.lookup('/apis/apps', aggregated)?.contentType).toBe('application/json');
  });

  it('serves every group and group-version, with or without a trailing slash or query', () => {
    expect(JSON.parse(docs.lookup('/api/v1/', undefined)!.document.json).groupVersion).toBe('v1');
    expect(JSON.parse(docs.lookup('/apis/autoscaling/v2?timeout=32s', undefined)!.document.json).groupVersion).toBe('autoscaling/v2');
    for (const g of registry.groups) {
      for (const v of g.versions) expect(docs.legacy(g.group ? `/apis/${g.group}/${v}` : `/api/${v}`)).toBeDefined();
    }
    expect(docs.lookup('/apis/nope', undefined)).toBeUndefined();
    expect(docs.lookup('/api/v2', undefined)).toBeUndefined();
  });

  it('keeps each document serialized with its hash and ETag', () => {
    const d = docs.aggregatedApis;
    expect(d.hash).toMatch(/^[0-9A-F]{128}$/);
    expect(d.etag).toBe(`"${d.hash}"`);
    expect(d.matches(d.etag)).toBe(true);
    expect(d.matches('"other"')).toBe(false);
    expect(d.bytes.toString()).toBe(d.json);
    expect(d.gzip.length).toBeLessThan(d.bytes.length);
    expect(buildDiscoveryDocuments(registry, { serverAddress: '127.0.0.1:6443' }).aggregatedApis.hash).toBe(d.hash);
  });
});
