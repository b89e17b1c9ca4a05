// Container validation shared by regular, init and ephemeral containers: name, image, ports,
// environment, mounts, pull policy, resources, probes, lifecycle hooks and security context.
// Messages and field paths are upstream's (pkg/apis/core/validation), quirks included: some
// volume-mount errors are reported at the list's path rather than the item's.
import { FieldError, field } from '../errors.js';
import { asArray, isObj, notFound, validateNonnegativeField, type Obj } from './field.js';
import { validateDownwardAPIFieldRef, validateResourceFieldRef } from './downward-api.js';
import {
  isConfigMapKey, isDNS1123Label, isDNS1123Subdomain, isHTTPHeaderName, isRelaxedEnvVarName, isValidGroupID, isValidPortName,
  isValidPortNum, isValidUserID, maskTrailingDash,
} from './names.js';
import { validateResourceRequirements } from './resources.js';
import { validateLocalDescendingPath, validatePathNoBacksteps } from './volumes.js';

export const PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];

export interface ContainerContext {
  /** Valid volumes by name (mount targets). */
  volumes: Map<string, Obj>;
  podClaimNames: Set<string>;
  /** spec.terminationGracePeriodSeconds, bounding sleep hooks. */
  gracePeriod?: number;
  podRestartPolicy?: string;
}

/** An IntOrString port: numbers must be valid port numbers, strings valid port names. */
export function validatePortNumOrName(port: unknown, path: string): FieldError[] {
  if (typeof port === 'number') return isValidPortNum(port).map((m) => field.invalid(path, port, m));
  if (typeof port === 'string') return isValidPortName(port).map((m) => field.invalid(path, port, m));
  return isValidPortNum(0).map((m) => field.invalid(path, 0, m));
}

function validateContainerPorts(ports: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  asArray(ports).forEach((raw, i) => {
    const p: Obj = isObj(raw) ? raw : {};
    const idx = `${path}[${i}]`;
    if (p.name) {
      const msgs = isValidPortName(p.name);
      if (msgs.length) errs.push(...msgs.map((m) => field.invalid(`${idx}.name`, p.name, m)));
      else if (names.has(p.name)) errs.push(field.duplicate(`${idx}.name`, p.name));
      else names.add(p.name);
    }
    if (!p.containerPort) errs.push(field.required(`${idx}.containerPort`));
    else errs.push(...isValidPortNum(p.containerPort).map((m) => field.invalid(`${idx}.containerPort`, p.containerPort, m)));
    if (p.hostPort) errs.push(...isValidPortNum(p.hostPort).map((m) => field.invalid(`${idx}.hostPort`, p.hostPort, m)));
    if (!p.protocol) errs.push(field.required(`${idx}.protocol`));
    else if (!PORT_PROTOCOLS.includes(p.protocol)) errs.push(field.notSupported(`${idx}.protocol`, p.protocol, PORT_PROTOCOLS));
  });
  return errs;
}

function validateKeySelector(sel: Obj, path: string): FieldError[] {
  const name = typeof sel.name === 'string' ? sel.name : '';
  const errs = isDNS1123Subdomain(name).map((m) => field.invalid(`${path}.name`, name, m));
  if (!sel.key) errs.push(field.required(`${path}.key`));
  else errs.push(...isConfigMapKey(sel.key).map((m) => field.invalid(`${path}.key`, sel.key, m)));
  return errs;
}

