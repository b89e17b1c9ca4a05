// networking.k8s.io/v1: Ingress (rules, path types, backends, TLS hosts), IngressClass
// (controller name, parameters) and NetworkPolicy (peers, ports, policy types).
import type { FieldError } from '../errors.js';
import { field } from '../errors.js';
import { asArray, isObj, validateImmutableField, type Obj } from '../validation/field.js';
import { parseIP, validateCIDR } from '../validation/ip.js';
import { validateLabelSelector } from '../validation/label-selector.js';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isValidPortName, isValidPortNum, isWildcardDNS1123Subdomain } from '../validation/names.js';
import { PORT_PROTOCOLS } from '../validation/containers.js';
import { makeStrategy, specOf } from './strategy.js';
import type { KObject, Strategy } from './types.js';

// ── Ingress ─────────────────────────────────────────────────────────────────

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];
const INVALID_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_PATH_SUFFIXES = ['/..', '/.'];

function validateTypedRef(ref: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (typeof ref.apiGroup === 'string' && ref.apiGroup) errs.push(...isDNS1123Subdomain(ref.apiGroup).map((m) => field.invalid(`${path}.apiGroup`, ref.apiGroup, m)));
  if (!ref.kind) errs.push(field.required(`${path}.kind`));
  if (!ref.name) errs.push(field.required(`${path}.name`));
  return errs;
}

function validateBackend(b: Obj, path: string): FieldError[] {
  const hasResource = isObj(b.resource);
  const hasService = isObj(b.service);
  if (hasResource && hasService) return [field.invalid(path, '', 'cannot set both resource and service backends')];
  if (hasResource) return validateTypedRef(b.resource, `${path}.resource`);
  if (!hasService) return [field.invalid(path, '', 'resource or service backend is required')];
  const svc: Obj = b.service;
  const errs: FieldError[] = [];
  if (!svc.name) errs.push(field.required(`${path}.service.name`));
  else errs.push(...isDNS1035Label(svc.name).map((m) => field.invalid(`${path}.service.name`, svc.name, m)));
  const port: Obj = isObj(svc.port) ? svc.port : {};
  if (port.name && port.number) errs.push(field.invalid(path, '', 'cannot set both port name & port number'));
  else if (port.name) errs.push(...isValidPortName(port.name).map((m) => field.invalid(`${path}.service.port.name`, port.name, m)));
  else if (port.number) errs.push(...isValidPortNum(port.number).map((m) => field.invalid(`${path}.service.port.number`, port.number, m)));
  else errs.push(field.required(path, 'port name or number is required'));
  return errs;
}

function validateHTTPPath(p: Obj, path: string): FieldError[] {
  if (!p.pathType) return [field.required(`${path}.pathType`, 'pathType must be specified')];
  const errs: FieldError[] = [];
  const value = String(p.path ?? '');
  if (p.pathType === 'Exact' || p.pathType === 'Prefix') {
    if (!value.startsWith('/')) errs.push(field.invalid(`${path}.path`, value, 'must be an absolute path'));
    if (value) {
      for (const seq of INVALID_PATH_SEQUENCES) if (value.includes(seq)) errs.push(field.invalid(`${path}.path`, value, `must not contain '${seq}'`));
      for (const suf of INVALID_PATH_SUFFIXES) if (value.endsWith(suf)) errs.push(field.invalid(`${path}.path`, value, `cannot end with '${suf}'`));
    }
  } else if (p.pathType === 'ImplementationSpecific') {
    if (value && !value.startsWith('/')) errs.push(field.invalid(`${path}.path`, value, 'must be an absolute path'));
  } else {
    errs.push(field.notSupported(`${path}.pathType`, p.pathType, PATH_TYPES));
  }
  errs.push(...validateBackend(isObj(p.backend) ? p.backend : {}, `${path}.backend`));
  return errs;
}

function validateHost(host: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (parseIP(host)) errs.push(field.invalid(path, host, 'must be a DNS name, not an IP address'));
  const msgs = host.includes('*') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host);
  errs.push(...msgs.map((m) => field.invalid(path, host, m)));
  return errs;
}

