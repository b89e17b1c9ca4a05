import { describe, expect, it } from 'vitest';
import { loadSchema } from '../schema/index.js';
import { Registry } from '../registry/index.js';
import { apiGroup, apiGroupList, apiResourceList, apiVersions, storageVersionHash } from './legacy.js';

const registry = new Registry(loadSchema());

describe('legacy discovery', () => {
  it('answers /api with APIVersions', () => {
    expect(apiVersions('10.0.0.1:6443')).toEqual({
      kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '10.0.0.1:6443' }],
    });
  });

  it('answers /apis with every named group, preferred version first', () => {
    const list = apiGroupList(registry);
    expect(list).toMatchObject({ kind: 'APIGroupList', apiVersion: 'v1' });
    expect(list.groups.map((g) => g.name)).not.toContain('');
    const autoscaling = list.groups.find((g) => g.name === 'autoscaling')!;
    expect(autoscaling.versions).toEqual([{ groupVersion: 'autoscaling/v2', version: 'v2' }, { groupVersion: 'autoscaling/v1', version: 'v1' }]);
    expect(autoscaling.preferredVersion).toEqual({ groupVersion: 'autoscaling/v2', version: 'v2' });
  });

  it('answers /apis/<group> with APIGroup, and nothing for unknown groups', () => {
    expect(apiGroup(registry, 'apps')).toEqual({
      kind: 'APIGroup', apiVersion: 'v1', name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }],
      preferredVersion: { groupVersion: 'apps/v1', version: 'v1' },
    });
    expect(apiGroup(registry, 'nope.example.com')).toBeUndefined();
    expect(apiGroup(registry, '')).toBeUndefined();
  });

  it('answers /api/v1 with resources and subresources as pods/status entries', () => {
    const list = apiResourceList(registry, '', 'v1')!;
    expect(list.kind).toBe('APIResourceList');
    expect(list.groupVersion).toBe('v1');
    expect(list.apiVersion).toBeUndefined();
    const byName = Object.fromEntries(list.resources.map((r) => [r.name, r]));
    expect(byName.pods).toEqual({
      name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod',
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      shortNames: ['po'], categories: ['all'], storageVersionHash: 'xPOwRZ+Yhw8=',
    });
    expect(byName['pods/status']).toEqual({ name: 'pods/status', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get', 'patch', 'update'] });
    expect(byName['pods/eviction']).toMatchObject({ group: 'policy', version: 'v1', kind: 'Eviction' });
    expect(byName['pods/binding']!.group).toBeUndefined();
    expect(byName.bindings!.storageVersionHash).toBeUndefined();
    // Subresources follow their resource.
    const names = list.resources.map((r) => r.name);
    expect(names.indexOf('pods/status')).toBeGreaterThan(names.indexOf('pods'));
    expect(names.indexOf('pods/status')).toBeLessThan(names.indexOf('podtemplates'));
  });

  it('answers /apis/apps/v1 with the scale subresources in autoscaling/v1', () => {
    const list = apiResourceList(registry, 'apps', 'v1')!;
    expect(list).toMatchObject({ kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'apps/v1' });
    expect(list.resources.find((r) => r.name === 'deployments/scale')).toEqual({
      name: 'deployments/scale', singularName: '', namespaced: true, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'],
    });
    expect(list.resources.find((r) => r.name === 'deployments')?.storageVersionHash).toBe('8aSe+NMegvE=');
    expect(apiResourceList(registry, 'apps', 'v9')).toBeUndefined();
  });

  it('hashes the storage version, shared by every served version of a resource', () => {
    expect(storageVersionHash('', 'v1', 'Service')).toBe('0/CO1lhkEBI=');
    const v1 = apiResourceList(registry, 'autoscaling', 'v1')!.resources.find((r) => r.name === 'horizontalpodautoscalers');
    const v2 = apiResourceList(registry, 'autoscaling', 'v2')!.resources.find((r) => r.name === 'horizontalpodautoscalers');
    expect(v1!.storageVersionHash).toBe(v2!.storageVersionHash);
  });
});
