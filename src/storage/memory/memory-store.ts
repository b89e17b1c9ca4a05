// In-memory MVCC store for tests and the hollow-node simulator. Nothing is durable.
//
// State: one history per key (its versions in revision order, tombstones included) so reads at
// an older revision are a binary search; a sorted key index for prefix ranges; a bounded log of
// recent events for watch replay (older replays are rebuilt from the histories).
// Every write is its own commit: it runs synchronously, so writes are serialised by the event loop.
import { ConflictError, KeyExistsError, NotFoundError } from '../errors.js';
import type { KeyValue, RangeOptions, RangeResult, WatchEvent } from '../interface.js';
import { MvccStore } from '../mvcc-store.js';
import { EventLog } from './event-log.js';
import { SortedKeys } from './sorted-keys.js';

interface Version {
  modRevision: number;
  createRevision: number;
  /** The value written; for a tombstone, the value the key had when it was deleted. */
  value: string;
  deleted: boolean;
  /** The version this write replaced (prevKv); prevModRevision 0 = none (a create). */
  prevModRevision: number;
  prevValue: string;
}

export interface MemoryStoreOptions {
  /** Recent events kept for cheap watch replay. Default 10,000. */
  eventLogSize?: number;
}

export class MemoryStore extends MvccStore {
  /** Versions per key, oldest first; a key stays until compaction drops all of its history. */
  private readonly histories = new Map<string, Version[]>();
  /** Exactly the keys of `histories`, sorted. */
  private readonly index = new SortedKeys();
  /** Keys with history compaction can drop: more than one version, or a tombstone. */
  private readonly compactable = new Set<string>();
  private readonly log: EventLog;

  constructor(opts: MemoryStoreOptions = {}) {
    super();
    this.log = new EventLog(opts.eventLogSize ?? 10_000);
  }

  async get(key: string, opts: { revision?: number } = {}): Promise<{ kv: KeyValue | null; revision: number }> {
    const rev = this.readAt(opts.revision);
    const v = versionAt(this.histories.get(key), rev);
    return { kv: v && !v.deleted ? toKv(key, v) : null, revision: rev };
  }

  async range(prefix: string, opts: RangeOptions = {}): Promise<RangeResult> {
    const rev = this.readAt(opts.revision);
    const limit = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
    const kvs: KeyValue[] = [];
    let remaining = 0;
    this.scan(prefix, opts.startKey, rev, (key, v) => {
      if (kvs.length < limit) kvs.push(toKv(key, v));
      else remaining++;
    });
    return { kvs, revision: rev, more: remaining > 0, remaining };
  }

  async count(prefix: string): Promise<number> {
    this.assertOpen();
    let n = 0;
    this.scan(prefix, undefined, this.revision, () => n++);
    return n;
  }

  async create(key: string, value: string): Promise<KeyValue> {
    this.assertOpen();
    const history = this.histories.get(key);
    const last = history?.[history.length - 1];
    if (last && !last.deleted) throw new KeyExistsError(key);
    const rev = this.revision + 1;
    const v: Version = { modRevision: rev, createRevision: rev, value, deleted: false, prevModRevision: 0, prevValue: '' };
    this.append(key, history, v);
    return toKv(key, v);
  }

  async update(key: string, value: string, expectedModRevision: number): Promise<KeyValue> {
    this.assertOpen();
    const { history, live } = this.live(key);
    if (live.modRevision !== expectedModRevision) throw new ConflictError(key, toKv(key, live), expectedModRevision);
    const v: Version = {
      modRevision: this.revision + 1,
      createRevision: live.createRevision,
      value,
      deleted: false,
      prevModRevision: live.modRevision,
      prevValue: live.value,
    };
    this.append(key, history, v);
    return toKv(key, v);
  }

  async delete(key: string, expectedModRevision?: number): Promise<{ prev: KeyValue; revision: number }> {
    this.assertOpen();
    const { history, live } = this.live(key);
    if (expectedModRevision !== undefined && live.modRevision !== expectedModRevision) {
      throw new ConflictError(key, toKv(key, live), expectedModRevision);
    }
    const rev = this.revision + 1;
    const v: Version = {
      modRevision: rev,
      createRevision: live.createRevision,
      value: live.value,
      deleted: true,
      prevModRevision: live.modRevision,
      prevValue: live.value,
    };
    this.append(key, history, v);
    return { prev: toKv(key, v), revision: rev };
  }

