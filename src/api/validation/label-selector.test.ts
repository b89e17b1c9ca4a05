import { describe, expect, it } from 'vitest';
import { isEmptySelector, selectorMatches, validateLabelSelector } from './label-selector.js';

describe('validateLabelSelector', () => {
  it.each([
    ['valid', { matchLabels: { app: 'x' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['web'] }] }, []],
    ['In without values', { matchExpressions: [{ key: 'tier', operator: 'In' }] }, [
      "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    ]],
    ['Exists with values', { matchExpressions: [{ key: 'tier', operator: 'Exists', values: ['a'] }] }, [
      "spec.selector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
    ]],
    ['unknown operator', { matchExpressions: [{ key: 'tier', operator: 'Equals', values: ['a'] }] }, [
      'spec.selector.matchExpressions[0].operator: Invalid value: "Equals": not a valid selector operator',
    ]],
    ['bad value', { matchExpressions: [{ key: 'tier', operator: 'In', values: ['a b'] }] }, [
      expect.stringMatching(/^spec\.selector\.matchExpressions\[0\]\.values\[0\]: Invalid value: "a b": a valid label must be/),
    ]],
  ])('%s', (_n, sel, want) => {
    expect(validateLabelSelector(sel, 'spec.selector').map(String)).toEqual(want);
  });
});

describe('selectorMatches', () => {
  const labels = { app: 'web', tier: 'front' };
  it.each([
    ['nil matches nothing', undefined, false],
    ['empty matches everything', {}, true],
    ['matchLabels', { matchLabels: { app: 'web' } }, true],
    ['matchLabels mismatch', { matchLabels: { app: 'db' } }, false],
    ['In', { matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] }, true],
    ['NotIn', { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] }, false],
    ['NotIn on a missing key', { matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, true],
    ['Exists', { matchExpressions: [{ key: 'app', operator: 'Exists' }] }, true],
    ['DoesNotExist', { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, false],
  ])('%s', (_n, sel, want) => {
    expect(selectorMatches(sel, labels)).toBe(want);
  });

  it('knows an empty selector', () => {
    expect(isEmptySelector({})).toBe(true);
    expect(isEmptySelector(undefined)).toBe(false);
    expect(isEmptySelector({ matchLabels: { a: 'b' } })).toBe(false);
  });
});
