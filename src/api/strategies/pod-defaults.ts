// Defaults of a PodSpec as upstream's v1 defaulters set them (SetDefaults_PodSpec, _Container,
// _Probe, _Volume, _HTTPGetAction, _ObjectFieldSelector and the declarative `+default` markers).
// Shared by Pods and every kind with a pod template. Pod-only defaults live in pod.ts.
import { canonicalQuantityValue, MILLI_SCALE, quantityString, readQuantity, roundUpQuantity } from '../../util/quantity.js';

type Obj = Record<string, any>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function list(v: unknown): Obj[] {
  return Array.isArray(v) ? v.filter(isObj) : [];
}

/** The tag of an image reference as the container runtime would pull it ("latest" when none). */
export function imageTag(image: string): string {
  const at = image.indexOf('@');
  const name = at >= 0 ? image.slice(0, at) : image;
  const lastSlash = name.lastIndexOf('/');
  const colon = name.indexOf(':', lastSlash + 1);
  if (colon >= 0) return name.slice(colon + 1);
  return at >= 0 ? '' : 'latest';
}

function defaultHTTPGet(h: unknown): void {
  if (!isObj(h)) return;
  if (!h.path) h.path = '/';
  if (!h.scheme) h.scheme = 'HTTP';
}

function defaultHandler(h: unknown): void {
  if (!isObj(h)) return;
  defaultHTTPGet(h.httpGet);
  if (isObj(h.grpc) && h.grpc.service === undefined) h.grpc.service = '';
}

function defaultProbe(p: unknown): void {
  if (!isObj(p)) return;
  if (!p.timeoutSeconds) p.timeoutSeconds = 1;
  if (!p.periodSeconds) p.periodSeconds = 10;
  if (!p.successThreshold) p.successThreshold = 1;
  if (!p.failureThreshold) p.failureThreshold = 3;
  defaultHandler(p);
}

function defaultFieldRef(ref: unknown): void {
  if (isObj(ref) && !ref.apiVersion) ref.apiVersion = 'v1';
}

/** Quantities are stored in canonical form, rounded up to milli-units (SetDefaults_ResourceList). */
export function canonicalizeResourceList(rl: unknown): void {
  if (!isObj(rl)) return;
  for (const k of Object.keys(rl)) {
    const q = readQuantity(rl[k]);
    if (q) rl[k] = quantityString(roundUpQuantity(q, MILLI_SCALE));
  }
}

export function defaultContainer(c: Obj): void {
  if (!c.imagePullPolicy) c.imagePullPolicy = imageTag(String(c.image ?? '')) === 'latest' ? 'Always' : 'IfNotPresent';
  if (!c.terminationMessagePath) c.terminationMessagePath = '/dev/termination-log';
  if (!c.terminationMessagePolicy) c.terminationMessagePolicy = 'File';
  for (const p of list(c.ports)) if (!p.protocol) p.protocol = 'TCP';
  if (!isObj(c.resources)) c.resources = {};
  canonicalizeResourceList(c.resources.limits);
  canonicalizeResourceList(c.resources.requests);
  for (const e of list(c.env)) {
    if (isObj(e.valueFrom)) {
      defaultFieldRef(e.valueFrom.fieldRef);
      if (isObj(e.valueFrom.resourceFieldRef) && e.valueFrom.resourceFieldRef.divisor !== undefined) {
        e.valueFrom.resourceFieldRef.divisor = canonicalQuantityValue(e.valueFrom.resourceFieldRef.divisor);
      }
    }
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  if (isObj(c.lifecycle)) {
    defaultHandler(c.lifecycle.postStart);
    defaultHandler(c.lifecycle.preStop);
  }
}

const VOLUME_SOURCES = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile', 'configMap',
  'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected', 'portworxVolume', 'scaleIO', 'storageos', 'csi',
  'ephemeral', 'image',
];

function defaultDownwardAPIItems(items: unknown): void {
  for (const it of list(items)) {
    defaultFieldRef(it.fieldRef);
    if (isObj(it.resourceFieldRef) && it.resourceFieldRef.divisor !== undefined) {
      it.resourceFieldRef.divisor = canonicalQuantityValue(it.resourceFieldRef.divisor);
    }
  }
}

