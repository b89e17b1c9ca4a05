// Server-side apply (application/apply-patch+yaml), after kube-apiserver's FieldManager.Apply
// and structured-merge-diff's Updater.Apply: the applied configuration is merged into the live
// object, fields the manager applied before but no longer applies are removed (unless another
// manager owns them), and changing a field another manager owns is a 409 conflict unless forced.
// The applier then owns exactly the fields of its configuration.
import type { GroupVersionKind, Schema } from '../../../api/schema/index.js';
import { StatusError, errors } from '../../../api/errors.js';
import { unknownError } from '../patch-errors.js';
import { clone, cloneJson, deepEqual, goJson, isObject, type Json, type JsonObject } from '../json.js';
import { FieldSet, pathString } from './fieldsets.js';
import {
  decodeManagedFields, finish, formatTime, managedFieldsOf, managerId, recordUpdate, stripMeta, transferOwnership, withoutManagedFields,
  type Conflict, type Managed, type ManagedFieldsEntry,
} from './managed-fields.js';
import { Shapes, type Shape } from './shape.js';
import { Typed } from './typed.js';

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

export interface ServerSideApplyOptions {
  /** The stored object (in the request's version); null/undefined when the apply creates it. */
  live: JsonObject | null | undefined;
  /** The applied configuration (the decoded request body). */
  applied: JsonObject;
  /** The fieldManager (required for apply). */
  manager: string;
  force: boolean;
  schema: Schema;
  typeName: string | undefined;
  /** The time of the write (a Date or epoch milliseconds). */
  now: Date | number;
  /** The kind the endpoint serves; defaults to the schema type's kind. */
  gvk?: GroupVersionKind;
  /** Fields the write resets (e.g. `status` on the main resource): never owned. */
  resetFields?: FieldSet;
  /** Set for an apply through a subresource (`kubectl apply --server-side --subresource=status`). */
  subresource?: string;
}

/** Applies; throws a StatusError (400 bad input, 409 conflicts, 500 undecodable state). */
export function serverSideApply(o: ServerSideApplyOptions): { object: JsonObject; managedFields: ManagedFieldsEntry[] } {
  const gvk = o.gvk ?? o.schema.types[o.typeName ?? '']?.gvk?.[0];
  checkKind(o.applied, gvk);
  const meta = o.applied.metadata;
  if (isObject(meta) && meta.managedFields !== undefined && meta.managedFields !== null) throw errors.badRequest('metadata.managedFields must be nil');

  const shapes = Shapes.of(o.schema);
  const typed = Typed.of(shapes);
  const shape = shapes.root(o.typeName);
  const problems = typed.validate(o.applied, shape);
  if (problems.length > 0) {
    const text = problems.length === 1 ? problems[0] : ['errors:', ...problems.map((p) => `  ${p}`)].join('\n');
    throw unknownError(`failed to create typed patch object (${describe(o.applied)}): ${text}`);
  }

  let managed: Managed;
  try {
    managed = decodeManagedFields(managedFieldsOf(o.live ?? null));
  } catch (e) {
    throw unknownError(`failed to decode managed fields: ${(e as Error).message}`);
  }
  const apiVersion = typeof o.applied.apiVersion === 'string' ? o.applied.apiVersion : '';
  const live = o.live ? withoutManagedFields(o.live) : null;
  const time = formatTime(o.now);
  // An object nobody tracks yet: its current fields belong to "before-first-apply".
  if (managed.size === 0 && live) {
    const who = { manager: 'before-first-apply', operation: 'Update' as const, apiVersion };
    recordUpdate(typed, o.typeName, {}, live, managed, who, managerId(who), time, o.resetFields);
  }

  const ctx: ApplyContext = { typed, shape, typeName: o.typeName, live, applied: o.applied, manager: o.manager, apiVersion, time, resetFields: o.resetFields, subresource: o.subresource };
  let result = tryApply(ctx, cloneManaged(managed), o.force);
  if ('conflicts' in result && o.manager === 'kubectl') {
    // kubectl migrating from client-side apply may take over what its last-applied annotation set.
    const allowed = allowedFromLastApplied(typed, shape, live, apiVersion);
    const remaining = allowed ? result.conflicts.filter((c) => !allowed.has(c.path)) : result.conflicts;
    result = remaining.length === 0 ? tryApply(ctx, cloneManaged(managed), true) : { conflicts: remaining };
  }
  if ('conflicts' in result) throw conflictError(result.conflicts, managed);

  const object = result.object;
  if (o.manager === 'kubectl') updateLastApplied(object, o.applied);
  return finish(object, result.managed);
}

