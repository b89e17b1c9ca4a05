// PersistentVolumeClaim and PersistentVolume specs (also used by ephemeral volume claim templates
// and StatefulSet volumeClaimTemplates): access modes, requested storage, classes, volume modes.
import { FieldError, field } from '../errors.js';
import { asArray, isObj, keysOf, type Obj } from './field.js';
import { validateLabelSelector } from './label-selector.js';
import { isDNS1123Label, isDNS1123Subdomain } from './names.js';
import { quantityString, readQuantity } from '../../util/quantity.js';
import { validateResourceQuantityValue } from './resources.js';

const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
const VOLUME_MODES = ['Block', 'Filesystem'];
const RECLAIM_POLICIES = ['Delete', 'Recycle', 'Retain'];

function validateAccessModes(modes: unknown, path: string, requiredDetail: string): FieldError[] {
  const list = asArray(modes);
  const errs: FieldError[] = [];
  if (list.length === 0) errs.push(field.required(path, requiredDetail));
  let rwop = false;
  let other = false;
  for (const m of list) {
    if (!ACCESS_MODES.includes(m)) errs.push(field.notSupported(path, m, ACCESS_MODES));
    if (m === 'ReadWriteOncePod') rwop = true;
    else if (ACCESS_MODES.includes(m)) other = true;
  }
  if (rwop && other) errs.push(field.forbidden(path, 'may not use ReadWriteOncePod with other access modes'));
  return errs;
}

function validatePositiveQuantity(value: unknown, path: string): FieldError[] {
  const q = readQuantity(value);
  if (!q) return [];
  return q.value <= 0n ? [field.invalid(path, quantityString(q), 'must be greater than zero')] : [];
}

function validateClassName(name: unknown, path: string): FieldError[] {
  return typeof name === 'string' && name ? isDNS1123Subdomain(name).map((m) => field.invalid(path, name, m)) : [];
}

function validateDataSource(ds: Obj, path: string, withNamespace: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (!ds.name) errs.push(field.required(`${path}.name`));
  if (!ds.kind) errs.push(field.required(`${path}.kind`));
  const group = typeof ds.apiGroup === 'string' ? ds.apiGroup : '';
  if (!group && ds.kind !== 'PersistentVolumeClaim') {
    errs.push(field.invalid(path, ds.kind ?? '', "must be 'PersistentVolumeClaim' when referencing the default apiGroup"));
  }
  if (group) errs.push(...isDNS1123Subdomain(group).map((m) => field.invalid(`${path}.apiGroup`, group, m)));
  if (withNamespace && typeof ds.namespace === 'string' && ds.namespace) {
    errs.push(...isDNS1123Label(ds.namespace).map((m) => field.invalid(`${path}.namespace`, ds.namespace, m)));
  }
  return errs;
}

export function validatePersistentVolumeClaimSpec(spec: unknown, path: string): FieldError[] {
  const s: Obj = isObj(spec) ? spec : {};
  const errs = validateAccessModes(s.accessModes, `${path}.accessModes`, 'at least 1 access mode is required');
  // Upstream reports an empty list once ("Required") before checking the selector and mode values.
  if (isObj(s.selector)) errs.splice(asArray(s.accessModes).length === 0 ? 1 : 0, 0, ...validateLabelSelector(s.selector, `${path}.selector`));
  const requests = isObj(s.resources) && isObj(s.resources.requests) ? s.resources.requests : {};
  const storagePath = `${path}.resources[storage]`;
  if (!('storage' in requests)) errs.push(field.required(storagePath));
  else {
    const pos = validatePositiveQuantity(requests.storage, storagePath);
    errs.push(...(pos.length ? pos : validateResourceQuantityValue('storage', requests.storage, storagePath)));
  }
  errs.push(...validateClassName(s.storageClassName, `${path}.storageClassName`));
  if (s.volumeMode !== undefined && s.volumeMode !== null && !VOLUME_MODES.includes(s.volumeMode)) {
    errs.push(field.notSupported(`${path}.volumeMode`, s.volumeMode, VOLUME_MODES));
  }
  if (isObj(s.dataSource)) errs.push(...validateDataSource(s.dataSource, `${path}.dataSource`, false));
  if (isObj(s.dataSourceRef)) errs.push(...validateDataSource(s.dataSourceRef, `${path}.dataSourceRef`, true));
  if (isObj(s.dataSourceRef) && s.dataSourceRef.namespace) {
    if (isObj(s.dataSource)) errs.push(field.invalid(path, `${path}.dataSource`, 'may not be specified when dataSourceRef.namespace is specified'));
  } else if (isObj(s.dataSource) && isObj(s.dataSourceRef)) {
    const a = s.dataSource;
    const b = s.dataSourceRef;
    if ((a.apiGroup ?? null) !== (b.apiGroup ?? null) || a.kind !== b.kind || a.name !== b.name) {
      errs.push(field.invalid(path, `${path}.dataSource`, 'must match dataSourceRef'));
    }
  }
  errs.push(...validateClassName(s.volumeAttributesClassName, `${path}.volumeAttributesClassName`));
  return errs;
}

