// RFC 6902 JSON patch (application/json-patch+json), applied as kube-apiserver applies it with
// evanphx/json-patch v4: a body that is not a list of operation objects is a 400; an operation
// that cannot apply (failed test, missing path, bad index) is upstream's generic 422.
import jsonpatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { errors, field } from '../../api/errors.js';
import { badRequest, rejected } from './patch-errors.js';
import { clone, isObject, jsonKindName, type Json, type JsonObject } from './json.js';

/** kube-apiserver's cap on operations in one JSON patch. */
export const MAX_JSON_PATCH_OPERATIONS = 10000;

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

/** Applies `patchBody` (the decoded request body) to a copy of `doc`. */
export function applyJsonPatch(doc: JsonObject, patchBody: unknown): JsonObject {
  const ops = decodePatch(patchBody);
  if (ops.length > MAX_JSON_PATCH_OPERATIONS) {
    throw errors.tooLarge(`The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${ops.length}`);
  }
  let current: Json = clone(doc);
  for (const raw of ops) {
    const op = normalizeOp(raw, current);
    try {
      current = jsonpatch.applyOperation(current, op, true, true).newDocument as Json;
    } catch (e) {
      throw rejected(e instanceof Error ? e.message : String(e));
    }
  }
  if (!isObject(current)) {
    // The patched document must still decode into the object's type.
    throw errors.invalid('', '', '', [field.invalid('patch', JSON.stringify(current), `json: cannot unmarshal ${jsonKindName(current)} into Go value of type map[string]interface {}`)]);
  }
  return current;
}

/** Go decodes the body into `[]map[string]*json.RawMessage`; anything else is a 400. */
function decodePatch(body: unknown): Record<string, unknown>[] {
  if (body === null) return []; // `null` decodes to an empty patch
  if (!Array.isArray(body)) {
    throw badRequest(`json: cannot unmarshal ${jsonKindName(body)} into Go value of type jsonpatch.Patch`);
  }
  for (const op of body) {
    if (op !== null && !isObject(op)) {
      throw badRequest(`json: cannot unmarshal ${jsonKindName(op)} into Go value of type jsonpatch.Operation`);
    }
  }
  return body.map((op) => (op ?? {}) as Record<string, unknown>);
}

/** Checks one operation's shape and folds in evanphx/json-patch v4's leniencies. */
function normalizeOp(raw: Record<string, unknown>, doc: Json): Operation {
  const kind = raw.op;
  if (typeof kind !== 'string' || !OPS.has(kind)) throw rejected(`Unexpected kind: ${typeof kind === 'string' ? kind : 'unknown'}`);
  if (typeof raw.path !== 'string') throw rejected(`${kind} operation failed to decode path: missing value`);
  if ((kind === 'move' || kind === 'copy') && typeof raw.from !== 'string') {
    throw rejected(`${kind} operation failed to decode from: operation, missing from field: missing value`);
  }
  // v4 treats an absent value as JSON null.
  const value = 'value' in raw ? raw.value : null;
  const op = { ...raw, op: kind, value } as unknown as Operation;
  // v4 lets "replace" create a missing object member (it only checks the parent exists).
  if (kind === 'replace' && raw.path !== '') {
    const parent = parentOf(doc, raw.path);
    const key = lastToken(raw.path);
    if (isObject(parent) && !(key in parent)) return { op: 'add', path: raw.path, value } as Operation;
  }
  return op;
}

function parentOf(doc: Json, path: string): Json | undefined {
  const cut = path.lastIndexOf('/');
  if (cut <= 0) return doc;
  try {
    return jsonpatch.getValueByPointer(doc, path.slice(0, cut)) as Json | undefined;
  } catch {
    return undefined;
  }
}

function lastToken(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1).replace(/~1/g, '/').replace(/~0/g, '~');
}
