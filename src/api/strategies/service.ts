// Services (plus Endpoints and EndpointSlices in endpoints.ts). Defaults follow SetDefaults_Service;
// create and update also do what upstream's service REST layer does before validation — keep the
// cluster IPs and node ports a client omitted, keep clusterIP and clusterIPs in sync, drop fields
// a type change makes meaningless, and default ipFamilyPolicy/ipFamilies for a single-stack IPv4
// cluster. Allocating cluster IPs and node ports is left to the allocator (src/apiserver/service-alloc).
import type { FieldError } from '../errors.js';
import { field } from '../errors.js';
import { asArray, goStructJSON, isObj, semanticEqual, type Obj } from '../validation/field.js';
import { isIPv6String, validateCIDR, validateIP, validateNonSpecialIP } from '../validation/ip.js';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidPortNum } from '../validation/names.js';
import { validateLabels } from '../validation/object-meta.js';
import { PORT_PROTOCOLS, validatePortNumOrName } from '../validation/containers.js';
import { makeStrategy, specOf } from './strategy.js';
import type { KObject, Strategy } from './types.js';

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const MAX_CLIENT_IP_TIMEOUT = 86400;

function externallyAccessible(spec: Obj): boolean {
  return spec.type === 'LoadBalancer' || spec.type === 'NodePort' || (spec.type === 'ClusterIP' && asArray(spec.externalIPs).length > 0);
}

function isHeadless(spec: Obj): boolean {
  const ips = asArray(spec.clusterIPs);
  return ips.length === 1 && ips[0] === 'None';
}

const needsClusterIP = (spec: Obj) => spec.type !== 'ExternalName';
const needsNodePort = (spec: Obj) => spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
const needsHCNodePort = (spec: Obj) => spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';

