// Compute resources of containers and pods: resource names, quantities, requests ≤ limits, and the
// pod QoS class as upstream computes it (qos.ComputePodQOS).
import { FieldError, field } from '../errors.js';
import { asArray, isObj, keysOf, type Obj } from './field.js';
import { isQualifiedName } from './names.js';
import { addQuantities, compareQuantities, isWholeQuantity, quantityString, readQuantity, type Quantity } from '../../util/quantity.js';

const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);
const STANDARD_RESOURCES = new Set([
  'cpu', 'memory', 'ephemeral-storage', 'storage', 'pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets',
  'configmaps', 'persistentvolumeclaims', 'services.nodeports', 'services.loadbalancers',
  'requests.cpu', 'requests.memory', 'requests.ephemeral-storage', 'requests.storage',
  'limits.cpu', 'limits.memory', 'limits.ephemeral-storage',
]);
const INTEGER_RESOURCES = new Set([
  'pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'configmaps', 'persistentvolumeclaims',
  'services.nodeports', 'services.loadbalancers',
]);

export function isHugePageResourceName(name: string): boolean {
  return name.startsWith('hugepages-');
}

/** Native: unprefixed, or prefixed with a kubernetes.io domain. */
export function isNativeResource(name: string): boolean {
  return !name.includes('/') || name.includes('kubernetes.io/');
}

export function isExtendedResourceName(name: string): boolean {
  if (isNativeResource(name) || name.startsWith('requests.')) return false;
  return isQualifiedName(`requests.${name}`).length === 0;
}

export function isOvercommitAllowed(name: string): boolean {
  return isNativeResource(name) && !isHugePageResourceName(name);
}

function isStandardResourceName(name: string): boolean {
  return STANDARD_RESOURCES.has(name) || isHugePageResourceName(name) || name.startsWith('requests.hugepages-');
}

export function validateResourceName(name: string, path: string): FieldError[] {
  const errs = isQualifiedName(name).map((m) => field.invalid(path, name, m));
  if (errs.length) return errs;
  if (!name.includes('/') && !isStandardResourceName(name)) errs.push(field.invalid(path, name, 'must be a standard resource type or fully qualified'));
  return errs;
}

export function validateContainerResourceName(name: string, path: string): FieldError[] {
  const errs = validateResourceName(name, path);
  if (!name.includes('/')) {
    if (!STANDARD_CONTAINER_RESOURCES.has(name) && !isHugePageResourceName(name)) {
      errs.push(field.invalid(path, name, 'must be a standard resource for containers'));
    }
  } else if (!isNativeResource(name) && !isExtendedResourceName(name)) {
    errs.push(field.invalid(path, name, "doesn't follow extended resource name standard"));
  }
  return errs;
}

/** Non-negative quantity; whole number for integer (countable or extended) resources. */
export function validateResourceQuantityValue(name: string, value: unknown, path: string): FieldError[] {
  const q = readQuantity(value);
  if (!q) return [];
  const errs: FieldError[] = [];
  if (q.value < 0n) errs.push(field.invalid(path, quantityString(q), 'must be greater than or equal to 0'));
  if ((INTEGER_RESOURCES.has(name) || isExtendedResourceName(name)) && !isWholeQuantity(q)) {
    errs.push(field.invalid(path, quantityString(q), 'must be an integer'));
  }
  return errs;
}

export interface ResourceRequirementsOptions {
  /** Names of spec.resourceClaims, for resources.claims references. */
  podClaimNames?: Set<string>;
  /** Validator for resource names (container names by default). */
  nameFn?: (name: string, path: string) => FieldError[];
}

