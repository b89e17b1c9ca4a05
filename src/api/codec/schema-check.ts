// fieldValidation as upstream's apiserver does it, on a decoded body against the schema:
//  - unknown fields are always pruned; duplicate fields come from the decoder. Strict → the
//    request fails (400 `Pod in version "v1" cannot be handled as a Pod: strict decoding error:
//    unknown field "spec.foo", duplicate field "metadata.name"`); Warn → the same texts become
//    warnings (`Warning: 299 - "unknown field \"spec.foo\""`); Ignore → nothing is said.
//  - values of the wrong JSON type fail decoding whatever the mode, as Go's decoder does (400
//    `… json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.
//    containerPort of type int32`); so do unparsable quantities, times and base64.
//  - OpenAPI `required` fields (outside the top-level status) → FieldValueRequired errors, which
//    the caller reports as 422 Invalid with its validation.
import { field, type FieldError, type StatusError } from '../errors.js';
import type { FieldSchema, Schema } from '../schema/index.js';
import { strictDecodingMessage, transformDecodeError } from './decode-error.js';
import { duplicateInfo, strictPath, type PathSegment } from './duplicates.js';
import type { DecodeResult } from './json-decode.js';
import { base64Error, GoValueError, parseRFC3339 } from './go-values.js';
import { ERR_FORMAT_WRONG, parseQuantity, QuantityError, quantityText } from '../../util/quantity.js';
import { goTypeOf, isPlainObject, jsonKind, typeInfo, type TypeInfo } from './type-info.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface SchemaCheckOptions {
  /** Check OpenAPI `required` fields (never inside the top-level `status`). Default true. */
  required?: boolean;
  /** Throw `decodeError` instead of returning it. Default true. */
  throw?: boolean;
  /** Kind and version named in the 400 message; default: the type's first GVK. */
  kind?: string;
  version?: string;
}

export interface SchemaCheckResult {
  /** Type mismatches (FieldValueTypeInvalid / Invalid) and missing required fields. */
  errors: FieldError[];
  /** Warn mode: one text per unknown or duplicate field, for `Warning: 299` headers. */
  warnings: string[];
  /** The unknown/duplicate field texts, whatever the mode. */
  strictErrors: string[];
  /** upstream's 400 for this body: a type mismatch, or strict errors under Strict. */
  decodeError?: StatusError;
}

/** Checks (and prunes) a decoded object of schema type `typeName`; see the file comment. */
export function checkAgainstSchema(
  obj: unknown,
  schema: Schema,
  typeName: string,
  mode: FieldValidation,
  duplicates: readonly string[] | DecodeResult = [],
  opts: SchemaCheckOptions = {},
): SchemaCheckResult {
  const root = typeInfo(schema, typeName);
  const list = Array.isArray(duplicates) ? (duplicates as readonly string[]) : (duplicates as DecodeResult).duplicates;
  const dinfo = duplicateInfo(list);
  const w = new Walker(schema, opts.required ?? true);
  if (!dinfo?.yamlError) {
    const segs = dinfo?.segments ?? list.map((p) => [p]);
    for (const s of segs) if (!dinfo || reportsDuplicate(schema, root, s)) w.dups.set(strictPath(s), `duplicate field ${JSON.stringify(strictPath(s))}`);
  }
  if (isPlainObject(obj)) w.struct(obj, root);
  else w.typeError(obj, root.goName, true);
  for (const msg of w.dups.values()) w.addStrict(msg);

  const strictErrors = dinfo?.yamlError ? [dinfo.yamlError, ...w.strict] : w.strict;
  const gvk = schema.types[typeName]?.gvk?.[0];
  const kind = opts.kind ?? gvk?.kind ?? root.short;
  const ctx = { into: kind, gvk: { kind, version: opts.version ?? gvk?.version ?? '' } };
  const failure = w.aborted ?? w.saved;
  let decodeError: StatusError | undefined;
  if (failure) decodeError = transformDecodeError(failure, ctx);
  else if (mode === 'Strict' && strictErrors.length) decodeError = transformDecodeError(strictDecodingMessage(strictErrors), ctx);
  if (decodeError && opts.throw !== false) throw decodeError;
  const warnings = mode === 'Warn' && !failure ? strictErrors.flatMap(warningLines) : [];
  return { errors: w.errors, warnings, strictErrors, decodeError };
}

