// ObjectMeta validation on create and update, as apimachinery's api/validation/objectmeta.go
// does it (plus core's check that unqualified finalizers are standard ones): name and namespace
// formats, labels, annotations (256 KiB in total), owner references, finalizers, and which
// metadata fields an update may not change.
import { FieldError, field } from '../errors.js';
import { FIELD_IMMUTABLE, asArray, goStringSlice, isObj, keysOf, sortedMap, validateNonnegativeField, type Obj } from './field.js';
import { byteLength, isDNS1123Label, isQualifiedName, isValidLabelValue, nameValidator, type NameRule, type NameValidator } from './names.js';

export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

/** Finalizers that may be written without a domain prefix. */
const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

export interface ObjectMetaOptions {
  /** true: namespace required; false: namespace forbidden; undefined: not checked (scope unknown). */
  namespaced?: boolean;
  /** How the name is checked (default: DNS-1123 subdomain); or a custom validator. */
  nameRule?: NameRule | NameValidator;
  /** Core kinds also require unqualified finalizers to be standard ones (default true). */
  kubeFinalizers?: boolean;
}

export function validateLabelName(key: string, path: string): FieldError[] {
  return isQualifiedName(key).map((m) => field.invalid(path, key, m));
}

/** Label keys must be qualified names and values valid label values (errors at the map's path). */
export function validateLabels(labels: unknown, path: string): FieldError[] {
  if (!isObj(labels)) return [];
  const errs: FieldError[] = [];
  for (const k of keysOf(labels)) {
    errs.push(...validateLabelName(k, path));
    const v = typeof labels[k] === 'string' ? labels[k] : String(labels[k] ?? '');
    errs.push(...isValidLabelValue(v).map((m) => field.invalid(path, v, m)));
  }
  return errs;
}

export function validateAnnotations(annotations: unknown, path: string): FieldError[] {
  if (!isObj(annotations)) return [];
  const errs: FieldError[] = [];
  let total = 0;
  for (const k of keysOf(annotations)) {
    errs.push(...isQualifiedName(k.toLowerCase()).map((m) => field.invalid(path, k, m)));
    total += byteLength(k) + byteLength(String(annotations[k] ?? ''));
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(field.tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT));
  return errs;
}

function validateOwnerReference(ref: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const apiVersion = String(ref.apiVersion ?? '');
  const version = apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion;
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  if (!version) errs.push(field.invalid(`${path}.apiVersion`, apiVersion, 'version must not be empty'));
  if (!ref.kind) errs.push(field.invalid(`${path}.kind`, String(ref.kind ?? ''), 'must not be empty'));
  if (!ref.name) errs.push(field.invalid(`${path}.name`, String(ref.name ?? ''), 'must not be empty'));
  if (!ref.uid) errs.push(field.invalid(`${path}.uid`, String(ref.uid ?? ''), 'must not be empty'));
  if (group === '' && version === 'v1' && ref.kind === 'Event') {
    errs.push(field.invalid(path, ref, '/v1, Kind=Event is disallowed from being an owner'));
  }
  return errs;
}

export function validateOwnerReferences(refs: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let firstController = '';
  for (const ref of asArray(refs)) {
    if (!isObj(ref)) continue;
    errs.push(...validateOwnerReference(ref, path));
    if (ref.controller === true) {
      const current = `${ref.kind}/${ref.name}`;
      if (firstController) {
        errs.push(
          field.invalid(path, refs, `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`),
        );
      } else {
        firstController = current;
      }
    }
  }
  return errs;
}

export function validateFinalizerName(name: string, path: string, kube = true): FieldError[] {
  const errs = isQualifiedName(name).map((m) => field.invalid(path, name, m));
  if (kube && !name.includes('/') && !STANDARD_FINALIZERS.has(name)) {
    errs.push(field.invalid(path, name, 'name is neither a standard finalizer name nor is it fully qualified'));
  }
  return errs;
}

export function validateFinalizers(finalizers: unknown, path: string, kube = true): FieldError[] {
  const list = asArray(finalizers).map(String);
  const errs: FieldError[] = [];
  list.forEach((f) => errs.push(...isQualifiedName(f).map((m) => field.invalid(path, f, m))));
  if (list.includes('orphan') && list.includes('foregroundDeletion')) {
    errs.push(field.invalid(path, list, 'finalizer orphan and foregroundDeletion cannot be both set'));
  }
  if (kube) {
    list.forEach((f, i) => {
      if (!f.includes('/') && !STANDARD_FINALIZERS.has(f)) {
        errs.push(field.invalid(`${path}[${i}]`, f, 'name is neither a standard finalizer name nor is it fully qualified'));
      }
    });
  }
  return errs;
}

function resolveNameValidator(rule: ObjectMetaOptions['nameRule']): NameValidator {
  if (typeof rule === 'function') return rule;
  return nameValidator(rule ?? 'subdomain');
}

