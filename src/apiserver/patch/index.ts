// The patch engines behind PATCH requests, picked by Content-Type as kube-apiserver picks them:
// JSON patch, JSON merge patch, strategic merge patch (types with a schema only) and
// server-side apply. The caller then defaults, validates, records managedFields for non-apply
// patches (updateManagedFields) and stores the result.
import { parse as parseYaml } from 'yaml';
import type { GroupVersionKind, Schema } from '../../api/schema/index.js';
import { errors, field, type FieldError } from '../../api/errors.js';
import { applyJsonPatch } from './json-patch.js';
import { applyMergePatch } from './merge-patch.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';
import { serverSideApply } from './apply/server-side-apply.js';
import type { FieldSet } from './apply/fieldsets.js';
import { PATCH_TYPES, badRequest, unsupportedPatchType, type PatchType } from './patch-errors.js';
import { isObject, jsonKindName, type JsonObject } from './json.js';

export { PATCH_TYPES, type PatchType } from './patch-errors.js';
export { applyJsonPatch, MAX_JSON_PATCH_OPERATIONS } from './json-patch.js';
export { applyMergePatch } from './merge-patch.js';
export { applyStrategicMergePatch } from './strategic-merge-patch.js';
export { serverSideApply, LAST_APPLIED_ANNOTATION, type ServerSideApplyOptions } from './apply/server-side-apply.js';
export {
  updateManagedFields, managerFromUserAgent, decodeManagedFields, encodeManagedFields, MAX_UPDATE_MANAGERS,
  type ManagedFieldsEntry, type UpdateManagedFieldsOptions,
} from './apply/managed-fields.js';
export { FieldSet, pathString, type Path, type PathElement } from './apply/fieldsets.js';
export type { Json, JsonObject } from './json.js';

export interface ApplyPatchOptions {
  /** The request's Content-Type; parameters (`; charset=utf-8`) are ignored. */
  contentType: string;
  /** The stored object, in the request's version; null/undefined when absent (only an apply may then create it). */
  live: JsonObject | null | undefined;
  body: Buffer | string;
  schema: Schema;
  /** The object's schema type; undefined for kinds without one (custom resources). */
  typeName: string | undefined;
  /** The field manager (required for apply). */
  manager: string;
  force?: boolean;
  /** The time of the write (a Date or epoch milliseconds). */
  now: Date | number;
  /** The endpoint's apiVersion and kind, which an applied object must match (default: the schema type's). */
  apiVersion?: string;
  kind?: string;
  /** Fields the write resets (e.g. `status` on the main resource): never owned by an applier. */
  resetFields?: FieldSet;
  /** Names the object in NotFound/Conflict answers. */
  target?: { group: string; resource: string; name: string };
  /** Set for a patch through a subresource (`status`, `scale`); recorded by an apply. */
  subresource?: string;
}

/** The patch types a resource accepts: no strategic merge patch without a schema type. */
export function acceptedPatchTypes(hasSchemaType: boolean): PatchType[] {
  return hasSchemaType
    ? [PATCH_TYPES.json, PATCH_TYPES.merge, PATCH_TYPES.strategic, PATCH_TYPES.apply]
    : [PATCH_TYPES.json, PATCH_TYPES.merge, PATCH_TYPES.apply];
}

/**
 * Applies a PATCH body to the live object and returns the patched object (for apply, with its
 * managedFields already set). Throws StatusErrors as kube-apiserver answers them.
 */
