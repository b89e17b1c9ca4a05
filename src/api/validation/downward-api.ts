// Downward API references (env valueFrom.fieldRef/resourceFieldRef and downwardAPI volume items):
// which pod fields and container resources may be exposed, with upstream's messages.
import { FieldError, field } from '../errors.js';
import { type Obj } from './field.js';
import { isQualifiedName } from './names.js';
import { quantityString, readQuantity } from '../../util/quantity.js';

const ENV_FIELD_PATHS = [
  'metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName',
  'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs',
].sort();
const VOLUME_FIELD_PATHS = ['metadata.name', 'metadata.namespace', 'metadata.labels', 'metadata.annotations', 'metadata.uid'].sort();

/** Fields the v1 pod conversion accepts as downward API labels. */
const CONVERTIBLE = new Set([
  'metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName',
  'spec.restartPolicy', 'spec.serviceAccountName', 'spec.schedulerName', 'status.phase', 'status.hostIP', 'status.hostIPs',
  'status.podIP', 'status.podIPs',
]);

const RESOURCE_FIELDS = [
  'limits.cpu', 'limits.memory', 'limits.ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage',
].sort();

/** `metadata.labels['key']` → ['metadata.labels', 'key']. */
function splitSubscript(p: string): [string, string] | undefined {
  const m = /^(.*)\['(.*)'\]$/.exec(p);
  return m ? [m[1]!, m[2]!] : undefined;
}

export function validateDownwardAPIFieldRef(ref: Obj, use: 'env' | 'volume', path: string): FieldError[] {
  if (!ref.apiVersion) return [field.required(`${path}.apiVersion`)];
  if (!ref.fieldPath) return [field.required(`${path}.fieldPath`)];
  const fp = String(ref.fieldPath);
  if (ref.apiVersion !== 'v1') return [field.invalid(`${path}.fieldPath`, fp, `error converting fieldPath: unsupported pod version: ${ref.apiVersion}`)];
  const sub = splitSubscript(fp);
  if (sub) {
    const [base, key] = sub;
    if (base === 'metadata.annotations') return isQualifiedName(key.toLowerCase()).map((m) => field.invalid(path, key.toLowerCase(), m));
    if (base === 'metadata.labels') return isQualifiedName(key).map((m) => field.invalid(path, key, m));
    return [field.invalid(`${path}.fieldPath`, fp, `error converting fieldPath: field label does not support subscript: ${fp}`)];
  }
  const internal = fp === 'spec.host' ? 'spec.nodeName' : fp;
  if (!CONVERTIBLE.has(internal)) return [field.invalid(`${path}.fieldPath`, fp, `error converting fieldPath: field label not supported: ${fp}`)];
  const allowed = use === 'env' ? ENV_FIELD_PATHS : VOLUME_FIELD_PATHS;
  if (!allowed.includes(internal)) return [field.notSupported(`${path}.fieldPath`, internal, allowed)];
  return [];
}

const DIVISORS_CPU = ['1m', '1'];
const DIVISORS_BYTES = ['1', '1k', '1M', '1G', '1T', '1P', '1E', '1Ki', '1Mi', '1Gi', '1Ti', '1Pi', '1Ei'];
const BYTES_LIST = '1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei';

function validateDivisor(resource: string, divisor: unknown, path: string): FieldError[] {
  const q = readQuantity(divisor);
  if (!q || q.value === 0n) return [];
  const d = quantityString(q);
  const p = `${path}.divisor`;
  if (resource === 'limits.cpu' || resource === 'requests.cpu') {
    if (!DIVISORS_CPU.includes(d)) return [field.invalid(p, resource, "only divisor's values 1m and 1 are supported with the cpu resource")];
  } else if (resource === 'limits.memory' || resource === 'requests.memory') {
    if (!DIVISORS_BYTES.includes(d)) return [field.invalid(p, resource, `only divisor's values ${BYTES_LIST} are supported with the memory resource`)];
  } else if (resource === 'limits.ephemeral-storage' || resource === 'requests.ephemeral-storage') {
    if (!DIVISORS_BYTES.includes(d)) {
      return [field.invalid(p, resource, `only divisor's values ${BYTES_LIST} are supported with the local ephemeral storage resource`)];
    }
  } else if (resource.startsWith('requests.hugepages-') || resource.startsWith('limits.hugepages-')) {
    if (!DIVISORS_BYTES.includes(d)) return [field.invalid(p, resource, `only divisor's values ${BYTES_LIST} are supported with the hugepages resource`)];
  }
  return [];
}

/** resourceFieldRef: in volumes the container name is required. */
export function validateResourceFieldRef(ref: Obj, path: string, volume: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const resource = String(ref.resource ?? '');
  if (volume && !ref.containerName) errs.push(field.required(`${path}.containerName`));
  else if (!resource) errs.push(field.required(`${path}.resource`));
  else if (!RESOURCE_FIELDS.includes(resource) && !resource.startsWith('requests.hugepages-') && !resource.startsWith('limits.hugepages-')) {
    errs.push(field.notSupported(`${path}.resource`, resource, RESOURCE_FIELDS));
  }
  errs.push(...validateDivisor(resource, ref.divisor, path));
  return errs;
}
