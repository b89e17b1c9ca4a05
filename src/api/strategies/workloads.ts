// Pod controllers: ReplicationController, ReplicaSet, Deployment, StatefulSet, DaemonSet and
// ControllerRevision — their apps/v1 (and core/v1) defaults, selector/template rules, and the
// apps/v1 rule that a selector never changes after creation.
import type { FieldError } from '../errors.js';
import { field } from '../errors.js';
import { asArray, goStructJSON, isObj, keysOf, semanticEqual, sortedMap, validateImmutableField, validateNonnegativeField, type Obj } from '../validation/field.js';
import { isConvertibleSelector, isEmptySelector, renderSelector, selectorMatches, validateLabelSelector } from '../validation/label-selector.js';
import { isValidPercent } from '../validation/names.js';
import { validateAnnotations, validateLabels } from '../validation/object-meta.js';
import { validatePodSpecificAnnotations, validatePodTemplateSpec } from '../validation/pod-spec.js';
import { defaultPVCSpec, defaultPodTemplate } from './pod-defaults.js';
import { clone, makeStrategy, specOf } from './strategy.js';
import type { KObject, Strategy } from './types.js';

// ── shared rules ────────────────────────────────────────────────────────────

/** Template labels must match the selector; the pod must restart Always and have no deadline. */
function validateControllerTemplate(tmpl: unknown, matches: boolean, path: string, owner: string, podSpec = true): FieldError[] {
  const t: Obj = isObj(tmpl) ? tmpl : {};
  const labels = isObj(t.metadata) ? t.metadata.labels : undefined;
  const errs: FieldError[] = [];
  if (!matches) errs.push(field.invalid(`${path}.metadata.labels`, sortedMap(labels) ?? null, '`selector` does not match template `labels`'));
  if (podSpec) errs.push(...validatePodTemplateSpec(t, path));
  else {
    const meta: Obj = isObj(t.metadata) ? t.metadata : {};
    errs.push(...validateLabels(meta.labels, `${path}.labels`), ...validateAnnotations(meta.annotations, `${path}.annotations`));
    errs.push(...validatePodSpecificAnnotations(meta.annotations, isObj(t.spec) ? t.spec : {}, `${path}.annotations`));
  }
  const spec: Obj = isObj(t.spec) ? t.spec : {};
  if (spec.restartPolicy !== 'Always') errs.push(field.notSupported(`${path}.spec.restartPolicy`, spec.restartPolicy ?? '', ['Always']));
  if (spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds !== null) {
    errs.push(field.forbidden(`${path}.spec.activeDeadlineSeconds`, `activeDeadlineSeconds in ${owner} is not Supported`));
  }
  return errs;
}

/** An apps/v1 label selector: required, valid, non-empty, matching the template. */
function validateAppsSelector(spec: Obj, kind: string, required = true): { errs: FieldError[]; matches: boolean } {
  const errs: FieldError[] = [];
  if (!isObj(spec.selector)) {
    if (required) errs.push(field.required('spec.selector'));
  } else {
    errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
    if (isEmptySelector(spec.selector)) errs.push(field.invalid('spec.selector', renderSelector(spec.selector), `empty selector is invalid for ${kind}`));
  }
  const labels = isObj(spec.template) && isObj(spec.template.metadata) ? spec.template.metadata.labels : undefined;
  const convertible = isConvertibleSelector(spec.selector);
  if (!convertible) errs.push(field.invalid('spec.selector', renderSelector(spec.selector), 'invalid label selector'));
  // A selector matching everything (empty) is not checked against the labels.
  const matches = !convertible || isEmptySelector(spec.selector) || selectorMatches(spec.selector, labels);
  return { errs, matches };
}

function selectorImmutable(obj: KObject, old: KObject): FieldError[] {
  const n = obj.spec?.selector;
  const o = old.spec?.selector;
  return semanticEqual(renderSelector(n), renderSelector(o)) ? [] : validateImmutableField(n, o, 'spec.selector', renderSelector(n));
}

/** An IntOrString that must be a non-negative int or a percentage. */
function validatePositiveIntOrPercent(v: unknown, path: string): FieldError[] {
  if (typeof v === 'string') return isValidPercent(v).map((m) => field.invalid(path, v, m));
  if (typeof v === 'number') return validateNonnegativeField(v, path);
  return v === undefined || v === null ? [] : [field.invalid(path, v, "must be an integer or percentage (e.g '5%%')")];
}

function intOrPercentValue(v: unknown): number {
  if (typeof v === 'string') return isValidPercent(v).length ? 0 : parseInt(v, 10);
  return typeof v === 'number' ? v : 0;
}

