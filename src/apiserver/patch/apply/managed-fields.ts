// metadata.managedFields: who owns which fields. Decoding and encoding entries, the ownership
// transfer every write performs (structured-merge-diff's Updater.update), and the bookkeeping
// kube-apiserver wraps around it for non-apply writes (create/update/patch): the writer takes
// the fields it changed, others lose them, empty entries go, at most 10 Update entries remain.
import type { Schema } from '../../../api/schema/index.js';
import { deepEqual, isObject, type Json, type JsonObject } from '../json.js';
import { FieldSet, type PathElement } from './fieldsets.js';
import { Shapes } from './shape.js';
import { Typed, type Changes } from './typed.js';

export interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: JsonObject;
  subresource?: string;
}

export interface ManagerState {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  subresource?: string;
  time?: string;
  set: FieldSet;
}

/** Managers by identifier (see managerId). */
export type Managed = Map<string, ManagerState>;

export interface Conflict {
  managerId: string;
  path: PathElement[];
}

/** Upstream's Update-manager cap; older ones are merged into "ancient-changes". */
export const MAX_UPDATE_MANAGERS = 10;

/** Fields no manager owns: identity and bookkeeping of the object (upstream's stripMeta). */
const STRIPPED = FieldSet.of(
  [{ field: 'apiVersion' }], [{ field: 'kind' }], [{ field: 'metadata' }],
  ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion'].map((f) => [{ field: 'metadata' }, { field: f }]),
);

/**
 * The identity of a manager, as upstream builds it: the entry's JSON without fields, time and
 * (for Apply) apiVersion. Update entries at two apiVersions are two managers.
 */
export function managerId(e: { manager: string; operation: string; apiVersion?: string; subresource?: string }): string {
  const id: Record<string, string> = { manager: e.manager, operation: e.operation };
  if (e.operation !== 'Apply' && e.apiVersion) id.apiVersion = e.apiVersion;
  if (e.subresource) id.subresource = e.subresource;
  return JSON.stringify(id);
}

/** Decodes metadata.managedFields; throws an Error (upstream's message) when malformed. */
export function decodeManagedFields(entries: unknown): Managed {
  const managed: Managed = new Map();
  if (entries === undefined || entries === null) return managed;
  if (!Array.isArray(entries)) throw new Error('managedFields must be a list');
  entries.forEach((e: unknown, i) => {
    if (!isObject(e)) throw new Error(`managed fields entry ${i} must be an object`);
    if (e.operation !== 'Apply' && e.operation !== 'Update') throw new Error('operation must be `Apply` or `Update`');
    if (typeof e.apiVersion !== 'string' || !e.apiVersion) throw new Error('apiVersion must not be empty');
    if (e.fieldsType === undefined || e.fieldsType === '') throw new Error(`missing fieldsType in managed fields entry ${i}`);
    if (e.fieldsType !== 'FieldsV1') throw new Error(`invalid fieldsType ${JSON.stringify(e.fieldsType)} in managed fields entry ${i}`);
    const state: ManagerState = {
      manager: typeof e.manager === 'string' ? e.manager : '',
      operation: e.operation,
      apiVersion: e.apiVersion,
      set: FieldSet.fromFieldsV1(e.fieldsV1 ?? {}),
    };
    if (typeof e.subresource === 'string' && e.subresource) state.subresource = e.subresource;
    if (typeof e.time === 'string') state.time = e.time;
    managed.set(managerId(state), state);
  });
  return managed;
}

