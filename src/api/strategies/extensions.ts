// API extension and admin kinds, kept light: CustomResourceDefinitions (names, scope, versions,
// one storage version), admission webhook configurations (defaults, names, client config, rules)
// and CertificateSigningRequests (signer, PEM request, usages).
import type { FieldError } from '../errors.js';
import { field } from '../errors.js';
import { asArray, isObj, validateImmutableField, type Obj } from '../validation/field.js';
import { fullyQualifiedNameErrors, isDNS1035Label, isDNS1123Label, isDNS1123Subdomain } from '../validation/names.js';
import { validateLabelSelector } from '../validation/label-selector.js';
import { clone, makeStrategy, specOf } from './strategy.js';
import type { KObject, Strategy } from './types.js';

// ── CustomResourceDefinition ────────────────────────────────────────────────

function storageVersion(obj: KObject): string | undefined {
  return asArray(obj.spec?.versions).find((v) => isObj(v) && v.storage === true)?.name;
}

function validateCRD(obj: KObject): FieldError[] {
  const spec: Obj = isObj(obj.spec) ? obj.spec : {};
  const names: Obj = isObj(spec.names) ? spec.names : {};
  const errs: FieldError[] = [];
  const name = String(obj.metadata?.name ?? '');
  if (name !== `${names.plural ?? ''}.${spec.group ?? ''}`) errs.push(field.invalid('metadata.name', name, 'must be spec.names.plural+"."+spec.group'));
  const group = String(spec.group ?? '');
  if (!group) errs.push(field.required('spec.group'));
  else {
    errs.push(...isDNS1123Subdomain(group).map((m) => field.invalid('spec.group', group, m)));
    if (group.split('.').length < 2) errs.push(field.invalid('spec.group', group, 'should be a domain with at least one dot'));
  }
  if (!spec.scope) errs.push(field.required('spec.scope'));
  else if (spec.scope !== 'Cluster' && spec.scope !== 'Namespaced') errs.push(field.notSupported('spec.scope', spec.scope, ['Cluster', 'Namespaced']));
  const versions = asArray(spec.versions);
  if (versions.length === 0) errs.push(field.invalid('spec.versions', null, 'must have exactly one version marked as storage version'));
  const seen = new Set<string>();
  let storage = 0;
  versions.forEach((raw, i) => {
    const v: Obj = isObj(raw) ? raw : {};
    const p = `spec.versions[${i}]`;
    const vn = String(v.name ?? '');
    if (!vn) errs.push(field.required(`${p}.name`));
    else errs.push(...isDNS1035Label(vn).map((m) => field.invalid(`${p}.name`, vn, m)));
    if (seen.has(vn)) errs.push(field.invalid(`${p}.name`, vn, 'must be unique'));
    seen.add(vn);
    if (v.storage === true) storage++;
    if (!isObj(v.schema) || !isObj(v.schema.openAPIV3Schema)) errs.push(field.required(`${p}.schema.openAPIV3Schema`, 'schemas are required'));
  });
  if (versions.length && storage !== 1) errs.push(field.invalid('spec.versions', versions, 'must have exactly one version marked as storage version'));
  const label = (key: string) => {
    const v = names[key];
    if (typeof v === 'string' && v) errs.push(...isDNS1123Label(v).map((m) => field.invalid(`spec.names.${key}`, v, m)));
  };
  if (!names.plural) errs.push(field.required('spec.names.plural'));
  label('plural');
  label('singular');
  if (!names.kind) errs.push(field.required('spec.names.kind'));
  else {
    const msgs = isDNS1035Label(String(names.kind).toLowerCase());
    if (msgs.length) errs.push(field.invalid('spec.names.kind', names.kind, `may have mixed case, but should otherwise match: ${msgs.join(',')}`));
  }
  if (!names.listKind) errs.push(field.required('spec.names.listKind'));
  asArray(names.shortNames).forEach((s, i) => errs.push(...isDNS1123Label(String(s)).map((m) => field.invalid(`spec.names.shortNames[${i}]`, s, m))));
  const conv = spec.conversion;
  if (isObj(conv) && conv.strategy !== 'None' && conv.strategy !== 'Webhook') errs.push(field.notSupported('spec.conversion.strategy', conv.strategy ?? '', ['None', 'Webhook']));
  if (isObj(conv) && conv.strategy === 'Webhook' && !isObj(conv.webhook)) errs.push(field.required('spec.conversion.webhook', 'required when strategy is set to Webhook'));
  return errs;
}

