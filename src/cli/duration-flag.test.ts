import { describe, it, expect } from 'vitest';
import { boolOption, parseDuration } from './duration-flag.js';

describe('parseDuration', () => {
  it.each([
    ['40s', 40_000], ['1m30s', 90_000], ['500ms', 500], ['1.5h', 5_400_000], ['0', 0], ['2s500ms', 2_500],
  ])('%s is %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));
  it.each(['', '40', 's', '1x', '-1s', '1s '])('rejects %j', (text) => expect(() => parseDuration(text)).toThrow(/invalid duration/));
});

describe('boolOption', () => {
  it('reads a bare flag and true/false values', () => {
    expect(boolOption(undefined)).toBe(true);
    expect(boolOption('false')).toBe(false);
    expect(boolOption('true')).toBe(true);
    expect(() => boolOption('maybe')).toThrow();
  });
});
