// A bounded window of recent events for cheap watch replay. The memory backend gives every
// revision exactly one event, so the event for revision r sits at index r - first: no search.
import type { WatchEvent } from '../interface.js';

export class EventLog {
  private events: WatchEvent[] = [];

  constructor(private readonly capacity: number) {}

  /** Appends the event of the next revision. */
  push(ev: WatchEvent): void {
    this.events.push(ev);
    // Trim in halves so appends stay amortised O(1).
    if (this.events.length >= 2 * this.capacity) this.events = this.events.slice(-this.capacity);
  }

  /** Events with revision > afterRevision, or undefined when the window no longer reaches back that far. */
  since(afterRevision: number): WatchEvent[] | undefined {
    const first = this.events[0];
    if (!first) return undefined;
    if (afterRevision < first.revision - 1) return undefined;
    return this.events.slice(Math.max(0, afterRevision + 1 - first.revision));
  }

  /** Forgets events at or below `revision` (compacted history). */
  dropThrough(revision: number): void {
    const first = this.events[0];
    if (!first || revision < first.revision) return;
    this.events = this.events.slice(revision + 1 - first.revision);
  }
}
