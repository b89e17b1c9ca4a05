// Authorization is an interface so RBAC (a later issue) can fill it; for now every
// authenticated user is allowed, as the foundation issue asks.
import type { UserInfo } from '../http/types.js';

export interface AuthorizationAttributes {
  user: UserInfo;
  verb: string;
  isResourceRequest: boolean;
  path: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
}

export type Decision = 'allow' | 'deny' | 'noOpinion';

export interface ResourceRule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames?: string[];
}

export interface NonResourceRule {
  verbs: string[];
  nonResourceURLs: string[];
}

export interface Authorizer {
  authorize(a: AuthorizationAttributes): Promise<{ decision: Decision; reason: string }>;
  /** The rules a user has in a namespace (SelfSubjectRulesReview). */
  rulesFor(user: UserInfo, namespace: string): Promise<{ resourceRules: ResourceRule[]; nonResourceRules: NonResourceRule[]; incomplete: boolean }>;
}

/** Allows every authenticated user everything. */
export class AllowAuthenticatedAuthorizer implements Authorizer {
  async authorize(a: AuthorizationAttributes): Promise<{ decision: Decision; reason: string }> {
    const anonymous = a.user.name === 'system:anonymous';
    return anonymous ? { decision: 'noOpinion', reason: '' } : { decision: 'allow', reason: 'authenticated users are allowed everything' };
  }

  async rulesFor(user: UserInfo): Promise<{ resourceRules: ResourceRule[]; nonResourceRules: NonResourceRule[]; incomplete: boolean }> {
    if (user.name === 'system:anonymous') return { resourceRules: [], nonResourceRules: [], incomplete: false };
    return {
      resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
      nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
      incomplete: false,
    };
  }
}