function validateIngress(obj: KObject): FieldError[] {
  const spec: Obj = isObj(obj.spec) ? obj.spec : {};
  const errs: FieldError[] = [];
  const rules = asArray(spec.rules);
  if (rules.length === 0 && !isObj(spec.defaultBackend)) {
    errs.push(field.invalid('spec', spec.rules ?? null, 'either `defaultBackend` or `rules` must be specified'));
  }
  if (isObj(spec.defaultBackend)) errs.push(...validateBackend(spec.defaultBackend, 'spec.defaultBackend'));
  rules.forEach((raw, i) => {
    const rule: Obj = isObj(raw) ? raw : {};
    const p = `spec.rules[${i}]`;
    if (rule.host) errs.push(...validateHost(String(rule.host), `${p}.host`));
    if (isObj(rule.http)) {
      const paths = asArray(rule.http.paths);
      if (paths.length === 0) errs.push(field.required(`${p}.http.paths`));
      paths.forEach((hp, j) => errs.push(...validateHTTPPath(isObj(hp) ? hp : {}, `${p}.http.paths[${j}]`)));
    }
  });
  asArray(spec.tls).forEach((t, i) => {
    asArray(isObj(t) ? t.hosts : undefined).forEach((h, j) => {
      const host = String(h);
      const msgs = host.includes('*') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host);
      errs.push(...msgs.map((m) => field.invalid(`spec.tls[${i}].hosts[${j}]`, host, m)));
    });
  });
  if (typeof spec.ingressClassName === 'string') {
    errs.push(...isDNS1123Subdomain(spec.ingressClassName).map((m) => field.invalid('spec.ingressClassName', spec.ingressClassName, m)));
  }
  return errs;
}

export const ingressStrategy: Strategy = makeStrategy({
  namespaced: true,
  prepareForCreate: (obj) => void (obj.status = { loadBalancer: {} }),
  validateSpec: validateIngress,
});

// ── IngressClass ────────────────────────────────────────────────────────────

