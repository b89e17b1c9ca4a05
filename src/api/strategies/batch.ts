// Jobs and CronJobs (batch/v1): defaults, the generated selector a Job gets on creation
// (batch.kubernetes.io/controller-uid and job-name labels), the restart-policy rule, which
// spec fields may change, and cron schedule checks.
import type { FieldError } from '../errors.js';
import { field } from '../errors.js';
import { parseCronSchedule, isKnownTimeZone } from '../validation/cron.js';
import { asArray, isObj, semanticEqual, sortedMap, validateImmutableField, validateNonnegativeField, type Obj } from '../validation/field.js';
import { isConvertibleSelector, renderSelector, selectorMatches, validateLabelSelector } from '../validation/label-selector.js';
import { DNS1035_LABEL_MAX } from '../validation/names.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/object-meta.js';
import { validatePodTemplateSpec } from '../validation/pod-spec.js';
import { defaultPodTemplate } from './pod-defaults.js';
import { clone, makeStrategy, specOf } from './strategy.js';
import type { KObject, Strategy } from './types.js';

export const CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
const LEGACY_CONTROLLER_UID_LABEL = 'controller-uid';
const LEGACY_JOB_NAME_LABEL = 'job-name';
const MAX_PARALLELISM_INDEXED = 100000;
const MAX_COMPLETIONS_INDEXED = 100000;

export function defaultJobSpec(spec: Obj): void {
  if ((spec.completions === undefined || spec.completions === null) && (spec.parallelism === undefined || spec.parallelism === null)) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  spec.parallelism ??= 1;
  if (spec.backoffLimit === undefined || spec.backoffLimit === null) spec.backoffLimit = typeof spec.backoffLimitPerIndex === 'number' ? 2147483647 : 6;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  if (isObj(spec.podFailurePolicy)) {
    for (const rule of asArray(spec.podFailurePolicy.rules)) {
      for (const pattern of asArray(isObj(rule) ? rule.onPodConditions : undefined)) if (isObj(pattern) && !pattern.status) pattern.status = 'True';
    }
  }
  spec.podReplacementPolicy ??= isObj(spec.podFailurePolicy) ? 'Failed' : 'TerminatingOrFailed';
  spec.manualSelector ??= false;
}

function defaultJob(obj: KObject): void {
  const spec = specOf(obj);
  defaultJobSpec(spec);
  defaultPodTemplate(spec.template);
  const labels = spec.template?.metadata?.labels;
  const meta = (obj.metadata ??= {});
  if (isObj(labels) && Object.keys(meta.labels ?? {}).length === 0) meta.labels = { ...labels };
}

/** On create, unless manualSelector: label the template with the Job's uid and name and select on the uid. */
export function generateJobSelector(obj: KObject): void {
  const spec = specOf(obj);
  if (spec.manualSelector === true) return;
  const uid = String(obj.metadata?.uid ?? '');
  const name = String(obj.metadata?.name ?? '');
  if (!isObj(spec.template)) spec.template = {};
  if (!isObj(spec.template.metadata)) spec.template.metadata = {};
  const labels = (spec.template.metadata.labels = isObj(spec.template.metadata.labels) ? spec.template.metadata.labels : {});
  for (const k of [LEGACY_JOB_NAME_LABEL, JOB_NAME_LABEL]) if (!(k in labels)) labels[k] = name;
  for (const k of [LEGACY_CONTROLLER_UID_LABEL, CONTROLLER_UID_LABEL]) if (!(k in labels)) labels[k] = uid;
  if (!isObj(spec.selector)) spec.selector = {};
  if (!isObj(spec.selector.matchLabels)) spec.selector.matchLabels = {};
  if (!(CONTROLLER_UID_LABEL in spec.selector.matchLabels)) spec.selector.matchLabels[CONTROLLER_UID_LABEL] = uid;
}

function hasLabel(labels: Obj, key: string, expected: string, path: string): FieldError[] {
  if (!(key in labels)) return [field.required(`${path}.labels[${key}]`, `must be '${expected}'`)];
  return labels[key] !== expected ? [field.invalid(`${path}.labels[${key}]`, sortedMap(labels), `must be '${expected}'`)] : [];
}

