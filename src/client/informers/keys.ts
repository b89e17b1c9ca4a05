// Object keys as client-go's cache computes them: `namespace/name`, or `name` for cluster-scoped
// objects. Workqueues carry these keys; listers and indexers are keyed by them.
import type { KubeObject } from '../resource.js';

/**
 * The last state the cache knew of an object deleted while the watch was down: a re-list no
 * longer contained it, so the DELETED event itself was missed. `obj` may be stale.
 */
export class DeletedFinalStateUnknown<T> {
  constructor(
    readonly key: string,
    readonly obj: T,
  ) {}
}

export function isDeletedFinalStateUnknown<T>(x: unknown): x is DeletedFinalStateUnknown<T> {
  return x instanceof DeletedFinalStateUnknown;
}

/** The object of a delete notification, unwrapping DeletedFinalStateUnknown. */
export function deletedObject<T>(x: T | DeletedFinalStateUnknown<T>): T {
  return x instanceof DeletedFinalStateUnknown ? x.obj : x;
}

export type KeyFunc = (obj: unknown) => string;

/** `namespace/name` or `name` (MetaNamespaceKeyFunc). */
export function metaNamespaceKey(obj: unknown): string {
  if (obj instanceof DeletedFinalStateUnknown) return obj.key;
  const m = (obj as KubeObject | undefined)?.metadata;
  if (!m?.name) throw new Error('object has no metadata.name');
  return m.namespace ? `${m.namespace}/${m.name}` : m.name;
}

export const deletionHandlingMetaNamespaceKey: KeyFunc = metaNamespaceKey;

/** Splits a key into namespace ('' for cluster-scoped) and name. */
export function splitMetaNamespaceKey(key: string): { namespace: string; name: string } {
  const parts = key.split('/');
  if (parts.length === 1) return { namespace: '', name: parts[0]! };
  if (parts.length === 2) return { namespace: parts[0]!, name: parts[1]! };
  throw new Error(`unexpected key format: "${key}"`);
}