/** Validation of metadata on create (name generation already done by the caller). */
export function validateObjectMeta(meta: unknown, opts: ObjectMetaOptions = {}, path = 'metadata'): FieldError[] {
  const m = isObj(meta) ? meta : {};
  const nameFn = resolveNameValidator(opts.nameRule);
  const errs: FieldError[] = [];
  const generateName = typeof m.generateName === 'string' ? m.generateName : '';
  const name = typeof m.name === 'string' ? m.name : '';
  if (generateName) errs.push(...nameFn(generateName, true).map((msg) => field.invalid(`${path}.generateName`, generateName, msg)));
  if (!name) errs.push(field.required(`${path}.name`, 'name or generateName is required'));
  else errs.push(...nameFn(name, false).map((msg) => field.invalid(`${path}.name`, name, msg)));
  errs.push(...validateObjectMetaCommon(m, opts, path));
  if (opts.kubeFinalizers !== false) errs.push(...validateKubeFinalizers(m.finalizers, `${path}.finalizers`));
  return errs;
}

/** Finalizer names of built-in kinds: a standard name, or a fully qualified one. */
function validateKubeFinalizers(finalizers: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  asArray(finalizers).forEach((f, i) => {
    const s = String(f);
    if (!s.includes('/') && !STANDARD_FINALIZERS.has(s)) {
      errs.push(field.invalid(`${path}[${i}]`, s, 'name is neither a standard finalizer name nor is it fully qualified'));
    }
  });
  return errs;
}

function validateObjectMetaCommon(m: Obj, opts: ObjectMetaOptions, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const ns = typeof m.namespace === 'string' ? m.namespace : '';
  if (opts.namespaced === true) {
    if (!ns) errs.push(field.required(`${path}.namespace`));
    else errs.push(...isDNS1123Label(ns).map((msg) => field.invalid(`${path}.namespace`, ns, msg)));
  } else if (opts.namespaced === false && ns) {
    errs.push(field.forbidden(`${path}.namespace`, 'not allowed on this type'));
  }
  errs.push(...validateNonnegativeField(m.generation, `${path}.generation`));
  errs.push(...validateLabels(m.labels, `${path}.labels`));
  errs.push(...validateAnnotations(m.annotations, `${path}.annotations`));
  errs.push(...validateOwnerReferences(m.ownerReferences, `${path}.ownerReferences`));
  errs.push(...validateFinalizers(m.finalizers, `${path}.finalizers`, false));
  return errs;
}

function isSet(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '';
}

/**
 * Validation of metadata on update. Fields the generic registry backfills from the stored object
 * when a client omits them (uid, creationTimestamp, deletion fields) only fail when a client sent a
 * different value.
 */
export function validateObjectMetaUpdate(newMeta: unknown, oldMeta: unknown, path = 'metadata', opts: { kubeFinalizers?: boolean } = {}): FieldError[] {
  const n = isObj(newMeta) ? newMeta : {};
  const o = isObj(oldMeta) ? oldMeta : {};
  const errs: FieldError[] = [];
  if (o.deletionTimestamp) {
    const extra = [...new Set(asArray(n.finalizers).map(String))].filter((f) => !asArray(o.finalizers).includes(f)).sort();
    if (extra.length) {
      errs.push(field.forbidden(`${path}.finalizers`, `no new finalizers can be added if the object is being deleted, found new finalizers ${goStringSlice(extra)}`));
    }
  }
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  if (str(n.name) !== str(o.name)) errs.push(field.invalid(`${path}.name`, str(n.name), FIELD_IMMUTABLE));
  if (str(n.namespace) !== str(o.namespace)) errs.push(field.invalid(`${path}.namespace`, str(n.namespace), FIELD_IMMUTABLE));
  if (n.uid && n.uid !== o.uid) errs.push(field.invalid(`${path}.uid`, n.uid, FIELD_IMMUTABLE));
  // Set from the stored object when it has them; a client may only not invent them.
  for (const key of ['creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds']) {
    if (!isSet(o[key]) && isSet(n[key])) errs.push(field.invalid(`${path}.${key}`, n[key], FIELD_IMMUTABLE));
  }
  errs.push(...validateLabels(n.labels, `${path}.labels`));
  errs.push(...validateAnnotations(n.annotations, `${path}.annotations`));
  errs.push(...validateOwnerReferences(n.ownerReferences, `${path}.ownerReferences`));
  if (opts.kubeFinalizers !== false) errs.push(...validateKubeFinalizers(n.finalizers, `${path}.finalizers`));
  return errs;
}

/** Metadata of embedded templates (PVC templates): only labels and annotations may be set. */
export function validateTemplateObjectMeta(meta: unknown, path: string): FieldError[] {
  const m = isObj(meta) ? meta : {};
  const errs = [...validateAnnotations(m.annotations, `${path}.annotations`), ...validateLabels(m.labels, `${path}.labels`)];
  for (const k of Object.keys(m)) {
    if (k === 'labels' || k === 'annotations' || k === 'creationTimestamp') continue;
    const v = m[k];
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    errs.push(field.forbidden(`${path}.${k}`, 'cannot be set'));
  }
  return errs;
}

export { sortedMap };
