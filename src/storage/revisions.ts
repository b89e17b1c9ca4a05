// Small rules shared by every backend, so they answer the same edge cases the same way.
import { CompactedError, FutureRevisionError } from './errors.js';

/**
 * The revision a read runs at: `requested` (0/absent = current), refused when history below the
 * compaction point is gone or when the store has not reached it yet. Reading exactly at the
 * compacted revision is fine: compaction keeps every key's state at that revision.
 */
export function readRevision(requested: number | undefined, current: number, compacted: number): number {
  if (!requested) return current;
  if (requested > current) throw new FutureRevisionError(requested, current);
  if (requested < compacted) throw new CompactedError(requested, compacted);
  return requested;
}

/**
 * A watch delivers events with revision > afterRevision. Compaction at R may drop events at or
 * below R (a delete at R leaves nothing behind), so a watch is servable only from R on.
 */
export function watchStartError(afterRevision: number, compacted: number): CompactedError | undefined {
  return afterRevision < compacted ? new CompactedError(afterRevision, compacted) : undefined;
}

/**
 * The smallest string greater than every string that starts with `prefix`, for `name < end`
 * range scans; undefined when no such bound exists (the empty prefix matches every key).
 * Works on code points so the bound also holds in SQLite's byte (UTF-8) order.
 */
export function prefixEnd(prefix: string): string | undefined {
  const points = Array.from(prefix);
  while (points.length > 0) {
    const last = points.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) {
      // Skip the surrogate block: it holds no code points of its own.
      const next = last + 1 === 0xd800 ? 0xe000 : last + 1;
      return points.join('') + String.fromCodePoint(next);
    }
  }
  return undefined;
}
