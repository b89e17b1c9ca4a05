import { describe, it, expect } from 'vitest';
import { parseRequestInfo } from './request-info.js';

const q = (s = '') => new URLSearchParams(s);

describe('parseRequestInfo', () => {
  const cases: [string, string, string, Partial<ReturnType<typeof parseRequestInfo>>][] = [
    ['GET', '/api/v1/namespaces/default/pods', '', { verb: 'list', resource: 'pods', namespace: 'default', group: '', version: 'v1' }],
    ['GET', '/api/v1/namespaces/default/pods/p1', '', { verb: 'get', resource: 'pods', name: 'p1' }],
    ['GET', '/api/v1/pods', 'watch=true', { verb: 'watch', resource: 'pods', namespace: '' }],
    ['GET', '/api/v1/watch/namespaces/ns/pods', '', { verb: 'watch', resource: 'pods', namespace: 'ns' }],
    ['PUT', '/api/v1/namespaces/ns/pods/p/status', '', { verb: 'update', subresource: 'status', name: 'p' }],
    ['DELETE', '/apis/apps/v1/namespaces/ns/deployments', '', { verb: 'deletecollection', group: 'apps', resource: 'deployments' }],
    ['GET', '/api/v1/namespaces/kube-system', '', { verb: 'get', resource: 'namespaces', name: 'kube-system', namespace: 'kube-system' }],
    ['PUT', '/api/v1/namespaces/x/finalize', '', { verb: 'update', resource: 'namespaces', name: 'x', subresource: 'finalize' }],
    ['GET', '/api/v1/namespaces', '', { verb: 'list', resource: 'namespaces', name: '' }],
    ['POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', '', { verb: 'create', resource: 'selfsubjectaccessreviews' }],
    ['PATCH', '/apis/apps/v1/namespaces/ns/deployments/d/scale', '', { verb: 'patch', subresource: 'scale' }],
  ];
  for (const [m, p, query, want] of cases) {
    it(`${m} ${p}?${query}`, () => {
      const got = parseRequestInfo(m, p, q(query));
      expect(got.isResourceRequest).toBe(true);
      expect(got).toMatchObject(want);
    });
  }
  it('discovery paths are not resource requests', () => {
    for (const p of ['/api', '/apis', '/api/v1', '/apis/apps', '/apis/apps/v1', '/version', '/openapi/v3']) {
      expect(parseRequestInfo('GET', p, q()).isResourceRequest).toBe(false);
    }
  });
});
