// What the client addresses: a resource by group/version/resource, with the kind and scope the
// URL needs. `ResourceType<T>` carries the object type as a phantom parameter, so
// `client.resource(pods)` hands back Pods; a bare GroupVersionResource is resolved through a
// ResourceTable and yields untyped objects.
import type { ListMeta, ObjectMeta } from 'kubernetes-types/meta/v1.js';

/** Any Kubernetes object: kind, apiVersion and metadata, plus whatever its type adds. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
}

/** An object whose fields are not known at compile time. */
export type UnstructuredObject = KubeObject & Record<string, unknown>;

export interface KubeList<T> {
  apiVersion?: string;
  kind?: string;
  metadata: ListMeta;
  items: T[];
}

export interface GroupVersionResource {
  group: string;
  version: string;
  resource: string;
}

export interface ResourceType<T extends KubeObject = UnstructuredObject> extends GroupVersionResource {
  kind: string;
  namespaced: boolean;
  /** Phantom: the object type; never set. */
  readonly __object?: T;
}

export function resourceType<T extends KubeObject = UnstructuredObject>(
  group: string,
  version: string,
  resource: string,
  kind: string,
  namespaced: boolean,
): ResourceType<T> {
  return { group, version, resource, kind, namespaced };
}

/** `pods.v1.` / `deployments.v1.apps`, as client-go prints a GroupVersionResource. */
export function gvrString(r: GroupVersionResource): string {
  return `${r.resource}.${r.version}.${r.group}`;
}

export function apiVersionOf(r: { group: string; version: string }): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/** The URL path of a collection, an object or a subresource. */
export function resourcePath(r: ResourceType<KubeObject>, namespace?: string, name?: string, subresource?: string): string {
  let p = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  if (r.namespaced && namespace) p += `/namespaces/${encodeURIComponent(namespace)}`;
  p += `/${r.resource}`;
  if (name !== undefined) p += `/${encodeURIComponent(name)}`;
  if (subresource) p += `/${subresource}`;
  return p;
}
