// Endpoints (core/v1) and EndpointSlices (discovery.k8s.io/v1): port defaults, address checks
// (valid, not unspecified or link-local — loopback is allowed, unlike upstream, because a
// single-node k8ts serves on 127.0.0.1), port names, and EndpointSlice's immutable addressType.
import type { FieldError } from '../errors.js';
import { field } from '../errors.js';
import { asArray, isObj, validateImmutableField, type Obj } from '../validation/field.js';
import { isIPv6String, parseIP, validateIP, validateNonSpecialIP } from '../validation/ip.js';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidPortNum } from '../validation/names.js';
import { validateLabelName } from '../validation/object-meta.js';
import { PORT_PROTOCOLS } from '../validation/containers.js';
import { makeStrategy } from './strategy.js';
import type { KObject, Strategy } from './types.js';

function validateEndpointAddress(a: Obj, path: string): FieldError[] {
  const ip = String(a.ip ?? '');
  const errs = validateIP(`${path}.ip`, ip);
  if (a.hostname) errs.push(...isDNS1123Label(a.hostname).map((m) => field.invalid(`${path}.hostname`, a.hostname, m)));
  if (typeof a.nodeName === 'string') errs.push(...isDNS1123Subdomain(a.nodeName).map((m) => field.invalid(`${path}.nodeName`, a.nodeName, m)));
  errs.push(...validateNonSpecialIP(`${path}.ip`, ip, { allowLoopback: true }));
  return errs;
}

function validatePort(p: Obj, requireName: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (requireName && !p.name) errs.push(field.required(`${path}.name`));
  else if (p.name) errs.push(...isDNS1123Label(p.name).map((m) => field.invalid(`${path}.name`, p.name, m)));
  errs.push(...isValidPortNum(p.port ?? 0).map((m) => field.invalid(`${path}.port`, p.port ?? 0, m)));
  if (!p.protocol) errs.push(field.required(`${path}.protocol`));
  else if (!PORT_PROTOCOLS.includes(p.protocol)) errs.push(field.notSupported(`${path}.protocol`, p.protocol, PORT_PROTOCOLS));
  if (typeof p.appProtocol === 'string') errs.push(...isQualifiedName(p.appProtocol).map((m) => field.invalid(`${path}.appProtocol`, p.appProtocol, m)));
  return errs;
}

function validateSubsets(obj: KObject): FieldError[] {
  const errs: FieldError[] = [];
  asArray(obj.subsets).forEach((raw, i) => {
    const ss: Obj = isObj(raw) ? raw : {};
    const p = `subsets[${i}]`;
    if (asArray(ss.addresses).length === 0 && asArray(ss.notReadyAddresses).length === 0) {
      errs.push(field.required(p, 'must specify `addresses` or `notReadyAddresses`'));
    }
    asArray(ss.addresses).forEach((a, j) => errs.push(...validateEndpointAddress(isObj(a) ? a : {}, `${p}.addresses[${j}]`)));
    asArray(ss.notReadyAddresses).forEach((a, j) => errs.push(...validateEndpointAddress(isObj(a) ? a : {}, `${p}.notReadyAddresses[${j}]`)));
    const ports = asArray(ss.ports);
    ports.forEach((port, j) => errs.push(...validatePort(isObj(port) ? port : {}, ports.length > 1, `${p}.ports[${j}]`)));
  });
  return errs;
}

export const endpointsStrategy: Strategy = makeStrategy({
  namespaced: true,
  default(obj) {
    for (const ss of asArray(obj.subsets)) for (const p of asArray(isObj(ss) ? ss.ports : undefined)) if (isObj(p) && !p.protocol) p.protocol = 'TCP';
  },
  validateSpec: validateSubsets,
});

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
const MAX_ENDPOINTS = 1000;
const MAX_ADDRESSES = 100;
const MAX_PORTS = 100;

