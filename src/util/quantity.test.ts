import { describe, expect, it } from 'vitest';
import {
  addQuantities,
  canonicalQuantity,
  canonicalQuantityValue,
  compareQuantities,
  ERR_FORMAT_WRONG,
  ERR_SUFFIX,
  isWholeQuantity,
  MILLI_SCALE,
  parseQuantity,
  quantityString,
  readQuantity,
  roundUpQuantity,
} from './quantity.js';

describe('canonicalQuantity', () => {
  // Pairs from upstream's TestQuantityString: [canonical, an alternate spelling of it].
  it.each([
    ['1Gi', '1024Mi'],
    ['300Mi', '307200Ki'],
    ['1001Gi', '1025024Mi'],
    ['1Ti', '1024Gi'],
    ['1G', '1000M'],
    ['1G', '0.001T'],
    ['1m', '1000u'],
    ['1080m', '1.08'],
    ['1080m', '1080000000n'],
    ['1e9', '.001e12'],
    ['1e-3', '0.001e0'],
    ['1e-9', '1000e-12'],
    ['0', '00'],
  ])('%s (from %s)', (canonical, alternate) => {
    expect(canonicalQuantity(canonical)).toBe(canonical);
    expect(canonicalQuantity(alternate)).toBe(canonical);
  });

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
    ['1500e-3', '1500e-3'],
    ['0', '0'],
    ['-1', '-1'],
    ['1E', '1E'],
    ['0.5Gi', '512Mi'],
    ['0.5Ki', '512'],
    ['0.1Ki', '102400m'],
    ['1.5', '1500m'],
    ['0.0005k', '500m'],
    ['.001Ki', '1024m'],
    ['.000001Ki', '1024u'],
    ['-.001Ki', '-1024m'],
    ['10.0350M', '10035k'],
    ['.', '0'],
    ['1.2e3', '1200'],
    ['1.3E+6', '1300e3'],
    ['3.001n', '4n'],
    ['0.0000000001', '1n'],
    ['0.00000012345', '124n'],
    ['0.000000000001Ki', '2n'],
    ['9Ei', '9223372036854775807'],
    ['9223372036854775807Ki', '9223372036854775807'],
    ['1024', '1024'],
    ['2048Ki', '2Mi'],
    ['-1.5', '-1500m'],
    ['-0', '0'],
    ['0Mi', '0'],
    ['50k', '50k'],
    ['12E', '12E'],
    ['1000E', '1'], // upstream prints no suffix past E (a known quirk, kept)
  ])('%s → %s', (input, want) => {
    expect(canonicalQuantity(input)).toBe(want);
  });

  it('keeps strings upstream already finds canonical, as written', () => {
    for (const s of ['1e3', '+1', '1.', '01', '1.G', '1Ki', '3Ei', '100.035k', '10.035M']) expect(canonicalQuantity(s)).toBe(s);
  });

  it.each([
    ['', ERR_FORMAT_WRONG],
    ['1.1.1', ERR_FORMAT_WRONG],
    ['abc', ERR_FORMAT_WRONG],
    ['1 Gi', ERR_FORMAT_WRONG],
    ['1Gi ', ERR_FORMAT_WRONG],
    ['5e', ERR_SUFFIX],
    ['1KiB', ERR_FORMAT_WRONG],
    ['1i', ERR_SUFFIX],
  ])('rejects %j', (input, message) => {
    expect(() => parseQuantity(input)).toThrow(message);
  });
});

describe('readQuantity', () => {
  it('reads numbers and strings with surrounding space, as UnmarshalJSON does', () => {
    expect(quantityString(readQuantity(' 1Gi ')!)).toBe('1Gi');
    expect(quantityString(readQuantity(0.5)!)).toBe('500m');
    expect(quantityString(readQuantity(2048)!)).toBe('2048');
  });

  it('answers undefined for what is no quantity', () => {
    expect(readQuantity('1GB')).toBeUndefined();
    expect(readQuantity('abc')).toBeUndefined();
    expect(readQuantity(undefined)).toBeUndefined();
    expect(readQuantity(true)).toBeUndefined();
    expect(readQuantity(Number.NaN)).toBeUndefined();
  });

  it('leaves values that are no quantity unchanged when canonicalizing', () => {
    expect(canonicalQuantityValue('abc')).toBe('abc');
    expect(canonicalQuantityValue({ a: 1 })).toEqual({ a: 1 });
    expect(canonicalQuantityValue(' 1024Mi')).toBe('1Gi');
    expect(canonicalQuantityValue(1.5)).toBe('1500m');
  });
});

describe('arithmetic', () => {
  const q = (s: string) => parseQuantity(s);

  it('compares by value, across formats', () => {
    expect(compareQuantities(q('1Gi'), q('1024Mi'))).toBe(0);
    expect(compareQuantities(q('1Gi'), q('1073741824'))).toBe(0);
    expect(compareQuantities(q('500m'), q('1'))).toBe(-1);
    expect(compareQuantities(q('2'), q('1500m'))).toBe(1);
    expect(compareQuantities(q('1k'), q('999'))).toBe(1);
  });

  it('rounds up to milli-units, away from zero (resource lists)', () => {
    const milli = (s: string) => quantityString(roundUpQuantity(q(s), MILLI_SCALE));
    expect(milli('0.0001')).toBe('1m');
    expect(milli('100u')).toBe('1m');
    expect(milli('-100u')).toBe('-1m');
    expect(milli('1500u')).toBe('2m');
    expect(milli('1.0001')).toBe('1001m');
    // Already coarse enough: RoundUp keeps the string as written.
    expect(milli('1e3')).toBe('1e3');
    expect(milli('+1')).toBe('+1');
  });

  it('adds exactly, taking the second format when the first is zero', () => {
    expect(quantityString(addQuantities(q('1Gi'), q('512Mi')))).toBe('1536Mi');
    expect(quantityString(addQuantities(q('500m'), q('1.5')))).toBe('2');
    expect(quantityString(addQuantities(q('0'), q('1Ki')))).toBe('1Ki');
    expect(quantityString(addQuantities(q('1k'), q('1Ki')))).toBe('2024');
  });

  it('tells whole numbers', () => {
    expect(isWholeQuantity(q('2'))).toBe(true);
    expect(isWholeQuantity(q('2000m'))).toBe(true);
    expect(isWholeQuantity(q('1k'))).toBe(true);
    expect(isWholeQuantity(q('1500m'))).toBe(false);
    expect(isWholeQuantity(q('0.5Ki'))).toBe(true);
  });
});