function validateIngressClass(obj: KObject): FieldError[] {
  const spec: Obj = isObj(obj.spec) ? obj.spec : {};
  const errs: FieldError[] = [];
  const controller = String(spec.controller ?? '');
  if (controller.length > 250) errs.push(field.tooLong('spec.controller', 250));
  if (!controller) errs.push(field.required('spec.controller'));
  else {
    const slash = controller.indexOf('/');
    const host = controller.slice(0, slash);
    const rest = controller.slice(slash + 1);
    if (slash <= 0 || !rest) errs.push(field.invalid('spec.controller', controller, 'must be a domain-prefixed path (such as "acme.io/foo")'));
    else {
      errs.push(...isDNS1123Subdomain(host).map((m) => field.invalid('spec.controller', host, m)));
      if (!/^[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/.test(rest)) {
        errs.push(field.invalid('spec.controller', rest, "Invalid path (regex used for validation is '[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+')"));
      }
    }
  }
  if (isObj(spec.parameters)) {
    const p = spec.parameters;
    errs.push(...validateTypedRef(p, 'spec.parameters'));
    if (p.scope !== 'Cluster' && p.scope !== 'Namespace') errs.push(field.notSupported('spec.parameters.scope', p.scope ?? '', ['Cluster', 'Namespace']));
    if (p.scope === 'Namespace') {
      if (!p.namespace) errs.push(field.required('spec.parameters.namespace', '`parameters.scope` is set to "Namespace"'));
      else errs.push(...isDNS1123Label(p.namespace).map((m) => field.invalid('spec.parameters.namespace', p.namespace, m)));
    }
    if (p.scope === 'Cluster' && p.namespace) errs.push(field.forbidden('spec.parameters.namespace', '`parameters.scope` is set to "Cluster"'));
  }
  return errs;
}

export const ingressClassStrategy: Strategy = makeStrategy({
  namespaced: false,
  default(obj) {
    const params = obj.spec?.parameters;
    if (isObj(params) && !params.scope) params.scope = 'Cluster';
  },
  validateSpec: validateIngressClass,
  validateSpecUpdate: (obj, old) => validateImmutableField(obj.spec?.controller, old.spec?.controller, 'spec.controller'),
});

// ── NetworkPolicy ───────────────────────────────────────────────────────────

function validatePolicyPorts(ports: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  asArray(ports).forEach((raw, i) => {
    const p: Obj = isObj(raw) ? raw : {};
    const pp = `${path}[${i}]`;
    if (p.protocol && !PORT_PROTOCOLS.includes(p.protocol)) errs.push(field.notSupported(`${pp}.protocol`, p.protocol, PORT_PROTOCOLS));
    if (typeof p.port === 'number') {
      errs.push(...isValidPortNum(p.port).map((m) => field.invalid(`${pp}.port`, p.port, m)));
      if (typeof p.endPort === 'number') {
        if (p.endPort < p.port) errs.push(field.invalid(`${pp}.endPort`, p.endPort, 'must be greater than or equal to `port`'));
        errs.push(...isValidPortNum(p.endPort).map((m) => field.invalid(`${pp}.endPort`, p.endPort, m)));
      }
    } else if (typeof p.port === 'string') {
      if (p.endPort !== undefined && p.endPort !== null) errs.push(field.forbidden(`${pp}.endPort`, 'may not be specified when `port` is non-numeric'));
      errs.push(...isValidPortName(p.port).map((m) => field.invalid(`${pp}.port`, p.port, m)));
    } else if (p.endPort !== undefined && p.endPort !== null) {
      errs.push(field.forbidden(`${pp}.endPort`, 'may not be specified when `port` is not specified'));
    }
  });
  return errs;
}

function validatePeers(peers: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  asArray(peers).forEach((raw, i) => {
    const peer: Obj = isObj(raw) ? raw : {};
    const p = `${path}[${i}]`;
    let n = 0;
    if (isObj(peer.podSelector)) {
      n++;
      errs.push(...validateLabelSelector(peer.podSelector, `${p}.podSelector`));
    }
    if (isObj(peer.namespaceSelector)) {
      n++;
      errs.push(...validateLabelSelector(peer.namespaceSelector, `${p}.namespaceSelector`));
    }
    if (isObj(peer.ipBlock)) {
      n++;
      errs.push(...validateIPBlock(peer.ipBlock, `${p}.ipBlock`));
    }
    if (n === 0) errs.push(field.required(p, 'must specify a peer'));
    else if (isObj(peer.ipBlock) && n > 1) errs.push(field.forbidden(p, 'may not specify both ipBlock and another peer'));
  });
  return errs;
}

function validateIPBlock(b: Obj, path: string): FieldError[] {
  if (!b.cidr) return [field.required(`${path}.cidr`)];
  const errs = validateCIDR(`${path}.cidr`, String(b.cidr));
  asArray(b.except).forEach((e, i) => errs.push(...validateCIDR(`${path}.except[${i}]`, String(e))));
  return errs;
}

function validateNetworkPolicy(obj: KObject): FieldError[] {
  const spec: Obj = isObj(obj.spec) ? obj.spec : {};
  const errs = validateLabelSelector(spec.podSelector, 'spec.podSelector');
  asArray(spec.ingress).forEach((r, i) => {
    errs.push(...validatePolicyPorts(isObj(r) ? r.ports : undefined, `spec.ingress[${i}].ports`));
    errs.push(...validatePeers(isObj(r) ? r.from : undefined, `spec.ingress[${i}].from`));
  });
  asArray(spec.egress).forEach((r, i) => {
    errs.push(...validatePolicyPorts(isObj(r) ? r.ports : undefined, `spec.egress[${i}].ports`));
    errs.push(...validatePeers(isObj(r) ? r.to : undefined, `spec.egress[${i}].to`));
  });
  const types = asArray(spec.policyTypes);
  types.forEach((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress') errs.push(field.notSupported(`spec.policyTypes[${i}]`, t, ['Ingress', 'Egress']));
  });
  if (types.length > 2) errs.push(field.invalid('spec.policyTypes', types, 'may not specify more than two policyTypes'));
  return errs;
}

export const networkPolicyStrategy: Strategy = makeStrategy({
  namespaced: true,
  default(obj) {
    const spec = specOf(obj);
    for (const r of [...asArray(spec.ingress), ...asArray(spec.egress)]) {
      for (const p of asArray(isObj(r) ? r.ports : undefined)) if (isObj(p) && !p.protocol) p.protocol = 'TCP';
    }
    if (asArray(spec.policyTypes).length === 0) spec.policyTypes = asArray(spec.egress).length ? ['Ingress', 'Egress'] : ['Ingress'];
  },
  validateSpec: validateNetworkPolicy,
});
