// The garbage collector's writes and live reads (upstream operations.go and patch.go), addressed
// by an object's apiVersion/kind through a RestMapper. Everything here talks to the API server.
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { ApiError, isConflict, isNotFound, type RestClient, type ResourceType, type UnstructuredObject } from '../../client/index.js';
import type { RestMapper } from './discovery.js';
import { refString as refText, type ObjectReference } from './graph.js';

/** apiVersion/kind the mapper does not know (yet): retried, as a custom resource may appear. */
export class RestMappingError extends Error {
  constructor(
    readonly kind: string,
    readonly apiVersion: string,
  ) {
    super(`unable to get REST mapping for ${kind}/${apiVersion}.`);
    this.name = 'RestMappingError';
  }
}

export type Propagation = 'Orphan' | 'Background' | 'Foreground';

/** Conflict retries of a read-modify-write (client-go's retry.DefaultBackoff has 4 steps). */
const UPDATE_MAX_RETRIES = 4;

export class GcOperations {
  constructor(
    private readonly client: RestClient,
    private readonly mapper: RestMapper,
  ) {}

  /** The resource of an apiVersion/kind; throws RestMappingError when unknown. */
  apiResource(apiVersion: string, kind: string): ResourceType {
    const r = this.mapper.resourceFor(apiVersion, kind);
    if (!r) throw new RestMappingError(kind, apiVersion);
    return r;
  }

  private resource(item: ObjectReference) {
    const r = this.apiResource(item.apiVersion, item.kind);
    return this.client.resource(r).namespace(r.namespaced ? item.namespace : undefined);
  }

  getObject(item: ObjectReference): Promise<UnstructuredObject> {
    return this.resource(item).get(item.name);
  }

  /**
   * Deletes the object if it is still the one we looked at: the uid, and the resourceVersion
   * when given. A resourceVersion conflict is retried without it when the ownerReferences are
   * unchanged (the only thing the decision depended on).
   */
  async deleteObject(item: ObjectReference, resourceVersion: string | undefined, ownersAtResourceVersion: OwnerReference[], policy: Propagation): Promise<void> {
    const rc = this.resource(item);
    try {
      await rc.delete(item.name, { propagationPolicy: policy, preconditions: { uid: item.uid, resourceVersion } });
    } catch (e) {
      if (!isConflict(e) || !resourceVersion) throw e;
      const live = await rc.get(item.name).catch(() => undefined);
      const m = live?.metadata;
      if (!m || m.uid !== item.uid || m.resourceVersion === resourceVersion) throw e;
      if (JSON.stringify(m.ownerReferences ?? []) !== JSON.stringify(ownersAtResourceVersion)) throw e;
      await rc.delete(item.name, { propagationPolicy: policy, preconditions: { uid: item.uid } });
    }
  }

  /**
   * Removes the references to `ownerUids` from `item`: a strategic merge patch with `$patch:
   * delete` (the uid in it makes a recreated object fail), or, where strategic merge patch is
   * not supported (custom resources), a JSON merge patch guarded by the resourceVersion.
   */
  async deleteOwnerRefs(item: ObjectReference, ownerUids: string[]): Promise<void> {
    const smp = { metadata: { ownerReferences: ownerUids.map((uid) => ({ $patch: 'delete', uid })), uid: item.uid } };
    await this.patch(item, smp, (live) => {
      const refs = (live.metadata?.ownerReferences ?? []).filter((r) => !ownerUids.includes(r.uid));
      return { metadata: { resourceVersion: live.metadata?.resourceVersion, ownerReferences: refs } };
    });
  }

  /** Sets blockOwnerDeletion=false on every blocking reference of `item` (cycle breaking). */
  async unblockOwnerRefs(item: ObjectReference, owners: OwnerReference[]): Promise<void> {
    const blocking = owners.filter((o) => o.blockOwnerDeletion === true).map((o) => ({ ...o, blockOwnerDeletion: false }));
    const smp = { metadata: { ownerReferences: blocking, uid: item.uid } };
    await this.patch(item, smp, (live) => ({
      metadata: {
        resourceVersion: live.metadata?.resourceVersion,
        ownerReferences: (live.metadata?.ownerReferences ?? []).map((o) => ({ ...o, blockOwnerDeletion: false })),
      },
    }));
  }

  /** Removes `finalizer` from the object (JSON merge patch guarded by resourceVersion; conflicts retried). */
  async removeFinalizer(item: ObjectReference, finalizer: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      let live: UnstructuredObject;
      try {
        live = await this.getObject(item);
      } catch (e) {
        if (isNotFound(e)) return;
        throw new Error(`cannot finalize owner ${refText(item)}, because cannot get it: ${(e as Error).message}. The garbage collector will retry later`);
      }
      if (live.metadata?.uid !== item.uid) return;
      const finalizers = live.metadata?.finalizers ?? [];
      if (!finalizers.includes(finalizer)) return;
      const rest = finalizers.filter((f) => f !== finalizer);
      try {
        await this.resource(item).patch(item.name, { metadata: { resourceVersion: live.metadata?.resourceVersion, finalizers: rest.length ? rest : null } }, { type: 'merge' });
        return;
      } catch (e) {
        if (isNotFound(e)) return;
        if (!isConflict(e)) throw e;
        if (attempt + 1 >= UPDATE_MAX_RETRIES) {
          throw new Error(`updateMaxRetries(${UPDATE_MAX_RETRIES}) has reached. The garbage collector will retry later for owner ${refText(item)}`);
        }
      }
    }
  }

  /** Strategic merge patch, falling back to a JSON merge patch built from the live object on 415. */
  private async patch(item: ObjectReference, smp: unknown, jmp: (live: UnstructuredObject) => unknown): Promise<void> {
    const rc = this.resource(item);
    try {
      await rc.patch(item.name, smp, { type: 'strategic' });
      return;
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 415)) throw e;
    }
    const live = await rc.get(item.name);
    if (live.metadata?.uid !== item.uid) throw new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 404, reason: 'NotFound', message: `${refText(item)} not found` });
    await rc.patch(item.name, jmp(live), { type: 'merge' });
  }
}
