import { describe, expect, it } from 'vitest';
import { firstServiceIP, parseNodePortRange, parseServiceCIDR } from './ranges.js';

describe('parseServiceCIDR', () => {
  it('maps the default /12 to offsets, skipping network and broadcast', () => {
    const r = parseServiceCIDR('10.96.0.0/12');
    expect(r.text).toBe('10.96.0.0/12');
    expect(r.size).toBe(2 ** 20 - 2);
    expect(r.staticBand).toBe(256);
    expect(r.valueAt(0)).toBe('10.96.0.1');
    expect(r.offsetOf('10.96.0.10')).toBe(9);
    expect(r.offsetOf('10.96.0.0')).toBeUndefined();
    expect(r.offsetOf('10.111.255.255')).toBeUndefined();
    expect(r.offsetOf('10.111.255.254')).toBe(r.size - 1);
    expect(r.offsetOf('10.112.0.1')).toBeUndefined();
    expect(r.offsetOf('not-an-ip')).toBeUndefined();
  });

  it('normalizes host bits and sizes the static band as upstream', () => {
    expect(parseServiceCIDR('10.0.0.7/24').text).toBe('10.0.0.0/24');
    expect(parseServiceCIDR('10.0.0.0/24').staticBand).toBe(16);
    expect(parseServiceCIDR('10.0.0.0/28').staticBand).toBe(0);
    expect(parseServiceCIDR('10.0.0.0/29').size).toBe(6);
    expect(firstServiceIP('172.16.0.0/16')).toBe('172.16.0.1');
  });

  it('refuses what it cannot serve', () => {
    expect(() => parseServiceCIDR('fd00::/108')).toThrow(/--service-cluster-ip-range/);
    expect(() => parseServiceCIDR('10.0.0.0/33')).toThrow(/IPv4 CIDR/);
  });
});

describe('parseNodePortRange', () => {
  it('reads a-b, a+n and single ports', () => {
    const r = parseNodePortRange('30000-32767');
    expect([r.text, r.size, r.staticBand, r.valueAt(0), r.offsetOf(32767), r.offsetOf(29999)]).toEqual(['30000-32767', 2768, 86, 30000, 2767, undefined]);
    expect(parseNodePortRange('30000+9').text).toBe('30000-30009');
    expect(parseNodePortRange('31000').size).toBe(1);
    expect(() => parseNodePortRange('32767-30000')).toThrow(/--service-node-port-range/);
  });
});
