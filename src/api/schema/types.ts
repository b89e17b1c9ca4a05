// Shape of src/api/generated/schema.json, written by scripts/gen-schema.ts from the upstream
// OpenAPI v2 definition and generated.proto files. Property names follow OpenAPI's extensions
// (x-kubernetes-list-type → listType, x-kubernetes-patch-merge-key → patchMergeKey, …).

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface FieldSchema {
  /** Name of a type in `types` (OpenAPI $ref). */
  ref?: string;
  type?: 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object';
  /** int32, int64, double, byte, date-time, int-or-string… */
  format?: string;
  items?: FieldSchema;
  additionalProperties?: FieldSchema;
  listType?: 'atomic' | 'set' | 'map';
  listMapKeys?: string[];
  mapType?: 'atomic' | 'granular';
  /** Strategic merge patch strategy: 'merge', 'retainKeys', 'merge,retainKeys', 'replace'. */
  patchStrategy?: string;
  patchMergeKey?: string;
}

/** A protobuf field of the type's generated.proto message. */
export interface ProtoField {
  name: string;
  n: number;
  /** Scalar (string, bool, int32, int64, bytes, double…), 'map', or a type name in `types`. */
  t: string;
  repeated?: true;
  /** For maps: key and value types. */
  key?: string;
  value?: string;
  /** The JSON property name when it differs from the proto name. */
  json?: string;
  /** A Go embedded struct: the message's fields are inline in the JSON object. */
  inline?: true;
}

export interface TypeSchema {
  /** Set for non-object types (IntOrString: string/int-or-string, Quantity: string, Time: string/date-time). */
  type?: string;
  format?: string;
  gvk?: GroupVersionKind[];
  required?: string[];
  mapType?: 'atomic' | 'granular';
  unions?: unknown;
  properties?: Record<string, FieldSchema>;
  proto?: ProtoField[];
  /** A protobuf message with no OpenAPI definition (runtime.Unknown, ExtraValue…). */
  protoOnly?: true;
}

export interface SubresourceSchema {
  name: string;
  /** The kind the subresource answers with (responseKind). */
  group: string;
  version: string;
  kind: string;
  verbs: string[];
}

export interface ResourceSchema {
  group: string;
  version: string;
  resource: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
  subresources: SubresourceSchema[];
}

export interface GeneratedSchema {
  version: string;
  types: Record<string, TypeSchema>;
  resources: ResourceSchema[];
}
