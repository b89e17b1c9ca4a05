// PersistentVolumes, PersistentVolumeClaims and StorageClasses: defaults (Filesystem volume mode,
// Retain/Delete reclaim policies, Immediate binding), Pending status on create, and what an update
// may change (a bound claim may grow; a volume's source never changes).
import type { FieldError } from '../errors.js';
import { field } from '../errors.js';
import { asArray, isObj, keysOf, semanticEqual, validateImmutableField, type Obj } from '../validation/field.js';
import { isQualifiedName } from '../validation/names.js';
import { validatePersistentVolumeClaimSpec, validatePersistentVolumeSpec } from '../validation/pvc.js';
import { compareQuantities, readQuantity } from '../../util/quantity.js';
import { validateLabelName } from '../validation/object-meta.js';
import { canonicalizeResourceList, defaultPVCSpec } from './pod-defaults.js';
import { clone, makeStrategy, specOf } from './strategy.js';
import { podSpecDiff } from '../validation/pod-update.js';
import type { KObject, Strategy } from './types.js';

// ── PersistentVolume ────────────────────────────────────────────────────────

const PV_NON_SOURCE = new Set([
  'accessModes', 'capacity', 'claimRef', 'persistentVolumeReclaimPolicy', 'storageClassName', 'mountOptions', 'volumeMode',
  'nodeAffinity', 'volumeAttributesClassName',
]);

function pvSource(spec: Obj): Obj {
  const out: Obj = {};
  for (const k of Object.keys(spec)) if (!PV_NON_SOURCE.has(k)) out[k] = spec[k];
  return out;
}

export const persistentVolumeStrategy: Strategy = makeStrategy({
  namespaced: false,
  default(obj) {
    const spec = specOf(obj);
    if (!spec.persistentVolumeReclaimPolicy) spec.persistentVolumeReclaimPolicy = 'Retain';
    if (!spec.volumeMode) spec.volumeMode = 'Filesystem';
    if (isObj(spec.hostPath) && spec.hostPath.type === undefined) spec.hostPath.type = '';
    canonicalizeResourceList(spec.capacity);
  },
  prepareForCreate: (obj) => void (obj.status = { phase: 'Pending' }),
  validateSpec: (obj) => validatePersistentVolumeSpec(obj.spec, 'spec'),
  validateSpecUpdate(obj, old) {
    const n: Obj = isObj(obj.spec) ? obj.spec : {};
    const o: Obj = isObj(old.spec) ? old.spec : {};
    const errs: FieldError[] = [];
    const nSrc = pvSource(n);
    const oSrc = pvSource(o);
    // A CSI volume may gain a controllerExpandSecretRef.
    if (isObj(oSrc.csi) && !oSrc.csi.controllerExpandSecretRef && isObj(nSrc.csi) && nSrc.csi.controllerExpandSecretRef) {
      nSrc.csi = { ...nSrc.csi };
      delete nSrc.csi.controllerExpandSecretRef;
    }
    if (!semanticEqual(nSrc, oSrc)) {
      errs.push(field.forbidden('spec.persistentvolumesource', `spec.persistentvolumesource is immutable after creation\n${podSpecDiff(oSrc, nSrc)}`));
    }
    errs.push(...validateImmutableField(n.volumeMode, o.volumeMode, 'volumeMode'));
    if (isObj(o.nodeAffinity) && !semanticEqual(n.nodeAffinity, o.nodeAffinity)) {
      errs.push(field.invalid('nodeAffinity', n.nodeAffinity ?? null, 'field is immutable, except for updating from beta label to GA'));
    }
    return errs;
  },
});

// ── PersistentVolumeClaim ───────────────────────────────────────────────────

function validatePVCUpdate(obj: KObject, old: KObject): FieldError[] {
  const n: Obj = clone(isObj(obj.spec) ? obj.spec : {});
  const o: Obj = clone(isObj(old.spec) ? old.spec : {});
  const errs: FieldError[] = [];
  if (!o.volumeName) o.volumeName = n.volumeName;
  if ((o.storageClassName === undefined || o.storageClassName === null) && typeof n.storageClassName === 'string') {
    const ann = old.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'];
    if (ann === undefined || ann === n.storageClassName) o.storageClassName = n.storageClassName;
  }
  const bound = obj.status?.phase === 'Bound';
  const newSize = readQuantity(n.resources?.requests?.storage);
  const oldSize = readQuantity(o.resources?.requests?.storage);
  if (bound && isObj(n.resources?.requests)) n.resources.requests.storage = o.resources?.requests?.storage;
  if (bound && n.volumeAttributesClassName !== undefined) n.volumeAttributesClassName = o.volumeAttributesClassName;
  if (!semanticEqual(n, o)) {
    errs.push(field.forbidden('spec', `spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n${podSpecDiff(o, n)}`));
  }
  if (newSize && oldSize && compareQuantities(newSize, oldSize) < 0) {
    const statusSize = readQuantity(old.status?.capacity?.storage);
    if (!statusSize || compareQuantities(newSize, statusSize) <= 0) {
      errs.push(field.forbidden('spec.resources.requests.storage', 'field can not be less than status.capacity'));
    }
  }
  errs.push(...validateImmutableField(obj.spec?.volumeMode, old.spec?.volumeMode, 'volumeMode'));
  const oldVac = old.spec?.volumeAttributesClassName;
  const newVac = obj.spec?.volumeAttributesClassName;
  if (typeof oldVac === 'string') {
    if (newVac === undefined || newVac === null) errs.push(field.forbidden('spec.volumeAttributesClassName', 'update from non-nil value to nil is forbidden'));
    else if (newVac === '') errs.push(field.forbidden('spec.volumeAttributesClassName', 'update from non-nil value to an empty string is forbidden'));
  }
  return errs;
}