function notMoreThan100Percent(v: unknown, path: string): FieldError[] {
  if (typeof v !== 'string' || isValidPercent(v).length || parseInt(v, 10) <= 100) return [];
  return [field.invalid(path, v, 'must not be greater than 100%')];
}

function statusCounts(obj: KObject, fields: string[], path = 'status'): FieldError[] {
  const s: Obj = isObj(obj.status) ? obj.status : {};
  return fields.flatMap((f) => validateNonnegativeField(s[f], `${path}.${f}`));
}

function defaultTemplateAndReplicas(obj: KObject): Obj {
  const spec = specOf(obj);
  if (spec.replicas === undefined || spec.replicas === null) spec.replicas = 1;
  defaultPodTemplate(spec.template);
  return spec;
}

/** Generation also moves when annotations change (they are copied to the pods' owners). */
function bumpGenerationOnAnnotations(obj: KObject, old: KObject): void {
  const meta = obj.metadata;
  if (!meta || semanticEqual(meta.annotations, old.metadata?.annotations)) return;
  if (typeof meta.generation === 'number' && meta.generation === old.metadata?.generation) meta.generation += 1;
}

// ── ReplicationController (core/v1) ─────────────────────────────────────────

function validateRCSpec(obj: KObject): FieldError[] {
  const spec: Obj = isObj(obj.spec) ? obj.spec : {};
  const errs = validateNonnegativeField(spec.minReadySeconds, 'spec.minReadySeconds');
  if (keysOf(spec.selector).length === 0) errs.push(field.required('spec.selector'));
  errs.push(...validateNonnegativeField(spec.replicas, 'spec.replicas'));
  if (!isObj(spec.template)) return [...errs, field.required('spec.template')];
  const labels = isObj(spec.template.metadata) ? spec.template.metadata.labels : undefined;
  const matches = keysOf(spec.selector).length === 0 || selectorMatches({ matchLabels: spec.selector }, labels);
  errs.push(...validateControllerTemplate(spec.template, matches, 'spec.template', 'ReplicationController'));
  return errs;
}

