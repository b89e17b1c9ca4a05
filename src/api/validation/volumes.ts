// Pod volumes: unique DNS-label names, exactly one source each, and the checks of the common
// sources (emptyDir, hostPath, secret, configMap, persistentVolumeClaim, downwardAPI, projected,
// nfs, csi, ephemeral, image). Rarely used in-tree sources get their required fields checked.
// Paths and messages are upstream's, including its quirks (downwardAPI item errors are reported
// at the volume's `downwardAPI` path, not per item).
import { FieldError, field } from '../errors.js';
import { asArray, isObj, type Obj } from './field.js';
import { isDNS1123Label, isDNS1123Subdomain } from './names.js';
import { validateDownwardAPIFieldRef, validateResourceFieldRef } from './downward-api.js';
import { validatePersistentVolumeClaimSpec } from './pvc.js';
import { validateTemplateObjectMeta } from './object-meta.js';
import { readQuantity } from '../../util/quantity.js';

const FILE_MODE_MSG = 'must be a number between 0 and 0777 (octal), both inclusive';

/** Volume sources in upstream's checking order: [json key, path child used in "more than 1" errors]. */
const SOURCES: [string, string][] = [
  ['emptyDir', 'emptyDir'], ['hostPath', 'hostPath'], ['gitRepo', 'gitRepo'], ['gcePersistentDisk', 'gcePersistentDisk'],
  ['awsElasticBlockStore', 'awsElasticBlockStore'], ['secret', 'secret'], ['nfs', 'nfs'], ['iscsi', 'iscsi'],
  ['glusterfs', 'glusterfs'], ['flocker', 'flocker'], ['persistentVolumeClaim', 'persistentVolumeClaim'], ['rbd', 'rbd'],
  ['cinder', 'cinder'], ['cephfs', 'cephFS'], ['quobyte', 'quobyte'], ['downwardAPI', 'downwarAPI'], ['fc', 'fc'],
  ['flexVolume', 'flexVolume'], ['configMap', 'configMap'], ['azureFile', 'azureFile'], ['vsphereVolume', 'vsphereVolume'],
  ['photonPersistentDisk', 'photonPersistentDisk'], ['portworxVolume', 'portworxVolume'], ['azureDisk', 'azureDisk'],
  ['storageos', 'storageos'], ['projected', 'projected'], ['scaleIO', 'scaleIO'], ['csi', 'csi'], ['ephemeral', 'ephemeral'],
  ['image', 'image'],
];

/** Required fields of the rarely used sources: json key → [path child, required fields]. */
const REQUIRED_FIELDS: Record<string, [string, string[]]> = {
  gitRepo: ['gitRepo', ['repository']],
  gcePersistentDisk: ['persistentDisk', ['pdName']],
  awsElasticBlockStore: ['awsElasticBlockStore', ['volumeID']],
  iscsi: ['iscsi', ['targetPortal', 'iqn']],
  glusterfs: ['glusterfs', ['endpoints', 'path']],
  rbd: ['rbd', ['monitors', 'image']],
  cinder: ['cinder', ['volumeID']],
  cephfs: ['cephfs', ['monitors']],
  quobyte: ['quobyte', ['volume']],
  flexVolume: ['flexVolume', ['driver']],
  azureFile: ['azureFile', ['secretName', 'shareName']],
  vsphereVolume: ['vsphereVolume', ['volumePath']],
  photonPersistentDisk: ['photonPersistentDisk', ['pdID']],
  portworxVolume: ['portworxVolume', ['volumeID']],
  azureDisk: ['azureDisk', ['diskName', 'diskURI']],
  storageos: ['storageos', ['volumeName']],
  scaleIO: ['scaleIO', ['gateway', 'system', 'volumeName']],
};

export function validatePathNoBacksteps(p: string, path: string): FieldError[] {
  return p.replace(/\\/g, '/').split('/').includes('..') ? [field.invalid(path, p, "must not contain '..'")] : [];
}

export function validateLocalDescendingPath(p: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (p.startsWith('/')) errs.push(field.invalid(path, p, 'must be a relative path'));
  errs.push(...validatePathNoBacksteps(p, path));
  return errs;
}

export function validateLocalNonReservedPath(p: string, path: string): FieldError[] {
  const errs = validateLocalDescendingPath(p, path);
  if (p.startsWith('..') && !p.startsWith('../')) errs.push(field.invalid(path, p, "must not start with '..'"));
  return errs;
}

function validateMode(mode: unknown, path: string): FieldError[] {
  return typeof mode === 'number' && (mode > 0o777 || mode < 0) ? [field.invalid(path, mode, FILE_MODE_MSG)] : [];
}

function validateKeyToPath(kp: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!kp.key) errs.push(field.required(`${path}.key`));
  if (!kp.path) errs.push(field.required(`${path}.path`));
  errs.push(...validateLocalNonReservedPath(String(kp.path ?? ''), `${path}.path`));
  errs.push(...validateMode(kp.mode, `${path}.mode`));
  return errs;
}

