// The discovery documents' shapes: legacy meta/v1 (APIVersions, APIGroupList, APIGroup,
// APIResourceList) and aggregated apidiscovery.k8s.io/v2 (APIGroupDiscoveryList).

export interface GroupVersionKindRef {
  group: string;
  version: string;
  kind: string;
}

// ---- apidiscovery.k8s.io/v2 ----

export type ResourceScope = 'Namespaced' | 'Cluster';
export type DiscoveryFreshness = 'Current' | 'Stale';

export interface APISubresourceDiscovery {
  subresource: string;
  /** Required by client-go: a subresource without it is dropped. */
  responseKind: GroupVersionKindRef;
  verbs: string[];
}

export interface APIResourceDiscovery {
  resource: string;
  /** Required by client-go: a resource without it is dropped. */
  responseKind: GroupVersionKindRef;
  scope: ResourceScope;
  singularResource: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: APISubresourceDiscovery[];
}

export interface APIVersionDiscovery {
  version: string;
  resources: APIResourceDiscovery[];
  freshness: DiscoveryFreshness;
}

export interface APIGroupDiscovery {
  metadata: { name: string };
  /** Preferred version first. */
  versions: APIVersionDiscovery[];
}

export interface APIGroupDiscoveryList {
  kind: 'APIGroupDiscoveryList';
  apiVersion: 'apidiscovery.k8s.io/v2';
  metadata: Record<string, never>;
  items: APIGroupDiscovery[];
}

// ---- meta/v1 (legacy discovery) ----

export interface ServerAddressByClientCIDR {
  clientCIDR: string;
  serverAddress: string;
}

export interface APIVersions {
  kind: 'APIVersions';
  versions: string[];
  serverAddressByClientCIDRs: ServerAddressByClientCIDR[];
}

export interface GroupVersionForDiscovery {
  groupVersion: string;
  version: string;
}

export interface APIGroup {
  kind?: 'APIGroup';
  apiVersion?: 'v1';
  name: string;
  versions: GroupVersionForDiscovery[];
  preferredVersion: GroupVersionForDiscovery;
}

export interface APIGroupList {
  kind: 'APIGroupList';
  apiVersion: 'v1';
  groups: APIGroup[];
}

export interface APIResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  /** Set on subresources answering with a kind of another group-version (`deployments/scale`). */
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  storageVersionHash?: string;
}

export interface APIResourceList {
  kind: 'APIResourceList';
  /** Absent on `/api/v1`, like upstream. */
  apiVersion?: 'v1';
  groupVersion: string;
  resources: APIResource[];
}