function validateSliceAddress(addr: string, type: string, path: string): FieldError[] {
  if (type === 'IPv4' || type === 'IPv6') {
    const errs = validateIP(path, addr);
    if (errs.length) return errs;
    const ip = parseIP(addr)!;
    if (type === 'IPv4' && ip.bytes.length !== 4) return [field.invalid(path, addr, 'must be an IPv4 address')];
    if (type === 'IPv6' && !isIPv6String(addr)) return [field.invalid(path, addr, 'must be an IPv6 address')];
    return validateNonSpecialIP(path, addr, { allowLoopback: true });
  }
  if (type === 'FQDN') return isDNS1123Subdomain(addr).map((m) => field.invalid(path, addr, m));
  return [];
}

function validateEndpointSlice(obj: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const type = obj.addressType;
  if (!type) errs.push(field.required('addressType'));
  else if (!ADDRESS_TYPES.includes(type)) errs.push(field.notSupported('addressType', type, ADDRESS_TYPES));
  const endpoints = asArray(obj.endpoints);
  if (endpoints.length > MAX_ENDPOINTS) errs.push(field.tooMany('endpoints', endpoints.length, MAX_ENDPOINTS));
  endpoints.forEach((raw, i) => {
    const ep: Obj = isObj(raw) ? raw : {};
    const p = `endpoints[${i}]`;
    const addrs = asArray(ep.addresses);
    if (addrs.length === 0) errs.push(field.required(`${p}.addresses`, 'must contain at least 1 address'));
    else if (addrs.length > MAX_ADDRESSES) errs.push(field.tooMany(`${p}.addresses`, addrs.length, MAX_ADDRESSES));
    addrs.forEach((a, j) => errs.push(...validateSliceAddress(String(a), String(type ?? ''), `${p}.addresses[${j}]`)));
    if (typeof ep.hostname === 'string') errs.push(...isDNS1123Label(ep.hostname).map((m) => field.invalid(`${p}.hostname`, ep.hostname, m)));
    if (typeof ep.nodeName === 'string') errs.push(...isDNS1123Subdomain(ep.nodeName).map((m) => field.invalid(`${p}.nodeName`, ep.nodeName, m)));
    if (isObj(ep.deprecatedTopology)) {
      for (const k of Object.keys(ep.deprecatedTopology).sort()) errs.push(...validateLabelName(k, `${p}.deprecatedTopology`));
    }
  });
  const ports = asArray(obj.ports);
  if (ports.length > MAX_PORTS) errs.push(field.tooMany('ports', ports.length, MAX_PORTS));
  const names = new Set<string>();
  ports.forEach((raw, i) => {
    const port: Obj = isObj(raw) ? raw : {};
    const p = `ports[${i}]`;
    const name = typeof port.name === 'string' ? port.name : '';
    if (name) errs.push(...isDNS1123Label(name).map((m) => field.invalid(`${p}.name`, name, m)));
    if (names.has(name)) errs.push(field.duplicate(`${p}.name`, name));
    names.add(name);
    if (!port.protocol) errs.push(field.required(`${p}.protocol`));
    else if (!PORT_PROTOCOLS.includes(port.protocol)) errs.push(field.notSupported(`${p}.protocol`, port.protocol, PORT_PROTOCOLS));
    if (typeof port.port === 'number') errs.push(...isValidPortNum(port.port).map((m) => field.invalid(`${p}.port`, port.port, m)));
    if (typeof port.appProtocol === 'string') errs.push(...isQualifiedName(port.appProtocol).map((m) => field.invalid(`${p}.appProtocol`, port.appProtocol, m)));
  });
  return errs;
}

export const endpointSliceStrategy: Strategy = makeStrategy({
  namespaced: true,
  default(obj) {
    for (const p of asArray(obj.ports)) {
      if (!isObj(p)) continue;
      p.name ??= '';
      p.protocol ??= 'TCP';
    }
  },
  validateSpec: validateEndpointSlice,
  validateSpecUpdate: (obj, old) => validateImmutableField(obj.addressType, old.addressType, 'addressType'),
});