function validateGeneratedSelector(obj: KObject, requirePrefixed: boolean): FieldError[] {
  const spec: Obj = isObj(obj.spec) ? obj.spec : {};
  if (spec.manualSelector === true || !isObj(spec.selector)) return [];
  const uid = String(obj.metadata?.uid ?? '');
  const name = String(obj.metadata?.name ?? '');
  const errs: FieldError[] = [];
  if (!uid) errs.push(field.required('metadata.uid'));
  const labels: Obj = isObj(spec.template?.metadata?.labels) ? spec.template.metadata.labels : {};
  const tp = 'spec.template.metadata';
  errs.push(...hasLabel(labels, LEGACY_CONTROLLER_UID_LABEL, uid, tp), ...hasLabel(labels, LEGACY_JOB_NAME_LABEL, name, tp));
  const expected: Obj = { [LEGACY_CONTROLLER_UID_LABEL]: uid, [LEGACY_JOB_NAME_LABEL]: name };
  if (requirePrefixed) {
    errs.push(...hasLabel(labels, CONTROLLER_UID_LABEL, uid, tp), ...hasLabel(labels, JOB_NAME_LABEL, name, tp));
    expected[CONTROLLER_UID_LABEL] = uid;
    expected[JOB_NAME_LABEL] = name;
  }
  if (isConvertibleSelector(spec.selector) && !selectorMatches(spec.selector, expected)) {
    errs.push(field.invalid('spec.selector', renderSelector(spec.selector), '`selector` not auto-generated'));
  }
  return errs;
}

/** validateJobSpec upstream: counts, completion mode, replacement policy, template and restart policy. */
export function validateJobSpecCommon(spec: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished', 'backoffLimitPerIndex', 'maxFailedIndexes']) {
    errs.push(...validateNonnegativeField(spec[f], `${path}.${f}`));
  }
  const indexed = spec.completionMode === 'Indexed';
  if (spec.backoffLimitPerIndex !== undefined && spec.backoffLimitPerIndex !== null && !indexed) {
    errs.push(field.forbidden(`${path}.backoffLimitPerIndex`, 'requires indexed completion mode'));
  }
  if (spec.completionMode !== undefined && spec.completionMode !== null) {
    if (spec.completionMode !== 'NonIndexed' && spec.completionMode !== 'Indexed') {
      errs.push(field.notSupported(`${path}.completionMode`, spec.completionMode, ['NonIndexed', 'Indexed']));
    }
    if (indexed) {
      if (spec.completions === undefined || spec.completions === null) errs.push(field.required(`${path}.completions`, 'when completion mode is Indexed'));
      if (typeof spec.parallelism === 'number' && spec.parallelism > MAX_PARALLELISM_INDEXED) {
        errs.push(field.invalid(`${path}.parallelism`, spec.parallelism, `must be less than or equal to ${MAX_PARALLELISM_INDEXED} when completion mode is Indexed`));
      }
      if (typeof spec.completions === 'number' && spec.completions > MAX_COMPLETIONS_INDEXED && spec.backoffLimitPerIndex === undefined) {
        errs.push(field.invalid(`${path}.completions`, spec.completions, `must be less than or equal to ${MAX_COMPLETIONS_INDEXED} when completion mode is Indexed`));
      }
    }
  }
  if (spec.podReplacementPolicy !== undefined && spec.podReplacementPolicy !== null) {
    if (isObj(spec.podFailurePolicy)) {
      if (spec.podReplacementPolicy !== 'Failed') errs.push(field.notSupported(`${path}.podReplacementPolicy`, spec.podReplacementPolicy, ['Failed']));
    } else if (!['Failed', 'TerminatingOrFailed'].includes(spec.podReplacementPolicy)) {
      errs.push(field.notSupported(`${path}.podReplacementPolicy`, spec.podReplacementPolicy, ['Failed', 'TerminatingOrFailed']));
    }
  }
  errs.push(...validatePodTemplateSpec(spec.template, `${path}.template`));
  const rp = spec.template?.spec?.restartPolicy;
  const rpPath = `${path}.template.spec.restartPolicy`;
  if (rp === 'Always' || !rp) errs.push(field.required(rpPath, 'valid values: "OnFailure", "Never"'));
  else if (rp !== 'OnFailure' && rp !== 'Never') errs.push(field.notSupported(rpPath, rp, ['OnFailure', 'Never']));
  else if (isObj(spec.podFailurePolicy) && rp !== 'Never') errs.push(field.invalid(rpPath, rp, 'only "Never" is supported when podFailurePolicy is specified'));
  return errs;
}

