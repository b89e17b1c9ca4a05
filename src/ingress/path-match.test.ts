// The path and host matching tables of the Ingress API documentation.
import { describe, expect, it } from 'vitest';
import { hostMatches, normalizeHost, pathMatches } from './path-match.js';

describe('pathMatches', () => {
  // [pathType, rule path, request path, matches]
  const cases: Array<[string, string, string, boolean]> = [
    ['Prefix', '/', '/', true],
    ['Prefix', '/', '/anything/at/all', true],
    ['Exact', '/foo', '/foo', true],
    ['Exact', '/foo', '/bar', false],
    ['Exact', '/foo', '/foo/', false],
    ['Exact', '/foo/', '/foo', false],
    ['Exact', '/Foo', '/foo', false], // case-sensitive
    ['Prefix', '/foo', '/foo', true],
    ['Prefix', '/foo', '/foo/', true],
    ['Prefix', '/foo/', '/foo', true],
    ['Prefix', '/foo/', '/foo/', true],
    ['Prefix', '/aaa/bb', '/aaa/bbb', false],
    ['Prefix', '/aaa/bbb', '/aaa/bbb', true],
    ['Prefix', '/aaa/bbb/', '/aaa/bbb', true], // ignores the rule's trailing slash
    ['Prefix', '/aaa/bbb', '/aaa/bbb/', true], // matches the request's trailing slash
    ['Prefix', '/aaa/bbb', '/aaa/bbb/ccc', true], // a subpath
    ['Prefix', '/aaa/bbb', '/aaa/bbbxyz', false], // not a string prefix
    ['Prefix', '/aaa', '/ccc', false],
    ['Prefix', '/foo', '/foobar', false],
    ['Prefix', '/foo/bar', '/foo/bar/baz', true],
    ['Prefix', '/foo/bar', '/foo/barbaz', false],
    ['Prefix', '/Foo', '/foo', false],
    ['ImplementationSpecific', '/foo', '/foo/bar', true],
    ['ImplementationSpecific', '/foo', '/foobar', false],
    ['ImplementationSpecific', '', '/x', true],
  ];
  it.each(cases)('%s %s vs %s → %s', (type, rule, req, want) => {
    expect(pathMatches(type, rule, req)).toBe(want);
  });
});

describe('hostMatches', () => {
  const cases: Array<[string, string, boolean]> = [
    ['foo.bar.com', 'foo.bar.com', true],
    ['foo.bar.com', 'bar.com', false],
    ['*.foo.com', 'bar.foo.com', true],
    ['*.foo.com', 'baz.bar.foo.com', false], // one label only
    ['*.foo.com', 'foo.com', false], // no label at all
    ['*.foo.com', 'barfoo.com', false],
  ];
  it.each(cases)('%s vs %s → %s', (rule, host, want) => {
    expect(hostMatches(rule, host)).toBe(want);
  });
});

describe('normalizeHost', () => {
  it.each([
    ['Foo.Example.COM', 'foo.example.com'],
    ['foo.example.com:8080', 'foo.example.com'],
    ['foo.example.com.', 'foo.example.com'],
    ['[::1]:8443', '::1'],
    ['10.0.0.1:80', '10.0.0.1'],
    [undefined, ''],
  ])('%s → %s', (h, want) => {
    expect(normalizeHost(h)).toBe(want);
  });
});
