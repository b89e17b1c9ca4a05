import { describe, expect, it } from 'vitest';
import { canonicalJSON, computeHash, fnv32a, safeEncodeString } from './hash.js';

const bytes = (s: string) => Buffer.from(s, 'utf8');

describe('fnv32a', () => {
  it.each([
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['foobar', 0xbf9cf968],
  ])('hashes %j as the FNV-1a reference vectors', (s, want) => {
    expect(fnv32a(bytes(s))).toBe(want);
  });

  it('continues a running hash like hash.Write does', () => {
    expect(fnv32a(bytes('bar'), fnv32a(bytes('foo')))).toBe(fnv32a(bytes('foobar')));
  });
});

describe('safeEncodeString', () => {
  it('maps each byte into the alphabet without vowels (rand.SafeEncodeString)', () => {
    // Decimal digits land on 4 5 6 7 8 9 b c d f: the familiar look of upstream hashes such as
    // the "66b6c48dd5" of nginx-deployment-66b6c48dd5 in the Kubernetes documentation.
    expect(safeEncodeString('0123456789')).toBe('456789bcdf');
    expect(safeEncodeString('2262704881')).toBe('66b6c48dd5');
  });
});

describe('computeHash', () => {
  const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };

  it('is stable whatever the key order and empty fields', () => {
    const reordered = { spec: { containers: [{ image: 'nginx', name: 'c', env: [] }] }, metadata: { annotations: {}, labels: { app: 'web' } } };
    expect(computeHash(reordered)).toBe(computeHash(template));
    expect(canonicalJSON(reordered)).toBe(canonicalJSON(template));
  });

  it('changes with the template and with the collision count', () => {
    const h = computeHash(template);
    expect(h).toMatch(/^[456789bcdf]{1,10}$/);
    expect(computeHash({ ...template, spec: { containers: [{ name: 'c', image: 'nginx:2' }] } })).not.toBe(h);
    expect(computeHash(template, 1)).not.toBe(h);
    expect(computeHash(template, 1)).not.toBe(computeHash(template, 2));
    expect(computeHash(template, 0)).not.toBe(h); // a collision count of 0 is still hashed, as upstream
  });
});