export const replicationControllerStrategy: Strategy = makeStrategy({
  namespaced: true,
  default(obj) {
    const spec = defaultTemplateAndReplicas(obj);
    const labels = isObj(spec.template) && isObj(spec.template.metadata) ? spec.template.metadata.labels : undefined;
    if (isObj(labels)) {
      if (keysOf(spec.selector).length === 0) spec.selector = { ...labels };
      const meta = (obj.metadata ??= {});
      if (keysOf(meta.labels).length === 0) meta.labels = { ...labels };
    }
  },
  prepareForCreate: (obj) => void (obj.status = { replicas: 0 }),
  validateSpec: validateRCSpec,
  validateStatus: (obj) => statusCounts(obj, ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration']),
});

// ── ReplicaSet ──────────────────────────────────────────────────────────────

function validateReplicaSetSpec(obj: KObject): FieldError[] {
  const spec: Obj = isObj(obj.spec) ? obj.spec : {};
  const errs = [...validateNonnegativeField(spec.replicas, 'spec.replicas'), ...validateNonnegativeField(spec.minReadySeconds, 'spec.minReadySeconds')];
  const sel = validateAppsSelector(spec, 'deployment');
  errs.push(...sel.errs);
  if (isConvertibleSelector(spec.selector)) errs.push(...validateControllerTemplate(spec.template, sel.matches, 'spec.template', 'ReplicaSet'));
  return errs;
}

export const replicaSetStrategy: Strategy = makeStrategy({
  namespaced: true,
  default: (obj) => void defaultTemplateAndReplicas(obj),
  prepareForCreate: (obj) => void (obj.status = { replicas: 0 }),
  validateSpec: validateReplicaSetSpec,
  validateSpecUpdate: selectorImmutable,
  validateStatus: (obj) => statusCounts(obj, ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration']),
});

// ── Deployment ──────────────────────────────────────────────────────────────

function validateDeploymentStrategy(s: Obj, path: string): FieldError[] {
  switch (s.type) {
    case 'Recreate':
      return isObj(s.rollingUpdate) ? [field.forbidden(`${path}.rollingUpdate`, "may not be specified when strategy `type` is 'Recreate'")] : [];
    case 'RollingUpdate': {
      if (!isObj(s.rollingUpdate)) return [field.required(`${path}.rollingUpdate`, 'this should be defaulted and never be nil')];
      const ru = s.rollingUpdate;
      const p = `${path}.rollingUpdate`;
      const errs = [...validatePositiveIntOrPercent(ru.maxUnavailable, `${p}.maxUnavailable`), ...validatePositiveIntOrPercent(ru.maxSurge, `${p}.maxSurge`)];
      if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
        errs.push(field.invalid(`${p}.maxUnavailable`, ru.maxUnavailable ?? 0, 'may not be 0 when `maxSurge` is 0'));
      }
      errs.push(...notMoreThan100Percent(ru.maxUnavailable, `${p}.maxUnavailable`));
      return errs;
    }
    default: {
      const ru = isObj(s.rollingUpdate) ? goStructJSON([['MaxUnavailable', s.rollingUpdate.maxUnavailable], ['MaxSurge', s.rollingUpdate.maxSurge]]) : null;
      return [field.notSupported(path, goStructJSON([['Type', s.type ?? ''], ['RollingUpdate', ru]]), ['Recreate', 'RollingUpdate'])];
    }
  }
}

function validateDeploymentSpec(obj: KObject): FieldError[] {
  const spec: Obj = isObj(obj.spec) ? obj.spec : {};
  const errs = validateNonnegativeField(spec.replicas, 'spec.replicas');
  const sel = validateAppsSelector(spec, 'deployment');
  errs.push(...sel.errs);
  if (isConvertibleSelector(spec.selector)) errs.push(...validateControllerTemplate(spec.template, sel.matches, 'spec.template', 'ReplicaSet'));
  errs.push(...validateDeploymentStrategy(isObj(spec.strategy) ? spec.strategy : {}, 'spec.strategy'));
  errs.push(...validateNonnegativeField(spec.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...validateNonnegativeField(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  if (typeof spec.progressDeadlineSeconds === 'number') {
    errs.push(...validateNonnegativeField(spec.progressDeadlineSeconds, 'spec.progressDeadlineSeconds'));
    if (spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0)) {
      errs.push(field.invalid('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
    }
  }
  return errs;
}

export function defaultDeployment(obj: KObject): void {
  const spec = defaultTemplateAndReplicas(obj);
  if (!isObj(spec.strategy)) spec.strategy = {};
  if (!spec.strategy.type) spec.strategy.type = 'RollingUpdate';
  if (spec.strategy.type === 'RollingUpdate') {
    if (!isObj(spec.strategy.rollingUpdate)) spec.strategy.rollingUpdate = {};
    spec.strategy.rollingUpdate.maxUnavailable ??= '25%';
    spec.strategy.rollingUpdate.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
}

export const deploymentStrategy: Strategy = makeStrategy({
  namespaced: true,
  default: defaultDeployment,
  prepareForCreate: (obj) => void (obj.status = {}),
  prepareForUpdate: bumpGenerationOnAnnotations,
  validateSpec: validateDeploymentSpec,
  validateSpecUpdate: selectorImmutable,
  validateStatus(obj, old) {
    const errs = statusCounts(obj, ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas', 'collisionCount']);
    const n = obj.status?.collisionCount;
    const o = old.status?.collisionCount;
    if (typeof o === 'number' && (typeof n !== 'number' || n < o)) errs.push(field.invalid('status.collisionCount', n ?? 0, 'cannot be decremented'));
    return errs;
  },
});

// ── StatefulSet ─────────────────────────────────────────────────────────────

function validateStatefulSetSpec(obj: KObject): FieldError[] {
  const spec: Obj = isObj(obj.spec) ? obj.spec : {};
  const errs: FieldError[] = [];
  const pmp = spec.podManagementPolicy;
  if (!pmp) errs.push(field.required('spec.podManagementPolicy'));
  else if (pmp !== 'OrderedReady' && pmp !== 'Parallel') errs.push(field.invalid('spec.podManagementPolicy', pmp, "must be 'OrderedReady' or 'Parallel'"));
  const us: Obj = isObj(spec.updateStrategy) ? spec.updateStrategy : {};
  if (!us.type) errs.push(field.required('spec.updateStrategy'));
  else if (us.type === 'OnDelete') {
    if (isObj(us.rollingUpdate)) errs.push(field.invalid('spec.updateStrategy.rollingUpdate', us.rollingUpdate, "only allowed for updateStrategy 'RollingUpdate'"));
  } else if (us.type === 'RollingUpdate') {
    if (isObj(us.rollingUpdate)) {
      const p = 'spec.updateStrategy.rollingUpdate';
      errs.push(...validateNonnegativeField(us.rollingUpdate.partition, `${p}.partition`));
      const mu = us.rollingUpdate.maxUnavailable;
      if (mu !== undefined && mu !== null) {
        errs.push(...validatePositiveIntOrPercent(mu, `${p}.maxUnavailable`));
        if (intOrPercentValue(mu) === 0) errs.push(field.invalid(`${p}.maxUnavailable`, mu, 'cannot be 0'));
        errs.push(...notMoreThan100Percent(mu, `${p}.maxUnavailable`));
      }
    }
  } else {
    errs.push(field.invalid('spec.updateStrategy', us, "must be 'RollingUpdate' or 'OnDelete'"));
  }
  const retention = spec.persistentVolumeClaimRetentionPolicy;
  if (isObj(retention)) {
    for (const k of ['whenDeleted', 'whenScaled']) {
      if (retention[k] !== 'Retain' && retention[k] !== 'Delete') {
        errs.push(field.notSupported(`spec.persistentVolumeClaimRetentionPolicy.${k}`, retention[k] ?? '', ['Retain', 'Delete']));
      }
    }
  }
  errs.push(...validateNonnegativeField(spec.replicas, 'spec.replicas'), ...validateNonnegativeField(spec.minReadySeconds, 'spec.minReadySeconds'));
  if (isObj(spec.ordinals)) errs.push(...validateNonnegativeField(spec.ordinals.start, 'spec.ordinals.start'));
  const sel = validateAppsSelector(spec, 'statefulset');
  errs.push(...sel.errs.map((e) => (e.detail === 'invalid label selector' ? field.invalid('spec.selector', e.value, '') : e)));
  if (isConvertibleSelector(spec.selector)) errs.push(...validateControllerTemplate(spec.template, sel.matches, 'spec.template', 'StatefulSet', false));
  return errs;
}

const STS_MUTABLE = ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];

export function defaultStatefulSet(obj: KObject): void {
  const spec = defaultTemplateAndReplicas(obj);
  if (!spec.podManagementPolicy) spec.podManagementPolicy = 'OrderedReady';
  if (!isObj(spec.updateStrategy)) spec.updateStrategy = {};
  if (!spec.updateStrategy.type) {
    spec.updateStrategy.type = 'RollingUpdate';
    if (!isObj(spec.updateStrategy.rollingUpdate)) spec.updateStrategy.rollingUpdate = {};
  }
  if (spec.updateStrategy.type === 'RollingUpdate' && isObj(spec.updateStrategy.rollingUpdate)) spec.updateStrategy.rollingUpdate.partition ??= 0;
  if (!isObj(spec.persistentVolumeClaimRetentionPolicy)) spec.persistentVolumeClaimRetentionPolicy = {};
  spec.persistentVolumeClaimRetentionPolicy.whenDeleted ||= 'Retain';
  spec.persistentVolumeClaimRetentionPolicy.whenScaled ||= 'Retain';
  spec.revisionHistoryLimit ??= 10;
  for (const pvc of asArray(spec.volumeClaimTemplates)) {
    if (!isObj(pvc)) continue;
    pvc.apiVersion ||= 'v1';
    pvc.kind ||= 'PersistentVolumeClaim';
    if (!isObj(pvc.spec)) pvc.spec = {};
    defaultPVCSpec(pvc.spec);
    if (!isObj(pvc.status)) pvc.status = {};
    pvc.status.phase ||= 'Pending';
  }
}

export const statefulSetStrategy: Strategy = makeStrategy({
  namespaced: true,
  nameRule: 'label',
  default: defaultStatefulSet,
  prepareForCreate: (obj) => void (obj.status = { availableReplicas: 0, replicas: 0 }),
  validateSpec: validateStatefulSetSpec,
  validateSpecUpdate(obj, old) {
    const n: Obj = clone(isObj(obj.spec) ? obj.spec : {});
    const o: Obj = isObj(old.spec) ? old.spec : {};
    for (const k of STS_MUTABLE) n[k] = o[k];
    if (semanticEqual(n, o)) return [];
    return [
      field.forbidden(
        'spec',
        "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
      ),
    ];
  },
  validateStatus: (obj) => statusCounts(obj, ['replicas', 'readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas', 'observedGeneration', 'collisionCount']),
});

// ── DaemonSet ───────────────────────────────────────────────────────────────

const TEMPLATE_GENERATION = 'deprecated.daemonset.template.generation';

function validateDaemonSetSpec(obj: KObject): FieldError[] {
  const spec: Obj = isObj(obj.spec) ? obj.spec : {};
  const errs = validateLabelSelector(spec.selector, 'spec.selector');
  const labels = isObj(spec.template) && isObj(spec.template.metadata) ? spec.template.metadata.labels : undefined;
  const convertible = isConvertibleSelector(spec.selector);
  if (convertible && !isEmptySelector(spec.selector) && !selectorMatches(spec.selector, labels)) {
    errs.push(field.invalid('spec.template.metadata.labels', sortedMap(labels) ?? null, '`selector` does not match template `labels`'));
  }
  if (isEmptySelector(spec.selector)) errs.push(field.invalid('spec.selector', renderSelector(spec.selector), 'empty selector is invalid for daemonset'));
  errs.push(...validateControllerTemplate(spec.template, true, 'spec.template', 'DaemonSet'));
  errs.push(...validateNonnegativeField(spec.minReadySeconds, 'spec.minReadySeconds'));
  const us: Obj = isObj(spec.updateStrategy) ? spec.updateStrategy : {};
  if (us.type === 'RollingUpdate') {
    const p = 'spec.updateStrategy.rollingUpdate';
    if (!isObj(us.rollingUpdate)) errs.push(field.required(p));
    else {
      const ru = us.rollingUpdate;
      errs.push(...validatePositiveIntOrPercent(ru.maxUnavailable, `${p}.maxUnavailable`), ...validatePositiveIntOrPercent(ru.maxSurge, `${p}.maxSurge`));
      errs.push(...notMoreThan100Percent(ru.maxUnavailable, `${p}.maxUnavailable`), ...notMoreThan100Percent(ru.maxSurge, `${p}.maxSurge`));
      const hasUnavailable = intOrPercentValue(ru.maxUnavailable) !== 0;
      const hasSurge = intOrPercentValue(ru.maxSurge) !== 0;
      if (hasUnavailable && hasSurge) errs.push(field.invalid(`${p}.maxSurge`, ru.maxSurge, 'may not be set when maxUnavailable is non-zero'));
      if (!hasUnavailable && !hasSurge) errs.push(field.required(`${p}.maxUnavailable`, 'cannot be 0 when maxSurge is 0'));
    }
  } else if (us.type !== 'OnDelete') {
    errs.push(field.notSupported('spec.updateStrategy', us, ['RollingUpdate', 'OnDelete']));
  }
  errs.push(...validateNonnegativeField(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  return errs;
}

export function defaultDaemonSet(obj: KObject): void {
  const spec = specOf(obj);
  defaultPodTemplate(spec.template);
  if (!isObj(spec.updateStrategy)) spec.updateStrategy = {};
  if (!spec.updateStrategy.type) spec.updateStrategy.type = 'RollingUpdate';
  if (spec.updateStrategy.type === 'RollingUpdate') {
    if (!isObj(spec.updateStrategy.rollingUpdate)) spec.updateStrategy.rollingUpdate = {};
    spec.updateStrategy.rollingUpdate.maxUnavailable ??= 1;
    spec.updateStrategy.rollingUpdate.maxSurge ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
}

export const daemonSetStrategy: Strategy = makeStrategy({
  namespaced: true,
  default: defaultDaemonSet,
  prepareForCreate(obj) {
    obj.status = { currentNumberScheduled: 0, desiredNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0 };
    const meta = (obj.metadata ??= {});
    meta.annotations = { ...(meta.annotations ?? {}), [TEMPLATE_GENERATION]: '1' };
  },
  prepareForUpdate(obj, old) {
    const oldGen = Number(old.metadata?.annotations?.[TEMPLATE_GENERATION] ?? '1') || 1;
    const changed = !semanticEqual(obj.spec?.template, old.spec?.template);
    const meta = (obj.metadata ??= {});
    meta.annotations = { ...(meta.annotations ?? {}), [TEMPLATE_GENERATION]: String(changed ? oldGen + 1 : oldGen) };
  },
  validateSpec: validateDaemonSetSpec,
  validateSpecUpdate: selectorImmutable,
  validateStatus: (obj) =>
    statusCounts(obj, [
      'currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady', 'observedGeneration', 'updatedNumberScheduled',
      'numberAvailable', 'numberUnavailable', 'collisionCount',
    ]),
});

// ── ControllerRevision ──────────────────────────────────────────────────────

export const controllerRevisionStrategy: Strategy = makeStrategy({
  namespaced: true,
  validateSpec(obj) {
    const errs: FieldError[] = [];
    if (obj.data === undefined || obj.data === null) errs.push(field.required('data', 'data is mandatory'));
    errs.push(...validateNonnegativeField(obj.revision, 'revision'));
    return errs;
  },
  validateSpecUpdate: (obj, old) => validateImmutableField(obj.data, old.data, 'data'),
});
