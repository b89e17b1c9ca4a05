import { describe, expect, it } from 'vitest';
import { countKeys, countKeysInText, decodeJson } from './json-decode.js';
import { decodeYaml } from './yaml-decode.js';
import { failure } from '../testing/status-failure.js';

describe('decodeJson', () => {
  it('parses without duplicates on the fast path', () => {
    const r = decodeJson('{"kind":"Pod","metadata":{"name":"a","labels":{"x":"1"}},"spec":{"containers":[{"name":"c"}]}}');
    expect(r.value).toEqual({ kind: 'Pod', metadata: { name: 'a', labels: { x: '1' } }, spec: { containers: [{ name: 'c' }] } });
    expect(r.duplicates).toEqual([]);
  });

  it('reports duplicate keys with their paths, keeping the last value', () => {
    const r = decodeJson('{"a":1,"a":2,"b":{"c":[{"d":1},{"d":1,"d":2}]},"m":{"x.y":1,"x.y":2}}');
    expect(r.value).toEqual({ a: 2, b: { c: [{ d: 1 }, { d: 2 }] }, m: { 'x.y': 2 } });
    expect(r.duplicates).toEqual(['a', 'b.c[1].d', 'm.x.y']);
  });

  it('is not fooled by escaped quotes and colons inside strings', () => {
    const text = '{"a\\"":"b\\\\","c":"d:\\"e\\":","f":["g:",{"h\\\\":":"}]}';
    expect(countKeysInText(text)).toBe(4);
    expect(countKeys(JSON.parse(text))).toBe(4);
    expect(decodeJson(text).duplicates).toEqual([]);
  });

  it('keeps __proto__ as an ordinary key', () => {
    const r = decodeJson('{"__proto__":{"x":1},"__proto__":{"y":2}}');
    expect(Object.getPrototypeOf(r.value)).toBe(Object.prototype);
    expect(Object.keys(r.value as object)).toEqual(['__proto__']);
    expect(r.duplicates).toEqual(['__proto__']);
  });

  it('accepts scalars and arrays at the top level', () => {
    expect(decodeJson(' 1 ').value).toBe(1);
    expect(decodeJson('[{"a":1}]').value).toEqual([{ a: 1 }]);
  });

  // Go's encoding/json scanner texts, as upstream's apiserver returns them.
  it.each([
    ['', 'unexpected end of JSON input'],
    ['   ', 'unexpected end of JSON input'],
    ['{"a":', 'unexpected end of JSON input'],
    ['{"a":"b', 'unexpected end of JSON input'],
    ['{"a" 1}', "invalid character '1' after object key"],
    ['{"a":1 "b":2}', `invalid character '"' after object key:value pair`],
    ['{"a":1,}', "invalid character '}' looking for beginning of object key string"],
    ["{'a':1}", "invalid character '\\'' looking for beginning of object key string"],
    ['[1 2]', "invalid character '2' after array element"],
    ['{"a":x}', "invalid character 'x' looking for beginning of value"],
    ['{"a":tru}', "invalid character '}' in literal true (expecting 'e')"],
    ['{"a":nul}', "invalid character '}' in literal null (expecting 'l')"],
    ['{"a":"\n"}', "invalid character '\\n' in string literal"],
    ['{"a":"\\x"}', "invalid character 'x' in string escape code"],
    ['{"a":"\\u12g4"}', "invalid character 'g' in \\u hexadecimal character escape"],
    ['{"a":-}', "invalid character '}' in numeric literal"],
    ['{"a":1.}', "invalid character '}' after decimal point in numeric literal"],
    ['{"a":1e+}', "invalid character '}' in exponent of numeric literal"],
    ['{"a":01}', "invalid character '1' after object key:value pair"],
    ['{"a":1}}', "invalid character '}' after top-level value"],
    ['\u00e9', "invalid character 'Ã' looking for beginning of value"],
  ])('%j → %s', (text, goMessage) => {
    const e = failure(() => decodeJson(text));
    expect(e.code).toBe(400);
    expect(e.reason).toBe('BadRequest');
    expect(e.message).toBe(`couldn't get version/kind; json parse error: ${goMessage}`);
  });

  it('words a syntax error as the create handler does when told the kind', () => {
    const e = failure(() => decodeJson('{"apiVersion":"v1","kind":"Pod","metadata":{', { into: 'Pod' }));
    expect(e.message).toBe(
      'the object provided is unrecognized (must be of type Pod): couldn\'t get version/kind; json parse error: unexpected end of JSON input ({"apiVersion":"v1","kind":"Pod ...)',
    );
    expect(failure(() => decodeJson('', { into: 'Pod' })).message).toBe(
      "the object provided is unrecognized (must be of type Pod): couldn't get version/kind; json parse error: unexpected end of JSON input (<empty>)",
    );
  });
});

describe('decodeYaml', () => {
  it('reads YAML 1.1 as go-yaml v2 does', () => {
    const r = decodeYaml('a: yes\nb: off\nc: 0777\nd: 0x1F\ne: 1:20\nf: 2024-01-01T00:00:00Z\ng: ~\nh: "yes"\n1: one\n');
    expect(r.value).toEqual({ a: true, b: false, c: 511, d: 31, e: '1:20', f: '2024-01-01T00:00:00Z', g: null, h: 'yes', 1: 'one' });
  });

  it('reads the first document only, and JSON as YAML', () => {
    expect(decodeYaml('a: 1\n---\nb: 2\n').value).toEqual({ a: 1 });
    expect(decodeYaml('{"kind": "Pod", "spec": {"x": [1, 2]}}').value).toEqual({ kind: 'Pod', spec: { x: [1, 2] } });
    expect(decodeYaml('').value).toBeNull();
  });

  it('expands anchors and merge keys', () => {
    expect(decodeYaml('base: &b {p: 1, q: 2}\nc:\n  <<: *b\n  q: 3\n').value).toEqual({ base: { p: 1, q: 2 }, c: { p: 1, q: 3 } });
    // YAML 1.1: a bare y is a boolean, as a key too (go-yaml v2 agrees)
    expect(decodeYaml('y: 1\n').value).toEqual({ true: 1 });
  });

  it('reports duplicate keys, later ones winning', () => {
    const r = decodeYaml('metadata:\n  name: a\n  name: b\nspec:\n  containers:\n  - name: c\n    name: d\n');
    expect(r.value).toEqual({ metadata: { name: 'b' }, spec: { containers: [{ name: 'd' }] } });
    expect(r.duplicates).toEqual(['metadata.name', 'spec.containers[0].name']);
    expect(r.yamlError).toBe('yaml: unmarshal errors:\n  line 3: key "name" already set in map\n  line 7: key "name" already set in map');
  });

  it('rejects malformed YAML with 400', () => {
    const e = failure(() => decodeYaml('a:\n  b: 1\n c: 2\n'));
    expect(e.code).toBe(400);
    expect(e.message).toMatch(/^yaml: line 3: /);
  });
});
