// Rows of the kine table and what they mean to callers. A row holds everything its watch event
// needs (old_value is the prevKv), so events survive the compaction of the rows they replaced.
import type { KeyValue, WatchEvent } from '../interface.js';

export interface Row {
  id: number;
  name: string;
  created: number;
  deleted: number;
  create_revision: number;
  prev_revision: number;
  value: string;
  old_value: string | null;
}

/** The columns reads need to build a KeyValue. */
export type KvRow = Pick<Row, 'id' | 'name' | 'create_revision' | 'value'>;

export function rowKv(r: KvRow): KeyValue {
  return { key: r.name, value: r.value, createRevision: r.create_revision, modRevision: r.id };
}

export function rowEvent(r: Row): WatchEvent {
  if (r.created) return { type: 'create', kv: rowKv(r), revision: r.id };
  const old = r.old_value ?? '';
  const prevKv: KeyValue = { key: r.name, value: old, createRevision: r.create_revision, modRevision: r.prev_revision };
  if (r.deleted) {
    // A delete reports the value the key had, at the delete's revision.
    const kv: KeyValue = { key: r.name, value: old, createRevision: r.create_revision, modRevision: r.id };
    return { type: 'delete', kv, prevKv, revision: r.id };
  }
  return { type: 'update', kv: rowKv(r), prevKv, revision: r.id };
}
