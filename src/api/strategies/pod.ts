// Pods and PodTemplates. Pods get their v1 defaults (requests from limits, service links, host
// ports under hostNetwork, then the shared PodSpec defaults), start Pending with their QoS class,
// and may only change a few spec fields once created (validation/pod-update.ts).
import type { FieldError } from '../errors.js';
import { field } from '../errors.js';
import { asArray, isObj, type Obj } from '../validation/field.js';
import { validateIP } from '../validation/ip.js';
import { isDNS1123Subdomain, isQualifiedName } from '../validation/names.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/object-meta.js';
import { validatePodCreate, validatePodTemplateSpec } from '../validation/pod-spec.js';
import { validatePodUpdate } from '../validation/pod-update.js';
import { computePodQOS, defaultRequestsFromLimits } from '../validation/resources.js';
import { defaultPodSpec, defaultPodTemplate } from './pod-defaults.js';
import { makeStrategy, specOf } from './strategy.js';
import type { KObject, Strategy } from './types.js';

/** SetDefaults_Pod, then the PodSpec defaults. */
export function defaultPod(obj: KObject): void {
  const spec = specOf(obj);
  for (const c of [...asArray(spec.containers), ...asArray(spec.initContainers)]) if (isObj(c)) defaultRequestsFromLimits(c);
  if (spec.enableServiceLinks === undefined || spec.enableServiceLinks === null) spec.enableServiceLinks = true;
  if (spec.hostNetwork === true) {
    for (const c of [...asArray(spec.containers), ...asArray(spec.initContainers)]) {
      for (const p of asArray(isObj(c) ? c.ports : undefined)) if (isObj(p) && !p.hostPort) p.hostPort = p.containerPort;
    }
  }
  defaultPodSpec(spec);
}

/** Status a new pod starts with: Pending, its QoS class, and a SchedulingGated condition if gated. */
export function preparePodForCreate(obj: KObject): void {
  const spec = specOf(obj);
  const status: Obj = { phase: 'Pending', qosClass: computePodQOS(spec) };
  if (asArray(spec.schedulingGates).length > 0) {
    status.conditions = [
      {
        type: 'PodScheduled',
        status: 'False',
        lastProbeTime: null,
        lastTransitionTime: null,
        reason: 'SchedulingGated',
        message: 'Scheduling is blocked due to non-empty scheduling gates',
      },
    ];
  }
  obj.status = status;
}

const SYSTEM_CONDITIONS = new Set(['PodScheduled', 'Ready', 'Initialized']);

function containerStateTransitions(newList: unknown, oldList: unknown, path: string, restartPolicy: string, restartable: Set<string>): FieldError[] {
  if (restartPolicy === 'Always') return [];
  const errs: FieldError[] = [];
  asArray(oldList).forEach((old, i) => {
    if (!isObj(old) || !isObj(old.state) || !isObj(old.state.terminated)) return;
    if (old.state.terminated.exitCode !== 0 && restartPolicy === 'OnFailure') return;
    if (restartable.has(old.name)) return;
    for (const n of asArray(newList)) {
      if (isObj(n) && n.name === old.name && !(isObj(n.state) && isObj(n.state.terminated))) {
        errs.push(field.forbidden(`${path}[${i}].state`, 'may not be transitioned to non-terminated state'));
      }
    }
  });
  return errs;
}

function validateIPList(list: unknown, path: string): FieldError[] {
  const items = asArray(list);
  const errs: FieldError[] = [];
  items.forEach((ip, i) => errs.push(...validateIP(`${path}[${i}]`, isObj(ip) ? String(ip.ip ?? '') : '')));
  if (items.length > 1 && errs.length === 0) {
    const ips = items.map((ip) => String(ip.ip));
    const v6 = ips.filter((s) => s.includes(':')).length;
    if (items.length > 2 || v6 !== 1) errs.push(field.invalid(path, items, 'may specify no more than one IP for each IP family'));
    const seen = new Set<string>();
    ips.forEach((s, i) => {
      if (seen.has(s)) errs.push(field.duplicate(`${path}[${i}]`, items[i]));
      seen.add(s);
    });
  }
  return errs;
}

/** ValidatePodStatusUpdate after the metadata checks (QoS class, node name, container state transitions, IPs, conditions). */
export function validatePodStatusUpdate(obj: KObject, old: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const status: Obj = isObj(obj.status) ? obj.status : {};
  const oldStatus: Obj = isObj(old.status) ? old.status : {};
  asArray(status.conditions).forEach((c, i) => {
    if (!isObj(c) || SYSTEM_CONDITIONS.has(c.type)) return;
    const t = String(c.type ?? '');
    errs.push(...isQualifiedName(t).map((m) => field.invalid(`metadata.conditions[${i}].Type`, t, m)));
  });
  if ((obj.spec?.nodeName ?? '') !== (old.spec?.nodeName ?? '')) errs.push(field.forbidden('status.nodeName', 'may not be changed directly'));
  const nominated = status.nominatedNodeName;
  if (typeof nominated === 'string' && nominated && nominated !== oldStatus.nominatedNodeName) {
    errs.push(...isDNS1123Subdomain(nominated).map((m) => field.invalid('status.nominatedNodeName', nominated, m)));
  }
  // The QoS class is set at creation; a writer that omits it keeps it (upstream backfills it too).
  if (!status.qosClass && oldStatus.qosClass) status.qosClass = oldStatus.qosClass;
  if ((status.qosClass ?? '') !== (oldStatus.qosClass ?? '')) errs.push(field.invalid('status.qosClass', status.qosClass ?? '', 'field is immutable'));
  const spec: Obj = isObj(old.spec) ? old.spec : {};
  const restartable = new Set(asArray(spec.initContainers).filter((c) => isObj(c) && c.restartPolicy === 'Always').map((c) => c.name));
  errs.push(...containerStateTransitions(status.containerStatuses, oldStatus.containerStatuses, 'status.containerStatuses', spec.restartPolicy, new Set()));
  errs.push(...containerStateTransitions(status.initContainerStatuses, oldStatus.initContainerStatuses, 'status.initContainerStatuses', spec.restartPolicy, restartable));
  errs.push(...containerStateTransitions(status.ephemeralContainerStatuses, oldStatus.ephemeralContainerStatuses, 'status.ephemeralContainerStatuses', 'Never', new Set()));
  errs.push(...validateIPList(status.podIPs, 'status.podIPs'));
  const hostIPs = asArray(status.hostIPs);
  if (hostIPs.length) {
    if (status.hostIP !== hostIPs[0]?.ip) errs.push(field.invalid('status.hostIPs[0].ip', hostIPs[0]?.ip ?? '', 'must be equal to `hostIP`'));
    errs.push(...validateIPList(hostIPs, 'status.hostIPs'));
  }
  return errs;
}

export const podStrategy: Strategy = makeStrategy({
  namespaced: true,
  default: defaultPod,
  prepareForCreate: preparePodForCreate,
  validate: (obj) => validatePodCreate(obj),
  validateUpdate: (obj, old) => validatePodUpdate(obj, old),
  validateStatus: validatePodStatusUpdate,
});

export const podTemplateStrategy: Strategy = makeStrategy({
  namespaced: true,
  default: (obj) => defaultPodTemplate(obj.template),
  validate: (obj) => [...validateObjectMeta(obj.metadata, { namespaced: true }), ...validatePodTemplateSpec(obj.template, 'template')],
  validateUpdate: (obj, old) => [...validateObjectMetaUpdate(obj.metadata, old.metadata), ...validatePodTemplateSpec(obj.template, 'template')],
});
