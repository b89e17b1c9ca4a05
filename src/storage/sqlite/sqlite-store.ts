// The SQLite MVCC store (better-sqlite3), log-structured like k3s's kine.
//
// Writes: queued and group-committed (see group-commit.ts). Inside the transaction every write
// checks its own condition against the key's newest row and, if it holds, appends a row whose id
// is the next revision. A failed check refuses that write only. Promises settle after COMMIT,
// then the committed events go to watchers in revision order.
// Reads: better-sqlite3 is synchronous and a batch commits within one synchronous call, so every
// read sees a whole number of commits — a consistent snapshot — and `id <= rev` gives older ones.
// Durability: WAL + synchronous=FULL (schema.ts); the revision and compaction point are
// recovered from the file on open.
import type Database from 'better-sqlite3';
import { ConflictError, KeyExistsError, NotFoundError, StorageError } from '../errors.js';
import type { KeyValue, RangeOptions, RangeResult, WatchEvent } from '../interface.js';
import { MvccStore } from '../mvcc-store.js';
import { prefixEnd } from '../revisions.js';
import { GroupCommit, type Outcome } from './group-commit.js';
import { Queries, type RangeBounds } from './queries.js';
import { type Row, rowEvent, rowKv } from './rows.js';
import { openDatabase } from './schema.js';

type WriteOp =
  | { kind: 'create'; key: string; value: string }
  | { kind: 'update'; key: string; value: string; expected: number }
  | { kind: 'delete'; key: string; expected?: number };

/** Revisions compacted per transaction, so a large compaction does not stall the event loop. */
const COMPACT_CHUNK = 10_000;

export class SqliteStore extends MvccStore {
  private readonly q: Queries;
  private readonly writes = new GroupCommit<WriteOp, WatchEvent>((ops) => this.commitBatch(ops));

  /** Opens (or creates) the store in `file`, creating its directory. */
  static open(file: string): SqliteStore {
    return new SqliteStore(openDatabase(file));
  }

  private constructor(private readonly db: Database.Database) {
    super();
    this.q = new Queries(db);
    this.compacted = this.q.compactRevision();
    // Compaction may have removed the newest rows (tombstones), never anything above its point.
    this.revision = Math.max(this.q.maxId(), this.compacted);
  }

  async get(key: string, opts: { revision?: number } = {}): Promise<{ kv: KeyValue | null; revision: number }> {
    const rev = this.readAt(opts.revision);
    const row = this.q.at(key, rev);
    return { kv: row && !row.deleted ? rowKv(row) : null, revision: rev };
  }

  async range(prefix: string, opts: RangeOptions = {}): Promise<RangeResult> {
    const rev = this.readAt(opts.revision);
    const start = opts.startKey !== undefined && opts.startKey > prefix ? opts.startKey : prefix;
    const bounds: RangeBounds = { start, end: prefixEnd(prefix), rev };
    const limit = opts.limit && opts.limit > 0 ? opts.limit : 0;
    // One extra row tells whether more remain; only then is the (full-scan) count worth running.
    const rows = this.q.range(bounds, limit ? limit + 1 : -1);
    let remaining = 0;
    if (limit && rows.length > limit) {
      rows.length = limit;
      remaining = this.q.count(bounds) - limit;
    }
    return { kvs: rows.map(rowKv), revision: rev, more: remaining > 0, remaining };
  }

  async count(prefix: string): Promise<number> {
    this.assertOpen();
    return this.q.count({ start: prefix, end: prefixEnd(prefix), rev: this.revision });
  }

  async create(key: string, value: string): Promise<KeyValue> {
    this.assertOpen();
    return (await this.writes.submit({ kind: 'create', key, value })).kv;
  }

  async update(key: string, value: string, expectedModRevision: number): Promise<KeyValue> {
    this.assertOpen();
    return (await this.writes.submit({ kind: 'update', key, value, expected: expectedModRevision })).kv;
  }

  async delete(key: string, expectedModRevision?: number): Promise<{ prev: KeyValue; revision: number }> {
    this.assertOpen();
    const ev = await this.writes.submit({ kind: 'delete', key, expected: expectedModRevision });
    return { prev: ev.kv, revision: ev.revision };
  }

  protected replay(prefix: string, afterRevision: number): WatchEvent[] {
    const replay: WatchEvent[] = [];
    for (const row of this.q.since(afterRevision)) {
      if (row.name.startsWith(prefix)) replay.push(rowEvent(row));
    }
    return replay;
  }

  protected async compactTo(revision: number): Promise<void> {
    while (!this.closed && this.compacted < revision) {
      const from = this.compacted;
      const to = Math.min(revision, from + COMPACT_CHUNK);
      this.db.transaction(() => this.q.compact(from, to)).immediate();
      this.compacted = to; // each chunk is a valid compaction point of its own
      if (to < revision) await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** Commits the writes already accepted, ends watches, and closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.writes.flush();
    this.shutdown();
    this.db.close();
  }

  private commitBatch(ops: WriteOp[]): Outcome<WatchEvent>[] {
    const outcomes: Outcome<WatchEvent>[] = [];
    const events: WatchEvent[] = [];
    let rev = this.revision;
    this.db
      .transaction(() => {
        // Another connection may have written the file; its rows must not be overwritten.
        rev = Math.max(this.revision, this.q.maxId());
        for (const op of ops) {
          try {
            const ev = rowEvent(this.apply(op, rev + 1));
            rev = ev.revision;
            events.push(ev);
            outcomes.push({ ok: true, value: ev });
          } catch (err) {
            if (!(err instanceof StorageError)) throw err;
            outcomes.push({ ok: false, error: err });
          }
        }
      })
      .immediate();
    this.revision = rev;
    this.hub.publish(events);
    return outcomes;
  }

  /** Checks one write against the key's newest row and appends its row at revision `rev`. */
  private apply(op: WriteOp, rev: number): Row {
    const cur = this.q.latest(op.key);
    const live = cur && !cur.deleted ? cur : undefined;
    let row: Row;
    if (op.kind === 'create') {
      if (live) throw new KeyExistsError(op.key);
      row = {
        id: rev,
        name: op.key,
        created: 1,
        deleted: 0,
        create_revision: rev,
        prev_revision: cur?.id ?? 0,
        value: op.value,
        old_value: null,
      };
    } else {
      if (!live) throw new NotFoundError(op.key);
      if (op.expected !== undefined && live.id !== op.expected) {
        throw new ConflictError(op.key, rowKv(live), op.expected);
      }
      const deleted = op.kind === 'delete';
      row = {
        id: rev,
        name: op.key,
        created: 0,
        deleted: deleted ? 1 : 0,
        create_revision: live.create_revision,
        prev_revision: live.id,
        value: op.kind === 'update' ? op.value : '',
        old_value: live.value,
      };
    }
    try {
      this.q.insert(row);
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      // Another writer appended after the same predecessor first: the kine conflict rule.
      if (op.kind === 'create') throw new KeyExistsError(op.key);
      const now = this.q.latest(op.key);
      throw new ConflictError(op.key, now && !now.deleted ? rowKv(now) : null, op.expected);
    }
    return row;
  }
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}
