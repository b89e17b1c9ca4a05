// Turns the compact generated schema back into OpenAPI schema objects (Swagger 2.0
// `definitions` or OpenAPI 3.0 `components.schemas`): `$ref`s, formats, `required`, GVKs as
// `x-kubernetes-group-version-kind` arrays, and the list/map/patch short names restored to
// their `x-kubernetes-*` extensions. Descriptions are not carried.
import type { FieldSchema, GroupVersionKind, Schema, TypeSchema } from '../schema/index.js';

export type Flavor = 'v2' | 'v3';
export type JsonObject = Record<string, unknown>;

const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';

/** Where a flavor's documents keep their named schemas. */
export function refTo(typeName: string, flavor: Flavor): string {
  return (flavor === 'v3' ? '#/components/schemas/' : '#/definitions/') + typeName;
}

/** The GVK object as upstream writes it in operations and schema extensions. */
export function gvkObject(g: GroupVersionKind): { group: string; kind: string; version: string } {
  return { group: g.group, kind: g.kind, version: g.version };
}

/** One property (or array item / map value) schema. */
export function fieldSchema(f: FieldSchema, flavor: Flavor): JsonObject {
  const ext = extensions(f);
  if (f.ref) {
    const ref = { $ref: refTo(f.ref, flavor) };
    if (!Object.keys(ext).length) return ref;
    // OpenAPI 3 ignores siblings of $ref: upstream wraps the reference in allOf when it has any.
    return flavor === 'v3' ? { allOf: [ref], ...ext } : { ...ref, ...ext };
  }
  const out: JsonObject = {};
  if (f.type) out.type = f.type;
  if (f.format) out.format = f.format;
  if (f.items) out.items = fieldSchema(f.items, flavor);
  if (f.additionalProperties) out.additionalProperties = fieldSchema(f.additionalProperties, flavor);
  return Object.assign(out, ext);
}

function extensions(f: FieldSchema): JsonObject {
  const ext: JsonObject = {};
  if (f.listType) ext['x-kubernetes-list-type'] = f.listType;
  if (f.listMapKeys) ext['x-kubernetes-list-map-keys'] = [...f.listMapKeys];
  if (f.mapType) ext['x-kubernetes-map-type'] = f.mapType;
  if (f.patchMergeKey) ext['x-kubernetes-patch-merge-key'] = f.patchMergeKey;
  if (f.patchStrategy) ext['x-kubernetes-patch-strategy'] = f.patchStrategy;
  return ext;
}

/** A named type's schema. */
export function typeSchema(name: string, t: TypeSchema, flavor: Flavor): JsonObject {
  if (flavor === 'v3' && name === INT_OR_STRING) {
    // Upstream v3 writes IntOrString as oneOf integer|string; the CRD-style extension says the same.
    return { format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true };
  }
  if (flavor === 'v3' && name === QUANTITY) return { oneOf: [{ type: 'string' }, { type: 'number' }] };
  const out: JsonObject = {};
  if (t.type) out.type = t.type;
  if (t.format) out.format = t.format;
  if (t.properties) {
    const props: JsonObject = {};
    for (const [k, f] of Object.entries(t.properties)) props[k] = fieldSchema(f, flavor);
    out.properties = props;
  }
  if (t.required?.length) out.required = [...t.required];
  if (t.gvk?.length) out['x-kubernetes-group-version-kind'] = t.gvk.map(gvkObject);
  if (t.mapType) out['x-kubernetes-map-type'] = t.mapType;
  if (t.unions) out['x-kubernetes-unions'] = t.unions;
  return out;
}

/** Every type reachable from `roots` through properties, items and map values, sorted by name. */
export function reachableTypes(schema: Schema, roots: Iterable<string>): string[] {
  const seen = new Set<string>();
  const queue: string[] = [];
  const visit = (name: string | undefined) => {
    if (!name || seen.has(name)) return;
    const t = schema.type(name);
    if (!t || t.protoOnly) return;
    seen.add(name);
    queue.push(name);
  };
  const walk = (f: FieldSchema | undefined): void => {
    if (!f) return;
    visit(f.ref);
    walk(f.items);
    walk(f.additionalProperties);
  };
  for (const r of roots) visit(r);
  while (queue.length) {
    const t = schema.type(queue.pop()!)!;
    for (const f of Object.values(t.properties ?? {})) walk(f);
  }
  return [...seen].sort();
}

/**
 * The named schemas of a document: every type reachable from `roots`. Pass one `cache` to
 * every document of a build: the converted schemas are shared (they are only serialized).
 */
export function schemaSection(schema: Schema, roots: Iterable<string>, flavor: Flavor, cache?: Map<string, JsonObject>): JsonObject {
  const out: JsonObject = {};
  for (const name of reachableTypes(schema, roots)) {
    let converted = cache?.get(name);
    if (!converted) {
      converted = typeSchema(name, schema.type(name)!, flavor);
      cache?.set(name, converted);
    }
    out[name] = converted;
  }
  return out;
}