function requirePrefixedLabels(old: KObject | undefined): boolean {
  if (!old) return true;
  const labels = old.spec?.template?.metadata?.labels;
  return isObj(labels) && JOB_NAME_LABEL in labels && CONTROLLER_UID_LABEL in labels;
}

function validateJob(obj: KObject, old?: KObject): FieldError[] {
  const spec: Obj = isObj(obj.spec) ? obj.spec : {};
  const errs = validateGeneratedSelector(obj, requirePrefixedLabels(old));
  errs.push(...validateJobSpecCommon(spec, 'spec'));
  if (!isObj(spec.selector)) errs.push(field.required('spec.selector'));
  else errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  if (isConvertibleSelector(spec.selector) && !selectorMatches(spec.selector, spec.template?.metadata?.labels)) {
    errs.push(field.invalid('spec.template.metadata.labels', sortedMap(spec.template?.metadata?.labels) ?? null, '`selector` does not match template `labels`'));
  }
  return errs;
}

/** Template changes are refused, except scheduling directives of a suspended Job that never started. */
function validateJobTemplateUpdate(obj: KObject, old: KObject): FieldError[] {
  const tmpl = obj.spec?.template;
  let oldTmpl = old.spec?.template;
  if (old.spec?.suspend === true && !old.status?.startTime && isObj(tmpl) && isObj(oldTmpl)) {
    oldTmpl = clone(oldTmpl) as Obj;
    const o = oldTmpl.spec ?? (oldTmpl.spec = {});
    const n: Obj = isObj(tmpl.spec) ? tmpl.spec : {};
    if (isObj(n.affinity) || isObj(o.affinity)) {
      const rest = { ...(isObj(o.affinity) ? o.affinity : {}), nodeAffinity: isObj(n.affinity) ? n.affinity.nodeAffinity : undefined };
      o.affinity = Object.values(rest).some((v) => v !== undefined) ? rest : n.affinity;
    }
    o.nodeSelector = n.nodeSelector;
    o.tolerations = n.tolerations;
    o.schedulingGates = n.schedulingGates;
    oldTmpl.metadata = { ...(oldTmpl.metadata ?? {}), labels: tmpl.metadata?.labels, annotations: tmpl.metadata?.annotations };
  }
  return validateImmutableField(tmpl, oldTmpl, 'spec.template');
}

function validateJobSpecUpdate(obj: KObject, old: KObject): FieldError[] {
  const n: Obj = isObj(obj.spec) ? obj.spec : {};
  const o: Obj = isObj(old.spec) ? old.spec : {};
  const errs: FieldError[] = [];
  if (n.completionMode === 'Indexed' && o.completionMode === 'Indexed' && n.completions !== o.completions) {
    if (n.completions !== n.parallelism) errs.push(field.invalid('spec.completions', n.completions ?? null, 'can only be modified in tandem with spec.parallelism'));
  } else {
    errs.push(...validateImmutableField(n.completions, o.completions, 'spec.completions'));
  }
  errs.push(...validateImmutableField(renderSelector(n.selector), renderSelector(o.selector), 'spec.selector'));
  errs.push(...validateJobTemplateUpdate(obj, old));
  for (const f of ['completionMode', 'podFailurePolicy', 'backoffLimitPerIndex', 'managedBy', 'successPolicy']) {
    errs.push(...validateImmutableField(n[f], o[f], `spec.${f}`));
  }
  return errs;
}

export const jobStrategy: Strategy = makeStrategy({
  namespaced: true,
  default: defaultJob,
  prepareForCreate(obj) {
    generateJobSelector(obj);
    obj.status = {};
    // Upstream serves the stored Job through its defaulter again, which copies the (now generated)
    // template labels to a Job without labels; doing it here stores what clients will read.
    const labels = obj.spec?.template?.metadata?.labels;
    const meta = (obj.metadata ??= {});
    if (isObj(labels) && Object.keys(meta.labels ?? {}).length === 0) meta.labels = { ...labels };
  },
  validateSpec: (obj) => validateJob(obj),
  // Upstream validates the Job as on create (metadata included), then the update rules.
  validateUpdate: (obj, old) => [
    ...validateObjectMeta(obj.metadata, { namespaced: true }),
    ...validateJob(obj, old),
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validateJobSpecUpdate(obj, old),
  ],
  validateStatus: (obj) => ['active', 'succeeded', 'failed', 'ready', 'terminating'].flatMap((f) => validateNonnegativeField(obj.status?.[f], `status.${f}`)),
});

