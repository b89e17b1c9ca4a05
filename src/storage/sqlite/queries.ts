// The SQL of the SQLite backend, as prepared statements. Key ranges are `name >= start AND
// name < end` so they walk kine_name_index; an absent end (the empty prefix) drops that bound.
import type Database from 'better-sqlite3';
import type { KvRow, Row } from './rows.js';

const COMPACT_REVISION = 'compact_revision';

/** Live keys in [start, end) at a revision, in key order: rows at or below it with no newer row there. */
function liveAt(withEnd: boolean): string {
  // NOT EXISTS (rather than GROUP BY name + MAX(id)) keeps the index order, so LIMIT stops early.
  return `
    SELECT kv.id, kv.name, kv.create_revision, kv.value FROM kine AS kv
    WHERE kv.name >= @start ${withEnd ? 'AND kv.name < @end' : ''} AND kv.id <= @rev AND kv.deleted = 0
      AND NOT EXISTS (SELECT 1 FROM kine AS newer WHERE newer.name = kv.name AND newer.id > kv.id AND newer.id <= @rev)
    ORDER BY kv.name`;
}

/** Number of live keys in [start, end) at a revision, from kine_name_index alone. */
function countAt(withEnd: boolean): string {
  // SQLite takes a bare column (deleted) from the row that gave MAX(id).
  return `
    SELECT COUNT(*) AS n FROM (
      SELECT MAX(id), deleted FROM kine
      WHERE name >= @start ${withEnd ? 'AND name < @end' : ''} AND id <= @rev
      GROUP BY name
    ) WHERE deleted = 0`;
}

export interface RangeBounds {
  start: string;
  end: string | undefined;
  rev: number;
}

export class Queries {
  private readonly latestStmt: Database.Statement<[string], Row>;
  private readonly atStmt: Database.Statement<[string, number], KvRow & { deleted: number }>;
  private readonly insertStmt: Database.Statement<[Row]>;
  private readonly maxIdStmt: Database.Statement<[], { id: number | null }>;
  private readonly rangeStmts: Record<'bounded' | 'open', Database.Statement<[object], KvRow>>;
  private readonly countStmts: Record<'bounded' | 'open', Database.Statement<[object], { n: number }>>;
  private readonly sinceStmt: Database.Statement<[number], Row>;
  private readonly getMetaStmt: Database.Statement<[string], { value: number }>;
  private readonly setMetaStmt: Database.Statement<[string, number]>;
  private readonly deleteSupersededStmt: Database.Statement<[number, number]>;
  private readonly deleteTombstonesStmt: Database.Statement<[number, number]>;

  constructor(db: Database.Database) {
    this.latestStmt = db.prepare('SELECT * FROM kine WHERE name = ? ORDER BY id DESC LIMIT 1');
    this.atStmt = db.prepare(
      'SELECT id, name, create_revision, value, deleted FROM kine WHERE name = ? AND id <= ? ORDER BY id DESC LIMIT 1',
    );
    this.insertStmt = db.prepare(
      `INSERT INTO kine (id, name, created, deleted, create_revision, prev_revision, value, old_value)
       VALUES (@id, @name, @created, @deleted, @create_revision, @prev_revision, @value, @old_value)`,
    );
    this.maxIdStmt = db.prepare('SELECT MAX(id) AS id FROM kine');
    this.rangeStmts = {
      bounded: db.prepare(`${liveAt(true)} LIMIT @limit`),
      open: db.prepare(`${liveAt(false)} LIMIT @limit`),
    };
    this.countStmts = {
      bounded: db.prepare(countAt(true)),
      open: db.prepare(countAt(false)),
    };
    this.sinceStmt = db.prepare('SELECT * FROM kine WHERE id > ? ORDER BY id');
    this.getMetaStmt = db.prepare('SELECT value FROM kine_meta WHERE name = ?');
    this.setMetaStmt = db.prepare(
      'INSERT INTO kine_meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
    );
    // Rows replaced by a write in (from, to]; rows replaced at or before `from` went in earlier rounds.
    this.deleteSupersededStmt = db.prepare(
      'DELETE FROM kine WHERE id IN (SELECT prev_revision FROM kine WHERE id > ? AND id <= ? AND prev_revision != 0)',
    );
    this.deleteTombstonesStmt = db.prepare('DELETE FROM kine WHERE id > ? AND id <= ? AND deleted = 1');
  }

  /** The key's newest row (possibly a tombstone). */
  latest(name: string): Row | undefined {
    return this.latestStmt.get(name);
  }

  /** The key's newest row at or below rev. */
  at(name: string, rev: number): (KvRow & { deleted: number }) | undefined {
    return this.atStmt.get(name, rev);
  }

  insert(row: Row): void {
    this.insertStmt.run(row);
  }

  maxId(): number {
    return this.maxIdStmt.get()?.id ?? 0;
  }

  /** Up to `limit` live keys (-1 = all). */
  range(b: RangeBounds, limit: number): KvRow[] {
    return this.rangeStmts[b.end === undefined ? 'open' : 'bounded'].all({ ...b, limit });
  }

  count(b: RangeBounds): number {
    return this.countStmts[b.end === undefined ? 'open' : 'bounded'].get(b)?.n ?? 0;
  }

  /** Rows after a revision, in revision order, read lazily. */
  since(afterRevision: number): IterableIterator<Row> {
    return this.sinceStmt.iterate(afterRevision);
  }

  compactRevision(): number {
    return this.getMetaStmt.get(COMPACT_REVISION)?.value ?? 0;
  }

  /** Drops the history (from, to] made unreachable; the caller runs it in a transaction. */
  compact(from: number, to: number): void {
    // Superseded rows first: tombstones in the window also point at rows to drop.
    this.deleteSupersededStmt.run(from, to);
    this.deleteTombstonesStmt.run(from, to);
    this.setMetaStmt.run(COMPACT_REVISION, to);
  }
}