export const customResourceDefinitionStrategy: Strategy = makeStrategy({
  namespaced: false,
  kubeFinalizers: false,
  default(obj) {
    const spec = specOf(obj);
    const names: Obj = isObj(spec.names) ? spec.names : (spec.names = {});
    if (!names.singular && names.kind) names.singular = String(names.kind).toLowerCase();
    if (!names.listKind && names.kind) names.listKind = `${names.kind}List`;
    if (!isObj(spec.conversion)) spec.conversion = { strategy: 'None' };
    const svc = spec.conversion.webhook?.clientConfig?.service;
    if (isObj(svc)) svc.port ??= 443;
  },
  prepareForCreate(obj) {
    const v = storageVersion(obj);
    obj.status = { acceptedNames: { kind: '', plural: '' }, storedVersions: v ? [v] : [] };
  },
  prepareForUpdate(obj, old) {
    const v = storageVersion(obj);
    const stored = asArray(old.status?.storedVersions);
    if (v && !stored.includes(v) && isObj(obj.status)) obj.status.storedVersions = [...stored, v];
  },
  validateSpec: validateCRD,
  validateSpecUpdate: (obj, old) => [
    ...validateImmutableField(obj.spec?.group, old.spec?.group, 'spec.group'),
    ...validateImmutableField(obj.spec?.scope, old.spec?.scope, 'spec.scope'),
  ],
});

// ── Admission webhook configurations ────────────────────────────────────────

function defaultWebhooks(obj: KObject, mutating: boolean): void {
  for (const w of asArray(obj.webhooks)) {
    if (!isObj(w)) continue;
    w.failurePolicy ??= 'Fail';
    w.matchPolicy ??= 'Equivalent';
    if (!isObj(w.namespaceSelector)) w.namespaceSelector = {};
    if (!isObj(w.objectSelector)) w.objectSelector = {};
    w.timeoutSeconds ??= 10;
    if (mutating) w.reinvocationPolicy ??= 'Never';
    for (const r of asArray(w.rules)) if (isObj(r)) r.scope ??= '*';
    if (isObj(w.clientConfig?.service)) w.clientConfig.service.port ??= 443;
  }
}

function validateWebhooks(obj: KObject, mutating: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  asArray(obj.webhooks).forEach((raw, i) => {
    const w: Obj = isObj(raw) ? raw : {};
    const p = `webhooks[${i}]`;
    const name = String(w.name ?? '');
    if (!name) errs.push(field.required(`${p}.name`));
    else errs.push(...fullyQualifiedNameErrors(name).map((m) => field.invalid(`${p}.name`, name, m)));
    if (names.has(name)) errs.push(field.duplicate(`${p}.name`, name));
    names.add(name);
    const versions = asArray(w.admissionReviewVersions);
    if (versions.length === 0) errs.push(field.required(`${p}.admissionReviewVersions`, 'must specify one of v1, v1beta1'));
    else if (!versions.some((v) => v === 'v1' || v === 'v1beta1')) {
      errs.push(field.invalid(`${p}.admissionReviewVersions`, versions, 'must include at least one of v1, v1beta1'));
    }
    if (!w.sideEffects) errs.push(field.required(`${p}.sideEffects`, 'must specify one of None, NoneOnDryRun'));
    else if (!['None', 'NoneOnDryRun'].includes(w.sideEffects)) errs.push(field.notSupported(`${p}.sideEffects`, w.sideEffects, ['None', 'NoneOnDryRun']));
    if (typeof w.timeoutSeconds === 'number' && (w.timeoutSeconds < 1 || w.timeoutSeconds > 30)) {
      errs.push(field.invalid(`${p}.timeoutSeconds`, w.timeoutSeconds, 'the timeout value must be between 1 and 30 seconds'));
    }
    if (w.failurePolicy && !['Fail', 'Ignore'].includes(w.failurePolicy)) errs.push(field.notSupported(`${p}.failurePolicy`, w.failurePolicy, ['Fail', 'Ignore']));
    if (w.matchPolicy && !['Equivalent', 'Exact'].includes(w.matchPolicy)) errs.push(field.notSupported(`${p}.matchPolicy`, w.matchPolicy, ['Equivalent', 'Exact']));
    if (mutating && w.reinvocationPolicy && !['IfNeeded', 'Never'].includes(w.reinvocationPolicy)) {
      errs.push(field.notSupported(`${p}.reinvocationPolicy`, w.reinvocationPolicy, ['IfNeeded', 'Never']));
    }
    errs.push(...validateLabelSelector(w.namespaceSelector, `${p}.namespaceSelector`), ...validateLabelSelector(w.objectSelector, `${p}.objectSelector`));
    const cc: Obj = isObj(w.clientConfig) ? w.clientConfig : {};
    const hasURL = typeof cc.url === 'string';
    const hasSvc = isObj(cc.service);
    if (hasURL === hasSvc) errs.push(field.required(`${p}.clientConfig`, 'exactly one of url or service is required'));
    else if (hasURL && !String(cc.url).startsWith('https://')) errs.push(field.invalid(`${p}.clientConfig.url`, cc.url, "'https' is the only allowed URL scheme"));
    else if (hasSvc) {
      if (!cc.service.name) errs.push(field.required(`${p}.clientConfig.service.name`, 'service name is required'));
      if (!cc.service.namespace) errs.push(field.required(`${p}.clientConfig.service.namespace`, 'service namespace is required'));
    }
    asArray(w.rules).forEach((r, j) => {
      const rule: Obj = isObj(r) ? r : {};
      const rp = `${p}.rules[${j}]`;
      for (const k of ['operations', 'apiGroups', 'apiVersions', 'resources']) if (asArray(rule[k]).length === 0) errs.push(field.required(`${rp}.${k}`));
      if (rule.scope && !['*', 'Cluster', 'Namespaced'].includes(rule.scope)) errs.push(field.notSupported(`${rp}.scope`, rule.scope, ['*', 'Cluster', 'Namespaced']));
    });
  });
  return errs;
}

