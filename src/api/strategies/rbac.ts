// rbac.authorization.k8s.io/v1: Roles, ClusterRoles and their bindings. Names are free-form
// (safe as a path segment); rules need verbs and, for resources, groups and resources; a binding's
// roleRef never changes.
import type { FieldError } from '../errors.js';
import { field } from '../errors.js';
import { asArray, goStructJSON, isObj, type Obj } from '../validation/field.js';
import { validateLabelSelector } from '../validation/label-selector.js';
import { isDNS1123Subdomain, isValidPathSegmentName } from '../validation/names.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/object-meta.js';
import { makeStrategy } from './strategy.js';
import type { KObject, Strategy } from './types.js';

const GROUP = 'rbac.authorization.k8s.io';

export function validatePolicyRule(rule: Obj, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (asArray(rule.verbs).length === 0) errs.push(field.required(`${path}.verbs`, 'verbs must contain at least one value'));
  const urls = asArray(rule.nonResourceURLs);
  if (urls.length > 0) {
    if (namespaced) errs.push(field.invalid(`${path}.nonResourceURLs`, urls, 'namespaced rules cannot apply to non-resource URLs'));
    if (asArray(rule.apiGroups).length || asArray(rule.resources).length || asArray(rule.resourceNames).length) {
      errs.push(field.invalid(`${path}.nonResourceURLs`, urls, 'rules cannot apply to both regular resources and non-resource URLs'));
    }
    return errs;
  }
  if (asArray(rule.apiGroups).length === 0) errs.push(field.required(`${path}.apiGroups`, 'resource rules must supply at least one api group'));
  if (asArray(rule.resources).length === 0) errs.push(field.required(`${path}.resources`, 'resource rules must supply at least one resource'));
  return errs;
}

function validateRules(obj: KObject, namespaced: boolean): FieldError[] {
  return asArray(obj.rules).flatMap((r, i) => validatePolicyRule(isObj(r) ? r : {}, namespaced, `rules[${i}]`));
}

function validateAggregationRule(obj: KObject): FieldError[] {
  if (!isObj(obj.aggregationRule)) return [];
  const selectors = asArray(obj.aggregationRule.clusterRoleSelectors);
  if (selectors.length === 0) {
    return [field.required('aggregationRule.clusterRoleSelectors', 'at least one clusterRoleSelector required if aggregationRule is non-nil')];
  }
  return selectors.flatMap((s, i) => validateLabelSelector(s, `aggregationRule.clusterRoleSelectors[${i}]`));
}

function validateSubject(s: Obj, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!s.name) errs.push(field.required(`${path}.name`));
  const apiGroup = typeof s.apiGroup === 'string' ? s.apiGroup : '';
  switch (s.kind) {
    case 'ServiceAccount':
      if (s.name) errs.push(...isDNS1123Subdomain(s.name).map((m) => field.invalid(`${path}.name`, s.name, m)));
      if (apiGroup) errs.push(field.notSupported(`${path}.apiGroup`, apiGroup, ['']));
      if (!namespaced && !s.namespace) errs.push(field.required(`${path}.namespace`));
      break;
    case 'User':
    case 'Group':
      if (apiGroup !== GROUP) errs.push(field.notSupported(`${path}.apiGroup`, apiGroup, [GROUP]));
      break;
    default:
      errs.push(field.notSupported(`${path}.kind`, s.kind ?? '', ['ServiceAccount', 'User', 'Group']));
  }
  return errs;
}

function validateBinding(obj: KObject, namespaced: boolean): FieldError[] {
  const ref: Obj = isObj(obj.roleRef) ? obj.roleRef : {};
  const errs: FieldError[] = [];
  if (ref.apiGroup !== GROUP) errs.push(field.notSupported('roleRef.apiGroup', ref.apiGroup ?? '', [GROUP]));
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(ref.kind)) errs.push(field.notSupported('roleRef.kind', ref.kind ?? '', kinds));
  if (!ref.name) errs.push(field.required('roleRef.name'));
  else errs.push(...isValidPathSegmentName(ref.name).map((m) => field.invalid('roleRef.name', ref.name, m)));
  asArray(obj.subjects).forEach((s, i) => errs.push(...validateSubject(isObj(s) ? s : {}, namespaced, `subjects[${i}]`)));
  return errs;
}

/** SetDefaults_Subject and the roleRef group default. */
function defaultBinding(obj: KObject): void {
  if (isObj(obj.roleRef) && !obj.roleRef.apiGroup) obj.roleRef.apiGroup = GROUP;
  for (const s of asArray(obj.subjects)) {
    if (!isObj(s) || s.apiGroup) continue;
    if (s.kind === 'User' || s.kind === 'Group') s.apiGroup = GROUP;
    else if (s.kind === 'ServiceAccount') s.apiGroup = '';
  }
}

function roleRefUnchanged(obj: KObject, old: KObject): FieldError[] {
  const n: Obj = isObj(obj.roleRef) ? obj.roleRef : {};
  const o: Obj = isObj(old.roleRef) ? old.roleRef : {};
  if ((n.apiGroup ?? '') === (o.apiGroup ?? '') && (n.kind ?? '') === (o.kind ?? '') && (n.name ?? '') === (o.name ?? '')) return [];
  return [field.invalid('roleRef', goStructJSON([['APIGroup', n.apiGroup ?? ''], ['Kind', n.kind ?? ''], ['Name', n.name ?? '']]), 'cannot change roleRef')];
}

const metaOpts = (namespaced: boolean) => ({ namespaced, nameRule: 'path-segment' as const });

export const roleStrategy: Strategy = makeStrategy({ namespaced: true, nameRule: 'path-segment', validateSpec: (obj) => validateRules(obj, true) });

export const clusterRoleStrategy: Strategy = makeStrategy({
  namespaced: false,
  nameRule: 'path-segment',
  validateSpec: (obj) => [...validateRules(obj, false), ...validateAggregationRule(obj)],
});

function bindingStrategy(namespaced: boolean): Strategy {
  return makeStrategy({
    namespaced,
    nameRule: 'path-segment',
    default: defaultBinding,
    validateSpec: (obj) => validateBinding(obj, namespaced),
    // Upstream: the binding as on create, then metadata update rules, then the roleRef.
    validateUpdate: (obj, old) => [
      ...validateObjectMeta(obj.metadata, metaOpts(namespaced)),
      ...validateBinding(obj, namespaced),
      ...validateObjectMetaUpdate(obj.metadata, old.metadata),
      ...roleRefUnchanged(obj, old),
    ],
  });
}

export const roleBindingStrategy: Strategy = bindingStrategy(true);
export const clusterRoleBindingStrategy: Strategy = bindingStrategy(false);
