// How server-side apply sees a value's schema, as structured-merge-diff's schema does:
// structs (named fields), granular or atomic maps, lists that are atomic, sets (`v:` items) or
// associative maps keyed by fields (`k:` items), scalars, and "deduced" values whose shape
// follows the value (maps granular, lists atomic) where the schema knows nothing.
import type { FieldSchema, Schema } from '../../../api/schema/index.js';
import { isObject, type Json } from '../json.js';
import { fieldElement, type PathElement } from './path.js';

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

const bySchema = new WeakMap<Schema, Shapes>();

/** Members remembered per shape (see Shapes.member). */
const MEMBERS_LIMIT = 2000;

const EMPTY_OBJECT = Object.freeze({});

const NO_DEFAULTS: Record<string, Json> = Object.freeze({});

function byName(a: [string, Json], b: [string, Json]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

/** What a walk needs about member `key` of a map-like value. */
export interface Member {
  shape: Shape;
  /** The member's path element and its FieldsV1 key (shared). */
  pe: PathElement;
  key: string;
  /** A struct Go declares as a value (see VALUE_STRUCT_FIELDS): its zero object holds it. */
  valueStruct: boolean;
  /** A required field: Go's zero object holds it as null. */
  required: boolean;
  /** `key in {}`: a name an empty object has (inherited from Object.prototype). */
  inherited: boolean;
}

/**
 * Shapes of a schema. Lookups are cached: the schema never changes once loaded, and shapes are
 * plain immutable values, so one Shapes (see Shapes.of) serves every request.
 */
export class Shapes {
  /** Shapes by FieldSchema, struct shapes by type name (and atomicity). */
  private readonly fields = new WeakMap<FieldSchema, Shape>();
  private readonly types = new Map<string, Shape>();
  /** Children of struct types by type name, then field name. */
  private readonly childrenOf = new Map<string, Map<string, Shape>>();
  private readonly requiredOf = new Map<string, ReadonlySet<string>>();
  private readonly membersOf = new WeakMap<Shape, Map<string, Member>>();

  constructor(readonly schema: Schema) {}

  /** The shared Shapes of `schema`. */
  static of(schema: Schema): Shapes {
    let s = bySchema.get(schema);
    if (!s) bySchema.set(schema, (s = new Shapes(schema)));
    return s;
  }

  /** The shape of a whole object of type `typeName` (deduced when the schema lacks it). */
  root(typeName: string | undefined): Shape {
    return typeName && this.schema.types[typeName]?.properties ? this.ofType(typeName, undefined) : { kind: 'deduced', root: true };
  }

  ofField(f: FieldSchema | undefined): Shape {
    if (!f) return DEDUCED;
    let shape = this.fields.get(f);
    if (!shape) this.fields.set(f, (shape = this.fieldShape(f)));
    return shape;
  }

  private fieldShape(f: FieldSchema): Shape {
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
    const id = mapType ? `${typeName} ${mapType}` : typeName;
    let shape = this.types.get(id);
    if (!shape) this.types.set(id, (shape = this.typeShape(typeName, mapType)));
    return shape;
  }

  private typeShape(typeName: string, mapType: FieldSchema['mapType']): Shape {
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
      case 'struct': {
        let children = this.childrenOf.get(shape.typeName);
        if (!children) this.childrenOf.set(shape.typeName, (children = new Map()));
        let c = children.get(key);
        if (!c) {
          c = this.ofField(this.schema.types[shape.typeName]?.properties?.[key]);
          // Undeclared keys (entries of no type) are not kept: they are arbitrary.
          if (c !== DEDUCED) children.set(key, c);
        }
        return c;
      }
      case 'map':
        return this.ofField(shape.elem);
      case 'deduced':
        return shape.root && key === 'metadata' ? this.ofType(OBJECT_META, undefined) : DEDUCED;
      default:
        return DEDUCED;
    }
  }

  /** child(), with the member's path element and how Go's zero value holds it. */
  member(shape: Shape, key: string): Member {
    let members = this.membersOf.get(shape);
    let m = members?.get(key);
    if (m) return m;
    const child = this.child(shape, key);
    const e = fieldElement(key);
    const struct = shape.kind === 'struct';
    m = { shape: child, pe: e.pe, key: e.key, valueStruct: struct && VALUE_STRUCT_FIELDS.has(key) && child.kind === 'struct' && !child.atomic, required: this.requires(shape, key), inherited: key in EMPTY_OBJECT };
    // Kept per shape, up to a bound (map entries and undeclared fields are arbitrary).
    if (!members) this.membersOf.set(shape, (members = new Map()));
    if (members.size < MEMBERS_LIMIT) members.set(key, m);
    return m;
  }

  /** Whether `key` is a declared field (other keys of a map are its entries). */
  declares(shape: Shape, key: string): boolean {
    if (shape.kind === 'struct') return !!this.schema.types[shape.typeName]?.properties?.[key];
    return shape.kind === 'deduced' && !!shape.root && key === 'metadata';
  }

  /** Whether `key` is a required field of a struct (Go writes those even when empty: `null`). */
  requires(shape: Shape, key: string): boolean {
    if (shape.kind !== 'struct') return false;
    let required = this.requiredOf.get(shape.typeName);
    if (!required) this.requiredOf.set(shape.typeName, (required = new Set(this.schema.types[shape.typeName]?.required ?? [])));
    return required.has(key);
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
    const defaults = (list.elem?.ref && KEY_DEFAULTS[list.elem.ref]) || NO_DEFAULTS;
    const key: [string, Json][] = [];
    for (const k of list.keys) {
      if (k in item) key.push([k, item[k]!]);
      else if (k in defaults) key.push([k, defaults[k]!]);
    }
    if (key.length === 0) {
      return `associative list with keys has an element that omits all key fields [${list.keys.map((k) => JSON.stringify(k)).join(' ')}] (and doesn't have default values for any key fields)`;
    }
    return { key: key.length > 1 ? key.sort(byName) : key };
  }
}
