// What the collector does with one node of the attemptToDelete queue (upstream
// attemptToDeleteItem) and one of the attemptToOrphan queue (attemptToOrphanWorker):
//  - an owner deleting its dependents (foregroundDeletion) drops its finalizer once no
//    dependent blocks it, else queues the blocking dependents;
//  - an object whose owners are all absent (dangling) is deleted — Background, or the policy
//    its own finalizers ask for; an owner that is itself deleting dependents makes it go in
//    Foreground when it has dependents of its own;
//  - an object with an existing owner keeps living, minus references to absent owners and to
//    owners waiting for it;
//  - an orphaning owner has its reference removed from every dependent, then its `orphan`
//    finalizer.
// Expected outcomes are values; errors are thrown and the node is retried with back-off.
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { isNotFound, type UnstructuredObject } from '../../client/index.js';
import { FINALIZER_DELETE_DEPENDENTS, FINALIZER_ORPHAN_DEPENDENTS, hasFinalizer, type GraphBuilder } from './graph-builder.js';
import { ownerReferenceCoordinates, refString, type GraphNode, type ObjectReference } from './graph.js';
import type { GcOperations, Propagation } from './operations.js';

export interface CollectorDeps {
  ops: GcOperations;
  builder: GraphBuilder;
  attemptToDelete: { add(n: GraphNode): void };
  log?(msg: string): void;
}

/**
 * `done`: nothing more to do for now; `virtualDeleteEnqueued`: the object is gone and the graph
 * was told (no retry needed); `invalidReference`: a cluster-scoped object names a namespaced
 * owner (a retry cannot help).
 */
export type DeleteItemOutcome = 'done' | 'virtualDeleteEnqueued' | 'invalidReference';

interface Classified {
  solid: OwnerReference[];
  dangling: OwnerReference[];
  waitingForDependentsDeletion: OwnerReference[];
}

class InvalidReference extends Error {}

export async function attemptToDeleteItem(gc: CollectorDeps, item: GraphNode): Promise<DeleteItemOutcome> {
  // Being deleted is a one-way trip: wait for the final deletion, then see to the dependents.
  if (item.beingDeleted && !item.deletingDependents) return 'done';
  let latest: UnstructuredObject;
  try {
    latest = await gc.ops.getObject(item.identity);
  } catch (e) {
    if (!isNotFound(e)) throw e;
    // A virtual node for an owner that does not exist: take it out of the graph.
    gc.builder.enqueueVirtualDeleteEvent(item.identity);
    return 'virtualDeleteEnqueued';
  }
  if (latest.metadata?.uid !== item.identity.uid) {
    gc.builder.enqueueVirtualDeleteEvent(item.identity);
    return 'virtualDeleteEnqueued';
  }
  if (item.deletingDependents) {
    await processDeletingDependentsItem(gc, item);
    return 'done';
  }
  const ownerReferences = latest.metadata?.ownerReferences ?? [];
  if (ownerReferences.length === 0) return 'done';

  let c: Classified;
  try {
    c = await classifyReferences(gc, item, ownerReferences);
  } catch (e) {
    if (e instanceof InvalidReference) return 'invalidReference';
    throw e;
  }
  const { solid, dangling, waitingForDependentsDeletion: waiting } = c;
  const rv = latest.metadata?.resourceVersion;
  if (solid.length > 0) {
    if (dangling.length === 0 && waiting.length === 0) return 'done';
    // References to owners waiting for their dependents must go too, or those owners stay
    // stuck with the foregroundDeletion finalizer.
    gc.log?.(`removing dangling and waiting references from ${refString(item.identity)}`);
    await tolerateGone(gc, item, gc.ops.deleteOwnerRefs(item.identity, [...dangling, ...waiting].map((r) => r.uid)));
    return 'done';
  }
  if (waiting.length > 0 && item.dependents.size > 0) {
    for (const dep of item.getDependents()) {
      if (!dep.deletingDependents) continue;
      // A possible cycle: make our references non-blocking, then go in Foreground.
      gc.log?.(`${refString(item.identity)}: an owner and a dependent both delete dependents; unblocking its owner references`);
      await gc.ops.unblockOwnerRefs(item.identity, item.owners);
      break;
    }
    return tolerateGone(gc, item, gc.ops.deleteObject(item.identity, rv, ownerReferences, 'Foreground'));
  }
  // No owner left: collect it, honouring a policy its own finalizers already ask for.
  const policy: Propagation = hasFinalizer(latest, FINALIZER_ORPHAN_DEPENDENTS)
    ? 'Orphan'
    : hasFinalizer(latest, FINALIZER_DELETE_DEPENDENTS)
      ? 'Foreground'
      : 'Background';
  gc.log?.(`deleting ${refString(item.identity)} with propagationPolicy ${policy}`);
  return tolerateGone(gc, item, gc.ops.deleteObject(item.identity, rv, ownerReferences, policy));
}

