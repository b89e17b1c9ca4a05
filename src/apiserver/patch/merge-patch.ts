// RFC 7386 JSON merge patch (application/merge-patch+json): objects merge key by key, null
// deletes, anything else (arrays included) replaces. Mirrors evanphx/json-patch v4's MergePatch,
// which kube-apiserver uses, including where it prunes nulls from inserted values.
import { badRequest } from './patch-errors.js';
import { clone, isObject, type Json, type JsonObject } from './json.js';

/** Applies a merge patch to a copy of `doc`; a patch that is not a JSON object is a 400. */
export function applyMergePatch(doc: JsonObject, patch: unknown): JsonObject {
  if (!isObject(patch)) throw badRequest('Invalid JSON Patch');
  const out = clone(doc);
  mergeInto(out, clone(patch));
  return out;
}

function mergeInto(doc: JsonObject, patch: JsonObject): void {
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) {
      delete doc[k];
      continue;
    }
    const cur = doc[k];
    doc[k] = cur === undefined || cur === null ? pruneNulls(v) : mergeValue(cur, v);
  }
}

function mergeValue(cur: Json, patch: Json): Json {
  // A non-object current value is simply replaced; v4 prunes nulls from the replacement.
  if (!isObject(cur)) return pruneNulls(patch);
  // An object replaced by a non-object keeps the patch value as sent.
  if (!isObject(patch)) return patch;
  mergeInto(cur, patch);
  return cur;
}

/** Drops null members of objects (also inside arrays); null array elements stay. */
export function pruneNulls(v: Json): Json {
  if (Array.isArray(v)) return v.map((x) => (x === null ? x : pruneNulls(x)));
  if (isObject(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (x === null) delete v[k];
      else v[k] = pruneNulls(x);
    }
  }
  return v;
}
