// Legacy discovery (meta/v1): `/api` (APIVersions), `/apis` (APIGroupList), `/apis/<group>`
// (APIGroup), `/api/v1` and `/apis/<group>/<version>` (APIResourceList, with subresources as
// `pods/status` entries). kubectl still reads these (`auth can-i`, clients without
// aggregated discovery).
import { createHash } from 'node:crypto';
import { apiVersionOf, type Registry, type ResourceInfo } from '../registry/index.js';
import type { APIGroup, APIGroupList, APIResource, APIResourceList, APIVersions, GroupVersionForDiscovery } from './types.js';

/** `GET /api`. `serverAddress` is `host:port` as clients reach the server. */
export function apiVersions(serverAddress: string): APIVersions {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

/** `GET /apis`: every named group, versions preferred first. */
export function apiGroupList(registry: Registry): APIGroupList {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: registry.groups.filter((g) => g.group !== '').map((g) => groupBody(g.group, g.versions)),
  };
}

/** `GET /apis/<group>`, or undefined when the group is not served. */
export function apiGroup(registry: Registry, group: string): APIGroup | undefined {
  const g = registry.groups.find((x) => x.group === group);
  if (!g || group === '') return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupBody(g.group, g.versions) };
}

function groupBody(group: string, versions: string[]): APIGroup {
  const gv = (v: string): GroupVersionForDiscovery => ({ groupVersion: apiVersionOf(group, v), version: v });
  return { name: group, versions: versions.map(gv), preferredVersion: gv(versions[0]!) };
}

/** `GET /api/v1` or `GET /apis/<group>/<version>`, or undefined when not served. */
export function apiResourceList(registry: Registry, group: string, version: string): APIResourceList | undefined {
  const resources = [...registry.inGroupVersion(group, version)].sort((a, b) => a.resource.localeCompare(b.resource));
  if (!resources.length) return undefined;
  const list: APIResourceList = { kind: 'APIResourceList', groupVersion: apiVersionOf(group, version), resources: [] };
  if (group !== '') list.apiVersion = 'v1';
  for (const r of resources) {
    list.resources.push(resourceEntry(r));
    for (const s of [...r.subresources].sort((a, b) => a.name.localeCompare(b.name))) {
      const sub: APIResource = { name: `${r.resource}/${s.name}`, singularName: '', namespaced: r.namespaced, kind: s.kind, verbs: [...s.verbs] };
      if (s.group !== group || s.version !== version) {
        sub.group = s.group;
        sub.version = s.version;
      }
      list.resources.push(reorder(sub));
    }
  }
  return list;
}

function resourceEntry(r: ResourceInfo): APIResource {
  const e: APIResource = { name: r.resource, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: [...r.verbs] };
  if (r.shortNames.length) e.shortNames = [...r.shortNames];
  if (r.categories.length) e.categories = [...r.categories];
  // Only stored resources have a storage version (upstream leaves reviews and bindings without).
  if (!r.virtual) e.storageVersionHash = storageVersionHash(r.storageGroup, r.storageVersion, r.kind);
  return e;
}

/** Field order as upstream writes it (name, singularName, namespaced, group, version, kind, verbs). */
function reorder(e: APIResource): APIResource {
  const { name, singularName, namespaced, group, version, kind, verbs } = e;
  return group === undefined ? { name, singularName, namespaced, kind, verbs } : { name, singularName, namespaced, group, version, kind, verbs };
}

/**
 * A stable hash of the storage version, as kube-apiserver computes it: base64 of the first
 * 8 bytes of SHA-256 over `group/version/kind`. Clients compare it to notice storage migrations.
 */
export function storageVersionHash(group: string, version: string, kind: string): string {
  return createHash('sha256').update(`${group}/${version}/${kind}`).digest().subarray(0, 8).toString('base64');
}