/** Validates a ResourceRequirements object ({limits, requests, claims}). */
export function validateResourceRequirements(req: unknown, path: string, opts: ResourceRequirementsOptions = {}): FieldError[] {
  const r: Obj = isObj(req) ? req : {};
  const nameFn = opts.nameFn ?? validateContainerResourceName;
  const errs: FieldError[] = [];
  const limits: Obj = isObj(r.limits) ? r.limits : {};
  const requests: Obj = isObj(r.requests) ? r.requests : {};
  const limPath = `${path}.limits`;
  const reqPath = `${path}.requests`;
  let limCpuMem = false;
  let reqCpuMem = false;
  let hugePages = false;
  for (const name of keysOf(limits)) {
    errs.push(...nameFn(name, `${limPath}[${name}]`));
    errs.push(...validateResourceQuantityValue(name, limits[name], `${limPath}[${name}]`));
    if (isHugePageResourceName(name)) hugePages = true;
    if (name === 'cpu' || name === 'memory') limCpuMem = true;
  }
  for (const name of keysOf(requests)) {
    errs.push(...nameFn(name, `${reqPath}[${name}]`));
    errs.push(...validateResourceQuantityValue(name, requests[name], `${reqPath}[${name}]`));
    const q = readQuantity(requests[name]);
    const lim = readQuantity(limits[name]);
    if (name in limits && q && lim) {
      if (compareQuantities(q, lim) !== 0 && !isOvercommitAllowed(name)) {
        errs.push(field.invalid(reqPath, quantityString(q), `must be equal to ${name} limit of ${quantityString(lim)}`));
      } else if (compareQuantities(q, lim) > 0) {
        errs.push(field.invalid(reqPath, quantityString(q), `must be less than or equal to ${name} limit of ${quantityString(lim)}`));
      }
    } else if (!(name in limits) && !isOvercommitAllowed(name)) {
      errs.push(field.required(limPath, 'Limit must be set for non overcommitable resources'));
    }
    if (isHugePageResourceName(name)) hugePages = true;
    if (name === 'cpu' || name === 'memory') reqCpuMem = true;
  }
  if (!limCpuMem && !reqCpuMem && hugePages) errs.push(field.forbidden(path, 'HugePages require cpu or memory'));
  errs.push(...validateResourceClaimRefs(r.claims, opts.podClaimNames ?? new Set(), `${path}.claims`));
  return errs;
}

function validateResourceClaimRefs(claims: unknown, podClaimNames: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  asArray(claims).forEach((c, i) => {
    const name = isObj(c) && typeof c.name === 'string' ? c.name : '';
    if (!name) {
      errs.push(field.required(`${path}[${i}]`));
      return;
    }
    const key = isObj(c) && c.request ? `${name}/${c.request}` : name;
    if (seen.has(key)) errs.push(field.duplicate(`${path}[${i}]`, key));
    seen.add(key);
    if (!podClaimNames.has(name)) {
      const list = [...podClaimNames].sort();
      const detail = `must be one of the names in pod.spec.resourceClaims${list.length ? `: ${list.join(', ')}` : ' which is empty'}`;
      errs.push(new FieldError('FieldValueNotFound', `${path}[${i}]`, name, detail));
    }
  });
  return errs;
}

/** Requests default to limits when only limits are given (SetDefaults_Pod, per container). */
export function defaultRequestsFromLimits(container: Obj): void {
  const res = container.resources;
  if (!isObj(res) || !isObj(res.limits)) return;
  if (!isObj(res.requests)) res.requests = {};
  for (const k of Object.keys(res.limits)) if (!(k in res.requests)) res.requests[k] = res.limits[k];
}

export type QOSClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

/** The pod's QoS class from cpu/memory requests and limits (pod-level resources when set). */
export function computePodQOS(spec: unknown): QOSClass {
  const s: Obj = isObj(spec) ? spec : {};
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  let guaranteed = true;
  const add = (into: Map<string, Quantity>, list: unknown, found?: Set<string>) => {
    if (!isObj(list)) return;
    for (const name of ['cpu', 'memory']) {
      const q = readQuantity(list[name]);
      if (!q || q.value <= 0n) continue;
      found?.add(name);
      const prev = into.get(name);
      into.set(name, prev ? addQuantities(prev, q) : q);
    }
  };
  const podRes = isObj(s.resources) ? s.resources : undefined;
  if (podRes && (isObj(podRes.requests) || isObj(podRes.limits)) && (keysOf(podRes.requests).length || keysOf(podRes.limits).length)) {
    const found = new Set<string>();
    add(requests, podRes.requests);
    add(limits, podRes.limits, found);
    if (!(found.has('cpu') && found.has('memory'))) guaranteed = false;
  } else {
    for (const c of [...asArray(s.containers), ...asArray(s.initContainers)]) {
      const res = isObj(c) && isObj(c.resources) ? c.resources : {};
      const found = new Set<string>();
      add(requests, res.requests);
      add(limits, res.limits, found);
      if (!(found.has('cpu') && found.has('memory'))) guaranteed = false;
    }
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, req] of requests) {
      const lim = limits.get(name);
      if (!lim || compareQuantities(lim, req) !== 0) {
        guaranteed = false;
        break;
      }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}