function validateItems(items: unknown, path: string): FieldError[] {
  return asArray(items).flatMap((kp, i) => validateKeyToPath(isObj(kp) ? kp : {}, `${path}[${i}]`));
}

function validateDownwardAPIFile(file: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!file.path) errs.push(field.required(`${path}.path`));
  errs.push(...validateLocalNonReservedPath(String(file.path ?? ''), `${path}.path`));
  if (isObj(file.fieldRef)) {
    errs.push(...validateDownwardAPIFieldRef(file.fieldRef, 'volume', `${path}.fieldRef`));
    if (isObj(file.resourceFieldRef)) errs.push(field.invalid(path, 'resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'));
  } else if (isObj(file.resourceFieldRef)) {
    errs.push(...validateResourceFieldRef(file.resourceFieldRef, `${path}.resourceFieldRef`, true));
  } else {
    errs.push(field.required(path, 'one of fieldRef and resourceFieldRef is required'));
  }
  errs.push(...validateMode(file.mode, `${path}.mode`));
  return errs;
}

function validateProjected(src: Obj, path: string): FieldError[] {
  const errs = validateMode(src.defaultMode, `${path}.defaultMode`);
  const seen = new Set<string>();
  const claimPath = (p: unknown, name: unknown) => {
    if (typeof p !== 'string' || !p) return;
    if (seen.has(p)) errs.push(field.invalid(path, name, 'conflicting duplicate paths'));
    seen.add(p);
  };
  asArray(src.sources).forEach((s, i) => {
    const sp = `${path}.sources[${i}]`;
    const source: Obj = isObj(s) ? s : {};
    let n = 0;
    for (const kind of ['secret', 'configMap'] as const) {
      const ref = source[kind];
      if (!isObj(ref)) continue;
      n++;
      if (!ref.name) errs.push(field.required(`${sp}.${kind}.name`));
      asArray(ref.items).forEach((kp, j) => {
        errs.push(...validateKeyToPath(isObj(kp) ? kp : {}, `${sp}.${kind}.items[${j}]`));
        if (isObj(kp)) claimPath(kp.path, ref.name ?? '');
      });
    }
    if (isObj(source.downwardAPI)) {
      n++;
      for (const f of asArray(source.downwardAPI.items)) {
        errs.push(...validateDownwardAPIFile(isObj(f) ? f : {}, `${sp}.downwardAPI`));
        if (isObj(f) && f.path) {
          if (seen.has(f.path)) errs.push(field.invalid(path, f.path, 'conflicting duplicate paths'));
          seen.add(f.path);
        }
      }
    }
    if (isObj(source.serviceAccountToken)) {
      n++;
      const t = source.serviceAccountToken;
      const exp = typeof t.expirationSeconds === 'number' ? t.expirationSeconds : 3600;
      if (exp < 600) errs.push(field.invalid(`${sp}.serviceAccountToken.expirationSeconds`, exp, 'may not specify a duration less than 10 minutes'));
      if (exp > 2 ** 32) errs.push(field.invalid(`${sp}.serviceAccountToken.expirationSeconds`, exp, 'may not specify a duration larger than 2^32 seconds'));
      if (!t.path) errs.push(field.required(`${path}.path`));
      else errs.push(...validateLocalNonReservedPath(t.path, `${path}.path`));
    }
    if (isObj(source.clusterTrustBundle)) {
      n++;
      const ctb = source.clusterTrustBundle;
      if (!ctb.path) errs.push(field.required(`${sp}.clusterTrustBundle.path`));
      else claimPath(ctb.path, ctb.path);
    }
    if (isObj(source.podCertificate)) n++;
    if (n > 1) errs.push(field.forbidden(sp, 'may not specify more than 1 volume type per source'));
  });
  return errs;
}

const HOST_PATH_TYPES = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];