interface ApplyContext {
  typed: Typed;
  shape: Shape;
  typeName: string | undefined;
  live: JsonObject | null;
  applied: JsonObject;
  manager: string;
  apiVersion: string;
  time: string;
  resetFields?: FieldSet;
  subresource?: string;
}

type ApplyResult = { object: JsonObject; managed: Managed } | { conflicts: Conflict[] };

function tryApply(c: ApplyContext, managed: Managed, force: boolean): ApplyResult {
  const { typed, shape } = c;
  const id = managerId({ manager: c.manager, operation: 'Apply', subresource: c.subresource });
  const liveValue: Json = c.live ?? {};
  const merged = (typed.merge(liveValue, c.applied, shape) ?? {}) as JsonObject;
  const previous = managed.get(id);
  let set = typed.toFieldSet(c.applied, shape);
  if (c.resetFields) set = set.recursiveDifference(c.resetFields);
  managed.set(id, { manager: c.manager, operation: 'Apply', apiVersion: c.apiVersion, ...(c.subresource ? { subresource: c.subresource } : {}), ...(previous?.time ? { time: previous.time } : {}), set });
  const pruned = prune(typed, shape, merged, managed, previous?.set);
  const { conflicts } = transferOwnership(typed, c.typeName, liveValue, pruned, managed, id, force, c.resetFields);
  if (conflicts.length > 0) return { conflicts };
  stripMeta(managed, id);
  const entry = managed.get(id);
  // Upstream stamps the time when the object changed; a first apply that changes nothing gets one too.
  if (entry && (!entry.time || !deepEqual(liveValue, pruned))) entry.time = c.time;
  return { object: cloneJson(pruned), managed };
}

/**
 * Removes what the manager applied last time and no longer applies, unless some manager
 * (this one included) still owns it; never removes what the manager did not own before.
 */
function prune(typed: Typed, shape: Shape, merged: JsonObject, managed: Managed, lastSet: FieldSet | undefined): JsonObject {
  if (!lastSet || lastSet.isEmpty()) return merged;
  const named = (s: FieldSet) => typed.ensureNamedFieldsAreMembers(s, shape);
  const fieldsOf = (v: Json | undefined) => named(typed.toFieldSet(v ?? {}, shape));
  const last = named(lastSet);
  const withoutLast = typed.removeItems(merged, last, shape);
  let owned = new FieldSet();
  for (const m of managed.values()) owned = owned.union(m.set);
  const mergedSet = fieldsOf(merged);
  const ownedBack = typed.removeItems(merged, mergedSet.difference(fieldsOf(withoutLast).union(named(owned))), shape);
  const dangling = mergedSet.difference(fieldsOf(ownedBack)).intersection(last);
  return (typed.removeItems(merged, dangling, shape) ?? {}) as JsonObject;
}

/** Fields of the last-applied annotation whose live value is still what kubectl applied. */
function allowedFromLastApplied(typed: Typed, shape: Shape, live: JsonObject | null, apiVersion: string): FieldSet | undefined {
  const meta = live?.metadata;
  const annotations = isObject(meta) && isObject(meta.annotations) ? meta.annotations : undefined;
  const text = annotations?.[LAST_APPLIED_ANNOTATION];
  if (typeof text !== 'string' || !text) return undefined;
  let last: unknown;
  try {
    last = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(last) || last.apiVersion !== apiVersion || !live) return undefined;
  const cmp = typed.compare(last, withoutManagedFields(live), shape);
  return typed.toFieldSet(last, shape).difference(cmp.modified).difference(cmp.added).difference(cmp.removed);
}