export const validatingWebhookConfigurationStrategy: Strategy = makeStrategy({
  namespaced: false,
  default: (obj) => defaultWebhooks(obj, false),
  validateSpec: (obj) => validateWebhooks(obj, false),
});

export const mutatingWebhookConfigurationStrategy: Strategy = makeStrategy({
  namespaced: false,
  default: (obj) => defaultWebhooks(obj, true),
  validateSpec: (obj) => validateWebhooks(obj, true),
});

// ── CertificateSigningRequest ───────────────────────────────────────────────

const KEY_USAGES = [
  'signing', 'digital signature', 'content commitment', 'key encipherment', 'key agreement', 'data encipherment', 'cert sign',
  'crl sign', 'encipher only', 'decipher only', 'any', 'server auth', 'client auth', 'code signing', 'email protection', 's/mime',
  'ipsec end system', 'ipsec tunnel', 'ipsec user', 'timestamping', 'ocsp signing', 'microsoft sgc', 'netscape sgc',
];

function validateCSR(obj: KObject): FieldError[] {
  const spec: Obj = isObj(obj.spec) ? obj.spec : {};
  const errs: FieldError[] = [];
  const pem = Buffer.from(String(spec.request ?? ''), 'base64').toString('utf8');
  if (!pem.includes('-----BEGIN CERTIFICATE REQUEST-----')) {
    errs.push(field.invalid('spec.request', spec.request ?? null, 'PEM block type must be CERTIFICATE REQUEST'));
  }
  const signer = String(spec.signerName ?? '');
  if (!signer) errs.push(field.required('spec.signerName'));
  else {
    const [domain] = signer.split('/');
    if (!signer.includes('/')) errs.push(field.invalid('spec.signerName', signer, 'must be a fully qualified domain and path of the form \'example.com/signer-name\''));
    else errs.push(...isDNS1123Subdomain(domain!).map((m) => field.invalid('spec.signerName', signer, m)));
  }
  const usages = asArray(spec.usages);
  if (usages.length === 0) errs.push(field.required('spec.usages'));
  const seen = new Set<string>();
  usages.forEach((u, i) => {
    if (!KEY_USAGES.includes(u)) errs.push(field.notSupported(`spec.usages[${i}]`, u, KEY_USAGES));
    if (seen.has(u)) errs.push(field.duplicate(`spec.usages[${i}]`, u));
    seen.add(u);
  });
  if (typeof spec.expirationSeconds === 'number' && spec.expirationSeconds < 600) {
    errs.push(field.invalid('spec.expirationSeconds', spec.expirationSeconds, 'may not specify a duration less than 600 seconds (10 minutes)'));
  }
  return errs;
}

export const certificateSigningRequestStrategy: Strategy = makeStrategy({
  namespaced: false,
  nameRule: 'any',
  prepareForCreate: (obj) => void (obj.status = {}),
  prepareForUpdate(obj, old) {
    obj.spec = clone(old.spec);
  },
  validateSpec: validateCSR,
});