function validateSource(key: string, src: Obj, path: string, volName: string, podName: string | undefined, isPod: boolean): FieldError[] {
  const errs: FieldError[] = [];
  switch (key) {
    case 'emptyDir': {
      const q = readQuantity(src.sizeLimit);
      if (q && q.value < 0n) errs.push(field.forbidden(`${path}.emptyDir.sizeLimit`, 'SizeLimit field must be a valid resource quantity'));
      break;
    }
    case 'hostPath':
      if (!src.path) return [field.required(`${path}.hostPath.path`)];
      errs.push(...validatePathNoBacksteps(src.path, `${path}.hostPath.path`));
      if (typeof src.type === 'string' && !HOST_PATH_TYPES.includes(src.type)) {
        errs.push(field.notSupported(`${path}.hostPath.type`, src.type, HOST_PATH_TYPES));
      }
      break;
    case 'secret':
      if (!src.secretName) errs.push(field.required(`${path}.secret.secretName`));
      errs.push(...validateMode(src.defaultMode, `${path}.secret.defaultMode`), ...validateItems(src.items, `${path}.secret.items`));
      break;
    case 'configMap':
      if (!src.name) errs.push(field.required(`${path}.configMap.name`));
      errs.push(...validateMode(src.defaultMode, `${path}.configMap.defaultMode`), ...validateItems(src.items, `${path}.configMap.items`));
      break;
    case 'persistentVolumeClaim':
      if (!src.claimName) errs.push(field.required(`${path}.persistentVolumeClaim.claimName`));
      break;
    case 'downwardAPI':
      errs.push(...validateMode(src.defaultMode, `${path}.downwardAPI.defaultMode`));
      for (const f of asArray(src.items)) errs.push(...validateDownwardAPIFile(isObj(f) ? f : {}, `${path}.downwardAPI`));
      break;
    case 'projected':
      errs.push(...validateProjected(src, `${path}.projected`));
      break;
    case 'nfs':
      if (!src.server) errs.push(field.required(`${path}.nfs.server`));
      if (!src.path) errs.push(field.required(`${path}.nfs.path`));
      if (!String(src.path ?? '').startsWith('/')) errs.push(field.invalid(`${path}.nfs.path`, String(src.path ?? ''), 'must be an absolute path'));
      break;
    case 'csi': {
      const driver = String(src.driver ?? '');
      if (!driver) errs.push(field.required(`${path}.csi.driver`));
      if (driver.length > 63) errs.push(field.tooLong(`${path}.csi.driver`, 63));
      errs.push(...isDNS1123Subdomain(driver.toLowerCase()).map((m) => field.invalid(`${path}.csi.driver`, driver, m)));
      break;
    }
    case 'ephemeral': {
      const tmpl = src.volumeClaimTemplate;
      if (!isObj(tmpl)) {
        errs.push(field.required(`${path}.ephemeral.volumeClaimTemplate`));
        break;
      }
      const tp = `${path}.ephemeral.volumeClaimTemplate`;
      errs.push(...validateTemplateObjectMeta(tmpl.metadata, `${tp}.metadata`));
      errs.push(...validatePersistentVolumeClaimSpec(tmpl.spec, `${tp}.spec`));
      if (podName && volName) {
        const pvcName = `${podName}-${volName}`;
        for (const m of isDNS1123Subdomain(pvcName)) errs.push(field.invalid(`${path}.name`, volName, `PVC name ${JSON.stringify(pvcName)}: ${m}`));
      }
      break;
    }
    case 'image':
      if (isPod && !src.reference) errs.push(field.required(`${path}.image.reference`));
      if (src.pullPolicy !== undefined && !['Always', 'IfNotPresent', 'Never'].includes(src.pullPolicy)) {
        errs.push(field.notSupported(`${path}.image.pullPolicy`, src.pullPolicy, ['Always', 'IfNotPresent', 'Never']));
      }
      break;
    default: {
      const req = REQUIRED_FIELDS[key];
      if (req) {
        for (const f of req[1]) {
          const v = src[f];
          if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) errs.push(field.required(`${path}.${req[0]}.${f}`));
        }
      }
    }
  }
  return errs;
}

export interface ValidatedVolumes {
  /** Volumes without errors, by name (what mounts may reference). */
  sources: Map<string, Obj>;
  errs: FieldError[];
}

/** Validates spec.volumes; `podName` enables the ephemeral PVC-name check (pods only). */
export function validateVolumes(volumes: unknown, path: string, opts: { podName?: string; isPod?: boolean } = {}): ValidatedVolumes {
  const sources = new Map<string, Obj>();
  const errs: FieldError[] = [];
  const list = asArray(volumes);
  const createdPVCs = new Set<string>();
  if (opts.podName) for (const v of list) if (isObj(v) && isObj(v.ephemeral)) createdPVCs.add(`${opts.podName}-${v.name}`);
  list.forEach((raw, i) => {
    const vol: Obj = isObj(raw) ? raw : {};
    const idx = `${path}[${i}]`;
    const name = typeof vol.name === 'string' ? vol.name : '';
    const el: FieldError[] = [];
    let n = 0;
    for (const [key, child] of SOURCES) {
      if (!isObj(vol[key])) continue;
      if (n > 0) {
        el.push(field.forbidden(`${idx}.${child}`, 'may not specify more than 1 volume type'));
        continue;
      }
      n++;
      el.push(...validateSource(key, vol[key], idx, name, opts.podName, opts.isPod ?? false));
    }
    if (n === 0) el.push(field.required(idx, 'must specify a volume type'));
    if (!name) el.push(field.required(`${idx}.name`));
    else el.push(...isDNS1123Label(name).map((m) => field.invalid(`${idx}.name`, name, m)));
    if (sources.has(name)) el.push(field.duplicate(`${idx}.name`, name));
    if (el.length === 0) sources.set(name, vol);
    else errs.push(...el);
    if (isObj(vol.persistentVolumeClaim) && createdPVCs.has(vol.persistentVolumeClaim.claimName)) {
      errs.push(
        field.invalid(`${idx}.persistentVolumeClaim.claimName`, vol.persistentVolumeClaim.claimName, 'must not reference a PVC that gets created for an ephemeral volume'),
      );
    }
  });
  return { sources, errs };
}