/** kubectl's last-applied annotation, when present, follows what was just applied. */
function updateLastApplied(object: JsonObject, applied: JsonObject): void {
  const meta = object.metadata;
  if (!isObject(meta) || !isObject(meta.annotations)) return;
  const current = meta.annotations[LAST_APPLIED_ANNOTATION];
  if (typeof current !== 'string' || !current) return;
  const config = clone(applied);
  const cmeta = config.metadata;
  if (isObject(cmeta) && isObject(cmeta.annotations)) delete cmeta.annotations[LAST_APPLIED_ANNOTATION];
  meta.annotations[LAST_APPLIED_ANNOTATION] = `${goJson(config)}\n`;
}

/** 409 as upstream words it: `Apply failed with 1 conflict: conflict with "m" using apps/v1: .spec.replicas`. */
function conflictError(conflicts: Conflict[], managed: Managed): StatusError {
  const sorted = [...conflicts].sort((a, b) => (a.managerId < b.managerId ? -1 : a.managerId > b.managerId ? 1 : 0));
  const label = (id: string) => printManager(managed, id);
  const causes = sorted.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${label(c.managerId)}`, field: pathString(c.path) }));
  let message: string;
  if (sorted.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${label(sorted[0]!.managerId)}: ${pathString(sorted[0]!.path)}`;
  } else {
    const lines: string[] = [];
    let prev: string | undefined;
    for (const c of sorted) {
      if (c.managerId !== prev) lines.push(`conflicts with ${label(c.managerId)}:`);
      prev = c.managerId;
      lines.push(`- ${pathString(c.path)}`);
    }
    message = `Apply failed with ${sorted.length} conflicts: ${lines.join('\n')}`;
  }
  return new StatusError(409, 'Conflict', message, { causes });
}

function printManager(managed: Managed, id: string): string {
  const m = managed.get(id);
  if (!m) return JSON.stringify(id);
  let s = JSON.stringify(m.manager);
  if (m.subresource) s += ` with subresource ${JSON.stringify(m.subresource)}`;
  return m.operation === 'Update' ? `${s} using ${m.apiVersion}` : s;
}

/** The applied object must be of the endpoint's kind (upstream's versionCheckManager). */
function checkKind(applied: JsonObject, gvk: GroupVersionKind | undefined): void {
  const apiVersion = typeof applied.apiVersion === 'string' ? applied.apiVersion : '';
  const kind = typeof applied.kind === 'string' ? applied.kind : '';
  const want = gvk ? (gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version) : undefined;
  // Without a known kind, the configuration must still say what it is.
  const ok = want !== undefined ? apiVersion === want && kind === gvk!.kind : apiVersion !== '' && kind !== '';
  if (!ok) throw errors.badRequest(`invalid object type: ${gvkText(apiVersion, kind)}`);
}

/** Go's GroupVersionKind.String(): `apps/v1, Kind=Deployment`, `/v1, Kind=Pod`. */
function gvkText(apiVersion: string, kind: string): string {
  return `${apiVersion.includes('/') ? apiVersion : `/${apiVersion}`}, Kind=${kind}`;
}

function describe(obj: JsonObject): string {
  const meta = isObject(obj.metadata) ? obj.metadata : {};
  const str = (v: Json | undefined) => (typeof v === 'string' ? v : '');
  return `${str(meta.namespace)}/${str(meta.name)}; ${gvkText(str(obj.apiVersion), str(obj.kind))}`;
}

function cloneManaged(m: Managed): Managed {
  return new Map([...m].map(([id, s]) => [id, { ...s }]));
}
