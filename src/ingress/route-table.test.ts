// Routing over several Ingresses: host levels, longest path, Exact over Prefix, default backends.
import { describe, expect, it } from 'vitest';
import type { HTTPIngressPath, Ingress } from 'kubernetes-types/networking/v1.js';
import { buildRouteTable, lookupRoute } from './route-table.js';

const be = (service: string, port: number | string = 80) => ({ service: { name: service, port: typeof port === 'number' ? { number: port } : { name: port } } });
const p = (path: string, service: string, pathType = 'Prefix'): HTTPIngressPath => ({ path, pathType, backend: be(service) });

function ing(name: string, spec: Ingress['spec'], created = '2025-01-01T00:00:00Z'): Ingress {
  return { metadata: { name, namespace: 'ns', creationTimestamp: created }, spec };
}

/** host, path → service name (or undefined for a 404). */
function route(ings: Ingress[], host: string, path: string): string | undefined {
  return lookupRoute(buildRouteTable(ings), host, path)?.backend.service;
}

describe('lookupRoute', () => {
  it('applies the API documentation\'s multiple-match examples (longest prefix wins)', () => {
    const table = [ing('a', { rules: [{ http: { paths: [p('/', 'root'), p('/aaa', 'aaa'), p('/aaa/bbb', 'bbb')] } }] })];
    expect(route(table, 'x', '/aaa/ccc')).toBe('aaa');
    expect(route(table, 'x', '/aaa/bbb')).toBe('bbb');
    expect(route(table, 'x', '/ccc')).toBe('root');
  });

  it('prefers Exact over Prefix for the same path', () => {
    const table = [ing('a', { rules: [{ http: { paths: [p('/foo', 'prefix'), p('/foo', 'exact', 'Exact')] } }] })];
    expect(route(table, 'x', '/foo')).toBe('exact');
    expect(route(table, 'x', '/foo/bar')).toBe('prefix');
  });

  it('falls back to the defaultBackend when no path matches, else none', () => {
    expect(route([ing('a', { defaultBackend: be('def'), rules: [{ http: { paths: [p('/aaa', 'aaa')] } }] })], 'x', '/ccc')).toBe('def');
    expect(route([ing('a', { rules: [{ http: { paths: [p('/aaa', 'aaa')] } }] })], 'x', '/ccc')).toBeUndefined();
    expect(route([ing('only-default', { defaultBackend: be('def') })], 'any.host', '/')).toBe('def');
  });

  it('chooses the precise host, then the wildcard, then the rules without host', () => {
    const table = [ing('hosts', {
      rules: [
        { host: 'foo.bar.com', http: { paths: [p('/', 'exact-host')] } },
        { host: '*.bar.com', http: { paths: [p('/', 'wild-host')] } },
        { http: { paths: [p('/', 'any-host')] } },
      ],
    })];
    expect(route(table, 'foo.bar.com', '/')).toBe('exact-host');
    expect(route(table, 'baz.bar.com', '/')).toBe('wild-host');
    expect(route(table, 'baz.foo.bar.com', '/')).toBe('any-host');
    expect(route(table, 'bar.com', '/')).toBe('any-host');
  });

  it('searches only the most specific host level, then that level\'s default backend', () => {
    const table = [
      ing('a', { defaultBackend: be('a-default'), rules: [{ host: 'a.com', http: { paths: [p('/api', 'a-api')] } }] }, '2025-01-02T00:00:00Z'),
      ing('b', { defaultBackend: be('b-default'), rules: [{ http: { paths: [p('/', 'catch-all')] } }] }, '2025-01-01T00:00:00Z'),
    ];
    expect(route(table, 'a.com', '/api/x')).toBe('a-api');
    expect(route(table, 'a.com', '/other')).toBe('a-default');
    expect(route(table, 'b.com', '/other')).toBe('catch-all');
  });

  it('merges the paths of several Ingresses for one host; the older wins a tie', () => {
    const table = [
      ing('young', { rules: [{ host: 'h.com', http: { paths: [p('/x', 'young-x'), p('/x/y', 'young-xy')] } }] }, '2025-02-01T00:00:00Z'),
      ing('old', { rules: [{ host: 'h.com', http: { paths: [p('/x', 'old-x')] } }] }, '2025-01-01T00:00:00Z'),
    ];
    expect(route(table, 'h.com', '/x')).toBe('old-x');
    expect(route(table, 'h.com', '/x/y/z')).toBe('young-xy');
  });

  it('treats ImplementationSpecific as Prefix and keeps the port by name or number', () => {
    const table = buildRouteTable([ing('a', { rules: [{ http: { paths: [
      { path: '/named', pathType: 'ImplementationSpecific', backend: be('svc', 'http') },
      { path: '/num', pathType: 'ImplementationSpecific', backend: be('svc', 8080) },
    ] } }] })]);
    expect(lookupRoute(table, 'h', '/named/x')?.backend).toEqual({ namespace: 'ns', service: 'svc', port: { name: 'http' } });
    expect(lookupRoute(table, 'h', '/num')?.backend).toEqual({ namespace: 'ns', service: 'svc', port: { number: 8080 } });
    expect(lookupRoute(table, 'h', '/numb')).toBeUndefined();
  });
});
