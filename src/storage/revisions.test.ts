import { describe, expect, it } from 'vitest';
import { CompactedError, FutureRevisionError } from './errors.js';
import { prefixEnd, readRevision, watchStartError } from './revisions.js';

describe('prefixEnd', () => {
  it.each([
    ['/registry/pods/', '/registry/pods0'],
    ['a', 'b'],
    ['', undefined],
    ['a\u{10ffff}', 'b'],
    ['\u{10ffff}', undefined],
    ['x\ud7ff', 'x\ue000'],
    ['x\u{1f600}', 'x\u{1f601}'],
  ])('%j → %j', (prefix, end) => {
    expect(prefixEnd(prefix)).toBe(end);
  });

  it('bounds exactly the keys with the prefix', () => {
    const end = prefixEnd('/registry/pods/')!;
    for (const key of ['/registry/pods/', '/registry/pods/a', '/registry/pods/\u{10ffff}']) expect(key < end).toBe(true);
    for (const key of ['/registry/pods0', '/registry/podsx', '/registry/pods1']) expect(key >= end).toBe(true);
  });
});

describe('readRevision', () => {
  it('reads the present by default and refuses revisions out of reach', () => {
    expect(readRevision(undefined, 10, 3)).toBe(10);
    expect(readRevision(0, 10, 3)).toBe(10);
    expect(readRevision(3, 10, 3)).toBe(3);
    expect(() => readRevision(2, 10, 3)).toThrow(CompactedError);
    expect(() => readRevision(11, 10, 3)).toThrow(FutureRevisionError);
  });

  it('serves watches from the compaction point on', () => {
    expect(watchStartError(3, 3)).toBeUndefined();
    expect(watchStartError(2, 3)).toBeInstanceOf(CompactedError);
  });
});