/** A NotFound from a write means the object went away meanwhile: tell the graph. */
async function tolerateGone(gc: CollectorDeps, item: GraphNode, op: Promise<void>): Promise<DeleteItemOutcome> {
  try {
    await op;
    return 'done';
  } catch (e) {
    if (!isNotFound(e)) throw e;
    gc.builder.enqueueVirtualDeleteEvent(item.identity);
    return 'virtualDeleteEnqueued';
  }
}

/** An owner with foregroundDeletion: done once no dependent blocks it. */
async function processDeletingDependentsItem(gc: CollectorDeps, item: GraphNode): Promise<void> {
  const blocking = item.blockingDependents();
  if (blocking.length === 0) {
    gc.log?.(`removing the ${FINALIZER_DELETE_DEPENDENTS} finalizer of ${refString(item.identity)}`);
    await gc.ops.removeFinalizer(item.identity, FINALIZER_DELETE_DEPENDENTS);
    return;
  }
  for (const dep of blocking) if (!dep.deletingDependents) gc.attemptToDelete.add(dep);
}

/**
 * Sorts owner references into solid (exists, not waiting on dependents), dangling (absent) and
 * waiting for dependents' deletion (being deleted with foregroundDeletion). Asks the server.
 */
async function classifyReferences(gc: CollectorDeps, item: GraphNode, refs: OwnerReference[]): Promise<Classified> {
  const out: Classified = { solid: [], dangling: [], waitingForDependentsDeletion: [] };
  for (const ref of refs) {
    const owner = await isDangling(gc, ref, item);
    if (!owner) out.dangling.push(ref);
    else if (owner.metadata?.deletionTimestamp && hasFinalizer(owner, FINALIZER_DELETE_DEPENDENTS)) out.waitingForDependentsDeletion.push(ref);
    else out.solid.push(ref);
  }
  return out;
}

/** The owner's live state, or undefined when it does not exist (absent, or another uid). */
async function isDangling(gc: CollectorDeps, ref: OwnerReference, item: GraphNode): Promise<UnstructuredObject | undefined> {
  const cacheKey: ObjectReference = { ...ownerReferenceCoordinates(ref), namespace: '' };
  if (gc.builder.absentOwnerCache.has(cacheKey)) return undefined;
  cacheKey.namespace = item.identity.namespace;
  if (gc.builder.absentOwnerCache.has(cacheKey)) return undefined;
  const resource = gc.ops.apiResource(ref.apiVersion, ref.kind);
  if (!resource.namespaced) cacheKey.namespace = '';
  if (item.identity.namespace === '' && resource.namespaced) {
    gc.log?.(`${refString(item.identity)} is cluster-scoped, but refers to a namespaced owner of type ${ref.apiVersion}/${ref.kind}`);
    throw new InvalidReference('cluster-scoped objects cannot refer to namespaced owners');
  }
  let owner: UnstructuredObject;
  try {
    owner = await gc.ops.getObject({ ...ownerReferenceCoordinates(ref), namespace: resource.namespaced ? item.identity.namespace : '' });
  } catch (e) {
    if (!isNotFound(e)) throw e;
    gc.builder.absentOwnerCache.add(cacheKey);
    return undefined;
  }
  if (owner.metadata?.uid !== ref.uid) {
    gc.builder.absentOwnerCache.add(cacheKey);
    return undefined;
  }
  return owner;
}

/** Removes `owner` from every dependent's ownerReferences, then the owner's `orphan` finalizer. */
export async function attemptToOrphan(gc: CollectorDeps, owner: GraphNode): Promise<void> {
  const failures: string[] = [];
  await Promise.all(
    owner.getDependents().map(async (dep) => {
      try {
        await gc.ops.deleteOwnerRefs(dep.identity, [owner.identity.uid]);
      } catch (e) {
        if (!isNotFound(e)) failures.push(`orphaning ${refString(dep.identity)} failed, ${(e as Error).message}`);
      }
    }),
  );
  if (failures.length) throw new Error(`failed to orphan dependents of owner ${refString(owner.identity)}, got errors: ${failures.join(', ')}`);
  await gc.ops.removeFinalizer(owner.identity, FINALIZER_ORPHAN_DEPENDENTS);
}
