// Aggregated discovery (apidiscovery.k8s.io/v2): `GET /api` and `GET /apis` with
// `Accept: application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList` answer every
// group, version and resource in one document. client-go drops any resource or subresource
// without a responseKind, reads the first version listed as the preferred one, and only
// recognises the document when the Content-Type is exactly AGGREGATED_DISCOVERY_CONTENT_TYPE.
import type { Registry, ResourceInfo } from '../registry/index.js';
import type { APIGroupDiscovery, APIGroupDiscoveryList, APIResourceDiscovery, APIVersionDiscovery } from './types.js';

/** The Content-Type of an aggregated discovery answer (with plain application/json kubectl misreads it). */
export const AGGREGATED_DISCOVERY_CONTENT_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

/** `core` → the one-item list for `GET /api`; `apis` → every named group for `GET /apis`. */
export type DiscoveryRoot = 'core' | 'apis';

export function aggregatedDiscovery(registry: Registry, root: DiscoveryRoot): APIGroupDiscoveryList {
  const groups = registry.groups.filter((g) => (root === 'core' ? g.group === '' : g.group !== ''));
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: 'apidiscovery.k8s.io/v2',
    metadata: {},
    items: groups.map((g): APIGroupDiscovery => ({
      metadata: { name: g.group },
      versions: g.versions.map((v) => versionDiscovery(registry, g.group, v)),
    })),
  };
}

function versionDiscovery(registry: Registry, group: string, version: string): APIVersionDiscovery {
  const resources = [...registry.inGroupVersion(group, version)].sort((a, b) => a.resource.localeCompare(b.resource));
  return { version, resources: resources.map(resourceDiscovery), freshness: 'Current' };
}

function resourceDiscovery(r: ResourceInfo): APIResourceDiscovery {
  const out: APIResourceDiscovery = {
    resource: r.resource,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: [...r.verbs],
  };
  if (r.shortNames.length) out.shortNames = [...r.shortNames];
  if (r.categories.length) out.categories = [...r.categories];
  if (r.subresources.length) {
    out.subresources = [...r.subresources]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((s) => ({
        subresource: s.name,
        responseKind: { group: s.group, version: s.version, kind: s.kind },
        verbs: [...s.verbs],
      }));
  }
  return out;
}

/**
 * Whether an Accept header asks for aggregated discovery: the first media range that we can
 * answer decides (upstream's negotiation order), so `application/json` listed before the
 * aggregated type means legacy. Ranges we cannot answer (v2beta1, protobuf) are skipped.
 */
export function wantsAggregatedDiscovery(accept: string | undefined): boolean {
  if (!accept) return false;
  for (const range of accept.split(',')) {
    const [type = '', ...rawParams] = range.split(';').map((p) => p.trim());
    const params = new Map<string, string>();
    for (const p of rawParams) {
      const i = p.indexOf('=');
      if (i > 0) params.set(p.slice(0, i).trim().toLowerCase(), p.slice(i + 1).trim().replace(/^"|"$/g, ''));
    }
    const mediaType = type.toLowerCase();
    const json = mediaType === 'application/json';
    const any = mediaType === '*/*' || mediaType === 'application/*';
    if (!json && !any) continue;
    if (params.has('g') || params.has('as') || params.has('v')) {
      if (json && params.get('g') === 'apidiscovery.k8s.io' && params.get('v') === 'v2' && params.get('as') === 'APIGroupDiscoveryList') {
        return true;
      }
      continue;
    }
    if (params.get('q') === '0') continue;
    return false;
  }
  return false;
}
