import { describe, expect, it } from 'vitest';
import { canonicalQuantity, compareQuantities, ERR_FORMAT_WRONG, ERR_SUFFIX, parseQuantity } from './quantity.js';

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
    ['1000m', '1'],
    ['0.5', '500m'],
    ['1.5Gi', '1536Mi'],
    ['0.5Gi', '512Mi'],
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

  it('compares by value', () => {
    expect(compareQuantities(parseQuantity('1Gi'), parseQuantity('1024Mi'))).toBe(0);
    expect(compareQuantities(parseQuantity('500m'), parseQuantity('1'))).toBe(-1);
    expect(compareQuantities(parseQuantity('1k'), parseQuantity('999'))).toBe(1);
  });
});
