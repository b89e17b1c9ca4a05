import { describe, expect, it } from 'vitest';
import {
  LabelSelector,
  formatLabelSelector,
  formatLabels,
  fromLabelSelector,
  labelSelectorToString,
  parseLabelSelector,
} from './label-selector.js';
import { SelectorError } from './errors.js';

describe('parseLabelSelector: round trip', () => {
  // input → canonical string (requirements sorted by key, values sorted, spaces dropped)
  const cases: [string, string][] = [
    ['', ''],
    ['   ', ''],
    ['x=a,y=b,z=c', 'x=a,y=b,z=c'],
    ['x!=a,y=b', 'x!=a,y=b'],
    ['x=', 'x='],
    ['x= ', 'x='],
    ['x=,z= ', 'x=,z='],
    ['!x', '!x'],
    ['x>1', 'x>1'],
    ['x>1,z<5', 'x>1,z<5'],
    ['x==a', 'x==a'],
    ['z=1,a=2', 'a=2,z=1'],
    ['  env in ( prod , dev ) ,  tier ', 'env in (dev,prod),tier'],
    ['x in (foo,,baz),y,z notin ()', 'x in (,baz,foo),y,z notin ()'],
    ['x in (b,a,b)', 'x in (a,b)'],
    ['x in (,a)', 'x in (,a)'],
    ['x in (a,)', 'x in (,a)'],
    ['in in (in)', 'in in (in)'],
    ['notin=in', 'notin=in'],
    ['example.com/app=web', 'example.com/app=web'],
    ['a\tin\n(b)', 'a in (b)'],
  ];
  it.each(cases)('%j → %j', (input, want) => {
    expect(parseLabelSelector(input).toString()).toBe(want);
  });

  it('is deterministic whatever the order of terms', () => {
    expect(parseLabelSelector('x=a,a=x').toString()).toBe(parseLabelSelector('a=x,x=a').toString());
  });

  it('exposes requirements with upstream operator names', () => {
    expect(parseLabelSelector('b notin (2,1),!c,a').requirements).toEqual([
      { key: 'a', operator: 'exists', values: [] },
      { key: 'b', operator: 'notin', values: ['1', '2'] },
      { key: 'c', operator: '!', values: [] },
    ]);
  });
});