/** Encodes managers as entries, sorted as upstream sorts them (Apply first, then by time). */
export function encodeManagedFields(managed: Managed): ManagedFieldsEntry[] {
  const entries = [...managed.values()].map((m) => {
    const e: ManagedFieldsEntry = { manager: m.manager, operation: m.operation, apiVersion: m.apiVersion };
    if (m.time) e.time = m.time;
    e.fieldsType = 'FieldsV1';
    e.fieldsV1 = m.set.toFieldsV1();
    if (m.subresource) e.subresource = m.subresource;
    return e;
  });
  const seconds = (t?: string) => (t ? Math.floor(Date.parse(t) / 1000) : 0);
  const cmp = (a?: string, b?: string) => ((a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0);
  return entries.sort(
    (p, q) => cmp(p.operation, q.operation) || seconds(p.time) - seconds(q.time) || cmp(p.manager, q.manager) || cmp(p.apiVersion, q.apiVersion) || cmp(p.subresource, q.subresource),
  );
}

/** metav1.Time: RFC 3339 in UTC with whole seconds. */
export function formatTime(d: Date | number): string {
  const ms = typeof d === 'number' ? d : d.getTime();
  const second = Math.floor(ms / 1000);
  // Writes come in bursts within one second: the text of the last one is reused.
  if (second !== lastTime.second) lastTime = { second, text: `${new Date(ms).toISOString().slice(0, 19)}Z` };
  return lastTime.text;
}

let lastTime = { second: NaN, text: '' };

/** The manager name upstream derives from a User-Agent when no fieldManager is given. */
export function managerFromUserAgent(userAgent: string): string {
  const head = userAgent.split('/')[0] ?? '';
  let out = '';
  for (const ch of head) {
    if (!/\P{C}/u.test(ch)) continue; // only printable characters
    if (out.length >= 128) break;
    out += ch;
  }
  return out;
}

/**
 * Moves ownership for a write from `oldObj` to `newObj` by manager `current`: every other
 * manager loses the fields that were removed, and loses (force) or conflicts on (no force) the
 * fields that were modified or added (`changed`). Fields under `resetFields` take no part.
 * Empty managers are dropped. Mutates `managed`.
 */
export function transferOwnership(
  typed: Typed,
  typeName: string | undefined,
  oldObj: Json,
  newObj: Json,
  managed: Managed,
  current: string,
  force: boolean,
  resetFields?: FieldSet,
): Changes & { conflicts: Conflict[] } {
  let { changed, removed } = typed.changes(oldObj, newObj, typed.shapes.root(typeName));
  if (resetFields) {
    changed = changed.recursiveDifference(resetFields);
    removed = removed.recursiveDifference(resetFields);
  }
  const conflicts: Conflict[] = [];
  const losses = new Map<string, FieldSet>();
  if (!changed.isEmpty()) {
    for (const [id, m] of managed) {
      if (id === current) continue;
      const clash = m.set.intersection(changed);
      if (!clash.isEmpty()) {
        // Forced writes report no conflicts: their paths are only listed when they count.
        if (!force) for (const path of clash.paths()) conflicts.push({ managerId: id, path });
        losses.set(id, clash);
      }
    }
  }
  if (conflicts.length > 0) return { changed, removed, conflicts };
  for (const [id, m] of managed) {
    if (id === current) continue;
    const lost = losses.get(id);
    m.set = (lost ? m.set.difference(lost) : m.set).difference(removed);
    if (m.set.isEmpty()) managed.delete(id);
  }
  return { changed, removed, conflicts: [] };
}

/** The fields no manager may own are dropped from `id`'s set; an empty manager goes. */
export function stripMeta(managed: Managed, id: string): void {
  const m = managed.get(id);
  if (!m) return;
  m.set = m.set.difference(STRIPPED);
  if (m.set.isEmpty()) managed.delete(id);
}

export interface UpdateManagedFieldsOptions {
  /** The stored object before the write; null or undefined on create. */
  old: JsonObject | null | undefined;
  /** The object about to be stored; managedFields it carries (from the request) are honoured. */
  updated: JsonObject;
  manager: string;
  operation?: 'Update';
  /** The apiVersion of the request (`apps/v1`). */
  apiVersion: string;
  /** Set for writes through a subresource (`status`, `scale`): their request never sets managedFields. */
  subresource?: string;
  /** The time of the write (a Date or epoch milliseconds). */
  now: Date | number;
  schema: Schema;
  typeName: string | undefined;
  /** Fields the write resets (e.g. `status` on the main resource): never owned. */
  resetFields?: FieldSet;
}

/**
 * Records a non-apply write: returns the metadata.managedFields to store with `updated`, or
 * undefined when the object is not tracked (the field is then left out). `updated` may carry
 * managedFields from the request: upstream honours them (and `[]` resets tracking).
 */
export function updateManagedFields(o: UpdateManagedFieldsOptions): ManagedFieldsEntry[] | undefined {
  const old = o.old ?? null;
  let managed = decodeLiveOrNew(old, o.updated, !!o.subresource);
  // An existing object without managedFields stays untracked (upstream's skipNonApplied).
  if (managed.size === 0 && old) return undefined;
  const typed = Typed.of(Shapes.of(o.schema));
  if (!old && managed.size === 0) return recordCreate(typed, o);
  const oldObj = old ? withoutManagedFields(old) : null;
  const who = { manager: o.manager || 'unknown', operation: 'Update' as const, apiVersion: o.apiVersion, subresource: o.subresource };
  recordUpdate(typed, o.typeName, oldObj, withoutManagedFields(o.updated), managed, who, managerId(who), formatTime(o.now), o.resetFields);
  managed = capUpdateManagers(managed);
  const entries = encodeManagedFields(managed);
  return entries.length > 0 ? entries : undefined;
}

/**
 * recordUpdate for a create nobody tracks yet (the usual create): no ownership to transfer, so
 * the writer's entry is all it sets (compared with the type's empty object), encoded directly.
 */
function recordCreate(typed: Typed, o: UpdateManagedFieldsOptions): ManagedFieldsEntry[] | undefined {
  let set = typed.changes({}, withoutManagedFields(o.updated), typed.shapes.root(o.typeName)).changed;
  if (o.resetFields) set = set.recursiveDifference(o.resetFields);
  set = set.difference(STRIPPED);
  if (set.isEmpty()) return undefined;
  const e: ManagedFieldsEntry = { manager: o.manager || 'unknown', operation: 'Update', apiVersion: o.apiVersion, time: formatTime(o.now), fieldsType: 'FieldsV1', fieldsV1: set.toFieldsV1() };
  if (o.subresource) e.subresource = o.subresource;
  return [e];
}

/** One Update write by `who`: it takes what changed (merged into its previous entry). */
export function recordUpdate(
  typed: Typed,
  typeName: string | undefined,
  oldObj: Json | null,
  newObj: Json,
  managed: Managed,
  who: Omit<ManagerState, 'set' | 'time'>,
  id: string,
  time: string,
  resetFields?: FieldSet,
): void {
  const current = '\u0000current-operation';
  const { changed } = transferOwnership(typed, typeName, oldObj ?? {}, newObj, managed, current, true, resetFields);
  const set = changed.difference(STRIPPED);
  if (set.isEmpty()) return;
  const previous = managed.get(id);
  const state: ManagerState = { ...who, set: previous ? previous.set.union(set) : set, time };
  if (!state.subresource) delete state.subresource;
  managed.set(id, state);
}

function decodeLiveOrNew(old: JsonObject | null, updated: JsonObject, ignoreRequest: boolean): Managed {
  const fromLive = () => decodeOrEmpty(managedFieldsOf(old));
  if (ignoreRequest) return fromLive();
  const requested = managedFieldsOf(updated);
  // `[]` or `[{}]` in the request resets tracking.
  if (Array.isArray(requested) && (requested.length === 0 || (requested.length === 1 && deepEqual(requested[0], {})))) return new Map();
  const decoded = decodeOrEmpty(requested);
  return decoded.size > 0 ? decoded : fromLive();
}

function decodeOrEmpty(entries: unknown): Managed {
  try {
    return decodeManagedFields(entries);
  } catch {
    return new Map();
  }
}

export function managedFieldsOf(obj: JsonObject | null): unknown {
  const meta = obj?.metadata;
  return isObject(meta) ? meta.managedFields : undefined;
}

export function withoutManagedFields(obj: JsonObject): JsonObject {
  const meta = obj.metadata;
  if (!isObject(meta) || !('managedFields' in meta)) return obj;
  const { managedFields: _drop, ...rest } = meta;
  return { ...obj, metadata: rest };
}

/** Sets (or removes, when empty) metadata.managedFields on `object`. */
export function finish(object: JsonObject, managed: Managed): { object: JsonObject; managedFields: ManagedFieldsEntry[] } {
  const managedFields = encodeManagedFields(managed);
  const meta: JsonObject = isObject(object.metadata) ? object.metadata : (object.metadata = {});
  if (managedFields.length > 0) meta.managedFields = managedFields as unknown as Json;
  else delete meta.managedFields;
  return { object, managedFields };
}

/** Merges the oldest Update managers into "ancient-changes" (one per apiVersion) past the cap. */
function capUpdateManagers(managed: Managed): Managed {
  const updaters = [...managed.entries()].filter(([, m]) => m.operation === 'Update');
  if (updaters.length <= MAX_UPDATE_MANAGERS) return managed;
  const secs = (t?: string) => (t ? Math.floor(Date.parse(t) / 1000) : 0);
  updaters.sort(([ia, a], [ib, b]) => secs(a.time) - secs(b.time) || (ia < ib ? -1 : ia > ib ? 1 : 0));
  const firstByVersion = new Map<string, string>();
  let count = updaters.length;
  for (const [id, m] of updaters) {
    if (count <= MAX_UPDATE_MANAGERS) break;
    const bucket = managerId({ manager: 'ancient-changes', operation: 'Update', apiVersion: m.apiVersion });
    const first = firstByVersion.get(m.apiVersion);
    if (first === undefined) {
      firstByVersion.set(m.apiVersion, id);
      continue;
    }
    if (!managed.has(bucket)) {
      const s = managed.get(first)!;
      managed.delete(first);
      managed.set(bucket, { ...s, manager: 'ancient-changes', operation: 'Update', subresource: undefined });
    }
    const b = managed.get(bucket)!;
    managed.set(bucket, { ...b, set: m.set.union(b.set), time: m.time });
    managed.delete(id);
    count--;
  }
  for (const m of managed.values()) if (m.subresource === undefined) delete m.subresource;
  return managed;
}