export function applyPatch(o: ApplyPatchOptions): JsonObject {
  const live = o.live ?? null;
  const hasType = !!(o.typeName && o.schema.types[o.typeName]);
  const accepted = acceptedPatchTypes(hasType);
  const patchType = mediaType(o.contentType) as PatchType;
  if (!accepted.includes(patchType)) throw unsupportedPatchType(accepted);
  const text = typeof o.body === 'string' ? o.body : o.body.toString('utf8');

  if (patchType === PATCH_TYPES.apply) {
    validatePatchOptions({ patchType, fieldManager: o.manager });
    const applied = decodeApplyBody(text);
    const { object } = serverSideApply({
      live, applied, manager: o.manager, force: !!o.force, schema: o.schema, typeName: o.typeName, now: o.now,
      gvk: endpointKind(o.apiVersion, o.kind), resetFields: o.resetFields, subresource: o.subresource,
    });
    const uid = isObject(object.metadata) ? object.metadata.uid : undefined;
    // An apply that would create an object while naming a uid targets one that is gone.
    if (live === null && typeof uid === 'string' && uid) {
      const t = o.target ?? { group: '', resource: '', name: '' };
      throw errors.conflict(t.group, t.resource, t.name, `uid mismatch: the provided object specified uid ${uid}, and no existing object was found`);
    }
    return object;
  }

  const body = decodeJsonBody(text);
  if (!live) {
    throw o.target ? errors.notFound(o.target.group, o.target.resource, o.target.name) : errors.internal('patch of a missing object');
  }
  switch (patchType) {
    case PATCH_TYPES.json:
      return applyJsonPatch(live, body);
    case PATCH_TYPES.merge:
      return applyMergePatch(live, body);
    default:
      return applyStrategicMergePatch(live, body, o.schema, o.typeName);
  }
}

function endpointKind(apiVersion: string | undefined, kind: string | undefined): GroupVersionKind | undefined {
  if (!apiVersion || !kind) return undefined;
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion, kind } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1), kind };
}

/**
 * Upstream's PatchOptions validation: apply needs a fieldManager, `force` is for apply only,
 * and a fieldManager is at most 128 printable characters. Throws 422 (PatchOptions invalid).
 */
export function validatePatchOptions(o: { patchType: string; fieldManager?: string; force?: boolean }): void {
  const errs: FieldError[] = [];
  const manager = o.fieldManager ?? '';
  if (mediaType(o.patchType) !== PATCH_TYPES.apply) {
    if (o.force !== undefined) errs.push(field.forbidden('force', 'may not be specified for non-apply patch'));
  } else if (!manager) {
    errs.push(field.required('fieldManager', 'is required for apply patch'));
  }
  if (manager.length > 128) errs.push(field.tooLong('fieldManager', 128));
  let pos = 0;
  for (const ch of manager) {
    if (!/\P{C}/u.test(ch)) {
      const cp = ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
      errs.push(field.invalid('fieldManager', manager, `invalid character U+${cp} (at position ${pos})`));
    }
    pos += Buffer.byteLength(ch);
  }
  if (errs.length > 0) throw errors.invalid('meta.k8s.io', 'PatchOptions', '', errs);
}

function mediaType(contentType: string): string {
  const cut = contentType.indexOf(';');
  return (cut > 0 ? contentType.slice(0, cut) : contentType).trim().toLowerCase();
}

function decodeJsonBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badRequest('invalid JSON patch');
  }
}

/** An apply body is YAML (JSON being a subset), decoded as Kubernetes does (YAML 1.1). */
function decodeApplyBody(text: string): JsonObject {
  let doc: unknown;
  try {
    doc = parseJsonFast(text) ?? parseYaml(text, { version: '1.1', merge: true });
  } catch (e) {
    throw badRequest(`error encoding patch: ${(e as Error).message}`);
  }
  if (doc === null || doc === undefined) return {};
  if (!isObject(doc)) throw badRequest(`error decoding patch: json: cannot unmarshal ${jsonKindName(doc)} into Go value of type map[string]interface {}`);
  return doc;
}

/** kubectl sends apply bodies as JSON: skip the (much slower) YAML parser when it is JSON. */
function parseJsonFast(text: string): unknown {
  if (!text.trimStart().startsWith('{')) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined; // flow-style YAML, or broken: let the YAML parser decide
  }
}
