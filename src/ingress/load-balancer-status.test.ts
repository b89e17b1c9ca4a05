import { describe, expect, it } from 'vitest';
import { mergeLoadBalancer } from './load-balancer-status.js';

describe('mergeLoadBalancer', () => {
  it('adds our IPs to the other nodes\' ones, sorted', () => {
    expect(mergeLoadBalancer([{ ip: '10.0.0.9' }, { hostname: 'lb.example.com' }], ['10.0.0.10', '10.0.0.2'], true))
      .toEqual([{ ip: '10.0.0.2' }, { ip: '10.0.0.9' }, { ip: '10.0.0.10' }, { hostname: 'lb.example.com' }]);
  });
  it('is idempotent', () => {
    const once = mergeLoadBalancer(undefined, ['10.0.0.2'], true);
    expect(mergeLoadBalancer(once, ['10.0.0.2'], true)).toEqual(once);
  });
  it('takes only our IPs out when not serving', () => {
    expect(mergeLoadBalancer([{ ip: '10.0.0.2' }, { ip: '10.0.0.9' }], ['10.0.0.2'], false)).toEqual([{ ip: '10.0.0.9' }]);
    expect(mergeLoadBalancer([{ ip: '10.0.0.2' }], ['10.0.0.2'], false)).toEqual([]);
  });
});
