// How server-side apply sees a value's schema, as structured-merge-diff's schema does:
// structs (named fields), granular or atomic maps, lists that are atomic, sets (`v:` items) or
// associative maps keyed by fields (`k:` items), scalars, and "deduced" values whose shape
// follows the value (maps granular, lists atomic) where the schema knows nothing.
import type { FieldSchema, Schema } from '../../../api/schema/index.js';
import { isObject, type Json } from '../json.js';
import type { PathElement } from './fieldsets.js';

export type Shape =
  | { kind: 'scalar' }
  | { kind: 'struct'; typeName: string; atomic: boolean }
  /** `elem` undefined: the map's values are deduced. */
  | { kind: 'map'; elem: FieldSchema | undefined; atomic: boolean }
  | { kind: 'list'; relation: 'atomic' | 'set' | 'map'; keys: string[]; elem: FieldSchema | undefined }
  /** `root`: an object of unknown type, whose `metadata` is still an ObjectMeta. */
  | { kind: 'deduced'; root?: boolean };

export const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

const SCALAR: Shape = { kind: 'scalar' };
const DEDUCED: Shape = { kind: 'deduced' };
const DEDUCED_MAP: Shape = { kind: 'map', elem: undefined, atomic: false };
const ATOMIC_LIST: Shape = { kind: 'list', relation: 'atomic', keys: [], elem: undefined };

/**
 * Defaults of associative-list key fields, which upstream reads from the OpenAPI `default`
 * (absent from the compact schema): a port without protocol is keyed as TCP.
 */
const KEY_DEFAULTS: Record<string, Record<string, Json>> = {
  'io.k8s.api.core.v1.ContainerPort': { protocol: 'TCP' },
  'io.k8s.api.core.v1.ServicePort': { protocol: 'TCP' },
};

/**
 * Struct-valued fields that Go declares as values, not pointers, so an empty Go object already
 * has them: a change below them does not "add" the struct itself. Used by compare() to mirror
 * upstream's managedFields (`f:spec` without `.`, `f:rollingUpdate` with it). Required fields
 * are likewise always written (as null when unset), e.g. `containers`.
 */
export const VALUE_STRUCT_FIELDS = new Set(['metadata', 'spec', 'status', 'template', 'strategy', 'updateStrategy', 'jobTemplate', 'resources', 'loadBalancer', 'daemonEndpoints', 'nodeInfo']);

export class Shapes {
  constructor(readonly schema: Schema) {}

  /** The shape of a whole object of type `typeName` (deduced when the schema lacks it). */
  root(typeName: string | undefined): Shape {
    return typeName && this.schema.types[typeName]?.properties ? this.ofType(typeName, undefined) : { kind: 'deduced', root: true };
  }

  ofField(f: FieldSchema | undefined): Shape {
    if (!f) return DEDUCED;
    if (f.ref) return this.ofType(f.ref, f.mapType);
    if (f.type === 'array') {
      const merge = (f.patchStrategy ?? '').split(',').includes('merge');
      const relation = f.listType ?? (merge ? (f.patchMergeKey ? 'map' : 'set') : 'atomic');
      const keys = f.listMapKeys ?? (f.patchMergeKey ? [f.patchMergeKey] : []);
      return { kind: 'list', relation, keys: relation === 'map' ? keys : [], elem: f.items };
    }
    if (f.type === 'object') {
      return f.additionalProperties ? { kind: 'map', elem: f.additionalProperties, atomic: f.mapType === 'atomic' } : DEDUCED;
    }
    return SCALAR;
  }

  private ofType(typeName: string, mapType: FieldSchema['mapType']): Shape {
    const t = this.schema.types[typeName];
    if (!t) return DEDUCED;
    if (t.type && t.type !== 'object') return SCALAR; // IntOrString, Quantity, Time
    if (!t.properties) return DEDUCED; // RawExtension, FieldsV1, JSON
    return { kind: 'struct', typeName, atomic: (mapType ?? t.mapType) === 'atomic' };
  }

  /** The shape a value actually takes: deduced shapes follow the value; mismatches are leaves. */
  effective(shape: Shape, v: Json | undefined): Shape {
    if (v === undefined || v === null) return shape.kind === 'deduced' ? SCALAR : shape;
    switch (shape.kind) {
      case 'deduced':
        return isObject(v) ? (shape.root ? shape : DEDUCED_MAP) : Array.isArray(v) ? ATOMIC_LIST : SCALAR;
      case 'struct':
      case 'map':
        return isObject(v) ? shape : SCALAR;
      case 'list':
        return Array.isArray(v) ? shape : SCALAR;
      default:
        return shape;
    }
  }

  /** The shape of member `key` of a struct or map. */
  child(shape: Shape, key: string): Shape {
    switch (shape.kind) {
      case 'struct':
        return this.ofField(this.schema.types[shape.typeName]?.properties?.[key]);
      case 'map':
        return this.ofField(shape.elem);
      case 'deduced':
        return shape.root && key === 'metadata' ? this.ofType(OBJECT_META, undefined) : DEDUCED;
      default:
        return DEDUCED;
    }
  }

  /** Whether `key` is a declared field (other keys of a map are its entries). */
  declares(shape: Shape, key: string): boolean {
    if (shape.kind === 'struct') return !!this.schema.types[shape.typeName]?.properties?.[key];
    return shape.kind === 'deduced' && !!shape.root && key === 'metadata';
  }

  /** Whether `key` is a required field of a struct (Go writes those even when empty: `null`). */
  requires(shape: Shape, key: string): boolean {
    return shape.kind === 'struct' && !!this.schema.types[shape.typeName]?.required?.includes(key);
  }

  elem(shape: Shape): Shape {
    return shape.kind === 'list' ? this.ofField(shape.elem) : DEDUCED;
  }

  /** The shape below a path element (a field of a struct/map, or an item of a list). */
  below(shape: Shape, pe: PathElement): Shape {
    return 'field' in pe ? this.child(shape, pe.field) : this.elem(shape);
  }

  /**
   * The path element naming a list item: `k:` from its key fields for associative lists, `v:`
   * for sets, `i:` otherwise. A string is the reason the item cannot be named.
   */
  itemElement(list: Shape & { kind: 'list' }, item: Json, index: number): PathElement | string {
    if (list.relation === 'atomic') return { index };
    if (list.relation === 'set') {
      if (isObject(item)) return "associative list without keys has an element that's a map type";
      if (Array.isArray(item)) return 'not supported: associative list with lists as elements';
      return { value: item };
    }
    if (item === null) return 'associative list with keys may not have a null element';
    if (!isObject(item)) return 'associative list with keys may not have non-map elements';
    const defaults = (list.elem?.ref && KEY_DEFAULTS[list.elem.ref]) || {};
    const key: [string, Json][] = [];
    for (const k of list.keys) {
      if (k in item) key.push([k, item[k]!]);
      else if (k in defaults) key.push([k, defaults[k]!]);
    }
    if (key.length === 0) {
      return `associative list with keys has an element that omits all key fields [${list.keys.map((k) => JSON.stringify(k)).join(' ')}] (and doesn't have default values for any key fields)`;
    }
    return { key: key.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) };
  }
}