export function defaultService(obj: KObject): void {
  const spec = specOf(obj);
  if (!spec.sessionAffinity) spec.sessionAffinity = 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP' && typeof spec.sessionAffinityConfig?.clientIP?.timeoutSeconds !== 'number') {
    spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } };
  }
  if (!spec.type) spec.type = 'ClusterIP';
  for (const p of asArray(spec.ports)) {
    if (!isObj(p)) continue;
    if (!p.protocol) p.protocol = 'TCP';
    if (p.targetPort === undefined || p.targetPort === null || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  if (externallyAccessible(spec) && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = 'Cluster';
  if (spec.internalTrafficPolicy === undefined || spec.internalTrafficPolicy === null) {
    if (['NodePort', 'LoadBalancer', 'ClusterIP'].includes(spec.type)) spec.internalTrafficPolicy = 'Cluster';
  }
  if (spec.type === 'LoadBalancer') {
    spec.allocateLoadBalancerNodePorts ??= true;
    for (const ing of asArray(obj.status?.loadBalancer?.ingress)) if (isObj(ing) && ing.ip && !ing.ipMode) ing.ipMode = 'VIP';
  }
}

/**
 * Single-stack IPv4 cluster: families follow the given IPs, then IPv4. Headless selectorless
 * services default to RequireDualStack and list both families even here (upstream lets them);
 * whether the cluster can serve a family is the allocator's check.
 */
function initIPFamilies(spec: Obj): void {
  if (!needsClusterIP(spec)) return;
  const families: string[] = asArray(spec.ipFamilies).map(String);
  asArray(spec.clusterIPs).forEach((ip, i) => {
    if (ip === 'None' || i < families.length) return;
    families.push(isIPv6String(String(ip)) ? 'IPv6' : 'IPv4');
  });
  if (spec.clusterIP === 'None' && Object.keys(spec.selector ?? {}).length === 0) {
    spec.ipFamilyPolicy ??= 'RequireDualStack';
    if (!families.length) families.push('IPv4');
    if (families.length < 2 && spec.ipFamilyPolicy !== 'SingleStack') families.push(families[0] === 'IPv6' ? 'IPv4' : 'IPv6');
    spec.ipFamilies = families;
    return;
  }
  if (spec.ipFamilyPolicy === undefined || spec.ipFamilyPolicy === null) {
    spec.ipFamilyPolicy = asArray(spec.clusterIPs).length === 2 || families.length === 2 ? 'RequireDualStack' : 'SingleStack';
  }
  spec.ipFamilies = families.length ? families : ['IPv4'];
}

function prepareServiceForCreate(obj: KObject): void {
  const spec = specOf(obj);
  if (spec.clusterIP && asArray(spec.clusterIPs).length === 0) spec.clusterIPs = [spec.clusterIP];
  initIPFamilies(spec);
  obj.status = { loadBalancer: {} };
}

function sameList(a: unknown, b: unknown): boolean {
  return semanticEqual(asArray(a), asArray(b));
}

function prepareServiceForUpdate(obj: KObject, old: KObject): void {
  const spec = specOf(obj);
  const o: Obj = isObj(old.spec) ? old.spec : {};
  // Keep allocated values a client omitted (patchAllocatedValues).
  if (needsClusterIP(o) && needsClusterIP(spec)) {
    if (!spec.clusterIP && o.clusterIP) spec.clusterIP = o.clusterIP;
    if (asArray(spec.clusterIPs).length === 0 && asArray(o.clusterIPs).length) spec.clusterIPs = [...o.clusterIPs];
  }
  if (needsNodePort(o) && needsNodePort(spec)) {
    const used = new Set(asArray(spec.ports).map((p) => p?.nodePort).filter((n) => n));
    const byName = new Map(asArray(o.ports).filter(isObj).map((p) => [p.name ?? '', p.nodePort]));
    for (const p of asArray(spec.ports)) {
      if (!isObj(p) || p.nodePort) continue;
      const prev = byName.get(p.name ?? '');
      if (prev && !used.has(prev)) p.nodePort = prev;
    }
  }
  if (needsHCNodePort(o) && needsHCNodePort(spec) && !spec.healthCheckNodePort) spec.healthCheckNodePort = o.healthCheckNodePort;
  // Keep clusterIP and clusterIPs in sync (NormalizeClusterIPs).
  if (asArray(o.clusterIPs).length && asArray(spec.clusterIPs).length === 0 && o.clusterIP === spec.clusterIP) spec.clusterIPs = o.clusterIPs;
  if ((o.clusterIP ?? '') !== (spec.clusterIP ?? '')) {
    if (o.clusterIP && !spec.clusterIP) {
      if (sameList(o.clusterIPs, spec.clusterIPs)) delete spec.clusterIPs;
    } else if (sameList(o.clusterIPs, spec.clusterIPs)) {
      spec.clusterIPs = [spec.clusterIP];
    }
  }
  // Drop what the new type no longer uses, when the client left it as it was (dropTypeDependentFields).
  if (needsClusterIP(o) && !needsClusterIP(spec)) {
    if (sameList(o.clusterIPs, spec.clusterIPs)) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (sameList(o.ipFamilies, spec.ipFamilies)) delete spec.ipFamilies;
    if ((o.ipFamilyPolicy ?? null) === (spec.ipFamilyPolicy ?? null)) delete spec.ipFamilyPolicy;
  }
  const nodePorts = (s: Obj) => asArray(s.ports).map((p) => (isObj(p) ? p.nodePort ?? 0 : 0));
  if (needsNodePort(o) && !needsNodePort(spec) && semanticEqual(nodePorts(o), nodePorts(spec))) {
    for (const p of asArray(spec.ports)) if (isObj(p)) delete p.nodePort;
  }
  if (needsHCNodePort(o) && !needsHCNodePort(spec) && o.healthCheckNodePort === spec.healthCheckNodePort) delete spec.healthCheckNodePort;
  if (o.type === 'LoadBalancer' && spec.type !== 'LoadBalancer') {
    if (typeof spec.allocateLoadBalancerNodePorts === 'boolean' && spec.allocateLoadBalancerNodePorts === o.allocateLoadBalancerNodePorts) delete spec.allocateLoadBalancerNodePorts;
    if ((o.loadBalancerClass ?? null) === (spec.loadBalancerClass ?? null)) delete spec.loadBalancerClass;
  }
  if (externallyAccessible(o) && !externallyAccessible(spec) && o.externalTrafficPolicy === spec.externalTrafficPolicy) delete spec.externalTrafficPolicy;
  if (spec.type !== 'LoadBalancer' && isObj(obj.status)) obj.status.loadBalancer = {};
  if (needsClusterIP(o) && needsClusterIP(spec)) {
    if (asArray(spec.ipFamilies).length === 0 && asArray(o.ipFamilies).length) spec.ipFamilies = [...o.ipFamilies];
    if ((spec.ipFamilyPolicy === undefined || spec.ipFamilyPolicy === null) && o.ipFamilyPolicy) spec.ipFamilyPolicy = o.ipFamilyPolicy;
    // Switching to SingleStack with the dual-stack fields left as they were drops the secondaries.
    if (spec.ipFamilyPolicy === 'SingleStack') {
      if (asArray(spec.clusterIPs).length > 1 && sameList(o.clusterIPs, spec.clusterIPs)) spec.clusterIPs = spec.clusterIPs.slice(0, 1);
      if (asArray(spec.ipFamilies).length > 1 && sameList(o.ipFamilies, spec.ipFamilies)) spec.ipFamilies = spec.ipFamilies.slice(0, 1);
    }
  }
  initIPFamilies(spec);
}

function renderServicePortKey(p: Obj): Record<string, unknown> {
  return goStructJSON([['Name', ''], ['Protocol', p.protocol ?? ''], ['AppProtocol', null], ['Port', p.port ?? 0], ['TargetPort', 0], ['NodePort', 0]]);
}

function validateServicePort(p: Obj, requireName: boolean, names: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (requireName && !p.name) errs.push(field.required(`${path}.name`));
  else if (p.name) {
    errs.push(...isDNS1123Label(p.name).map((m) => field.invalid(`${path}.name`, p.name, m)));
    if (names.has(p.name)) errs.push(field.duplicate(`${path}.name`, p.name));
    else names.add(p.name);
  }
  errs.push(...isValidPortNum(p.port ?? 0).map((m) => field.invalid(`${path}.port`, p.port ?? 0, m)));
  if (!p.protocol) errs.push(field.required(`${path}.protocol`));
  else if (!PORT_PROTOCOLS.includes(p.protocol)) errs.push(field.notSupported(`${path}.protocol`, p.protocol, PORT_PROTOCOLS));
  errs.push(...validatePortNumOrName(p.targetPort, `${path}.targetPort`));
  if (typeof p.appProtocol === 'string') errs.push(...isQualifiedName(p.appProtocol).map((m) => field.invalid(`${path}.appProtocol`, p.appProtocol, m)));
  return errs;
}

function validateClusterIPFields(spec: Obj): FieldError[] {
  if (spec.type === 'ExternalName') return [];
  const errs: FieldError[] = [];
  const ips = asArray(spec.clusterIPs).map(String);
  if (spec.clusterIP) {
    if (ips.length === 0) errs.push(field.required('spec.clusterIPs'));
    else if (ips[0] !== spec.clusterIP) errs.push(field.invalid('spec.clusterIPs', ips, 'first value must match `clusterIP`'));
  } else if (ips.length) {
    errs.push(field.invalid('spec.clusterIPs', ips, 'must be empty when `clusterIP` is not specified'));
  }
  const seen = new Set<string>();
  asArray(spec.ipFamilies).forEach((f, i) => {
    if (f !== 'IPv4' && f !== 'IPv6') errs.push(field.notSupported(`spec.ipFamilies[${i}]`, f, ['IPv4', 'IPv6']));
    if (seen.has(f)) errs.push(field.duplicate(`spec.ipFamilies[${i}]`, f));
    seen.add(f);
  });
  const policy = spec.ipFamilyPolicy;
  if (policy !== undefined && policy !== null && !['PreferDualStack', 'RequireDualStack', 'SingleStack'].includes(policy)) {
    errs.push(field.notSupported('spec.ipFamilyPolicy', policy, ['PreferDualStack', 'RequireDualStack', 'SingleStack']));
  }
  let invalid = false;
  ips.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (ips.length > 1) {
        invalid = true;
        errs.push(field.invalid('spec.clusterIPs', ips, "'None' must be the first and only value"));
      }
      return;
    }
    const e = validateIP(`spec.clusterIPs[${i}]`, ip);
    if (e.length) invalid = true;
    errs.push(...e);
  });
  if (ips.length > 2) errs.push(field.invalid('spec.clusterIPs', ips, 'may only hold up to 2 values'));
  if (invalid) return errs;
  if (ips.length > 1 && isIPv6String(ips[0]!) === isIPv6String(ips[1]!)) {
    errs.push(field.invalid('spec.clusterIPs', ips, 'may specify no more than one IP for each IP family'));
  }
  if (!isHeadless(spec)) {
    const fams = asArray(spec.ipFamilies);
    ips.forEach((ip, i) => {
      if (i >= fams.length) return;
      if (fams[i] === 'IPv4' && isIPv6String(ip)) errs.push(field.invalid(`spec.clusterIPs[${i}]`, ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
      if (fams[i] === 'IPv6' && !isIPv6String(ip)) errs.push(field.invalid(`spec.clusterIPs[${i}]`, ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
    });
  }
  return errs;
}

export function validateServiceSpec(obj: KObject): FieldError[] {
  const spec: Obj = isObj(obj.spec) ? obj.spec : {};
  const errs: FieldError[] = [];
  const ann: Obj = isObj(obj.metadata?.annotations) ? obj.metadata.annotations : {};
  const hints = 'service.kubernetes.io/topology-aware-hints';
  const mode = 'service.kubernetes.io/topology-mode';
  if (hints in ann && mode in ann && ann[hints] !== ann[mode]) {
    errs.push(field.invalid(`metadata.annotations[${mode}]`, ann[mode], `must match annotations[${hints}] when both are specified`));
  }
  const ports = asArray(spec.ports).map((p) => (isObj(p) ? p : {}));
  if (ports.length === 0 && !isHeadless(spec) && spec.type !== 'ExternalName') errs.push(field.required('spec.ports'));
  if ((spec.type === 'LoadBalancer' || spec.type === 'NodePort') && isHeadless(spec)) {
    errs.push(field.invalid('spec.clusterIPs[0]', 'None', `may not be set to 'None' for ${spec.type} services`));
  }
  if (spec.type === 'ExternalName') {
    if (asArray(spec.clusterIPs).length) errs.push(field.forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
    if (asArray(spec.ipFamilies).length) errs.push(field.forbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
    if (spec.ipFamilyPolicy !== undefined && spec.ipFamilyPolicy !== null) errs.push(field.forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
    const cname = String(spec.externalName ?? '').replace(/\.$/, '');
    if (cname) errs.push(...isDNS1123Subdomain(cname).map((m) => field.invalid('spec.externalName', cname, m)));
    else errs.push(field.required('spec.externalName'));
  }
  const names = new Set<string>();
  ports.forEach((p, i) => errs.push(...validateServicePort(p, ports.length > 1, names, `spec.ports[${i}]`)));
  if (isObj(spec.selector)) errs.push(...validateLabels(spec.selector, 'spec.selector'));
  const sa = spec.sessionAffinity;
  if (!sa) errs.push(field.required('spec.sessionAffinity'));
  else if (sa !== 'ClientIP' && sa !== 'None') errs.push(field.notSupported('spec.sessionAffinity', sa, ['ClientIP', 'None']));
  if (sa === 'ClientIP') {
    const cfg = spec.sessionAffinityConfig;
    const p = 'spec.sessionAffinityConfig';
    if (!isObj(cfg)) errs.push(field.required(p, 'when session affinity type is ClientIP'));
    else if (!isObj(cfg.clientIP)) errs.push(field.required(`${p}.clientIP`, 'when session affinity type is ClientIP'));
    else if (typeof cfg.clientIP.timeoutSeconds !== 'number') errs.push(field.required(`${p}.clientIP.timeoutSeconds`, 'when session affinity type is ClientIP'));
    else if (cfg.clientIP.timeoutSeconds <= 0 || cfg.clientIP.timeoutSeconds > MAX_CLIENT_IP_TIMEOUT) {
      errs.push(field.invalid(`${p}.clientIP.timeoutSeconds`, cfg.clientIP.timeoutSeconds, `must be greater than 0 and less than ${MAX_CLIENT_IP_TIMEOUT}`));
    }
  } else if (sa === 'None' && spec.sessionAffinityConfig !== undefined && spec.sessionAffinityConfig !== null) {
    errs.push(field.forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None'));
  }
  errs.push(...validateClusterIPFields(spec));
  asArray(spec.externalIPs).forEach((ip, i) => {
    const e = validateIP(`spec.externalIPs[${i}]`, String(ip));
    errs.push(...(e.length ? e : validateNonSpecialIP(`spec.externalIPs[${i}]`, String(ip))));
  });
  if (!spec.type) errs.push(field.required('spec.type'));
  else if (!SERVICE_TYPES.includes(spec.type)) errs.push(field.notSupported('spec.type', spec.type, SERVICE_TYPES));
  if (spec.type === 'ClusterIP') {
    ports.forEach((p, i) => p.nodePort && errs.push(field.forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'")));
  }
  const nodePorts = new Set<string>();
  ports.forEach((p, i) => {
    if (!p.nodePort) return;
    const key = `${p.protocol}/${p.nodePort}`;
    if (nodePorts.has(key)) errs.push(field.duplicate(`spec.ports[${i}].nodePort`, p.nodePort));
    nodePorts.add(key);
  });
  const portKeys = new Set<string>();
  ports.forEach((p, i) => {
    const key = `${p.protocol}/${p.port}`;
    if (portKeys.has(key)) errs.push(field.duplicate(`spec.ports[${i}]`, renderServicePortKey(p)));
    portKeys.add(key);
  });
  const ranges = asArray(spec.loadBalancerSourceRanges);
  if (ranges.length) {
    if (spec.type !== 'LoadBalancer') errs.push(field.forbidden('spec.LoadBalancerSourceRanges', "may only be used when `type` is 'LoadBalancer'"));
    ranges.forEach((r, i) => errs.push(...validateCIDR(`spec.LoadBalancerSourceRanges[${i}]`, String(r).trim())));
  }
  if (typeof spec.allocateLoadBalancerNodePorts === 'boolean' && spec.type !== 'LoadBalancer') {
    errs.push(field.forbidden('spec.allocateLoadBalancerNodePorts', "may only be used when `type` is 'LoadBalancer'"));
  }
  if (spec.type === 'LoadBalancer' && typeof spec.allocateLoadBalancerNodePorts !== 'boolean') errs.push(field.required('allocateLoadBalancerNodePorts'));
  if (spec.type === 'LoadBalancer') {
    if (typeof spec.loadBalancerClass === 'string') errs.push(...isQualifiedName(spec.loadBalancerClass).map((m) => field.invalid('spec.loadBalancerClass', spec.loadBalancerClass, m)));
  } else if (spec.loadBalancerClass !== undefined && spec.loadBalancerClass !== null) {
    errs.push(field.forbidden('spec.loadBalancerClass', "may only be used when `type` is 'LoadBalancer'"));
  }
  if (!externallyAccessible(spec)) {
    if (spec.externalTrafficPolicy) errs.push(field.invalid('spec.externalTrafficPolicy', spec.externalTrafficPolicy, 'may only be set for externally-accessible services'));
  } else if (!spec.externalTrafficPolicy) errs.push(field.required('spec.externalTrafficPolicy'));
  else if (!['Cluster', 'Local'].includes(spec.externalTrafficPolicy)) {
    errs.push(field.notSupported('spec.externalTrafficPolicy', spec.externalTrafficPolicy, ['Cluster', 'Local']));
  }
  if (!needsHCNodePort(spec) && spec.healthCheckNodePort) {
    errs.push(field.invalid('spec.healthCheckNodePort', spec.healthCheckNodePort, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
  } else if (needsHCNodePort(spec) && spec.healthCheckNodePort) {
    errs.push(...isValidPortNum(spec.healthCheckNodePort).map((m) => field.invalid('spec.healthCheckNodePort', spec.healthCheckNodePort, m)));
  }
  const itp = spec.internalTrafficPolicy;
  if ((itp === undefined || itp === null) && ['NodePort', 'LoadBalancer', 'ClusterIP'].includes(spec.type)) errs.push(field.required('spec.internalTrafficPolicy'));
  if (itp !== undefined && itp !== null && !['Cluster', 'Local'].includes(itp)) errs.push(field.notSupported('spec.internalTrafficPolicy', itp, ['Cluster', 'Local']));
  const td = spec.trafficDistribution;
  if (td !== undefined && td !== null && !['PreferClose', 'PreferSameZone', 'PreferSameNode'].includes(td)) {
    errs.push(field.notSupported('spec.trafficDistribution', td, ['PreferClose', 'PreferSameZone', 'PreferSameNode']));
  }
  return errs;
}

/** Cluster IPs and IP families may be added or dropped (dual-stack changes) but not replaced. */
function validateServiceSpecUpdate(obj: KObject, old: KObject): FieldError[] {
  const n: Obj = isObj(obj.spec) ? obj.spec : {};
  const o: Obj = isObj(old.spec) ? old.spec : {};
  const errs: FieldError[] = [];
  if (n.type === 'ExternalName' || o.type === 'ExternalName') return errs;
  const nIPs = asArray(n.clusterIPs);
  const oIPs = asArray(o.clusterIPs);
  if (!(isHeadless(n) && isHeadless(o))) {
    if (nIPs.length === oIPs.length) {
      oIPs.forEach((ip, i) => ip !== nIPs[i] && errs.push(field.invalid(`spec.clusterIPs[${i}]`, nIPs, 'may not change once set')));
    } else if (oIPs.length > nIPs.length) {
      if (nIPs.length === 0) errs.push(field.invalid('spec.clusterIPs[0]', nIPs, 'primary clusterIP can not be unset'));
      if (nIPs.length && nIPs[0] !== oIPs[0]) errs.push(field.invalid('spec.clusterIPs[0]', nIPs, 'may not change once set'));
      if (nIPs.length === 1 && n.ipFamilyPolicy !== 'SingleStack') {
        errs.push(field.invalid('spec.ipFamilyPolicy', n.ipFamilyPolicy ?? null, "must be set to 'SingleStack' when releasing the secondary clusterIP"));
      }
    } else if (oIPs.length && nIPs[0] !== oIPs[0]) {
      errs.push(field.invalid('spec.clusterIPs[0]', nIPs, 'may not change once set'));
    }
  }
  const nF = asArray(n.ipFamilies);
  const oF = asArray(o.ipFamilies);
  if (isHeadless(n) === isHeadless(o) && !isHeadless(n)) {
    if (nF.length === oF.length) {
      if (oF.some((f, i) => f !== nF[i])) errs.push(field.invalid('spec.ipFamilies[0]', nF, 'may not change once set'));
    } else if (oF.length > nF.length) {
      if (nIPs.length === 0) errs.push(field.invalid('spec.ipFamilies[0]', nF, 'primary ipFamily can not be unset'));
      if (nF.length && nF[0] !== oF[0]) errs.push(field.invalid('spec.ipFamilies[0]', nIPs, 'may not change once set'));
      if (nF.length === 1 && n.ipFamilyPolicy !== 'SingleStack') {
        errs.push(field.invalid('spec.ipFamilyPolicy', n.ipFamilyPolicy ?? null, "must be set to 'SingleStack' when releasing the secondary ipFamily"));
      }
    } else if (oF.length && nF[0] !== oF[0]) {
      errs.push(field.invalid('spec.ipFamilies[0]', nIPs, 'may not change once set'));
    }
  }
  if (o.type === 'LoadBalancer' && n.type === 'LoadBalancer' && (o.loadBalancerClass ?? null) !== (n.loadBalancerClass ?? null)) {
    errs.push(field.invalid('spec.loadBalancerClass', n.loadBalancerClass ?? null, 'may not change once set'));
  }
  if (needsHCNodePort(o) && needsHCNodePort(n) && n.healthCheckNodePort !== o.healthCheckNodePort) {
    errs.push(field.forbidden('spec.healthCheckNodePort', 'field is immutable'));
  }
  return errs;
}

export const serviceStrategy: Strategy = makeStrategy({
  namespaced: true,
  nameRule: 'dns1035-label',
  default: defaultService,
  prepareForCreate: prepareServiceForCreate,
  prepareForUpdate: prepareServiceForUpdate,
  validateSpec: validateServiceSpec,
  revalidateOnUpdate: false,
  validateSpecUpdate: (obj, old) => [...validateServiceSpecUpdate(obj, old), ...validateServiceSpec(obj)],
  validateStatus(obj) {
    const errs: FieldError[] = [];
    const ingress = asArray(obj.status?.loadBalancer?.ingress);
    if (obj.spec?.type !== 'LoadBalancer' && ingress.length) return [field.forbidden('status.loadBalancer.ingress', "may only be used when `spec.type` is 'LoadBalancer'")];
    ingress.forEach((raw, i) => {
      const ing: Obj = isObj(raw) ? raw : {};
      const p = `status.loadBalancer.ingress[${i}]`;
      if (ing.ip) errs.push(...validateIP(`${p}.ip`, ing.ip));
      if (!ing.ipMode && ing.ip) errs.push(field.required(`${p}.ipMode`, 'must be specified when `ip` is set'));
      else if (ing.ipMode && !ing.ip) errs.push(field.forbidden(`${p}.ipMode`, 'may not be specified when `ip` is not set'));
      else if (ing.ipMode && !['Proxy', 'VIP'].includes(ing.ipMode)) errs.push(field.notSupported(`${p}.ipMode`, ing.ipMode, ['Proxy', 'VIP']));
      if (ing.hostname) errs.push(...isDNS1123Subdomain(ing.hostname).map((m) => field.invalid(`${p}.hostname`, ing.hostname, m)));
    });
    return errs;
  },
});
