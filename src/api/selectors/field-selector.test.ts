import { describe, expect, it } from 'vitest';
import { FieldSelector, escapeFieldValue, parseFieldSelector, unescapeFieldValue } from './field-selector.js';
import { SelectorError } from './errors.js';

describe('parseFieldSelector', () => {
  const good: [string, { field: string; operator: string; value: string }[], string][] = [
    ['', [], ''],
    ['metadata.name=x', [{ field: 'metadata.name', operator: '=', value: 'x' }], 'metadata.name=x'],
    ['metadata.name==x', [{ field: 'metadata.name', operator: '=', value: 'x' }], 'metadata.name=x'],
    ['status.phase!=Running', [{ field: 'status.phase', operator: '!=', value: 'Running' }], 'status.phase!=Running'],
    [
      'spec.nodeName=n1,status.phase!=Succeeded,status.phase!=Failed',
      [
        { field: 'spec.nodeName', operator: '=', value: 'n1' },
        { field: 'status.phase', operator: '!=', value: 'Failed' },
        { field: 'status.phase', operator: '!=', value: 'Succeeded' },
      ],
      'spec.nodeName=n1,status.phase!=Failed,status.phase!=Succeeded',
    ],
    ['a=', [{ field: 'a', operator: '=', value: '' }], 'a='],
    ['a=b,,c=d', [{ field: 'a', operator: '=', value: 'b' }, { field: 'c', operator: '=', value: 'd' }], 'a=b,c=d'],
    ['a=x\\,y\\=z\\\\', [{ field: 'a', operator: '=', value: 'x,y=z\\' }], 'a=x\\,y\\=z\\\\'],
    ['a = b', [{ field: 'a ', operator: '=', value: ' b' }], 'a = b'],
    ['=b', [{ field: '', operator: '=', value: 'b' }], '=b'],
  ];
  it.each(good)('%j', (input, reqs, str) => {
    const s = parseFieldSelector(input);
    expect(s.requirements).toEqual(reqs);
    expect(s.toString()).toBe(str);
  });

  const bad: [string, string][] = [
    ['abc', "invalid selector: 'abc'; can't understand 'abc'"],
    ['a=b,c', "invalid selector: 'a=b,c'; can't understand 'c'"],
    ['a=b=c', 'invalid field selector: unescaped character in value: 61'],
    ['a=b\\', 'invalid field selector: invalid escape sequence: \\'],
    ['a=b\\n', 'invalid field selector: invalid escape sequence: \\n'],
  ];
  it.each(bad)('rejects %j', (input, message) => {
    expect(() => parseFieldSelector(input)).toThrow(SelectorError);
    expect(() => parseFieldSelector(input)).toThrow(message);
  });
});

describe('FieldSelector.matches', () => {
  const fields = { 'metadata.name': 'web', 'status.phase': 'Running', 'spec.nodeName': '' };
  const cases: [string, boolean][] = [
    ['', true],
    ['metadata.name=web', true],
    ['metadata.name=db', false],
    ['metadata.name!=db', true],
    ['status.phase!=Succeeded,status.phase!=Failed', true],
    ['status.phase!=Running', false],
    ['spec.nodeName=', true],
    ['spec.nodeName!=', false],
    ['unknown.field=', true], // a missing field reads as ""
    ['unknown.field=x', false],
    ['unknown.field!=x', true],
  ];
  it.each(cases)('%j → %s', (sel, want) => {
    expect(parseFieldSelector(sel).matches(fields)).toBe(want);
  });
});

describe('FieldSelector helpers', () => {
  it('escapes and unescapes values', () => {
    expect(escapeFieldValue('a,b=c\\d')).toBe('a\\,b\\=c\\\\d');
    expect(unescapeFieldValue(escapeFieldValue('a,b=c\\d'))).toBe('a,b=c\\d');
    expect(unescapeFieldValue('plain')).toBe('plain');
  });
  it('transform renames, drops and rejects terms', () => {
    const s = parseFieldSelector('spec.host=n1,x=y');
    const t = s.transform((f, v) => (f === 'spec.host' ? ['spec.nodeName', v] : ['', '']));
    expect(t.toString()).toBe('spec.nodeName=n1');
    expect(() =>
      s.transform((f) => {
        throw new SelectorError(`field label not supported: ${f}`);
      }),
    ).toThrow('field label not supported: spec.host');
  });
  it('reports fields and exact matches', () => {
    const s = parseFieldSelector('metadata.name=web,status.phase!=Failed');
    expect(s.fields()).toEqual(['metadata.name', 'status.phase']);
    expect(s.requiresExactMatch('metadata.name')).toBe('web');
    expect(s.requiresExactMatch('status.phase')).toBeUndefined();
    expect(FieldSelector.oneTermEqual('metadata.name', 'a,b').toString()).toBe('metadata.name=a\\,b');
    expect(FieldSelector.everything().isEmpty()).toBe(true);
  });
});
