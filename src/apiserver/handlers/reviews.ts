// Review resources answered at once from the authenticator and authorizer, never stored:
// SelfSubjectAccessReview (`kubectl auth can-i`), SelfSubjectRulesReview (`can-i --list`),
// SubjectAccessReview, LocalSubjectAccessReview, SelfSubjectReview (`kubectl auth whoami`),
// TokenReview.
import type { KObject } from '../../api/strategies/types.js';
import { errors, field } from '../../api/errors.js';
import { apiVersionOf } from '../../api/registry/registry.js';
import type { UserInfo } from '../http/types.js';
import { readBody } from '../http/body.js';
import { writeJson } from '../http/respond.js';
import { parseBody, checkDecoded } from './decode.js';
import { writeOptions, type Scope } from './scope.js';

type Review = (scope: Scope, obj: KObject) => Promise<KObject['status']>;

const REVIEWS: Record<string, Review> = {
  SelfSubjectAccessReview: (scope, obj) => accessReview(scope, scope.user, obj.spec),
  SubjectAccessReview: (scope, obj) => accessReview(scope, subjectOf(obj.spec), obj.spec),
  LocalSubjectAccessReview: async (scope, obj) => {
    const ns = obj.spec?.resourceAttributes?.namespace;
    if (ns !== undefined && ns !== scope.info.namespace) {
      throw errors.badRequest(`spec.resourceAttributes.namespace must match the namespace of the request (${scope.info.namespace})`);
    }
    return accessReview(scope, subjectOf(obj.spec), { ...obj.spec, resourceAttributes: { ...obj.spec?.resourceAttributes, namespace: scope.info.namespace } });
  },
  SelfSubjectRulesReview: async (scope, obj) => {
    const ns = obj.spec?.namespace ?? '';
    const rules = await scope.ctx.authorizer.rulesFor(scope.user, ns);
    return { resourceRules: rules.resourceRules, nonResourceRules: rules.nonResourceRules, incomplete: rules.incomplete };
  },
  SelfSubjectReview: async (scope) => ({ userInfo: { username: scope.user.name, ...(scope.user.uid ? { uid: scope.user.uid } : {}), groups: scope.user.groups, ...(scope.user.extra ? { extra: scope.user.extra } : {}) } }),
  TokenReview: async () => ({ authenticated: false, user: {}, error: 'token authentication is not enabled on this server; clients authenticate with x509 certificates' }),
};

function subjectOf(spec: KObject['spec']): UserInfo {
  if (!spec?.user && !spec?.groups?.length) {
    throw errors.invalid('authorization.k8s.io', 'SubjectAccessReview', '', [field.invalid('spec.user', spec?.user ?? '', 'at least one of user or group must be specified')]);
  }
  return { name: spec.user ?? '', uid: spec.uid, groups: spec.groups ?? [], extra: spec.extra };
}

async function accessReview(scope: Scope, user: UserInfo, spec: KObject['spec']): Promise<KObject['status']> {
  const ra = spec?.resourceAttributes;
  const nra = spec?.nonResourceAttributes;
  if (!!ra === !!nra) throw errors.badRequest('exactly one of spec.resourceAttributes and spec.nonResourceAttributes must be set');
  const d = await scope.ctx.authorizer.authorize({
    user,
    verb: (ra ?? nra).verb ?? '',
    isResourceRequest: !!ra,
    path: nra?.path ?? '',
    apiGroup: ra?.group ?? '',
    apiVersion: ra?.version ?? '',
    namespace: ra?.namespace ?? '',
    resource: ra?.resource ?? '',
    subresource: ra?.subresource ?? '',
    name: ra?.name ?? '',
  });
  const status: Record<string, unknown> = { allowed: d.decision === 'allow' };
  if (d.decision === 'deny') status.denied = true;
  if (d.reason) status.reason = d.reason;
  return status;
}

export function isReview(kind: string): boolean {
  return kind in REVIEWS;
}

export async function handleReview(scope: Scope): Promise<void> {
  const r = scope.resource;
  if (scope.info.verb !== 'create') throw errors.methodNotSupported(r.group, r.resource, scope.info.verb);
  const opts = writeOptions(scope.query);
  const body = await readBody(scope.req);
  const { obj, duplicates } = parseBody(scope, body);
  const review = checkDecoded(scope, obj, duplicates, opts);
  review.status = await REVIEWS[r.kind](scope, review);
  review.apiVersion = apiVersionOf(r.group, r.version);
  review.kind = r.kind;
  review.metadata = { ...(review.metadata ?? {}), creationTimestamp: null };
  writeJson(scope.req, scope.res, 201, review);
}
