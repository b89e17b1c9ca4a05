import { describe, expect, it } from 'vitest';
import { loadSchema } from '../schema/index.js';
import { canonicalizeQuantities, canonicalizeTimes } from './canonicalize.js';
import { base64Error, formatMicroTime, formatTime, parseRFC3339 } from './go-values.js';

const schema = loadSchema();

describe('canonicalizeQuantities', () => {
  it('rewrites quantities wherever the schema has them', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', annotations: { size: '1000m' } },
      spec: {
        containers: [{ name: 'c', resources: { requests: { cpu: 0.5, memory: '1024Mi' }, limits: { cpu: '1000m', 'nvidia.com/gpu': 1 } } }],
        volumes: [{ name: 'v', emptyDir: { sizeLimit: '2048Ki' } }],
        overhead: { cpu: '0.25' },
      },
    };
    canonicalizeQuantities(pod, schema, 'io.k8s.api.core.v1.Pod');
    expect(pod.spec.containers[0]!.resources).toEqual({ requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1', 'nvidia.com/gpu': '1' } });
    expect(pod.spec.volumes[0]!.emptyDir.sizeLimit).toBe('2Mi');
    expect(pod.spec.overhead.cpu).toBe('250m');
    expect(pod.metadata.annotations.size).toBe('1000m');
  });

  it('leaves values that do not parse', () => {
    const q = { apiVersion: 'v1', kind: 'ResourceQuota', spec: { hard: { cpu: 'lots', pods: '10' } } };
    canonicalizeQuantities(q, schema, 'io.k8s.api.core.v1.ResourceQuota');
    expect(q.spec.hard).toEqual({ cpu: 'lots', pods: '10' });
  });
});

describe('canonicalizeTimes', () => {
  it('writes times in UTC at their precision', () => {
    const ev = {
      metadata: { creationTimestamp: '2024-01-01T10:00:00.9+02:00' },
      eventTime: '2024-01-01T10:00:00.123456-01:30',
      firstTimestamp: null,
    };
    canonicalizeTimes(ev, schema, 'io.k8s.api.core.v1.Event');
    expect(ev).toEqual({ metadata: { creationTimestamp: '2024-01-01T08:00:00Z' }, eventTime: '2024-01-01T11:30:00.123456Z', firstTimestamp: null });
  });
});

describe('Go time and base64', () => {
  it('parses and formats RFC3339', () => {
    expect(parseRFC3339('1970-01-01T00:00:01Z')).toEqual({ seconds: 1, nanos: 0 });
    expect(formatTime(parseRFC3339('2024-02-29T23:59:59.999999999+00:00'))).toBe('2024-02-29T23:59:59Z');
    expect(formatMicroTime(parseRFC3339('2000-03-01T00:00:00.000001Z', true))).toBe('2000-03-01T00:00:00.000001Z');
    expect(formatTime({ seconds: -1, nanos: 0 })).toBe('1969-12-31T23:59:59Z');
    expect(formatTime(parseRFC3339('0001-01-01T00:00:00Z'))).toBe('0001-01-01T00:00:00Z');
  });

  it.each([
    ['2024-13-01T00:00:00Z', false, 'parsing time "2024-13-01T00:00:00Z": month out of range'],
    ['2023-02-29T00:00:00Z', false, 'parsing time "2023-02-29T00:00:00Z": day out of range'],
    ['2024-01-01 00:00:00Z', false, 'parsing time "2024-01-01 00:00:00Z" as "2006-01-02T15:04:05Z07:00": cannot parse " 00:00:00Z" as "T"'],
    ['2024-01-01T00:00:00', false, 'parsing time "2024-01-01T00:00:00" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "Z07:00"'],
    ['2024-01-01T00:00:00Zx', false, 'parsing time "2024-01-01T00:00:00Zx": extra text: "x"'],
    ['2024-01-01T00:00:00Z', true, 'parsing time "2024-01-01T00:00:00Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "Z" as ".000000"'],
  ])('rejects %j', (s, micro, message) => {
    expect(() => parseRFC3339(s, micro)).toThrow(message);
  });

  it.each([
    ['', undefined],
    ['dg==', undefined],
    ['dmFs\r\ndWU=', undefined],
    ['d', 'illegal base64 data at input byte 0'],
    ['dg=', 'illegal base64 data at input byte 3'],
    ['d*==', 'illegal base64 data at input byte 1'],
    ['dg==dg==', 'illegal base64 data at input byte 4'],
    ['abcde', 'illegal base64 data at input byte 4'],
  ])('base64 %j', (s, err) => {
    expect(base64Error(s)).toBe(err);
  });
});