export function validateEnv(env: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  asArray(env).forEach((raw, i) => {
    const ev: Obj = isObj(raw) ? raw : {};
    const idx = `${path}[${i}]`;
    if (!ev.name) errs.push(field.required(`${idx}.name`));
    else errs.push(...isRelaxedEnvVarName(ev.name).map((m) => field.invalid(`${idx}.name`, ev.name, m)));
    if (!isObj(ev.valueFrom)) return;
    const vf = ev.valueFrom;
    const vp = `${idx}.valueFrom`;
    let n = 0;
    if (isObj(vf.fieldRef)) {
      n++;
      errs.push(...validateDownwardAPIFieldRef(vf.fieldRef, 'env', `${vp}.fieldRef`));
    }
    if (isObj(vf.resourceFieldRef)) {
      n++;
      errs.push(...validateResourceFieldRef(vf.resourceFieldRef, `${vp}.resourceFieldRef`, false));
    }
    if (isObj(vf.configMapKeyRef)) {
      n++;
      errs.push(...validateKeySelector(vf.configMapKeyRef, `${vp}.configMapKeyRef`));
    }
    if (isObj(vf.secretKeyRef)) {
      n++;
      errs.push(...validateKeySelector(vf.secretKeyRef, `${vp}.secretKeyRef`));
    }
    if (isObj(vf.fileKeyRef)) n++;
    if (n === 0) errs.push(field.invalid(vp, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
    else if (ev.value) errs.push(field.invalid(vp, '', 'may not be specified when `value` is not empty'));
    else if (n > 1) errs.push(field.invalid(vp, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

function validateEnvFrom(envFrom: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  asArray(envFrom).forEach((raw, i) => {
    const ev: Obj = isObj(raw) ? raw : {};
    const idx = `${path}[${i}]`;
    if (ev.prefix) errs.push(...isRelaxedEnvVarName(ev.prefix).map((m) => field.invalid(`${idx}.prefix`, ev.prefix, m)));
    let n = 0;
    for (const kind of ['configMapRef', 'secretRef']) {
      if (!isObj(ev[kind])) continue;
      n++;
      const name = ev[kind].name;
      if (!name) errs.push(field.required(`${idx}.${kind}.name`));
      else errs.push(...isDNS1123Subdomain(maskTrailingDash(name)).map((m) => field.invalid(`${idx}.${kind}.name`, name, m)));
    }
    if (n === 0) errs.push(field.invalid(path, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (n > 1) errs.push(field.invalid(path, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

function validateVolumeMounts(c: Obj, ctx: ContainerContext, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const mountPaths = new Set<string>();
  const devices = new Map<string, string>();
  for (const d of asArray(c.volumeDevices)) if (isObj(d)) devices.set(d.name, d.devicePath);
  const privileged = isObj(c.securityContext) && c.securityContext.privileged === true;
  asArray(c.volumeMounts).forEach((raw, i) => {
    const m: Obj = isObj(raw) ? raw : {};
    const idx = `${path}[${i}]`;
    if (!m.name) errs.push(field.required(`${idx}.name`));
    if (!ctx.volumes.has(m.name)) errs.push(notFound(`${idx}.name`, m.name ?? ''));
    if (!m.mountPath) errs.push(field.required(`${idx}.mountPath`));
    if (mountPaths.has(m.mountPath)) errs.push(field.invalid(`${idx}.mountPath`, m.mountPath, 'must be unique'));
    mountPaths.add(m.mountPath);
    if (devices.has(m.name)) errs.push(field.invalid(`${idx}.name`, m.name, 'must not already exist in volumeDevices'));
    if ([...devices.values()].includes(m.mountPath)) errs.push(field.invalid(`${idx}.mountPath`, m.mountPath, 'must not already exist as a path in volumeDevices'));
    if (isObj(ctx.volumes.get(m.name)?.image)) {
      if (m.subPath) errs.push(field.invalid(`${idx}.subPath`, m.subPath, 'not allowed in image volume sources'));
      if (m.subPathExpr) errs.push(field.invalid(`${idx}.subPathExpr`, m.subPathExpr, 'not allowed in image volume sources'));
    }
    if (m.subPath) errs.push(...validateLocalDescendingPath(m.subPath, `${path}.subPath`));
    if (m.subPathExpr) {
      if (m.subPath) errs.push(field.invalid(`${idx}.subPathExpr`, m.subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
      errs.push(...validateLocalDescendingPath(m.subPathExpr, `${path}.subPathExpr`));
    }
    if (m.mountPropagation !== undefined && m.mountPropagation !== null) {
      const supported = ['Bidirectional', 'HostToContainer', 'None'];
      if (!supported.includes(m.mountPropagation)) errs.push(field.notSupported(`${path}.mountPropagation`, m.mountPropagation, supported));
      if (m.mountPropagation === 'Bidirectional' && !privileged) {
        errs.push(field.forbidden(`${path}.mountPropagation`, 'Bidirectional mount propagation is available only to privileged containers'));
      }
    }
    if (m.recursiveReadOnly !== undefined && m.recursiveReadOnly !== null && m.recursiveReadOnly !== 'Disabled') {
      const rp = `${path}.recursiveReadOnly`;
      if (m.recursiveReadOnly === 'Enabled' || m.recursiveReadOnly === 'IfPossible') {
        if (!m.readOnly) errs.push(field.forbidden(rp, 'may only be specified when readOnly is true'));
        if (m.mountPropagation && m.mountPropagation !== 'None') errs.push(field.forbidden(rp, 'may only be specified when mountPropagation is None or not specified'));
      } else {
        errs.push(field.notSupported(rp, m.recursiveReadOnly, ['Disabled', 'Enabled', 'IfPossible']));
      }
    }
  });
  return errs;
}

function validateVolumeDevices(c: Obj, ctx: ContainerContext, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const mounts = new Map<string, string>();
  for (const m of asArray(c.volumeMounts)) if (isObj(m)) mounts.set(m.name, m.mountPath);
  const names = new Set<string>();
  const paths = new Set<string>();
  asArray(c.volumeDevices).forEach((raw, i) => {
    const d: Obj = isObj(raw) ? raw : {};
    const idx = `${path}[${i}]`;
    const vol = ctx.volumes.get(d.name);
    if (!d.name) errs.push(field.required(`${idx}.name`));
    if (names.has(d.name)) errs.push(field.invalid(`${idx}.name`, d.name, 'must be unique'));
    if (vol && !isObj(vol.persistentVolumeClaim) && !isObj(vol.ephemeral)) {
      errs.push(field.invalid(`${idx}.name`, d.name, 'can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode'));
    }
    if (!vol) errs.push(notFound(`${idx}.name`, d.name ?? ''));
    if (!d.devicePath) errs.push(field.required(`${idx}.devicePath`));
    if (paths.has(d.devicePath)) errs.push(field.invalid(`${idx}.devicePath`, d.devicePath, 'must be unique'));
    if (d.devicePath && validatePathNoBacksteps(d.devicePath, '').length) errs.push(field.invalid(`${idx}.devicePath`, d.devicePath, "can not contain backsteps ('..')"));
    else paths.add(d.devicePath);
    if (mounts.has(d.name)) errs.push(field.invalid(`${idx}.name`, d.name, 'must not already exist in volumeMounts'));
    if ([...mounts.values()].includes(d.devicePath)) errs.push(field.invalid(`${idx}.devicePath`, d.devicePath, 'must not already exist as a path in volumeMounts'));
    if (d.name) names.add(d.name);
  });
  return errs;
}

/** A probe or lifecycle handler: exactly one of exec, httpGet, tcpSocket, grpc (probes) or sleep (hooks). */
function validateHandler(h: Obj, path: string, ctx: ContainerContext, allowed: string[]): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  for (const kind of ['exec', 'httpGet', 'tcpSocket', 'grpc', 'sleep']) {
    if (!allowed.includes(kind) || !isObj(h[kind])) continue;
    if (n > 0) {
      errs.push(field.forbidden(`${path}.${kind}`, 'may not specify more than 1 handler type'));
      continue;
    }
    n++;
    const v = h[kind];
    const p = `${path}.${kind}`;
    if (kind === 'exec' && asArray(v.command).length === 0) errs.push(field.required(`${p}.command`));
    if (kind === 'httpGet') {
      if (!v.path) errs.push(field.required(`${p}.path`));
      errs.push(...validatePortNumOrName(v.port, `${p}.port`));
      if (!['HTTP', 'HTTPS'].includes(v.scheme)) errs.push(field.notSupported(`${p}.scheme`, v.scheme ?? '', ['HTTP', 'HTTPS']));
      for (const hd of asArray(v.httpHeaders)) {
        const name = isObj(hd) ? String(hd.name ?? '') : '';
        errs.push(...isHTTPHeaderName(name).map((m) => field.invalid(`${p}.httpHeaders`, name, m)));
      }
    }
    if (kind === 'tcpSocket') errs.push(...validatePortNumOrName(v.port, `${p}.port`));
    if (kind === 'grpc') errs.push(...validatePortNumOrName(typeof v.port === 'number' ? v.port : 0, `${p}.port`));
    if (kind === 'sleep' && ctx.gracePeriod !== undefined) {
      const s = typeof v.seconds === 'number' ? v.seconds : 0;
      if (s < 0 || s > ctx.gracePeriod) {
        errs.push(field.invalid(p, s, `must be non-negative and less than terminationGracePeriodSeconds (${ctx.gracePeriod})`));
      }
    }
  }
  if (n === 0) errs.push(field.required(path, 'must specify a handler type'));
  return errs;
}

function validateProbe(probe: unknown, kind: 'liveness' | 'readiness' | 'startup', path: string, ctx: ContainerContext): FieldError[] {
  if (!isObj(probe)) return [];
  const errs = validateHandler(probe, path, ctx, ['exec', 'httpGet', 'tcpSocket', 'grpc']);
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    errs.push(...validateNonnegativeField(probe[f], `${path}.${f}`));
  }
  const tgp = probe.terminationGracePeriodSeconds;
  if (typeof tgp === 'number' && tgp <= 0) errs.push(field.invalid(`${path}.terminationGracePeriodSeconds`, tgp, 'must be greater than 0'));
  if (kind !== 'readiness' && probe.successThreshold !== undefined && probe.successThreshold !== 1) {
    errs.push(field.invalid(`${path}.successThreshold`, probe.successThreshold, 'must be 1'));
  }
  if (kind === 'readiness' && tgp !== undefined && tgp !== null) {
    errs.push(field.invalid(`${path}.terminationGracePeriodSeconds`, tgp, 'must not be set for readinessProbes'));
  }
  return errs;
}

/** Lifecycle hooks and probes (regular containers and restartable init containers). */
export function validateLifecycleAndProbes(c: Obj, path: string, ctx: ContainerContext): FieldError[] {
  const errs: FieldError[] = [];
  if (isObj(c.lifecycle)) {
    for (const hook of ['postStart', 'preStop']) {
      if (isObj(c.lifecycle[hook])) errs.push(...validateHandler(c.lifecycle[hook], `${path}.lifecycle.${hook}`, ctx, ['exec', 'httpGet', 'tcpSocket', 'sleep']));
    }
  }
  errs.push(...validateProbe(c.livenessProbe, 'liveness', `${path}.livenessProbe`, ctx));
  errs.push(...validateProbe(c.readinessProbe, 'readiness', `${path}.readinessProbe`, ctx));
  errs.push(...validateProbe(c.startupProbe, 'startup', `${path}.startupProbe`, ctx));
  return errs;
}

function validateResizePolicy(policies: unknown, path: string, podRestartPolicy: string | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  asArray(policies).forEach((raw, i) => {
    const p: Obj = isObj(raw) ? raw : {};
    if (seen.has(p.resourceName)) errs.push(field.duplicate(`${path}[${i}]`, p.resourceName));
    seen.add(p.resourceName);
    if (!p.resourceName) errs.push(field.required(path));
    else if (!['cpu', 'memory'].includes(p.resourceName)) errs.push(field.notSupported(path, p.resourceName, ['cpu', 'memory']));
    if (!p.restartPolicy) errs.push(field.required(path));
    else if (!['NotRequired', 'RestartContainer'].includes(p.restartPolicy)) errs.push(field.notSupported(path, p.restartPolicy, ['NotRequired', 'RestartContainer']));
    if (podRestartPolicy === 'Never' && p.restartPolicy !== 'NotRequired') {
      errs.push(field.invalid(path, p.restartPolicy ?? '', "must be 'NotRequired' when `restartPolicy` is 'Never'"));
    }
  });
  return errs;
}

export function validateSeccompProfile(sp: unknown, path: string): FieldError[] {
  if (!isObj(sp)) return [];
  const errs: FieldError[] = [];
  const types = ['Localhost', 'RuntimeDefault', 'Unconfined'];
  if (!sp.type) errs.push(field.required(`${path}.type`, 'type is required when seccompProfile is set'));
  else if (!types.includes(sp.type)) errs.push(field.notSupported(`${path}.type`, sp.type, types));
  if (sp.type === 'Localhost') {
    if (typeof sp.localhostProfile !== 'string') errs.push(field.required(`${path}.localhostProfile`, 'must be set when seccomp type is Localhost'));
    else errs.push(...validateLocalDescendingPath(sp.localhostProfile, `${path}.localhostProfile`));
  } else if (sp.localhostProfile !== undefined && sp.localhostProfile !== null) {
    errs.push(field.invalid(`${path}.localhostProfile`, sp, 'can only be set when seccomp type is Localhost'));
  }
  return errs;
}

function validateSecurityContext(sc: unknown, path: string): FieldError[] {
  if (!isObj(sc)) return [];
  const errs: FieldError[] = [];
  for (const k of ['runAsUser', 'runAsGroup']) {
    if (typeof sc[k] === 'number') errs.push(...(k === 'runAsUser' ? isValidUserID : isValidGroupID)(sc[k]).map((m) => field.invalid(`${path}.${k}`, sc[k], m)));
  }
  if (sc.procMount !== undefined && sc.procMount !== null && !['Default', 'Unmasked'].includes(sc.procMount)) {
    errs.push(field.notSupported(`${path}.procMount`, sc.procMount, ['Default', 'Unmasked']));
  }
  errs.push(...validateSeccompProfile(sc.seccompProfile, `${path}.seccompProfile`));
  if (sc.allowPrivilegeEscalation === false) {
    if (sc.privileged === true) errs.push(field.invalid(path, sc, 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'));
    if (isObj(sc.capabilities) && asArray(sc.capabilities.add).includes('CAP_SYS_ADMIN')) {
      errs.push(field.invalid(path, sc, 'cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN'));
    }
  }
  return errs;
}

/** Checks every container kind shares (validateContainerCommon upstream). */
export function validateContainerCommon(c: Obj, path: string, ctx: ContainerContext): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.name) errs.push(field.required(`${path}.name`));
  else errs.push(...isDNS1123Label(c.name).map((m) => field.invalid(`${path}.name`, c.name, m)));
  if (!c.image) errs.push(field.required(`${path}.image`));
  const tmp = c.terminationMessagePolicy;
  if (!tmp) errs.push(field.required(`${path}.terminationMessagePolicy`));
  else if (tmp !== 'File' && tmp !== 'FallbackToLogsOnError') {
    errs.push(field.notSupported(`${path}.terminationMessagePolicy`, tmp, ['File', 'FallbackToLogsOnError']));
  }
  errs.push(...validateContainerPorts(c.ports, `${path}.ports`));
  errs.push(...validateEnv(c.env, `${path}.env`));
  errs.push(...validateEnvFrom(c.envFrom, `${path}.envFrom`));
  errs.push(...validateVolumeMounts(c, ctx, `${path}.volumeMounts`));
  errs.push(...validateVolumeDevices(c, ctx, `${path}.volumeDevices`));
  if (!c.imagePullPolicy) errs.push(field.required(`${path}.imagePullPolicy`));
  else if (!PULL_POLICIES.includes(c.imagePullPolicy)) errs.push(field.notSupported(`${path}.imagePullPolicy`, c.imagePullPolicy, PULL_POLICIES));
  errs.push(...validateResourceRequirements(c.resources, `${path}.resources`, { podClaimNames: ctx.podClaimNames }));
  errs.push(...validateResizePolicy(c.resizePolicy, `${path}.resizePolicy`, ctx.podRestartPolicy));
  errs.push(...validateSecurityContext(c.securityContext, `${path}.securityContext`));
  return errs;
}

/** Host ports must not collide (protocol/hostIP/port) within the given containers. */
export function checkHostPortConflicts(containers: Obj[], path: string, seen = new Set<string>()): FieldError[] {
  const errs: FieldError[] = [];
  containers.forEach((c, ci) => {
    asArray(c.ports).forEach((p, pi) => {
      if (!isObj(p) || !p.hostPort) return;
      const key = `${p.protocol ?? ''}/${p.hostIP ?? ''}/${p.hostPort}`;
      if (seen.has(key)) errs.push(field.duplicate(`${path}[${ci}].ports[${pi}].hostPort`, key));
      else seen.add(key);
    });
  });
  return errs;
}
