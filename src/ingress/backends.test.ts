import { describe, expect, it } from 'vitest';
import type { Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { RoundRobin, resolveTargets } from './backends.js';

const svc: Service = { metadata: { name: 'web', namespace: 'ns' }, spec: { ports: [{ name: 'http', port: 80, targetPort: 'web' }, { name: 'admin', port: 9000 }] } };

function slice(name: string, ports: Array<{ name: string; port: number }>, eps: Array<{ ip: string; ready?: boolean }>, service = 'web'): EndpointSlice {
  return {
    metadata: { name, namespace: 'ns', labels: { 'kubernetes.io/service-name': service } },
    addressType: 'IPv4',
    ports,
    endpoints: eps.map((e) => ({ addresses: [e.ip], conditions: e.ready === undefined ? {} : { ready: e.ready } })),
  };
}

describe('resolveTargets', () => {
  it('maps the service port (by name or number) to each slice\'s target port, ready endpoints only', () => {
    const slices = [
      slice('a', [{ name: 'http', port: 8080 }, { name: 'admin', port: 9090 }], [{ ip: '10.0.0.2', ready: true }, { ip: '10.0.0.3', ready: false }]),
      // Another slice of the same Service whose pods name the target port differently.
      slice('b', [{ name: 'http', port: 8081 }], [{ ip: '10.0.0.4' }]),
      slice('other', [{ name: 'http', port: 1 }], [{ ip: '10.9.9.9' }], 'other'),
    ];
    expect(resolveTargets({ namespace: 'ns', service: 'web', port: { name: 'http' } }, svc, slices))
      .toEqual({ kind: 'ok', targets: [{ host: '10.0.0.2', port: 8080 }, { host: '10.0.0.4', port: 8081 }] });
    expect(resolveTargets({ namespace: 'ns', service: 'web', port: { number: 9000 } }, svc, slices))
      .toEqual({ kind: 'ok', targets: [{ host: '10.0.0.2', port: 9090 }] });
  });

  it('says why there is nothing to dial', () => {
    const b = { namespace: 'ns', service: 'web', port: { number: 80 } };
    expect(resolveTargets(b, undefined, []).kind).toBe('no-service');
    expect(resolveTargets({ ...b, port: { number: 81 } }, svc, []).kind).toBe('no-port');
    expect(resolveTargets(b, svc, [slice('a', [{ name: 'http', port: 8080 }], [{ ip: '10.0.0.3', ready: false }])]).kind).toBe('no-endpoints');
  });
});

describe('RoundRobin', () => {
  it('spreads over the targets in turn, per backend', () => {
    const rr = new RoundRobin();
    const t = [{ host: 'a', port: 1 }, { host: 'b', port: 1 }];
    expect([rr.pick('x', t), rr.pick('x', t), rr.pick('x', t), rr.pick('y', t)].map((x) => x.host)).toEqual(['a', 'b', 'a', 'a']);
  });
});
