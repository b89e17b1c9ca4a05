// PodSpec and PodTemplateSpec validation, in upstream's order (ValidatePodSpec): volumes,
// containers of every kind, restart and DNS policies, node selection, security context,
// scheduling fields and tolerations. Pods add a few checks of their own (validatePod).
import { FieldError, field } from '../errors.js';
import { asArray, isObj, keysOf, type Obj } from './field.js';
import { checkHostPortConflicts, validateContainerCommon, validateLifecycleAndProbes, validateSeccompProfile, type ContainerContext } from './containers.js';
import { validateIP } from './ip.js';
import {
  inclusiveRangeError, isDNS1123Label, isDNS1123Subdomain, isDNS1123SubdomainWithUnderscore, isQualifiedName, isValidGroupID,
  isValidLabelValue, isValidUserID,
} from './names.js';
import { validateAnnotations, validateLabelName, validateLabels, validateObjectMeta } from './object-meta.js';
import { validateNodeAffinity, validatePodAffinity, validateTopologySpreadConstraints } from './scheduling.js';
import { validateResourceRequirements } from './resources.js';
import { validateVolumes } from './volumes.js';

const MAX_INT32 = 2147483647;
export const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];

export interface PodSpecOptions {
  /** The spec belongs to a Pod (not a template): stricter hostNetwork port rule, image whitespace. */
  isPod?: boolean;
  /** Pod name, for the ephemeral-volume PVC name check. */
  podName?: string;
}

