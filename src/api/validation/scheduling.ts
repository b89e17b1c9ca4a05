// Scheduling constraints in a PodSpec: node affinity (node selector terms), pod (anti-)affinity
// terms and topology spread constraints, with upstream's messages.
import { FieldError, field } from '../errors.js';
import { asArray, isObj, keysOf, type Obj } from './field.js';
import { validateLabelSelector, validateLabelSelectorRequirement } from './label-selector.js';
import { isDNS1123Label, isDNS1123Subdomain } from './names.js';
import { validateLabelName } from './object-meta.js';

export function validateNodeSelectorRequirement(rq: Obj, path: string, allowInvalidValues = false): FieldError[] {
  return validateLabelSelectorRequirement(rq, path, { numericOperators: true, allowInvalidLabelValue: allowInvalidValues });
}

function validateNodeFieldSelectorRequirement(rq: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const values = asArray(rq.values).map(String);
  if (rq.operator === 'In' || rq.operator === 'NotIn') {
    if (values.length !== 1) errs.push(field.required(`${path}.values`, "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
  } else {
    errs.push(field.invalid(`${path}.operator`, rq.operator ?? '', 'not a valid selector operator'));
  }
  if (rq.key !== 'metadata.name') errs.push(field.invalid(`${path}.key`, rq.key ?? '', 'not a valid field selector key'));
  else values.forEach((v, i) => errs.push(...isDNS1123Subdomain(v).map((m) => field.invalid(`${path}.values[${i}]`, v, m))));
  return errs;
}

export function validateNodeSelectorTerm(term: Obj, path: string, allowInvalidValues = false): FieldError[] {
  const errs: FieldError[] = [];
  asArray(term.matchExpressions).forEach((r, j) => {
    errs.push(...validateNodeSelectorRequirement(isObj(r) ? r : {}, `${path}.matchExpressions[${j}]`, allowInvalidValues));
  });
  asArray(term.matchFields).forEach((r, j) => errs.push(...validateNodeFieldSelectorRequirement(isObj(r) ? r : {}, `${path}.matchFields[${j}]`)));
  return errs;
}

export function validateNodeSelector(sel: Obj, path: string): FieldError[] {
  const terms = asArray(sel.nodeSelectorTerms);
  if (terms.length === 0) return [field.required(`${path}.nodeSelectorTerms`, 'must have at least one node selector term')];
  return terms.flatMap((t, i) => validateNodeSelectorTerm(isObj(t) ? t : {}, `${path}.nodeSelectorTerms[${i}]`));
}

export function validateNodeAffinity(na: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (isObj(na.requiredDuringSchedulingIgnoredDuringExecution)) {
    errs.push(...validateNodeSelector(na.requiredDuringSchedulingIgnoredDuringExecution, `${path}.requiredDuringSchedulingIgnoredDuringExecution`));
  }
  asArray(na.preferredDuringSchedulingIgnoredDuringExecution).forEach((raw, i) => {
    const t: Obj = isObj(raw) ? raw : {};
    const p = `${path}.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
    if (typeof t.weight !== 'number' || t.weight <= 0 || t.weight > 100) errs.push(field.invalid(`${p}.weight`, t.weight ?? 0, 'must be in the range 1-100'));
    errs.push(...validateNodeSelectorTerm(isObj(t.preference) ? t.preference : {}, `${p}.preference`, true));
  });
  return errs;
}

function validateLabelKeys(keys: unknown, selector: unknown, path: string): FieldError[] {
  const list = asArray(keys).map(String);
  if (list.length === 0) return [];
  if (!isObj(selector)) return [field.forbidden(path, 'must not be specified when labelSelector is not set')];
  return list.flatMap((k, i) => validateLabelName(k, `${path}[${i}]`));
}

function validatePodAffinityTerm(t: Obj, path: string): FieldError[] {
  const errs = [
    ...validateLabelSelector(t.labelSelector, `${path}.labelSelector`),
    ...validateLabelSelector(t.namespaceSelector, `${path}.namespaceSelector`),
  ];
  for (const ns of asArray(t.namespaces).map(String)) errs.push(...isDNS1123Label(ns).map((m) => field.invalid(`${path}.namespace`, ns, m)));
  errs.push(...validateLabelKeys(t.matchLabelKeys, t.labelSelector, `${path}.matchLabelKeys`));
  errs.push(...validateLabelKeys(t.mismatchLabelKeys, t.labelSelector, `${path}.mismatchLabelKeys`));
  const mismatch = new Set(asArray(t.mismatchLabelKeys).map(String));
  asArray(t.matchLabelKeys).forEach((k, i) => {
    if (mismatch.has(String(k))) errs.push(field.invalid(`${path}.matchLabelKeys[${i}]`, k, 'exists in both matchLabelKeys and mismatchLabelKeys'));
  });
  const topologyKey = String(t.topologyKey ?? '');
  if (!topologyKey) errs.push(field.required(`${path}.topologyKey`, 'can not be empty'));
  errs.push(...validateLabelName(topologyKey, `${path}.topologyKey`));
  return errs;
}

/** podAffinity and podAntiAffinity share their shape. */
export function validatePodAffinity(pa: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  asArray(pa.requiredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => {
    errs.push(...validatePodAffinityTerm(isObj(t) ? t : {}, `${path}.requiredDuringSchedulingIgnoredDuringExecution[${i}]`));
  });
  asArray(pa.preferredDuringSchedulingIgnoredDuringExecution).forEach((raw, i) => {
    const w: Obj = isObj(raw) ? raw : {};
    const p = `${path}.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
    if (typeof w.weight !== 'number' || w.weight <= 0 || w.weight > 100) errs.push(field.invalid(`${p}.weight`, w.weight ?? 0, 'must be in the range 1-100'));
    errs.push(...validatePodAffinityTerm(isObj(w.podAffinityTerm) ? w.podAffinityTerm : {}, `${p}.podAffinityTerm`));
  });
  return errs;
}

export function validateTopologySpreadConstraints(constraints: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const list = asArray(constraints).map((c) => (isObj(c) ? c : {}));
  list.forEach((c, i) => {
    const p = `${path}[${i}]`;
    if (typeof c.maxSkew !== 'number' || c.maxSkew <= 0) errs.push(field.invalid(`${p}.maxSkew`, c.maxSkew ?? 0, 'must be greater than zero'));
    if (!c.topologyKey) errs.push(field.required(`${p}.topologyKey`, 'can not be empty'));
    if (!['DoNotSchedule', 'ScheduleAnyway'].includes(c.whenUnsatisfiable)) {
      errs.push(field.notSupported(`${p}.whenUnsatisfiable`, c.whenUnsatisfiable ?? '', ['DoNotSchedule', 'ScheduleAnyway']));
    }
    const dup = list.slice(i + 1).find((o) => o.topologyKey === c.topologyKey && o.whenUnsatisfiable === c.whenUnsatisfiable);
    if (dup) errs.push(field.duplicate(`${p}.{topologyKey, whenUnsatisfiable}`, `{${c.topologyKey ?? ''}, ${c.whenUnsatisfiable ?? ''}}`));
    if (c.minDomains !== undefined && c.minDomains !== null) {
      if (typeof c.minDomains !== 'number' || c.minDomains <= 0) errs.push(field.invalid(`${p}.minDomains`, c.minDomains, 'must be greater than zero'));
      if (c.whenUnsatisfiable !== 'DoNotSchedule') {
        errs.push(field.invalid(`${p}.minDomains`, c.minDomains, `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${c.whenUnsatisfiable ?? ''}`));
      }
    }
    for (const k of ['nodeAffinityPolicy', 'nodeTaintsPolicy']) {
      if (c[k] !== undefined && c[k] !== null && !['Honor', 'Ignore'].includes(c[k])) errs.push(field.notSupported(`${p}.${k}`, c[k], ['Honor', 'Ignore']));
    }
    const mlk = asArray(c.matchLabelKeys).map(String);
    if (mlk.length) {
      const selKeys = new Set<string>();
      if (isObj(c.labelSelector)) {
        keysOf(c.labelSelector.matchLabels).forEach((k) => selKeys.add(k));
        asArray(c.labelSelector.matchExpressions).forEach((e) => isObj(e) && selKeys.add(String(e.key)));
      } else {
        errs.push(field.forbidden(`${p}.matchLabelKeys`, 'must not be specified when labelSelector is not set'));
      }
      mlk.forEach((k, j) => {
        errs.push(...validateLabelName(k, `${p}.matchLabelKeys[${j}]`));
        if (selKeys.has(k)) errs.push(field.invalid(`${p}.matchLabelKeys[${j}]`, k, 'exists in both matchLabelKeys and labelSelector'));
      });
    }
    errs.push(...validateLabelSelector(c.labelSelector, `${p}.labelSelector`));
  });
  return errs;
}
