// Pod updates (ValidatePodUpdate upstream): a running pod's spec is immutable except container
// images, a shorter activeDeadlineSeconds, added tolerations (tolerationSeconds may change),
// removed scheduling gates, terminationGracePeriodSeconds from negative to 1, and — while the pod
// is still gated — additions to nodeSelector and node affinity. Anything else is refused with
// upstream's message, followed by a short diff of what changed.
import { FieldError, field } from '../errors.js';
import { asArray, isObj, keysOf, semanticEqual, type Obj } from './field.js';
import { inclusiveRangeError } from './names.js';
import { validateObjectMetaUpdate } from './object-meta.js';
import { validatePodMetadataAndSpec, validateTolerations } from './pod-spec.js';

const MAX_INT32 = 2147483647;

const UPDATABLE_FIELDS = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

export const POD_UPDATE_FORBIDDEN = `pod updates may not change fields other than ${UPDATABLE_FIELDS.join(',')}`;

function containerUpdates(newList: unknown, oldList: unknown, path: string): { errs: FieldError[]; stop: boolean } {
  const n = asArray(newList);
  if (n.length !== asArray(oldList).length) return { errs: [field.forbidden(path, 'pod updates may not add or remove containers')], stop: true };
  const errs: FieldError[] = [];
  n.forEach((c, i) => {
    const image = isObj(c) && typeof c.image === 'string' ? c.image : '';
    if (!image) errs.push(field.required(`${path}[${i}].image`));
    if (image.trim() !== image) errs.push(field.invalid(`${path}[${i}].image`, image, 'must not have leading or trailing whitespace'));
  });
  return { errs, stop: false };
}

function onlyAddedTolerations(newT: unknown, oldT: unknown, path: string): FieldError[] {
  const news = asArray(newT);
  for (const old of asArray(oldT)) {
    const found = news.some((t) => isObj(t) && isObj(old) && semanticEqual({ ...old, tolerationSeconds: t.tolerationSeconds }, t));
    if (!found) return [field.forbidden(path, 'existing toleration can not be modified except its tolerationSeconds')];
  }
  return validateTolerations(newT, path);
}

function onlyDeletedGates(newG: unknown, oldG: unknown, path: string): FieldError[] {
  const old = new Set(asArray(oldG).map((g) => (isObj(g) ? g.name : undefined)));
  const errs: FieldError[] = [];
  asArray(newG).forEach((g, i) => {
    const name = isObj(g) ? g.name : undefined;
    if (!old.has(name)) errs.push(field.forbidden(`${path}[${i}].name`, `only deletion is allowed, but found new scheduling gate '${name}'`));
  });
  return errs;
}

/** Old required node selector terms may only gain match expressions/fields at their ends. */
function nodeAffinityOnlyAdditions(newNA: Obj | undefined, oldNA: Obj | undefined, path: string): FieldError[] {
  const oldReq = oldNA && isObj(oldNA.requiredDuringSchedulingIgnoredDuringExecution) ? oldNA.requiredDuringSchedulingIgnoredDuringExecution : undefined;
  if (!oldReq) return [];
  const oldTerms = asArray(oldReq.nodeSelectorTerms);
  const newReq = newNA && isObj(newNA.requiredDuringSchedulingIgnoredDuringExecution) ? newNA.requiredDuringSchedulingIgnoredDuringExecution : {};
  const newTerms = asArray(newReq.nodeSelectorTerms);
  const termsPath = `${path}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`;
  if (oldTerms.length > 0 && oldTerms.length !== newTerms.length) {
    return [field.invalid(termsPath, newTerms, 'no additions/deletions to non-empty NodeSelectorTerms list are allowed')];
  }
  const errs: FieldError[] = [];
  oldTerms.forEach((ot, i) => {
    const o: Obj = isObj(ot) ? ot : {};
    const n: Obj = isObj(newTerms[i]) ? newTerms[i] : {};
    const prefixKept = (k: string) => {
      const ol = asArray(o[k]);
      const nl = asArray(n[k]);
      return nl.length >= ol.length && semanticEqual(nl.slice(0, ol.length), ol);
    };
    const wasEmpty = asArray(o.matchExpressions).length === 0 && asArray(o.matchFields).length === 0;
    const ok = wasEmpty ? asArray(n.matchExpressions).length === 0 && asArray(n.matchFields).length === 0 : prefixKept('matchExpressions') && prefixKept('matchFields');
    if (!ok) errs.push(field.invalid(`${termsPath}[${i}]`, newTerms[i] ?? null, 'only additions are allowed (no mutations or deletions)'));
  });
  return errs;
}

function leafDiffs(a: unknown, b: unknown, path: string, out: string[]): void {
  if (semanticEqual(a, b)) return;
  if (isObj(a) && isObj(b)) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) leafDiffs(a[k], b[k], path ? `${path}.${k}` : k, out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((x, i) => leafDiffs(x, b[i], `${path}[${i}]`, out));
    return;
  }
  if (a !== undefined) out.push(`- \t${path}: ${JSON.stringify(a)}`);
  if (b !== undefined) out.push(`+ \t${path}: ${JSON.stringify(b)}`);
}