  protected async compactTo(revision: number): Promise<void> {
    let dropped = false;
    for (const key of this.compactable) {
      const history = this.histories.get(key)!;
      const i = lastAtOrBefore(history, revision);
      if (i < 0) continue;
      // Keep the key's state at `revision` (needed by reads there and as prevKv of later events);
      // a tombstone there means the key did not exist, so nothing at or before it is kept.
      const keepFrom = history[i]!.deleted ? i + 1 : i;
      if (keepFrom > 0) history.splice(0, keepFrom);
      if (history.length === 0) {
        this.histories.delete(key);
        dropped = true;
      }
      if (history.length === 0 || (history.length === 1 && !history[0]!.deleted)) this.compactable.delete(key);
    }
    if (dropped) this.index.retain((key) => this.histories.has(key));
    this.log.dropThrough(revision);
    this.compacted = revision;
  }

  async close(): Promise<void> {
    if (!this.closed) this.shutdown();
  }

  private live(key: string): { history: Version[]; live: Version } {
    const history = this.histories.get(key);
    const last = history?.[history.length - 1];
    if (!history || !last || last.deleted) throw new NotFoundError(key);
    return { history, live: last };
  }

  /** Commits `v` (whose modRevision is the next revision) and publishes its event. */
  private append(key: string, history: Version[] | undefined, v: Version): void {
    if (history) {
      history.push(v);
      this.compactable.add(key);
    } else {
      this.histories.set(key, [v]);
      this.index.add(key);
    }
    this.revision = v.modRevision;
    const ev = toEvent(key, v);
    this.log.push(ev);
    this.hub.publish([ev]);
  }

  /** Calls `visit` for each key under prefix (from startKey on) that is live at `rev`, in key order. */
  private scan(prefix: string, startKey: string | undefined, rev: number, visit: (key: string, v: Version) => void): void {
    const keys = this.index.keys();
    const start = startKey !== undefined && startKey > prefix ? startKey : prefix;
    // Keys with the prefix are contiguous from the first key >= prefix.
    for (let i = this.index.lowerBound(start); i < keys.length; i++) {
      const key = keys[i]!;
      if (!key.startsWith(prefix)) break;
      const v = versionAt(this.histories.get(key), rev);
      if (v && !v.deleted) visit(key, v);
    }
  }

  /** Events under prefix after `afterRevision`, in revision order. */
  protected replay(prefix: string, afterRevision: number): WatchEvent[] {
    const recent = this.log.since(afterRevision);
    if (recent) return prefix === '' ? recent : recent.filter((ev) => ev.kv.key.startsWith(prefix));
    // Older than the log window: rebuild from the histories (rare, proportional to the history size).
    const events: WatchEvent[] = [];
    const keys = this.index.keys();
    for (let i = this.index.lowerBound(prefix); i < keys.length && keys[i]!.startsWith(prefix); i++) {
      const history = this.histories.get(keys[i]!)!;
      for (let j = lastAtOrBefore(history, afterRevision) + 1; j < history.length; j++) {
        events.push(toEvent(keys[i]!, history[j]!));
      }
    }
    return events.sort((a, b) => a.revision - b.revision);
  }
}

/** Index of the last version with modRevision <= rev, or -1. */
function lastAtOrBefore(history: Version[], rev: number): number {
  let lo = 0;
  let hi = history.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (history[mid]!.modRevision <= rev) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

function versionAt(history: Version[] | undefined, rev: number): Version | undefined {
  if (!history) return undefined;
  const last = history[history.length - 1]!;
  if (last.modRevision <= rev) return last; // the common case: reading the present
  return history[lastAtOrBefore(history, rev)];
}

function toKv(key: string, v: Version): KeyValue {
  return { key, value: v.value, createRevision: v.createRevision, modRevision: v.modRevision };
}

function toEvent(key: string, v: Version): WatchEvent {
  const kv = toKv(key, v);
  if (v.prevModRevision === 0) return { type: 'create', kv, revision: v.modRevision };
  const prevKv = { key, value: v.prevValue, createRevision: v.createRevision, modRevision: v.prevModRevision };
  return { type: v.deleted ? 'delete' : 'update', kv, prevKv, revision: v.modRevision };
}