/** upstream's parseYAMLWarnings: a YAML strict error becomes one warning per line. */
function warningLines(e: string): string[] {
  for (const prefix of ['yaml: unmarshal errors:\n', 'error converting YAML to JSON: yaml: unmarshal errors:\n']) {
    if (e.startsWith(prefix)) return e.slice(prefix.length).split('\n').map((s) => s.trim());
  }
  return [e];
}

/** Go reports a duplicate only for known struct fields and map keys, not under free-form values. */
function reportsDuplicate(schema: Schema, root: TypeInfo, segs: readonly PathSegment[]): boolean {
  let f: FieldSchema | undefined = { ref: root.name };
  for (const seg of segs) {
    if (!f) return false;
    if (f.ref) {
      const info = typeInfo(schema, f.ref);
      if (info.special || typeof seg === 'number') return false;
      f = info.props.get(seg);
    } else if (f.type === 'array') f = typeof seg === 'number' ? f.items : undefined;
    else if (f.type === 'object' && f.additionalProperties && typeof seg === 'string') f = f.additionalProperties;
    else return false;
  }
  return f !== undefined;
}

const enum Kind {
  Field,
  Key,
  Index,
}

class Walker {
  readonly errors: FieldError[] = [];
  readonly strict: string[] = [];
  readonly dups = new Map<string, string>();
  saved?: string;
  aborted?: string;
  private readonly seenStrict = new Set<string>();
  private readonly segs: PathSegment[] = [];
  private readonly kinds: Kind[] = [];
  private readonly owners: string[] = [];
  private inStatus = false;

  constructor(
    private readonly schema: Schema,
    private readonly required: boolean,
  ) {}

  struct(obj: Record<string, unknown>, info: TypeInfo): void {
    for (const key of Object.keys(obj)) {
      const f = info.props.get(key);
      if (!f) {
        this.addStrict(`unknown field ${JSON.stringify(this.strictPathWith(key))}`);
        delete obj[key];
        continue;
      }
      const v = obj[key];
      const top = this.segs.length === 0 && key === 'status';
      if (top) this.inStatus = true;
      this.push(key, Kind.Field, info.short);
      if (v !== null && v !== undefined) this.field(v, f);
      this.checkDuplicate();
      this.pop();
      if (top) this.inStatus = false;
    }
    if (this.required && !this.inStatus) {
      for (const r of info.required) {
        if (obj[r] === undefined || obj[r] === null) this.errors.push(field.required(this.fieldPathWith(r)));
      }
    }
  }

  private field(v: unknown, f: FieldSchema): void {
    if (f.ref) return this.typed(v, typeInfo(this.schema, f.ref));
    switch (f.type) {
      case 'string':
        if (typeof v !== 'string') return this.typeError(v, goTypeOf(this.schema, f));
        if (f.format === 'byte') {
          const e = base64Error(v);
          if (e) this.fail(field.invalid(this.fieldPath(), v, e), e, false);
        }
        return;
      case 'integer':
        return this.integer(v, f.format === 'int32' ? 'int32' : 'int64', false);
      case 'number':
        if (typeof v !== 'number') this.typeError(v, 'float64');
        return;
      case 'boolean':
        if (typeof v !== 'boolean') this.typeError(v, 'bool');
        return;
      case 'array':
        if (!Array.isArray(v)) return this.typeError(v, goTypeOf(this.schema, f));
        if (!f.items) return;
        for (let i = 0; i < v.length; i++) {
          if (v[i] === null || v[i] === undefined) continue;
          this.push(i, Kind.Index, '');
          this.field(v[i], f.items);
          this.pop();
        }
        return;
      case 'object': {
        const ap = f.additionalProperties;
        if (!ap) return;
        if (!isPlainObject(v)) return this.typeError(v, goTypeOf(this.schema, f));
        for (const key of Object.keys(v)) {
          this.push(key, Kind.Key, '');
          const x = v[key];
          if (x !== null && x !== undefined) this.field(x, ap);
          this.checkDuplicate();
          this.pop();
        }
        return;
      }
    }
  }