/** Toleration keys, operators, values and effects. */
export function validateTolerations(tolerations: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  asArray(tolerations).forEach((raw, i) => {
    const t: Obj = isObj(raw) ? raw : {};
    const idx = `${path}[${i}]`;
    const key = typeof t.key === 'string' ? t.key : '';
    const op = typeof t.operator === 'string' ? t.operator : '';
    if (key) errs.push(...validateLabelName(key, `${idx}.key`));
    if (!key && op !== 'Exists') {
      errs.push(field.invalid(`${idx}.operator`, op, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && t.effect !== 'NoExecute') {
      errs.push(field.invalid(`${idx}.effect`, t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    const value = typeof t.value === 'string' ? t.value : '';
    if (op === 'Equal' || op === '') {
      const msgs = isValidLabelValue(value);
      if (msgs.length) errs.push(field.invalid(`${idx}.operator`, value, msgs.join(';')));
    } else if (op === 'Exists') {
      if (value) errs.push(field.invalid(`${idx}.operator`, value, "value must be empty when `operator` is 'Exists'"));
    } else {
      errs.push(field.notSupported(`${idx}.operator`, op, ['Equal', 'Exists']));
    }
    if (t.effect && !['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(t.effect)) {
      errs.push(field.notSupported(`${idx}.effect`, t.effect, ['NoSchedule', 'PreferNoSchedule', 'NoExecute']));
    }
  });
  return errs;
}

function validateDNSConfig(spec: Obj, path: string): FieldError[] {
  const cfg = spec.dnsConfig;
  if (spec.dnsPolicy === 'None') {
    if (!isObj(cfg)) return [field.required(path, 'must provide `dnsConfig` when `dnsPolicy` is None')];
    if (asArray(cfg.nameservers).length === 0) return [field.required(`${path}.nameservers`, 'must provide at least one DNS nameserver when `dnsPolicy` is None')];
  }
  if (!isObj(cfg)) return [];
  const errs: FieldError[] = [];
  const ns = asArray(cfg.nameservers);
  if (ns.length > 3) errs.push(field.invalid(`${path}.nameservers`, ns, 'must not have more than 3 nameservers'));
  ns.forEach((n, i) => errs.push(...validateIP(`${path}.nameservers[${i}]`, String(n))));
  const searches = asArray(cfg.searches).map(String);
  if (searches.length > 32) errs.push(field.invalid(`${path}.searches`, searches, 'must not have more than 32 search paths'));
  if (searches.join(' ').length > 2048) {
    errs.push(field.invalid(`${path}.searches`, searches, 'must not have more than 2048 characters (including spaces) in the search list'));
  }
  searches.forEach((s, i) => {
    if (s === '.') return;
    const t = s.endsWith('.') ? s.slice(0, -1) : s;
    errs.push(...isDNS1123SubdomainWithUnderscore(t).map((m) => field.invalid(`${path}.searches[${i}]`, t, m)));
  });
  asArray(cfg.options).forEach((o, i) => {
    if (!isObj(o) || !o.name) errs.push(field.required(`${path}.options[${i}]`, 'must not be empty'));
  });
  return errs;
}

function validatePodSecurityContext(sc: unknown, spec: Obj, path: string): FieldError[] {
  if (!isObj(sc)) return [];
  const errs: FieldError[] = [];
  if (typeof sc.fsGroup === 'number') errs.push(...isValidGroupID(sc.fsGroup).map((m) => field.invalid(`${path}.fsGroup`, sc.fsGroup, m)));
  if (typeof sc.runAsUser === 'number') errs.push(...isValidUserID(sc.runAsUser).map((m) => field.invalid(`${path}.runAsUser`, sc.runAsUser, m)));
  if (typeof sc.runAsGroup === 'number') errs.push(...isValidGroupID(sc.runAsGroup).map((m) => field.invalid(`${path}.runAsGroup`, sc.runAsGroup, m)));
  asArray(sc.supplementalGroups).forEach((g, i) => {
    errs.push(...isValidGroupID(Number(g)).map((m) => field.invalid(`${path}.supplementalGroups[${i}]`, g, m)));
  });
  if (sc.shareProcessNamespace === true && spec.hostPID === true) {
    errs.push(field.invalid(`${path}.shareProcessNamespace`, true, 'ShareProcessNamespace and HostPID cannot both be enabled'));
  }
  const sysctlNames = new Set<string>();
  asArray(sc.sysctls).forEach((s, i) => {
    const name = isObj(s) ? String(s.name ?? '') : '';
    const p = `${path}.sysctls[${i}].name`;
    if (!name) errs.push(field.required(p));
    else if (name.length > 253 || !/^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$/.test(name)) {
      errs.push(field.invalid(p, name, 'must have at most 253 characters and match regex ^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$'));
    } else if (sysctlNames.has(name)) errs.push(field.duplicate(p, name));
    sysctlNames.add(name);
  });
  if (sc.fsGroupChangePolicy !== undefined && sc.fsGroupChangePolicy !== null && !['Always', 'OnRootMismatch'].includes(sc.fsGroupChangePolicy)) {
    errs.push(field.notSupported(`${path}.fsGroupChangePolicy`, sc.fsGroupChangePolicy, ['Always', 'OnRootMismatch']));
  }
  errs.push(...validateSeccompProfile(sc.seccompProfile, `${path}.seccompProfile`));
  if (sc.supplementalGroupsPolicy !== undefined && sc.supplementalGroupsPolicy !== null && !['Merge', 'Strict'].includes(sc.supplementalGroupsPolicy)) {
    errs.push(field.notSupported(`${path}.supplementalGroupsPolicy`, sc.supplementalGroupsPolicy, ['Merge', 'Strict']));
  }
  if (sc.seLinuxChangePolicy !== undefined && sc.seLinuxChangePolicy !== null && !['MountOption', 'Recursive'].includes(sc.seLinuxChangePolicy)) {
    errs.push(field.notSupported(`${path}.seLinuxChangePolicy`, sc.seLinuxChangePolicy, ['MountOption', 'Recursive']));
  }
  return errs;
}

function validateContainers(spec: Obj, path: string, ctx: ContainerContext): FieldError[] {
  const containers = asArray(spec.containers).map((c) => (isObj(c) ? c : {}));
  if (containers.length === 0) return [field.required(`${path}.containers`)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  containers.forEach((c, i) => {
    const p = `${path}.containers[${i}]`;
    errs.push(...validateContainerCommon(c, p, ctx));
    if (names.has(c.name)) errs.push(field.duplicate(`${p}.name`, c.name));
    else names.add(c.name);
    errs.push(...validateLifecycleAndProbes(c, p, ctx));
    if (c.restartPolicy !== undefined && c.restartPolicy !== null) errs.push(field.forbidden(`${p}.restartPolicy`, 'may not be set for non-init containers'));
  });
  errs.push(...checkHostPortConflicts(containers, `${path}.containers`));
  return errs;
}

function validateInitContainers(spec: Obj, path: string, ctx: ContainerContext): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>(asArray(spec.containers).filter(isObj).map((c) => c.name));
  asArray(spec.initContainers).forEach((raw, i) => {
    const c: Obj = isObj(raw) ? raw : {};
    const p = `${path}.initContainers[${i}]`;
    errs.push(...validateContainerCommon(c, p, ctx));
    let always = false;
    if (c.restartPolicy !== undefined && c.restartPolicy !== null) {
      if (c.restartPolicy !== 'Always') errs.push(field.notSupported(`${p}.restartPolicy`, c.restartPolicy, ['Always']));
      always = c.restartPolicy === 'Always';
    }
    if (names.has(c.name)) errs.push(field.duplicate(`${p}.name`, c.name));
    else if (c.name) names.add(c.name);
    errs.push(...checkHostPortConflicts([c], `${path}.initContainers`));
    if (always) errs.push(...validateLifecycleAndProbes(c, p, ctx));
    else {
      for (const f of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe']) {
        if (c[f] !== undefined && c[f] !== null) errs.push(field.forbidden(`${p}.${f}`, 'may not be set for init containers without restartPolicy=Always'));
      }
    }
  });
  return errs;
}

const EPHEMERAL_FORBIDDEN = ['ports', 'resources', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle', 'resizePolicy', 'restartPolicy'];

function validateEphemeralContainers(spec: Obj, path: string, ctx: ContainerContext): FieldError[] {
  const list = asArray(spec.ephemeralContainers);
  if (list.length === 0) return [];
  const errs: FieldError[] = [];
  const others = new Set<string>([...asArray(spec.containers), ...asArray(spec.initContainers)].filter(isObj).map((c) => c.name));
  const all = new Set(others);
  list.forEach((raw, i) => {
    const c: Obj = isObj(raw) ? raw : {};
    const p = `${path}.ephemeralContainers[${i}]`;
    errs.push(...validateContainerCommon(c, p, ctx));
    if (typeof c.image === 'string' && c.image.trim() !== c.image) errs.push(field.invalid(`${p}.image`, c.image, 'must not have leading or trailing whitespace'));
    if (all.has(c.name)) errs.push(field.duplicate(`${p}.name`, c.name));
    else all.add(c.name);
    if (c.targetContainerName && !others.has(c.targetContainerName)) {
      errs.push(new FieldError('FieldValueNotFound', `${p}.targetContainerName`, c.targetContainerName));
    }
    for (const f of EPHEMERAL_FORBIDDEN) {
      const v = c[f];
      if (v === undefined || v === null || (isObj(v) && keysOf(v).length === 0) || (Array.isArray(v) && v.length === 0)) continue;
      errs.push(field.forbidden(`${p}.${f}`, 'cannot be set for an Ephemeral Container'));
    }
    asArray(c.volumeMounts).forEach((vm, j) => {
      if (!isObj(vm)) return;
      if (vm.subPath) errs.push(field.forbidden(`${p}.volumeMounts[${j}].subPath`, 'cannot be set for an Ephemeral Container'));
      if (vm.subPathExpr) errs.push(field.forbidden(`${p}.volumeMounts[${j}].subPathExpr`, 'cannot be set for an Ephemeral Container'));
    });
  });
  return errs;
}

function podResourceName(name: string, path: string): FieldError[] {
  const errs = isQualifiedName(name).map((m) => field.invalid(path, name, m));
  if (errs.length) return errs;
  const supported = ['cpu', 'memory'];
  if (!supported.includes(name) && !name.startsWith('hugepages-')) errs.push(field.notSupported(path, name, ['cpu', 'hugepages-', 'memory']));
  return errs;
}

export function validatePodSpec(specIn: unknown, path: string, opts: PodSpecOptions = {}): FieldError[] {
  const spec: Obj = isObj(specIn) ? specIn : {};
  const errs: FieldError[] = [];
  if (spec.terminationGracePeriodSeconds === undefined || spec.terminationGracePeriodSeconds === null) {
    errs.push(field.required(`${path}.terminationGracePeriodSeconds`));
  }
  const vols = validateVolumes(spec.volumes, `${path}.volumes`, { podName: opts.podName, isPod: opts.isPod });
  errs.push(...vols.errs);
  const podClaimNames = new Set<string>();
  asArray(spec.resourceClaims).forEach((rc, i) => {
    const p = `${path}.resourceClaims[${i}]`;
    const name = isObj(rc) ? String(rc.name ?? '') : '';
    if (!name) errs.push(field.required(`${p}.name`));
    else if (podClaimNames.has(name)) errs.push(field.duplicate(`${p}.name`, name));
    else {
      errs.push(...isDNS1123Label(name).map((m) => field.invalid(`${p}.name`, name, m)));
      podClaimNames.add(name);
    }
  });
  const ctx: ContainerContext = {
    volumes: vols.sources,
    podClaimNames,
    gracePeriod: typeof spec.terminationGracePeriodSeconds === 'number' ? spec.terminationGracePeriodSeconds : undefined,
    podRestartPolicy: spec.restartPolicy,
  };
  errs.push(...validateContainers(spec, path, ctx));
  errs.push(...validateInitContainers(spec, path, ctx));
  errs.push(...validateEphemeralContainers(spec, path, ctx));
  if (isObj(spec.resources)) {
    if (spec.resources.claims !== undefined) errs.push(field.forbidden(`${path}.resources.claims`, 'claims cannot be set for Resources at pod-level'));
    errs.push(...validateResourceRequirements({ ...spec.resources, claims: undefined }, `${path}.resources`, { nameFn: podResourceName }));
  }
  if (spec.hostNetwork === true) {
    asArray(spec.containers).forEach((c, i) => {
      asArray(isObj(c) ? c.ports : undefined).forEach((p, j) => {
        if (!isObj(p)) return;
        const hp = p.hostPort ?? 0;
        if ((opts.isPod || hp !== 0) && hp !== p.containerPort) {
          errs.push(field.invalid(`${path}.containers[${i}].ports[${j}].hostPort`, hp, 'must match `containerPort` when `hostNetwork` is true'));
        }
      });
    });
  }
  const rp = spec.restartPolicy;
  if (!rp) errs.push(field.required(`${path}.restartPolicy`));
  else if (!RESTART_POLICIES.includes(rp)) errs.push(field.notSupported(`${path}.restartPolicy`, rp, RESTART_POLICIES));
  const dp = spec.dnsPolicy;
  if (!dp) errs.push(field.required(`${path}.dnsPolicy`));
  else if (!DNS_POLICIES.includes(dp)) errs.push(field.notSupported(`${path}.dnsPolicy`, dp, DNS_POLICIES));
  errs.push(...validateLabels(spec.nodeSelector, `${path}.nodeSelector`));
  errs.push(...validatePodSecurityContext(spec.securityContext, spec, `${path}.securityContext`));
  asArray(spec.imagePullSecrets).forEach((s, i) => {
    if (isObj(s) && Object.keys(s).some((k) => k !== 'name')) errs.push(field.invalid(`${path}.imagePullSecrets[${i}]`, s, 'only name may be set'));
  });
  if (isObj(spec.affinity)) {
    if (isObj(spec.affinity.nodeAffinity)) errs.push(...validateNodeAffinity(spec.affinity.nodeAffinity, `${path}.affinity.nodeAffinity`));
    if (isObj(spec.affinity.podAffinity)) errs.push(...validatePodAffinity(spec.affinity.podAffinity, `${path}.affinity.podAffinity`));
    if (isObj(spec.affinity.podAntiAffinity)) errs.push(...validatePodAffinity(spec.affinity.podAntiAffinity, `${path}.affinity.podAntiAffinity`));
  }
  errs.push(...validateDNSConfig(spec, `${path}.dnsConfig`));
  asArray(spec.readinessGates).forEach((g, i) => {
    const ct = isObj(g) ? String(g.conditionType ?? '') : '';
    errs.push(...isQualifiedName(ct).map((m) => field.invalid(`${path}.readinessGates[${i}].conditionType`, ct, m)));
  });
  const gates = new Set<string>();
  asArray(spec.schedulingGates).forEach((g, i) => {
    const name = isObj(g) ? String(g.name ?? '') : '';
    errs.push(...isQualifiedName(name).map((m) => field.invalid(`${path}.schedulingGates[${i}]`, name, m)));
    if (gates.has(name)) errs.push(field.duplicate(`${path}.schedulingGates[${i}]`, name));
    gates.add(name);
  });
  errs.push(...validateTopologySpreadConstraints(spec.topologySpreadConstraints, `${path}.topologySpreadConstraints`));
  if (spec.hostUsers === false) {
    if (spec.hostNetwork) errs.push(field.forbidden(`${path}.hostNetwork`, 'when `pod.Spec.HostUsers` is false'));
    if (spec.hostPID) errs.push(field.forbidden(`${path}.HostPID`, 'when `pod.Spec.HostUsers` is false'));
    if (spec.hostIPC) errs.push(field.forbidden(`${path}.HostIPC`, 'when `pod.Spec.HostUsers` is false'));
  }
  const subdomainField = (key: string) => {
    const v = spec[key];
    if (typeof v === 'string' && v) errs.push(...isDNS1123Subdomain(v).map((m) => field.invalid(`${path}.${key}`, v, m)));
  };
  subdomainField('serviceAccountName');
  subdomainField('nodeName');
  if (typeof spec.activeDeadlineSeconds === 'number' && (spec.activeDeadlineSeconds < 1 || spec.activeDeadlineSeconds > MAX_INT32)) {
    errs.push(field.invalid(`${path}.activeDeadlineSeconds`, spec.activeDeadlineSeconds, inclusiveRangeError(1, MAX_INT32)));
  }
  for (const key of ['hostname', 'subdomain']) {
    const v = spec[key];
    if (typeof v === 'string' && v) errs.push(...isDNS1123Label(v).map((m) => field.invalid(`${path}.${key}`, v, m)));
  }
  errs.push(...validateTolerations(spec.tolerations, `${path}.tolerations`));
  asArray(spec.hostAliases).forEach((ha, i) => {
    const h: Obj = isObj(ha) ? ha : {};
    errs.push(...validateIP(`${path}.hostAliases[${i}].ip`, String(h.ip ?? '')));
    asArray(h.hostnames).forEach((hn, j) => {
      errs.push(...isDNS1123Subdomain(String(hn)).map((m) => field.invalid(`${path}.hostAliases[${i}].hostnames[${j}]`, hn, m)));
    });
  });
  subdomainField('priorityClassName');
  if (typeof spec.runtimeClassName === 'string') {
    errs.push(...isDNS1123Subdomain(spec.runtimeClassName).map((m) => field.invalid(`${path}.runtimeClassName`, spec.runtimeClassName, m)));
  }
  if (spec.preemptionPolicy !== undefined && spec.preemptionPolicy !== null) {
    errs.push(...validatePreemptionPolicy(spec.preemptionPolicy, `${path}.preemptionPolicy`));
  }
  if (isObj(spec.overhead)) errs.push(...validateResourceRequirements({ limits: spec.overhead }, `${path}.overhead`));
  if (isObj(spec.os)) {
    if (!spec.os.name) errs.push(field.required(`${path}.os.name`, 'cannot be empty'));
    else if (!['linux', 'windows'].includes(spec.os.name)) errs.push(field.notSupported(`${path}.os`, spec.os.name, ['linux', 'windows']));
  }
  return errs;
}

export function validatePreemptionPolicy(policy: unknown, path: string): FieldError[] {
  if (policy === 'PreemptLowerPriority' || policy === 'Never') return [];
  if (policy === '') return [field.required(path)];
  return [field.notSupported(path, policy, ['PreemptLowerPriority', 'Never'])];
}

/** Pod-only annotation rules (mirror pods, deletion cost). */
export function validatePodSpecificAnnotations(annotations: unknown, spec: Obj, path: string): FieldError[] {
  if (!isObj(annotations)) return [];
  const errs: FieldError[] = [];
  const mirror = 'kubernetes.io/config.mirror';
  if (mirror in annotations && !spec.nodeName) {
    errs.push(field.invalid(`${path}[${mirror}]`, annotations[mirror], 'must set spec.nodeName if mirror pod annotation is set'));
  }
  const cost = 'controller.kubernetes.io/pod-deletion-cost';
  if (cost in annotations) {
    const v = String(annotations[cost]);
    const n = Number(v);
    if (!/^[+-]?[0-9]+$/.test(v) || n < -(2 ** 31) || n > MAX_INT32) errs.push(field.invalid(`${path}[${cost}]`, v, 'must be a 32bit integer'));
  }
  return errs;
}

/** A pod template: its labels and annotations, then its spec. */
export function validatePodTemplateSpec(tmpl: unknown, path: string): FieldError[] {
  const t: Obj = isObj(tmpl) ? tmpl : {};
  const meta: Obj = isObj(t.metadata) ? t.metadata : {};
  const spec: Obj = isObj(t.spec) ? t.spec : {};
  const errs = [...validateLabels(meta.labels, `${path}.labels`), ...validateAnnotations(meta.annotations, `${path}.annotations`)];
  errs.push(...validatePodSpecificAnnotations(meta.annotations, spec, `${path}.annotations`));
  errs.push(...validatePodSpec(spec, `${path}.spec`));
  if (asArray(spec.ephemeralContainers).length > 0) {
    errs.push(field.forbidden(`${path}.spec.ephemeralContainers`, 'ephemeral containers not allowed in pod template'));
  }
  return errs;
}

/** Pod metadata and spec (validatePodMetadataAndSpec upstream). */
export function validatePodMetadataAndSpec(pod: Obj): FieldError[] {
  const meta: Obj = isObj(pod.metadata) ? pod.metadata : {};
  const spec: Obj = isObj(pod.spec) ? pod.spec : {};
  const errs = validateObjectMeta(meta, { namespaced: true, nameRule: 'subdomain' });
  errs.push(...validatePodSpecificAnnotations(meta.annotations, spec, 'metadata.annotations'));
  errs.push(...validatePodSpec(spec, 'spec', { isPod: true, podName: meta.name }));
  if (!spec.serviceAccountName) {
    asArray(spec.volumes).forEach((v, vi) => {
      if (!isObj(v) || !isObj(v.projected)) return;
      asArray(v.projected.sources).forEach((s, si) => {
        if (isObj(s) && isObj(s.serviceAccountToken)) {
          errs.push(field.forbidden(`spec.volumes[${vi}].projected.sources[${si}].serviceAccountToken`, 'must not be specified when serviceAccountName is not set'));
        }
      });
    });
  }
  for (const kind of ['containers', 'initContainers']) {
    asArray(spec[kind]).forEach((c, i) => {
      if (isObj(c) && typeof c.image === 'string' && c.image.trim() !== c.image) {
        errs.push(field.invalid(`spec.${kind}[${i}].image`, c.image, 'must not have leading or trailing whitespace'));
      }
    });
  }
  return errs;
}

/** ValidatePodCreate: ephemeral containers only through their subresource; no nodeName while gated. */
export function validatePodCreate(pod: Obj): FieldError[] {
  const spec: Obj = isObj(pod.spec) ? pod.spec : {};
  const errs = validatePodMetadataAndSpec(pod);
  if (asArray(spec.ephemeralContainers).length > 0) errs.push(field.forbidden('spec.ephemeralContainers', 'cannot be set on create'));
  if (spec.nodeName && asArray(spec.schedulingGates).length > 0) {
    errs.push(field.forbidden('spec.nodeName', 'cannot be set until all schedulingGates have been cleared'));
  }
  return errs;
}

