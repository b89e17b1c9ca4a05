// Smaller cluster APIs: PodDisruptionBudget (policy/v1), PriorityClass (scheduling/v1), Lease
// (coordination/v1), RuntimeClass (node/v1) and HorizontalPodAutoscaler (stored as autoscaling/v2).
import type { FieldError } from '../errors.js';
import { field } from '../errors.js';
import { asArray, goStructJSON, isObj, validateImmutableField, validateNonnegativeField, type Obj } from '../validation/field.js';
import { renderSelector, validateLabelSelector } from '../validation/label-selector.js';
import { isDNS1123Label, isValidPathSegmentName, isValidPercent } from '../validation/names.js';
import { validateLabels } from '../validation/object-meta.js';
import { validatePreemptionPolicy, validateTolerations } from '../validation/pod-spec.js';
import { validateResourceRequirements } from '../validation/resources.js';
import { canonicalizeResourceList } from './pod-defaults.js';
import { makeStrategy, specOf } from './strategy.js';
import type { KObject, Strategy } from './types.js';

// ── PodDisruptionBudget ─────────────────────────────────────────────────────

function intOrPercent(v: unknown, path: string): FieldError[] {
  if (typeof v === 'string') {
    const errs = isValidPercent(v).map((m) => field.invalid(path, v, m));
    if (!errs.length && parseInt(v, 10) > 100) errs.push(field.invalid(path, v, 'must not be greater than 100%'));
    return errs;
  }
  return validateNonnegativeField(v, path);
}

function validatePDB(obj: KObject): FieldError[] {
  const spec: Obj = isObj(obj.spec) ? obj.spec : {};
  const errs: FieldError[] = [];
  const has = (k: string) => spec[k] !== undefined && spec[k] !== null;
  if (has('minAvailable') && has('maxUnavailable')) {
    const rendered = goStructJSON([
      ['MinAvailable', spec.minAvailable], ['Selector', renderSelector(spec.selector)], ['MaxUnavailable', spec.maxUnavailable],
      ['UnhealthyPodEvictionPolicy', spec.unhealthyPodEvictionPolicy],
    ]);
    errs.push(field.invalid('spec', rendered, 'minAvailable and maxUnavailable cannot be both set'));
  }
  if (has('minAvailable')) errs.push(...intOrPercent(spec.minAvailable, 'spec.minAvailable'));
  if (has('maxUnavailable')) errs.push(...intOrPercent(spec.maxUnavailable, 'spec.maxUnavailable'));
  errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  const policy = spec.unhealthyPodEvictionPolicy;
  if (policy !== undefined && policy !== null && !['AlwaysAllow', 'IfHealthyBudget'].includes(policy)) {
    errs.push(field.notSupported('spec.unhealthyPodEvictionPolicy', policy, ['AlwaysAllow', 'IfHealthyBudget']));
  }
  return errs;
}

export const podDisruptionBudgetStrategy: Strategy = makeStrategy({
  namespaced: true,
  prepareForCreate: (obj) => void (obj.status = { currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0 }),
  validateSpec: validatePDB,
  validateStatus: (obj) =>
    ['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods'].flatMap((f) => validateNonnegativeField(obj.status?.[f], `status.${f}`)),
});

// ── PriorityClass ───────────────────────────────────────────────────────────

export const HIGHEST_USER_PRIORITY = 1000000000;
const SYSTEM_CLASSES: Record<string, number> = { 'system-cluster-critical': 2000000000, 'system-node-critical': 2000001000 };

function validatePriorityClass(obj: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const name = String(obj.metadata?.name ?? '');
  const value = typeof obj.value === 'number' ? obj.value : 0;
  if (name.startsWith('system-')) {
    const known = SYSTEM_CLASSES[name];
    let err = '';
    if (known === undefined) err = `${name} is not a known system priority class`;
    else if (known !== value) err = `value of ${name} PriorityClass must be ${known}`;
    if (err) errs.push(field.forbidden('metadata.name', `priority class names with 'system-' prefix are reserved for system use only. error: ${err}`));
  } else if (value > HIGHEST_USER_PRIORITY) {
    errs.push(field.forbidden('value', `maximum allowed value of a user defined priority is ${HIGHEST_USER_PRIORITY}`));
  }
  if (obj.preemptionPolicy !== undefined && obj.preemptionPolicy !== null) errs.push(...validatePreemptionPolicy(obj.preemptionPolicy, 'preemptionPolicy'));
  return errs;
}

export const priorityClassStrategy: Strategy = makeStrategy({
  namespaced: false,
  default(obj) {
    obj.preemptionPolicy ||= 'PreemptLowerPriority';
  },
  validateSpec: validatePriorityClass,
  revalidateOnUpdate: false,
  validateSpecUpdate(obj, old) {
    const errs: FieldError[] = [];
    if ((obj.value ?? 0) !== (old.value ?? 0)) errs.push(field.forbidden('value', 'may not be changed in an update.'));
    errs.push(...validateImmutableField(obj.preemptionPolicy, old.preemptionPolicy, 'preemptionPolicy'));
    return errs;
  },
});