/** A compact diff of two pod specs, in the spirit of the cmp.Diff upstream appends. */
export function podSpecDiff(oldSpec: unknown, newSpec: unknown): string {
  const lines: string[] = [];
  leafDiffs(oldSpec, newSpec, '', lines);
  return ['  core.PodSpec{', ...lines, '  }', ''].join('\n');
}

export function validatePodUpdate(newPod: Obj, oldPod: Obj): FieldError[] {
  const errs = validateObjectMetaUpdate(newPod.metadata, oldPod.metadata);
  errs.push(...validatePodMetadataAndSpec(newPod));
  const newAnn: Obj = isObj(newPod.metadata?.annotations) ? newPod.metadata.annotations : {};
  const oldAnn: Obj = isObj(oldPod.metadata?.annotations) ? oldPod.metadata.annotations : {};
  const mirror = 'kubernetes.io/config.mirror';
  if (mirror in oldAnn && newAnn[mirror] !== oldAnn[mirror]) errs.push(field.forbidden(`metadata.annotations[${mirror}]`, 'may not remove or update mirror pod annotation'));
  if (mirror in newAnn && !(mirror in oldAnn)) errs.push(field.forbidden(`metadata.annotations[${mirror}]`, 'may not add mirror pod annotation'));

  const ns: Obj = isObj(newPod.spec) ? newPod.spec : {};
  const os: Obj = isObj(oldPod.spec) ? oldPod.spec : {};
  for (const kind of ['containers', 'initContainers']) {
    const r = containerUpdates(ns[kind], os[kind], `spec.${kind}`);
    errs.push(...r.errs);
    if (r.stop) return errs;
  }
  if (typeof ns.activeDeadlineSeconds === 'number') {
    const v = ns.activeDeadlineSeconds;
    if (v < 0 || v > MAX_INT32) return [...errs, field.invalid('spec.activeDeadlineSeconds', v, inclusiveRangeError(0, MAX_INT32))];
    if (typeof os.activeDeadlineSeconds === 'number' && os.activeDeadlineSeconds < v) {
      return [...errs, field.invalid('spec.activeDeadlineSeconds', v, 'must be less than or equal to previous value')];
    }
  } else if (typeof os.activeDeadlineSeconds === 'number') {
    errs.push(field.invalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'));
  }
  errs.push(...onlyAddedTolerations(ns.tolerations, os.tolerations, 'spec.tolerations'));
  errs.push(...onlyDeletedGates(ns.schedulingGates, os.schedulingGates, 'spec.schedulingGates'));
  if (semanticEqual(ns, os)) return errs;

  // Put back what may change, then anything left over is a forbidden change.
  const munged: Obj = structuredClone(ns);
  for (const kind of ['containers', 'initContainers']) {
    asArray(munged[kind]).forEach((c, i) => {
      if (isObj(c)) c.image = asArray(os[kind])[i]?.image;
    });
  }
  munged.activeDeadlineSeconds = os.activeDeadlineSeconds;
  munged.schedulingGates = os.schedulingGates;
  munged.tolerations = os.tolerations;
  if (typeof os.terminationGracePeriodSeconds === 'number' && os.terminationGracePeriodSeconds < 0 && munged.terminationGracePeriodSeconds === 1) {
    munged.terminationGracePeriodSeconds = os.terminationGracePeriodSeconds;
  }
  if (asArray(os.schedulingGates).length > 0) {
    if (!semanticEqual(munged.nodeSelector, os.nodeSelector)) {
      const oldSel: Obj = isObj(os.nodeSelector) ? os.nodeSelector : {};
      const newSel: Obj = isObj(munged.nodeSelector) ? munged.nodeSelector : {};
      if (keysOf(oldSel).some((k) => newSel[k] !== oldSel[k])) {
        errs.push(field.invalid('spec.nodeSelector', newSel, 'only additions to spec.nodeSelector are allowed (no mutations or deletions)'));
      }
      munged.nodeSelector = os.nodeSelector;
    }
    const oldNA = isObj(os.affinity) && isObj(os.affinity.nodeAffinity) ? os.affinity.nodeAffinity : undefined;
    const newNA = isObj(munged.affinity) && isObj(munged.affinity.nodeAffinity) ? munged.affinity.nodeAffinity : undefined;
    if (!semanticEqual(oldNA, newNA)) {
      errs.push(...nodeAffinityOnlyAdditions(newNA, oldNA, 'spec.affinity.nodeAffinity'));
      if (isObj(munged.affinity)) {
        munged.affinity = { ...munged.affinity, nodeAffinity: oldNA };
      } else if (oldNA) {
        munged.affinity = { nodeAffinity: oldNA };
      }
    }
  }
  if (!semanticEqual(munged, os)) errs.push(field.forbidden('spec', `${POD_UPDATE_FORBIDDEN}\n${podSpecDiff(os, munged)}`));
  return errs;
}
