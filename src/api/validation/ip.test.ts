import { describe, expect, it } from 'vitest';
import { formatIP, parseIP, validateCIDR, validateIP, validateNonSpecialIP } from './ip.js';

const strs = (errs: { toString(): string }[]) => errs.map(String);

describe('IP addresses', () => {
  it.each([
    ['10.0.0.1', []],
    ['2001:db8::1', []],
    ['bogus', ['ip: Invalid value: "bogus": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']],
    ['010.0.0.1', ['ip: Invalid value: "010.0.0.1": must not have leading 0s']],
    ['::ffff:1.2.3.4', ['ip: Invalid value: "::ffff:1.2.3.4": must not be an IPv4-mapped IPv6 address']],
    ['2001:DB8::1', ['ip: Invalid value: "2001:DB8::1": must be in canonical form ("2001:db8::1")']],
  ])('%s', (value, want) => {
    expect(strs(validateIP('ip', value))).toEqual(want);
  });

  it('formats IPv6 the RFC 5952 way', () => {
    expect(formatIP(parseIP('2001:0db8:0000:0000:0000:0000:0000:0001')!.bytes)).toBe('2001:db8::1');
    expect(formatIP(parseIP('2001:db8:0:1:0:0:0:1')!.bytes)).toBe('2001:db8:0:1::1');
    expect(formatIP(parseIP('::')!.bytes)).toBe('::');
  });

  it('refuses special addresses where endpoints need real ones', () => {
    expect(strs(validateNonSpecialIP('ip', '127.0.0.1'))).toEqual(['ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)']);
    expect(strs(validateNonSpecialIP('ip', '169.254.1.1'))).toEqual(['ip: Invalid value: "169.254.1.1": may not be in the link-local range (169.254.0.0/16, fe80::/10)']);
    expect(validateNonSpecialIP('ip', '10.1.2.3')).toEqual([]);
  });
});

describe('CIDRs', () => {
  it.each([
    ['10.0.0.0/8', []],
    ['10.0.0.1/8', ['c: Invalid value: "10.0.0.1/8": must not have bits set beyond the prefix length']],
    ['10.0.0.0', ['c: Invalid value: "10.0.0.0": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)']],
    ['10.0.0.0/33', ['c: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)']],
    ['2001:db8::/64', []],
  ])('%s', (value, want) => {
    expect(strs(validateCIDR('c', value))).toEqual(want);
  });
});