// ── Lease ───────────────────────────────────────────────────────────────────

export const leaseStrategy: Strategy = makeStrategy({
  namespaced: true,
  validateSpec(obj) {
    const spec: Obj = isObj(obj.spec) ? obj.spec : {};
    const errs: FieldError[] = [];
    if (typeof spec.leaseDurationSeconds === 'number' && spec.leaseDurationSeconds <= 0) {
      errs.push(field.invalid('spec.leaseDurationSeconds', spec.leaseDurationSeconds, 'must be greater than 0'));
    }
    if (typeof spec.leaseTransitions === 'number' && spec.leaseTransitions < 0) {
      errs.push(field.invalid('spec.leaseTransitions', spec.leaseTransitions, 'must be greater than or equal to 0'));
    }
    if (spec.preferredHolder && !spec.strategy) errs.push(field.forbidden('spec.preferredHolder', 'may only be specified if `strategy` is defined'));
    return errs;
  },
});

// ── RuntimeClass ────────────────────────────────────────────────────────────

export const runtimeClassStrategy: Strategy = makeStrategy({
  namespaced: false,
  default(obj) {
    if (isObj(obj.overhead)) canonicalizeResourceList(obj.overhead.podFixed);
  },
  validateSpec(obj) {
    const handler = String(obj.handler ?? '');
    const errs = isDNS1123Label(handler).map((m) => field.invalid('handler', handler, m));
    if (isObj(obj.overhead) && isObj(obj.overhead.podFixed)) {
      errs.push(...validateResourceRequirements({ limits: obj.overhead.podFixed }, 'overhead.podFixed'));
    }
    if (isObj(obj.scheduling)) {
      errs.push(...validateLabels(obj.scheduling.nodeSelector, 'scheduling.nodeSelector'));
      errs.push(...validateTolerations(obj.scheduling.tolerations, 'scheduling.tolerations'));
    }
    return errs;
  },
  revalidateOnUpdate: false,
  validateSpecUpdate: (obj, old) => validateImmutableField(obj.handler, old.handler, 'handler'),
});

// ── HorizontalPodAutoscaler (autoscaling/v2 form) ───────────────────────────

function scalingRules(rules: unknown, up: boolean): Obj {
  const r: Obj = isObj(rules) ? { ...rules } : {};
  r.stabilizationWindowSeconds ??= up ? 0 : 300;
  r.selectPolicy ??= 'Max';
  if (!Array.isArray(r.policies)) {
    r.policies = up
      ? [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }]
      : [{ type: 'Percent', value: 100, periodSeconds: 15 }];
  }
  return r;
}

export function defaultHPA(obj: KObject): void {
  const spec = specOf(obj);
  spec.minReplicas ??= 1;
  if (asArray(spec.metrics).length === 0) {
    spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
  }
  if (isObj(spec.behavior)) {
    spec.behavior.scaleUp = scalingRules(spec.behavior.scaleUp, true);
    spec.behavior.scaleDown = scalingRules(spec.behavior.scaleDown, false);
  }
}

function validateHPA(obj: KObject): FieldError[] {
  const spec: Obj = isObj(obj.spec) ? obj.spec : {};
  const errs: FieldError[] = [];
  if (typeof spec.minReplicas === 'number' && spec.minReplicas < 1) errs.push(field.invalid('spec.minReplicas', spec.minReplicas, 'must be greater than or equal to 1'));
  const max = typeof spec.maxReplicas === 'number' ? spec.maxReplicas : 0;
  if (max < 1) errs.push(field.invalid('spec.maxReplicas', max, 'must be greater than 0'));
  if (typeof spec.minReplicas === 'number' && max < spec.minReplicas) errs.push(field.invalid('spec.maxReplicas', max, 'must be greater than or equal to `minReplicas`'));
  const ref: Obj = isObj(spec.scaleTargetRef) ? spec.scaleTargetRef : {};
  for (const k of ['kind', 'name']) {
    if (!ref[k]) errs.push(field.required(`spec.scaleTargetRef.${k}`));
    else errs.push(...isValidPathSegmentName(ref[k]).map((m) => field.invalid(`spec.scaleTargetRef.${k}`, ref[k], m)));
  }
  asArray(spec.metrics).forEach((m, i) => {
    const type = isObj(m) ? m.type : undefined;
    const kinds = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
    if (!type) errs.push(field.required(`spec.metrics[${i}].type`, 'must specify a metric source type'));
    else if (!kinds.includes(type)) errs.push(field.notSupported(`spec.metrics[${i}].type`, type, kinds));
  });
  return errs;
}

export const horizontalPodAutoscalerStrategy: Strategy = makeStrategy({
  namespaced: true,
  default: defaultHPA,
  prepareForCreate: (obj) => void (obj.status = { desiredReplicas: 0 }),
  validateSpec: validateHPA,
});