  private typed(v: unknown, info: TypeInfo): void {
    switch (info.special) {
      case 'any':
        return;
      case 'quantity': {
        const s = quantityText(v);
        try {
          if (s === undefined) throw new QuantityError(ERR_FORMAT_WRONG);
          parseQuantity(s);
        } catch (e) {
          if (!(e instanceof QuantityError)) throw e;
          this.fail(field.invalid(this.fieldPath(), v, e.message), e.message, true);
        }
        return;
      }
      case 'intOrString':
        if (typeof v !== 'string') this.integer(v, 'int32', true);
        return;
      case 'time':
      case 'microTime':
        if (typeof v !== 'string') return this.typeError(v, 'string', true);
        try {
          parseRFC3339(v, info.special === 'microTime');
        } catch (e) {
          if (!(e instanceof GoValueError)) throw e;
          this.fail(field.invalid(this.fieldPath(), v, e.message), e.message, true);
        }
        return;
      default:
        if (!isPlainObject(v)) return this.typeError(v, info.goName);
        this.struct(v, info);
    }
  }

  private integer(v: unknown, type: 'int32' | 'int64', abort: boolean): void {
    if (typeof v !== 'number') return this.typeError(v, type, abort);
    const max = type === 'int32' ? 2147483647 : 9223372036854775807;
    if (!Number.isInteger(v) || v > max || v < -max - 1) this.typeError(v, type, abort, `number ${String(v)}`);
  }

  /** A Go UnmarshalTypeError with upstream's context (`Go struct field Container.spec.containers.name`). */
  typeError(v: unknown, goType: string, abort = false, desc = jsonKind(v)): void {
    let struct = '';
    const names: string[] = [];
    for (let i = 0; i < this.segs.length; i++) {
      if (this.kinds[i] !== Kind.Field) continue;
      names.push(this.segs[i] as string);
      struct = this.owners[i]!;
    }
    const into = names.length ? `Go struct field ${struct}.${names.join('.')}` : 'Go value';
    const msg = `json: cannot unmarshal ${desc} into ${into} of type ${goType}`;
    const shown = typeof v === 'object' && v !== null ? jsonKind(v) : v;
    this.fail(field.typeInvalid(this.fieldPath(), shown, msg), msg, abort);
  }

  /** Go keeps the first "saved" error but stops at an error an UnmarshalJSON returns. */
  private fail(fe: FieldError, msg: string, abort: boolean): void {
    this.errors.push(fe);
    if (abort) this.aborted ??= msg;
    else this.saved ??= msg;
  }

  addStrict(msg: string): void {
    if (this.seenStrict.has(msg) || this.strict.length >= 100) return;
    this.seenStrict.add(msg);
    this.strict.push(msg);
  }

  private checkDuplicate(): void {
    if (this.dups.size === 0) return;
    const p = strictPath(this.segs);
    const msg = this.dups.get(p);
    if (msg) {
      this.addStrict(msg);
      this.dups.delete(p);
    }
  }

  private push(seg: PathSegment, kind: Kind, owner: string): void {
    this.segs.push(seg);
    this.kinds.push(kind);
    this.owners.push(owner);
  }

  private pop(): void {
    this.segs.pop();
    this.kinds.pop();
    this.owners.pop();
  }

  private strictPathWith(key: string): string {
    return this.segs.length ? `${strictPath(this.segs)}.${key}` : key;
  }

  /** The Kubernetes field path: `spec.containers[0].ports[0].containerPort`, map keys as `[key]`. */
  private fieldPath(): string {
    let s = '';
    for (let i = 0; i < this.segs.length; i++) {
      const seg = this.segs[i]!;
      if (this.kinds[i] === Kind.Field) s += s ? `.${seg}` : String(seg);
      else s += `[${seg}]`;
    }
    return s;
  }

  private fieldPathWith(key: string): string {
    const p = this.fieldPath();
    return p ? `${p}.${key}` : key;
  }
}
