import { describe, expect, it } from 'vitest';
import {
  isConfigMapKey, isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue, isValidPathSegmentName,
  isValidPortName, isValidPortNum, isCIdentifier, maskTrailingDash, nameValidator,
} from './names.js';

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

describe('DNS names', () => {
  it.each([
    ['valid', 'my-name.example.com', []],
    ['upper case', 'Bad_Name', [SUBDOMAIN_MSG]],
    ['too long', 'a'.repeat(254), ['must be no more than 253 characters']],
  ])('subdomain %s', (_n, value, want) => {
    expect(isDNS1123Subdomain(value)).toEqual(want);
  });

  it.each([
    ['valid', 'default', []],
    ['dots', 'a.b', ['must not contain dots']],
    ['underscore', 'a_b', [LABEL_MSG]],
    ['too long', 'a'.repeat(64), ['must be no more than 63 characters']],
  ])('label %s', (_n, value, want) => {
    expect(isDNS1123Label(value)).toEqual(want);
  });

  it('DNS-1035 labels start with a letter', () => {
    expect(isDNS1035Label('1abc')).toEqual([
      "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
    ]);
    expect(isDNS1035Label('web')).toEqual([]);
  });
});

describe('qualified names and label values', () => {
  it.each([
    ['app', []],
    ['example.com/app', []],
    ['/app', ['prefix part must be non-empty']],
    ['a/b/c', [
      "a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ]],
    ['-bad', [
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    ]],
  ])('%s', (value, want) => {
    expect(isQualifiedName(value)).toEqual(want);
  });

  it('label values: empty is fine, 64 bytes is not', () => {
    expect(isValidLabelValue('')).toEqual([]);
    expect(isValidLabelValue('a'.repeat(64))).toEqual(['must be no more than 63 bytes']);
  });
});

describe('ports, keys and other tokens', () => {
  it('port names', () => {
    expect(isValidPortName('http')).toEqual([]);
    expect(isValidPortName('8080')).toEqual(['must contain at least one letter (a-z)']);
    expect(isValidPortName('a--b')).toEqual(['must not contain consecutive hyphens']);
    expect(isValidPortName('a-very-long-port-name')).toEqual(['must be no more than 15 characters']);
  });

  it('port numbers', () => {
    expect(isValidPortNum(80)).toEqual([]);
    expect(isValidPortNum(70000)).toEqual(['must be between 1 and 65535, inclusive']);
  });

  it('config keys', () => {
    expect(isConfigMapKey('app.properties')).toEqual([]);
    expect(isConfigMapKey('..x')).toEqual(["must not start with '..'"]);
    expect(isConfigMapKey('a b')[0]).toMatch(/^a valid config key must consist of alphanumeric characters/);
  });

  it('C identifiers and path segments', () => {
    expect(isCIdentifier('MY_VAR')).toEqual([]);
    expect(isCIdentifier('1x')).toHaveLength(1);
    expect(isValidPathSegmentName('system:admin')).toEqual([]);
    expect(isValidPathSegmentName('a/b%c')).toEqual(["may not contain '/'", "may not contain '%'"]);
    expect(isValidPathSegmentName('..')).toEqual(["may not be '..'"]);
  });

  it('generateName prefixes may end with a dash', () => {
    expect(maskTrailingDash('web-')).toBe('wea');
    expect(nameValidator('subdomain')('web-', true)).toEqual([]);
    expect(nameValidator('subdomain')('web-', false)).toEqual([SUBDOMAIN_MSG]);
  });
});