/** PV volume sources, in upstream's order; exactly one must be set. */
const PV_SOURCES = [
  'hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'glusterfs', 'flocker', 'nfs', 'rbd', 'quobyte', 'cephfs', 'iscsi',
  'cinder', 'fc', 'flexVolume', 'azureFile', 'vsphereVolume', 'photonPersistentDisk', 'portworxVolume', 'azureDisk', 'scaleIO',
  'local', 'storageos', 'csi',
];

export function validatePersistentVolumeSpec(spec: unknown, path: string): FieldError[] {
  const s: Obj = isObj(spec) ? spec : {};
  const errs = validateAccessModes(s.accessModes, `${path}.accessModes`, '');
  const capacity = isObj(s.capacity) ? s.capacity : {};
  if (keysOf(capacity).length === 0) errs.push(field.required(`${path}.capacity`));
  if (!('storage' in capacity) || keysOf(capacity).length > 1) errs.push(field.notSupported(`${path}.capacity`, capacity, ['storage']));
  for (const k of keysOf(capacity)) errs.push(...validatePositiveQuantity(capacity[k], `${path}.capacity[${k}]`));
  if (s.persistentVolumeReclaimPolicy && !RECLAIM_POLICIES.includes(s.persistentVolumeReclaimPolicy)) {
    errs.push(field.notSupported(`${path}.persistentVolumeReclaimPolicy`, s.persistentVolumeReclaimPolicy, RECLAIM_POLICIES));
  }
  let n = 0;
  for (const key of PV_SOURCES) {
    if (!isObj(s[key])) continue;
    if (n > 0 && key !== 'flexVolume') errs.push(field.forbidden(`${path}.${key}`, 'may not specify more than 1 volume type'));
    else n++;
    if (key === 'hostPath' && !s.hostPath.path) errs.push(field.required(`${path}.hostPath.path`));
    if (key === 'nfs') {
      if (!s.nfs.server) errs.push(field.required(`${path}.nfs.server`));
      if (!s.nfs.path) errs.push(field.required(`${path}.nfs.path`));
    }
    if (key === 'csi') {
      if (!s.csi.driver) errs.push(field.required(`${path}.csi.driver`));
      if (!s.csi.volumeHandle) errs.push(field.required(`${path}.csi.volumeHandle`));
    }
    if (key === 'local') {
      if (!s.local.path) errs.push(field.required(`${path}.local.path`));
      if (!isObj(s.nodeAffinity)) errs.push(field.required(`${path}.nodeAffinity`, 'Local volume requires node affinity'));
    }
  }
  if (n === 0) errs.push(field.required(path, 'must specify a volume type'));
  if (isObj(s.hostPath) && s.persistentVolumeReclaimPolicy === 'Recycle' && String(s.hostPath.path).replace(/\/+$/, '') === '') {
    errs.push(field.forbidden(`${path}.persistentVolumeReclaimPolicy`, "may not be 'recycle' for a hostPath mount of '/'"));
  }
  errs.push(...validateClassName(s.storageClassName, `${path}.storageClassName`));
  if (s.volumeMode !== undefined && s.volumeMode !== null && !VOLUME_MODES.includes(s.volumeMode)) {
    errs.push(field.notSupported(`${path}.volumeMode`, s.volumeMode, VOLUME_MODES));
  }
  if (isObj(s.nodeAffinity) && !isObj(s.nodeAffinity.required)) {
    errs.push(field.required(`${path}.nodeAffinity.required`, 'must specify required node constraints'));
  }
  return errs;
}