export const persistentVolumeClaimStrategy: Strategy = makeStrategy({
  namespaced: true,
  default: (obj) => defaultPVCSpec(specOf(obj)),
  prepareForCreate: (obj) => void (obj.status = { phase: 'Pending' }),
  validateSpec: (obj) => validatePersistentVolumeClaimSpec(obj.spec, 'spec'),
  validateSpecUpdate: validatePVCUpdate,
});

// ── StorageClass ────────────────────────────────────────────────────────────

const MAX_PARAMETERS = 512;
const MAX_PARAMETERS_SIZE = 256 * 1024;

function validateStorageClass(obj: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const provisioner = String(obj.provisioner ?? '');
  if (!provisioner) errs.push(field.required('provisioner', ''));
  else errs.push(...isQualifiedName(provisioner.toLowerCase()).map((m) => field.invalid('provisioner', provisioner.toLowerCase(), m)));
  const params: Obj = isObj(obj.parameters) ? obj.parameters : {};
  let size = 0;
  for (const k of keysOf(params)) {
    if (!k) errs.push(field.invalid('parameters', k, 'field can not be empty.'));
    size += k.length + String(params[k]).length;
  }
  if (keysOf(params).length > MAX_PARAMETERS) errs.push(field.tooLong('parameters', MAX_PARAMETERS));
  if (size > MAX_PARAMETERS_SIZE) errs.push(field.tooLong('parameters', MAX_PARAMETERS_SIZE));
  if (obj.reclaimPolicy && !['Delete', 'Retain'].includes(obj.reclaimPolicy)) errs.push(field.notSupported('reclaimPolicy', obj.reclaimPolicy, ['Delete', 'Retain']));
  if (!obj.volumeBindingMode) errs.push(field.required('volumeBindingMode'));
  else if (!['Immediate', 'WaitForFirstConsumer'].includes(obj.volumeBindingMode)) {
    errs.push(field.notSupported('volumeBindingMode', obj.volumeBindingMode, ['Immediate', 'WaitForFirstConsumer']));
  }
  asArray(obj.allowedTopologies).forEach((t, i) => {
    const exprs = asArray(isObj(t) ? t.matchLabelExpressions : undefined);
    const keys = new Set<string>();
    exprs.forEach((e, j) => {
      const p = `allowedTopologies[${i}].matchLabelExpressions[${j}]`;
      if (!isObj(e)) return;
      if (asArray(e.values).length === 0) errs.push(field.required(`${p}.values`));
      errs.push(...validateLabelName(String(e.key ?? ''), `${p}.key`));
      if (keys.has(e.key)) errs.push(field.duplicate(`${p}.key`, e.key));
      keys.add(e.key);
    });
  });
  return errs;
}

export const storageClassStrategy: Strategy = makeStrategy({
  namespaced: false,
  default(obj) {
    obj.reclaimPolicy ||= 'Delete';
    obj.volumeBindingMode ||= 'Immediate';
  },
  validateSpec: validateStorageClass,
  revalidateOnUpdate: false,
  validateSpecUpdate(obj, old) {
    const errs: FieldError[] = [];
    if (!semanticEqual(obj.parameters, old.parameters)) errs.push(field.forbidden('parameters', 'updates to parameters are forbidden.'));
    if (obj.provisioner !== old.provisioner) errs.push(field.forbidden('provisioner', 'updates to provisioner are forbidden.'));
    if ((obj.reclaimPolicy ?? 'Delete') !== (old.reclaimPolicy ?? 'Delete')) errs.push(field.forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
    errs.push(...validateImmutableField(obj.volumeBindingMode, old.volumeBindingMode, 'volumeBindingMode'));
    return errs;
  },
});