// ── CronJob ─────────────────────────────────────────────────────────────────

function validateSchedule(schedule: string, timeZone: unknown, oldSchedule: string | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const parsed = parseCronSchedule(schedule);
  if (parsed.error) errs.push(field.invalid(path, schedule, parsed.error));
  const allowTZ = oldSchedule !== undefined && oldSchedule.includes('TZ');
  if (allowTZ && schedule.includes('TZ') && timeZone !== undefined && timeZone !== null) {
    errs.push(field.invalid(path, schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'));
  } else if (!allowTZ && schedule.includes('TZ')) {
    errs.push(field.invalid(path, schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
  }
  return errs;
}

function validateJobTemplate(tmpl: unknown, path: string): FieldError[] {
  const jt: Obj = isObj(tmpl) ? tmpl : {};
  const spec: Obj = isObj(jt.spec) ? jt.spec : {};
  const errs = validateJobSpecCommon(spec, `${path}.spec`);
  if (isObj(spec.selector)) errs.push(field.invalid(`${path}.spec.selector`, renderSelector(spec.selector), '`selector` will be auto-generated'));
  if (spec.manualSelector === true) errs.push(field.notSupported(`${path}.spec.manualSelector`, true, ['nil', 'false']));
  return errs;
}

function validateCronJobSpec(obj: KObject, old?: KObject): FieldError[] {
  const spec: Obj = isObj(obj.spec) ? obj.spec : {};
  const oldSpec: Obj | undefined = old && isObj(old.spec) ? old.spec : undefined;
  const errs: FieldError[] = [];
  if (!spec.schedule) errs.push(field.required('spec.schedule'));
  else errs.push(...validateSchedule(String(spec.schedule), spec.timeZone, oldSpec?.schedule, 'spec.schedule'));
  errs.push(...validateNonnegativeField(spec.startingDeadlineSeconds, 'spec.startingDeadlineSeconds'));
  if (!oldSpec || !semanticEqual(oldSpec.timeZone, spec.timeZone)) {
    const tz = spec.timeZone;
    if (typeof tz === 'string') {
      if (tz.toLowerCase() === 'local') errs.push(field.invalid('spec.timeZone', tz, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'));
      else if (!isKnownTimeZone(tz)) errs.push(field.invalid('spec.timeZone', tz, `unknown time zone ${tz}`));
    }
  }
  const cp = spec.concurrencyPolicy;
  if (!cp) errs.push(field.required('spec.concurrencyPolicy'));
  else if (!['Allow', 'Forbid', 'Replace'].includes(cp)) errs.push(field.notSupported('spec.concurrencyPolicy', cp, ['Allow', 'Forbid', 'Replace']));
  errs.push(...validateJobTemplate(spec.jobTemplate, 'spec.jobTemplate'));
  errs.push(...validateNonnegativeField(spec.successfulJobsHistoryLimit, 'spec.successfulJobsHistoryLimit'));
  errs.push(...validateNonnegativeField(spec.failedJobsHistoryLimit, 'spec.failedJobsHistoryLimit'));
  return errs;
}

export function defaultCronJob(obj: KObject): void {
  const spec = specOf(obj);
  spec.concurrencyPolicy ||= 'Allow';
  spec.suspend ??= false;
  spec.successfulJobsHistoryLimit ??= 3;
  spec.failedJobsHistoryLimit ??= 1;
  if (isObj(spec.jobTemplate) && isObj(spec.jobTemplate.spec)) defaultPodTemplate(spec.jobTemplate.spec.template);
}

export const cronJobStrategy: Strategy = makeStrategy({
  namespaced: true,
  default: defaultCronJob,
  prepareForCreate: (obj) => void (obj.status = {}),
  validateSpec(obj) {
    const errs = validateCronJobSpec(obj);
    const name = String(obj.metadata?.name ?? '');
    // The controller appends an 11-character suffix to make Job names, which are DNS labels.
    if (name.length > DNS1035_LABEL_MAX - 11) errs.push(field.invalid('metadata.name', name, 'must be no more than 52 characters'));
    return errs;
  },
  revalidateOnUpdate: false,
  validateSpecUpdate: (obj, old) => validateCronJobSpec(obj, old),
});
