// The SQLite layout, after k3s's kine: one append-only table of revisions. Each row is one write
// (id = its revision); a key's current value is its row with the highest id. Compaction deletes
// rows no read or watch can reach any more.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

const DDL = `
CREATE TABLE IF NOT EXISTS kine (
  id INTEGER PRIMARY KEY,            -- the revision of this write (rowid: no extra index)
  name TEXT NOT NULL,                -- the key
  created INTEGER NOT NULL,          -- 1 when this write created the key
  deleted INTEGER NOT NULL,          -- 1 for a tombstone
  create_revision INTEGER NOT NULL,
  prev_revision INTEGER NOT NULL,    -- id of the row this write replaced; 0 for a first create
  value TEXT NOT NULL,               -- '' for a tombstone (its value is old_value)
  old_value TEXT                     -- the replaced row's value (prevKv), NULL for a create
);
-- A second write from the same predecessor is refused at insert: a racing writer gets a conflict.
CREATE UNIQUE INDEX IF NOT EXISTS kine_name_prev_revision_uindex ON kine (name, prev_revision);
-- Serves "newest row of a key at a revision", and counts without touching the table.
CREATE INDEX IF NOT EXISTS kine_name_index ON kine (name, id, deleted);
CREATE TABLE IF NOT EXISTS kine_meta (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
`;

/** Opens (creating if needed) the database file, with the durability settings the store promises. */
export function openDatabase(file: string): Database.Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, { timeout: 5000 });
  // WAL: readers never block the writer. synchronous=FULL: every COMMIT fsyncs the WAL, so an
  // acknowledged write survives kill -9 and power loss (NORMAL would only survive a process crash).
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = OFF');
  db.exec(DDL);
  return db;
}
