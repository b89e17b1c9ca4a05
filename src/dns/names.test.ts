import { describe, expect, it } from 'vitest';
import { compactIPv6, dashedIp, expandIPv6, labelsUnder, parseDashedIp, parseReverseName, reverseName } from './names.js';

describe('names', () => {
  it('splits names under a zone, case-insensitively', () => {
    expect(labelsUnder('Web.Default.SVC.cluster.local.', 'cluster.local')).toEqual(['web', 'default', 'svc']);
    expect(labelsUnder('cluster.local', 'cluster.local.')).toEqual([]);
    expect(labelsUnder('notcluster.local', 'cluster.local')).toBeUndefined();
  });

  it('writes IPv6 addresses in full and short', () => {
    expect(expandIPv6('fd00::10')).toBe('fd00:0000:0000:0000:0000:0000:0000:0010');
    expect(expandIPv6('::ffff:10.0.0.1')).toBe('0000:0000:0000:0000:0000:ffff:0a00:0001');
    expect(compactIPv6('fd00:0:0:1:0:0:0:1')).toBe('fd00:0:0:1::1');
    expect(compactIPv6('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(compactIPv6('0:0:0:0:0:0:0:0')).toBe('::');
    expect(compactIPv6('1:0:2:0:3:0:4:0')).toBe('1:0:2:0:3:0:4:0');
  });

  it('round-trips reverse names', () => {
    expect(reverseName('10.96.0.1')).toBe('1.0.96.10.in-addr.arpa');
    expect(parseReverseName('1.0.96.10.IN-ADDR.ARPA.')).toBe('10.96.0.1');
    expect(parseReverseName(reverseName('2001:db8::1'))).toBe('2001:db8::1');
    expect(parseReverseName('0.96.10.in-addr.arpa')).toBeUndefined();
    expect(parseReverseName('300.0.96.10.in-addr.arpa')).toBeUndefined();
  });

  it('reads and writes dashed address labels', () => {
    expect(dashedIp('10.0.0.3')).toBe('10-0-0-3');
    expect(dashedIp('fd00::')).toBe('fd00--0');
    expect(parseDashedIp('10-244-1-5')).toBe('10.244.1.5');
    expect(parseDashedIp('fd00--5')).toBe('fd00::5');
    expect(parseDashedIp('10-244-1')).toBeUndefined();
    expect(parseDashedIp('web')).toBeUndefined();
  });
});
