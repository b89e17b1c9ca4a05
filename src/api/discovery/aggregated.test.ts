import { describe, expect, it } from 'vitest';
import { loadSchema } from '../schema/index.js';
import { Registry } from '../registry/index.js';
import { AGGREGATED_DISCOVERY_CONTENT_TYPE, aggregatedDiscovery, wantsAggregatedDiscovery } from './aggregated.js';
import type { APIGroupDiscoveryList, APIResourceDiscovery } from './types.js';

const registry = new Registry(loadSchema());
const core = aggregatedDiscovery(registry, 'core');
const apis = aggregatedDiscovery(registry, 'apis');

function find(list: APIGroupDiscoveryList, group: string, version: string, resource: string): APIResourceDiscovery {
  const g = list.items.find((i) => i.metadata.name === group);
  const r = g?.versions.find((v) => v.version === version)?.resources.find((x) => x.resource === resource);
  if (!r) throw new Error(`no ${group}/${version}/${resource}`);
  return r;
}

describe('aggregatedDiscovery', () => {
  it('answers GET /api with one item named "" (the core group)', () => {
    expect(core.kind).toBe('APIGroupDiscoveryList');
    expect(core.apiVersion).toBe('apidiscovery.k8s.io/v2');
    expect(core.items.map((i) => i.metadata.name)).toEqual(['']);
    expect(core.items[0]!.versions.map((v) => v.version)).toEqual(['v1']);
  });

  it('answers GET /apis with every named group and never the core group', () => {
    const names = apis.items.map((i) => i.metadata.name);
    expect(names).not.toContain('');
    expect(names).toEqual(registry.groups.filter((g) => g.group).map((g) => g.group));
    expect(names).toEqual(expect.arrayContaining(['apps', 'batch', 'autoscaling', 'rbac.authorization.k8s.io', 'coordination.k8s.io']));
  });

  it('lists versions preferred first (autoscaling: v2 before v1)', () => {
    const autoscaling = apis.items.find((i) => i.metadata.name === 'autoscaling')!;
    expect(autoscaling.versions.map((v) => v.version)).toEqual(['v2', 'v1']);
    for (const item of [...core.items, ...apis.items]) {
      const g = registry.groups.find((x) => x.group === item.metadata.name)!;
      expect(item.versions.map((v) => v.version)).toEqual(g.versions);
    }
  });

  it('gives every version freshness Current and every resource and subresource a responseKind', () => {
    let resources = 0;
    for (const item of [...core.items, ...apis.items]) {
      for (const v of item.versions) {
        expect(v.freshness).toBe('Current');
        for (const r of v.resources) {
          resources++;
          expect(r.responseKind.kind, r.resource).toBeTruthy();
          expect(r.responseKind.version, r.resource).toBeTruthy();
          expect(['Namespaced', 'Cluster']).toContain(r.scope);
          expect(r.singularResource).toBeTruthy();
          expect(r.verbs.length).toBeGreaterThan(0);
          for (const s of r.subresources ?? []) {
            expect(s.responseKind.kind, `${r.resource}/${s.subresource}`).toBeTruthy();
            expect(s.verbs.length).toBeGreaterThan(0);
          }
        }
      }
    }
    expect(resources).toBe(registry.all.length);
  });

  it('describes pods like kube-apiserver', () => {
    const pods = find(core, '', 'v1', 'pods');
    expect(pods).toMatchObject({
      resource: 'pods', responseKind: { group: '', version: 'v1', kind: 'Pod' }, scope: 'Namespaced', singularResource: 'pod',
      shortNames: ['po'], categories: ['all'],
    });
    expect(pods.verbs).toEqual(['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']);
    const subs = Object.fromEntries((pods.subresources ?? []).map((s) => [s.subresource, s]));
    expect(subs.status).toEqual({ subresource: 'status', responseKind: { group: '', version: 'v1', kind: 'Pod' }, verbs: ['get', 'patch', 'update'] });
    expect(subs.exec!.responseKind.kind).toBe('PodExecOptions');
    expect(subs.eviction!.responseKind).toEqual({ group: 'policy', version: 'v1', kind: 'Eviction' });
  });

  it('gives scale subresources the autoscaling/v1 Scale kind and cluster resources the Cluster scope', () => {
    const deployments = find(apis, 'apps', 'v1', 'deployments');
    expect(deployments.shortNames).toEqual(['deploy']);
    expect(deployments.subresources?.find((s) => s.subresource === 'scale')?.responseKind).toEqual({ group: 'autoscaling', version: 'v1', kind: 'Scale' });
    expect(find(core, '', 'v1', 'nodes').scope).toBe('Cluster');
    expect(find(core, '', 'v1', 'namespaces').shortNames).toEqual(['ns']);
  });

  it.each([
    ['', 'v1', 'pods'], ['', 'v1', 'services'], ['', 'v1', 'replicationcontrollers'], ['apps', 'v1', 'deployments'],
    ['apps', 'v1', 'replicasets'], ['apps', 'v1', 'statefulsets'], ['apps', 'v1', 'daemonsets'], ['batch', 'v1', 'jobs'],
    ['batch', 'v1', 'cronjobs'], ['autoscaling', 'v2', 'horizontalpodautoscalers'],
  ])('puts %s/%s %s in the "all" category (kubectl get all)', (group, version, resource) => {
    expect(find(group ? apis : core, group, version, resource).categories).toContain('all');
  });

  it('leaves configmaps and secrets out of "all"', () => {
    expect(find(core, '', 'v1', 'configmaps').categories).toBeUndefined();
    expect(find(core, '', 'v1', 'secrets').categories).toBeUndefined();
  });
});

describe('wantsAggregatedDiscovery', () => {
  const kubectl =
    'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
  it.each([
    { name: 'kubectl 1.32', accept: kubectl, want: true },
    { name: 'client-go with nopeer profile', accept: `application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList;profile=nopeer,${kubectl}`, want: true },
    { name: 'spaces around parameters', accept: 'application/json; g=apidiscovery.k8s.io; v=v2; as=APIGroupDiscoveryList', want: true },
    { name: 'plain JSON', accept: 'application/json', want: false },
    { name: 'plain JSON listed first', accept: `application/json,${kubectl}`, want: false },
    { name: 'any type', accept: '*/*', want: false },
    { name: 'only v2beta1', accept: 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList', want: false },
    { name: 'protobuf first, then aggregated', accept: `application/vnd.kubernetes.protobuf;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,${kubectl}`, want: true },
    { name: 'no header', accept: undefined, want: false },
  ])('$name → $want', ({ accept, want }) => {
    expect(wantsAggregatedDiscovery(accept)).toBe(want);
  });

  it('names the exact content type kubectl needs', () => {
    expect(AGGREGATED_DISCOVERY_CONTENT_TYPE).toBe('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
  });
});