export function defaultVolume(v: Obj): void {
  if (!VOLUME_SOURCES.some((k) => v[k] !== undefined && v[k] !== null)) v.emptyDir = {};
  if (isObj(v.emptyDir) && v.emptyDir.sizeLimit !== undefined) v.emptyDir.sizeLimit = canonicalQuantityValue(v.emptyDir.sizeLimit);
  if (isObj(v.hostPath) && v.hostPath.type === undefined) v.hostPath.type = '';
  for (const k of ['secret', 'configMap', 'downwardAPI', 'projected']) {
    if (isObj(v[k]) && (v[k].defaultMode === undefined || v[k].defaultMode === null)) v[k].defaultMode = 420;
  }
  if (isObj(v.downwardAPI)) defaultDownwardAPIItems(v.downwardAPI.items);
  if (isObj(v.projected)) {
    for (const s of list(v.projected.sources)) {
      if (isObj(s.serviceAccountToken) && !s.serviceAccountToken.expirationSeconds) s.serviceAccountToken.expirationSeconds = 3600;
      if (isObj(s.downwardAPI)) defaultDownwardAPIItems(s.downwardAPI.items);
    }
  }
  if (isObj(v.image) && !v.image.pullPolicy) v.image.pullPolicy = imageTag(String(v.image.reference ?? '')) === 'latest' ? 'Always' : 'IfNotPresent';
  if (isObj(v.rbd)) {
    v.rbd.pool ||= 'rbd';
    v.rbd.user ||= 'admin';
    v.rbd.keyring ||= '/etc/ceph/keyring';
  }
  if (isObj(v.iscsi)) v.iscsi.iscsiInterface ||= 'default';
  if (isObj(v.azureDisk)) {
    v.azureDisk.cachingMode ??= 'ReadWrite';
    v.azureDisk.fsType ??= 'ext4';
    v.azureDisk.readOnly ??= false;
    v.azureDisk.kind ??= 'Shared';
  }
  if (isObj(v.scaleIO)) {
    v.scaleIO.storageMode ||= 'ThinProvisioned';
    v.scaleIO.fsType ||= 'xfs';
  }
  if (isObj(v.ephemeral) && isObj(v.ephemeral.volumeClaimTemplate)) {
    const spec = v.ephemeral.volumeClaimTemplate.spec;
    if (isObj(spec)) defaultPVCSpec(spec);
  }
}

/** SetDefaults_PersistentVolumeClaimSpec: volumeMode Filesystem. */
export function defaultPVCSpec(spec: Obj): void {
  if (!spec.volumeMode) spec.volumeMode = 'Filesystem';
  if (isObj(spec.resources)) {
    canonicalizeResourceList(spec.resources.requests);
    canonicalizeResourceList(spec.resources.limits);
  }
}

/** Defaults of every PodSpec, whether in a Pod or in a template. */
export function defaultPodSpec(spec: Obj): void {
  if (!spec.dnsPolicy) spec.dnsPolicy = 'ClusterFirst';
  if (!spec.restartPolicy) spec.restartPolicy = 'Always';
  if (!isObj(spec.securityContext)) spec.securityContext = {};
  if (spec.terminationGracePeriodSeconds === undefined || spec.terminationGracePeriodSeconds === null) spec.terminationGracePeriodSeconds = 30;
  if (!spec.schedulerName) spec.schedulerName = 'default-scheduler';
  for (const c of [...list(spec.containers), ...list(spec.initContainers), ...list(spec.ephemeralContainers)]) defaultContainer(c);
  for (const v of list(spec.volumes)) defaultVolume(v);
  canonicalizeResourceList(spec.overhead);
  if (isObj(spec.resources)) {
    canonicalizeResourceList(spec.resources.limits);
    canonicalizeResourceList(spec.resources.requests);
  }
}

/** A pod template inside another object: only its spec gets defaults. */
export function defaultPodTemplate(tmpl: unknown): void {
  if (!isObj(tmpl)) return;
  if (!isObj(tmpl.spec)) tmpl.spec = {};
  defaultPodSpec(tmpl.spec);
}