describe('parseLabelSelector: invalid input', () => {
  const NAME_RULE =
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character " +
    "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
  const VALUE_RULE =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character " +
    "(e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
  const cases: [string, string][] = [
    ['x=a||y=b', `unable to parse requirement: values[0][x]: Invalid value: "a||y": ${VALUE_RULE}`],
    ['x=a y=b', "found 'y', expected: ',' or 'end of string'"],
    ['x==a==b', "found '==', expected: ',' or 'end of string'"],
    ['!x=a', "found '=', expected: ',' or 'end of string'"],
    ['x<a', `unable to parse requirement: values[0]: Invalid value: "a": for 'Gt', 'Lt' operators, the value must be an integer`],
    ['x=a,', "found '', expected: identifier after ','"],
    [',x=a', "found ',', expected: !, identifier, or 'end of string'"],
    ['x in a', "unable to parse requirement: found 'a' expected: '('"],
    ['x in (a', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['x in (a b)', "unable to parse requirement: found 'b', expected: ',' or ')'"],
    ['x in (=)', "unable to parse requirement: found '=', expected: ',', ')' or identifier"],
    ['x foo', "unable to parse requirement: found 'foo', expected: in, notin, =, ==, !=, gt, lt"],
    ['x=!a', "unable to parse requirement: found '!', expected: identifier"],
    ['!', "unable to parse requirement: found '', expected: identifier"],
    ['a b=c', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ['-x=a', `unable to parse requirement: <nil>: Invalid value: "-x": ${NAME_RULE}`],
    ['a/b/c', `unable to parse requirement: <nil>: Invalid value: "a/b/c": a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`],
    ['/a', 'unable to parse requirement: <nil>: Invalid value: "/a": prefix part must be non-empty'],
    [`${'k'.repeat(64)}=v`, `unable to parse requirement: <nil>: Invalid value: "${'k'.repeat(64)}": name part must be no more than 63 bytes`],
    ['x=a_', `unable to parse requirement: values[0][x]: Invalid value: "a_": ${VALUE_RULE}`],
    [`x=${'v'.repeat(64)}`, `unable to parse requirement: values[0][x]: Invalid value: "${'v'.repeat(64)}": must be no more than 63 bytes`],
    ['x in (-a,b-)', `unable to parse requirement: [values[0][x]: Invalid value: "-a": ${VALUE_RULE}, values[1][x]: Invalid value: "b-": ${VALUE_RULE}]`],
  ];
  it.each(cases)('%j', (input, message) => {
    let err: unknown;
    try {
      parseLabelSelector(input);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SelectorError);
    expect((err as SelectorError).message).toBe(message);
    expect((err as SelectorError).code).toBe(400);
    expect((err as SelectorError).reason).toBe('BadRequest');
  });

  it('checks the prefix of a key as a DNS subdomain', () => {
    expect(() => parseLabelSelector('Example.com/a')).toThrow(/prefix part a lowercase RFC 1123 subdomain/);
    expect(parseLabelSelector('app.kubernetes.io/name=x').toString()).toBe('app.kubernetes.io/name=x');
  });
});

describe('LabelSelector.matches', () => {
  const cases: [string, Record<string, string>, boolean][] = [
    ['', { x: 'y' }, true],
    ['x=y', { x: 'y' }, true],
    ['x=y,z=w', { x: 'y', z: 'w' }, true],
    ['x!=y,z!=w', { x: 'z', z: 'a' }, true],
    ['notin=in', { notin: 'in' }, true],
    ['x', { x: 'z' }, true],
    ['!x', { y: 'z' }, true],
    ['x>1', { x: '2' }, true],
    ['x<1', { x: '0' }, true],
    ['x=z', {}, false],
    ['x=y', { x: 'z' }, false],
    ['x=y,z=w', { x: 'w', z: 'w' }, false],
    ['x!=y,z!=w', { x: 'z', z: 'w' }, false],
    ['x', { y: 'z' }, false],
    ['!x', { x: 'z' }, false],
    ['x>1', { x: '0' }, false],
    ['x>1', { x: 'a' }, false],
    ['x>1', {}, false],
    ['x<1', { x: '2' }, false],
    ['x!=y', {}, true],
    ['x notin (a,b)', {}, true],
    ['x notin (a,b)', { x: 'a' }, false],
    ['x notin (a,b)', { x: 'c' }, true],
    ['x in (a,b)', { x: 'b' }, true],
    ['x in (a,b)', { x: 'c' }, false],
    ['x in (a,b)', {}, false],
    ['x=', { x: '' }, true],
    ['x=', {}, false],
    ['x in ()', { x: '' }, true],
  ];
  it.each(cases)('%j on %j → %s', (sel, labels, want) => {
    expect(parseLabelSelector(sel).matches(labels)).toBe(want);
  });

  it('treats missing labels as an empty set', () => {
    expect(parseLabelSelector('!a').matches(undefined)).toBe(true);
    expect(parseLabelSelector('a').matches(null)).toBe(false);
  });
});

describe('fromLabelSelector', () => {
  it('null selects nothing, {} selects everything', () => {
    const nothing = fromLabelSelector(null);
    expect(nothing.matches({})).toBe(false);
    expect(nothing.isEmpty()).toBe(false);
    expect(nothing.toString()).toBe('');
    const all = fromLabelSelector({});
    expect(all.matches({ a: 'b' })).toBe(true);
    expect(all.isEmpty()).toBe(true);
  });

  it('combines matchLabels and matchExpressions, sorted by key', () => {
    const s = fromLabelSelector({
      matchLabels: { tier: 'web', app: 'shop' },
      matchExpressions: [
        { key: 'env', operator: 'In', values: ['prod', 'canary'] },
        { key: 'legacy', operator: 'DoesNotExist' },
        { key: 'zone', operator: 'NotIn', values: ['b'] },
        { key: 'gpu', operator: 'Exists' },
      ],
    });
    expect(s.toString()).toBe('app=shop,env in (canary,prod),gpu,!legacy,tier=web,zone notin (b)');
    expect(s.matches({ app: 'shop', tier: 'web', env: 'prod', gpu: '1', zone: 'a' })).toBe(true);
    expect(s.matches({ app: 'shop', tier: 'web', env: 'prod', gpu: '1', legacy: 'y' })).toBe(false);
    expect(s.matches({ app: 'shop', tier: 'web', env: 'dev', gpu: '1' })).toBe(false);
    expect(s.requiresExactMatch('app')).toBe('shop');
    expect(s.requiresExactMatch('env')).toBeUndefined();
  });

  const invalid: [string, Parameters<typeof fromLabelSelector>[0], string][] = [
    ['bad operator', { matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }, '"Gt" is not a valid label selector operator'],
    ['In without values', { matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }, "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty"],
    ['Exists with values', { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }, 'values: Invalid value: []string{"x"}: values set must be empty for exists and does not exist'],
    ['bad key', { matchLabels: { 'a b': 'c' } }, 'key: Invalid value: "a b": name part must consist of'],
    ['bad value', { matchLabels: { a: 'b c' } }, 'values[0][a]: Invalid value: "b c": a valid label must be an empty string'],
  ];
  it.each(invalid)('rejects %s', (_name, spec, message) => {
    expect(() => fromLabelSelector(spec)).toThrow(SelectorError);
    expect(() => fromLabelSelector(spec)).toThrow(message);
  });
});

describe('string forms for specs and printers', () => {
  it('labelSelectorToString is the Scale status.selector form', () => {
    expect(labelSelectorToString({ matchLabels: { app: 'web', 'pod-template-hash': 'abc' } })).toBe('app=web,pod-template-hash=abc');
    expect(labelSelectorToString(undefined)).toBe('');
    expect(labelSelectorToString({})).toBe('');
  });
  it('formatLabelSelector prints <none> and <error>', () => {
    expect(formatLabelSelector({ matchLabels: { app: 'web' } })).toBe('app=web');
    expect(formatLabelSelector({})).toBe('<none>');
    expect(formatLabelSelector(null)).toBe('<none>');
    expect(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Bogus' }] })).toBe('<error>');
  });
  it('formatLabels sorts keys', () => {
    expect(formatLabels({ b: '2', a: '1' })).toBe('a=1,b=2');
    expect(formatLabels({})).toBe('<none>');
    expect(formatLabels(undefined)).toBe('<none>');
  });
  it('fromSet builds an equality selector', () => {
    expect(LabelSelector.fromSet({ z: '1', a: '' }).toString()).toBe('a=,z=1');
    expect(LabelSelector.everything().isEmpty()).toBe(true);
  });
});
