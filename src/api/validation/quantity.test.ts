import { describe, expect, it } from 'vitest';
import { canonicalQuantity, compareQuantity, parseQuantity } from './quantity.js';

describe('canonical quantities', () => {
  it.each([
    ['1', '1'],
    ['1000m', '1'],
    ['0.5', '500m'],
    ['1500', '1500'],
    ['2000', '2k'],
    ['1.5Gi', '1536Mi'],
    ['1024Mi', '1Gi'],
    ['100Mi', '100Mi'],
    ['512', '512'],
    ['1e3', '1e3'],
    ['1500e-3', '1500e-3'],
    ['0', '0'],
    ['-1', '-1'],
    ['1E', '1E'],
    ['0.5Ki', '512'],
  ])('%s → %s', (input, want) => {
    expect(canonicalQuantity(input)).toBe(want);
  });

  it('rounds up to milli-units when asked (resource lists)', () => {
    expect(canonicalQuantity('0.0001', true)).toBe('1m');
    expect(canonicalQuantity('100u', true)).toBe('1m');
  });

  it('compares across formats', () => {
    expect(compareQuantity(parseQuantity('1Gi')!, parseQuantity('1073741824')!)).toBe(0);
    expect(compareQuantity(parseQuantity('500m')!, parseQuantity('1')!)).toBe(-1);
    expect(compareQuantity(parseQuantity('2')!, parseQuantity('1500m')!)).toBe(1);
  });

  it('rejects what does not match the grammar', () => {
    expect(parseQuantity('1GB')).toBeUndefined();
    expect(parseQuantity('abc')).toBeUndefined();
    expect(canonicalQuantity('abc')).toBe('abc');
  });
});
