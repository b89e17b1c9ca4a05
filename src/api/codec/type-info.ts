// What the codecs need to know about a schema type, computed once per type: whether it is one of
// the types with their own JSON form (Quantity, IntOrString, Time…), its properties as a Map,
// and its Go name for upstream-style messages (`v1.PodSpec`).
import type { FieldSchema, Schema, TypeSchema } from '../schema/index.js';

/** Types whose JSON is not their OpenAPI object shape. */
export type SpecialKind = 'quantity' | 'intOrString' | 'time' | 'microTime' | 'any';

export const SPECIAL_TYPES: Readonly<Record<string, SpecialKind>> = {
  'io.k8s.apimachinery.pkg.api.resource.Quantity': 'quantity',
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': 'intOrString',
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time': 'time',
  'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime': 'microTime',
  'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1': 'any',
  'io.k8s.apimachinery.pkg.runtime.RawExtension': 'any',
  'io.k8s.apimachinery.pkg.apis.meta.v1.Patch': 'any',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON': 'any',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrArray': 'any',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool': 'any',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrStringArray': 'any',
};

export interface TypeInfo {
  name: string;
  schema: TypeSchema | undefined;
  special?: SpecialKind;
  /** Struct properties (empty for a struct without fields). */
  props: Map<string, FieldSchema>;
  required: readonly string[];
  /** `PodSpec` — the Go struct name upstream's type errors show. */
  short: string;
  /** `v1.PodSpec` — the Go type name. */
  goName: string;
}

const caches = new WeakMap<Schema, Map<string, TypeInfo>>();

export function typeInfo(schema: Schema, name: string): TypeInfo {
  let cache = caches.get(schema);
  if (!cache) caches.set(schema, (cache = new Map()));
  let info = cache.get(name);
  if (!info) {
    const t = schema.types[name];
    const parts = name.split('.');
    const short = parts[parts.length - 1] ?? name;
    info = {
      name,
      schema: t,
      special: SPECIAL_TYPES[name] ?? (t ? undefined : 'any'),
      props: new Map(Object.entries(t?.properties ?? {})),
      required: t?.required ?? [],
      short,
      goName: parts.length > 1 ? `${parts[parts.length - 2]}.${short}` : short,
    };
    cache.set(name, info);
  }
  return info;
}

/** Go's name for a field's type, as reflect.Type.String() shows it in decode errors. */
export function goTypeOf(schema: Schema, f: FieldSchema): string {
  if (f.ref) return typeInfo(schema, f.ref).goName;
  switch (f.type) {
    case 'string':
      return f.format === 'byte' ? '[]uint8' : 'string';
    case 'integer':
      return f.format === 'int32' ? 'int32' : 'int64';
    case 'number':
      return 'float64';
    case 'boolean':
      return 'bool';
    case 'array':
      return `[]${f.items ? goTypeOf(schema, f.items) : 'interface {}'}`;
    case 'object':
      return f.additionalProperties ? `map[string]${goTypeOf(schema, f.additionalProperties)}` : 'map[string]interface {}';
    default:
      return 'interface {}';
  }
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** How Go's decoder names a JSON value's kind in `cannot unmarshal X into …`. */
export function jsonKind(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'array';
  return 'object';
}
