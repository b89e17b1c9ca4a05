// Namespaces, Nodes and Events. A namespace starts Active with the `kubernetes` finalizer and the
// kubernetes.io/metadata.name label, and turns Terminating when deleted; nodes keep their pod CIDRs
// and provider ID once set; events follow upstream's legacy (core/v1) rules.
import { FieldError, field } from '../errors.js';
import { asArray, isObj, keysOf, type Obj } from '../validation/field.js';
import { validateCIDR } from '../validation/ip.js';
import { isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from '../validation/names.js';
import { validateFinalizerName, validateLabelName } from '../validation/object-meta.js';
import { canonicalQuantityValue } from '../../util/quantity.js';
import { validateResourceQuantityValue } from '../validation/resources.js';
import { makeStrategy } from './strategy.js';
import type { KObject, Strategy } from './types.js';

// ── Namespace ───────────────────────────────────────────────────────────────

const NAME_LABEL = 'kubernetes.io/metadata.name';

function labelWithName(obj: KObject): void {
  const meta = obj.metadata;
  if (!meta?.name) return;
  meta.labels = { ...(isObj(meta.labels) ? meta.labels : {}), [NAME_LABEL]: meta.name };
}

export const namespaceStrategy: Strategy = {
  ...makeStrategy({
    namespaced: false,
    nameRule: 'label',
    default: labelWithName,
    prepareForCreate(obj) {
      labelWithName(obj);
      obj.status = { phase: 'Active' };
      if (!isObj(obj.spec)) obj.spec = {};
      const finalizers = asArray(obj.spec.finalizers);
      if (!finalizers.includes('kubernetes')) obj.spec.finalizers = [...finalizers, 'kubernetes'];
    },
    prepareForUpdate(obj, old) {
      labelWithName(obj);
      obj.spec = { ...(isObj(obj.spec) ? obj.spec : {}), finalizers: old.spec?.finalizers };
      if (obj.spec.finalizers === undefined) delete obj.spec.finalizers;
    },
    validateSpec: (obj) => asArray(obj.spec?.finalizers).flatMap((f) => validateFinalizerName(String(f), 'spec.finalizers')),
    revalidateOnUpdate: false,
    validateStatus(obj) {
      const phase = obj.status?.phase;
      if (!obj.metadata?.deletionTimestamp) {
        return phase !== 'Active' ? [field.invalid('status.Phase', phase ?? '', "may only be 'Active' if `deletionTimestamp` is empty")] : [];
      }
      return phase !== 'Terminating' ? [field.invalid('status.Phase', phase ?? '', "may only be 'Terminating' if `deletionTimestamp` is not empty")] : [];
    },
  }),
  deletionBlockers: (obj) => asArray(obj.spec?.finalizers).map(String),
  prepareForDelete(obj) {
    obj.status = { ...(isObj(obj.status) ? obj.status : {}), phase: 'Terminating' };
  },
};

// ── Node ────────────────────────────────────────────────────────────────────

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

function validateTaints(taints: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Map<string, Set<string>>();
  asArray(taints).forEach((raw, i) => {
    const t: Obj = isObj(raw) ? raw : {};
    const p = `${path}[${i}]`;
    errs.push(...validateLabelName(String(t.key ?? ''), `${p}.key`));
    const msgs = isValidLabelValue(String(t.value ?? ''));
    if (msgs.length) errs.push(field.invalid(`${p}.value`, String(t.value ?? ''), msgs.join(';')));
    if (!t.effect) errs.push(field.required(`${p}.effect`));
    else if (!TAINT_EFFECTS.includes(t.effect)) errs.push(field.notSupported(`${p}.effect`, t.effect, TAINT_EFFECTS));
    const keys = seen.get(t.effect) ?? new Set<string>();
    if (keys.has(t.key)) {
      errs.push(new FieldError('FieldValueDuplicate', p, t, 'taints must be unique by key and effect pair'));
      return;
    }
    keys.add(t.key);
    seen.set(t.effect, keys);
  });
  return errs;
}

function validateNodeResources(obj: KObject): FieldError[] {
  const errs: FieldError[] = [];
  for (const list of ['capacity', 'allocatable']) {
    const rl: Obj = isObj(obj.status?.[list]) ? obj.status[list] : {};
    for (const k of keysOf(rl)) errs.push(...validateResourceQuantityValue(k, rl[k], `status.${list}.${k}`));
  }
  return errs;
}

function validateNode(obj: KObject): FieldError[] {
  const spec: Obj = isObj(obj.spec) ? obj.spec : {};
  const errs = validateTaints(spec.taints, 'metadata.taints');
  errs.push(...validateNodeResources(obj));
  const cidrs = asArray(spec.podCIDRs).map(String);
  cidrs.forEach((c, i) => errs.push(...validateCIDR(`spec.podCIDRs[${i}]`, c)));
  if (cidrs.length > 1) {
    const v6 = cidrs.filter((c) => c.includes(':')).length;
    if (cidrs.length > 2 || v6 !== 1) errs.push(field.invalid('spec.podCIDRs', cidrs, 'may specify no more than one CIDR for each IP family'));
    const seen = new Set<string>();
    cidrs.forEach((c, i) => {
      if (seen.has(c)) errs.push(field.duplicate(`spec.podCIDRs[${i}]`, c));
      seen.add(c);
    });
  }
  return errs;
}

function validateNodeUpdate(obj: KObject, old: KObject): FieldError[] {
  const n: Obj = isObj(obj.spec) ? obj.spec : {};
  const o: Obj = isObj(old.spec) ? old.spec : {};
  const errs = validateNodeResources(obj);
  const addrs = new Set<string>();
  asArray(obj.status?.addresses).forEach((a, i) => {
    const key = JSON.stringify([a?.type, a?.address]);
    if (addrs.has(key)) errs.push(field.duplicate(`status.addresses[${i}]`, a));
    addrs.add(key);
  });
  const oldCIDRs = asArray(o.podCIDRs);
  const newCIDRs = asArray(n.podCIDRs);
  if (oldCIDRs.length > 0) {
    const msg = 'node updates may not change podCIDR except from "" to valid';
    if (oldCIDRs.length !== newCIDRs.length) errs.push(field.forbidden('spec.podCIDRs', msg));
    else oldCIDRs.forEach((c, i) => c !== newCIDRs[i] && errs.push(field.forbidden('spec.podCIDRs', msg)));
  }
  if (o.providerID && o.providerID !== n.providerID) {
    errs.push(field.forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
  }
  errs.push(...validateTaints(n.taints, 'metadata.taints'));
  if ((n.externalID ?? '') !== (o.externalID ?? '')) errs.push(field.forbidden('spec.externalID', 'may not be updated'));
  return errs;
}

export function defaultNode(obj: KObject): void {
  const spec: Obj = isObj(obj.spec) ? obj.spec : (obj.spec = {});
  if (spec.podCIDR && asArray(spec.podCIDRs).length === 0) spec.podCIDRs = [spec.podCIDR];
  if (!spec.podCIDR && asArray(spec.podCIDRs).length) spec.podCIDR = spec.podCIDRs[0];
  const status = obj.status;
  if (isObj(status)) {
    for (const k of ['capacity', 'allocatable']) {
      if (isObj(status[k])) for (const r of Object.keys(status[k])) status[k][r] = canonicalQuantityValue(status[k][r]);
    }
    if (!isObj(status.allocatable) && isObj(status.capacity)) status.allocatable = { ...status.capacity };
  }
}

export const nodeStrategy: Strategy = makeStrategy({
  namespaced: false,
  default: defaultNode,
  prepareForCreate(obj) {
    if (isObj(obj.spec)) delete obj.spec.configSource;
    if (isObj(obj.status)) delete obj.status.config;
  },
  validateSpec: validateNode,
  revalidateOnUpdate: false,
  validateSpecUpdate: validateNodeUpdate,
  validateStatus: (obj, old) => validateNodeUpdate(obj, old),
});

// ── Event (core/v1; events.k8s.io/v1 is stored in this form) ────────────────

const NOTE_LIMIT = 1024;
const REPORTING_INSTANCE_LIMIT = 128;
const ACTION_LIMIT = 128;
const REASON_LIMIT = 128;

export function validateEvent(obj: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const ns = String(obj.metadata?.namespace ?? '');
  const involved: Obj = isObj(obj.involvedObject) ? obj.involvedObject : {};
  const ins = String(involved.namespace ?? '');
  const notMatch = () => field.invalid('involvedObject.namespace', ins, 'does not match event.namespace');
  if (!obj.eventTime) {
    if (!ins) {
      if (ns !== '' && ns !== 'default') errs.push(notMatch());
    } else if (ns !== ins) errs.push(notMatch());
  } else {
    if (!ins && ns !== 'default' && ns !== 'kube-system') errs.push(notMatch());
    const rc = String(obj.reportingComponent ?? '');
    if (!rc) errs.push(field.required('reportingComponent'));
    errs.push(...isQualifiedName(rc).map((m) => field.invalid('reportingComponent', rc, m)));
    const ri = String(obj.reportingInstance ?? '');
    if (!ri) errs.push(field.required('reportingInstance'));
    if (ri.length > REPORTING_INSTANCE_LIMIT) errs.push(field.invalid('reportingInstance', '', `can have at most ${REPORTING_INSTANCE_LIMIT} characters`));
    const action = String(obj.action ?? '');
    if (!action) errs.push(field.required('action'));
    if (action.length > ACTION_LIMIT) errs.push(field.invalid('action', '', `can have at most ${ACTION_LIMIT} characters`));
    const reason = String(obj.reason ?? '');
    if (!reason) errs.push(field.required('reason'));
    if (reason.length > REASON_LIMIT) errs.push(field.invalid('reason', '', `can have at most ${REASON_LIMIT} characters`));
    if (String(obj.message ?? '').length > NOTE_LIMIT) errs.push(field.invalid('message', '', `can have at most ${NOTE_LIMIT} characters`));
  }
  errs.push(...isDNS1123Subdomain(ns).map((m) => field.invalid('namespace', ns, m)));
  return errs;
}

export const eventStrategy: Strategy = makeStrategy({
  namespaced: true,
  nameRule: 'any',
  validate: validateEvent,
  // Core/v1 updates get the legacy checks only, as upstream does for that API version.
  validateUpdate: (obj) => validateEvent(obj),
});
