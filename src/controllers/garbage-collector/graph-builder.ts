// The GraphBuilder (upstream graph_builder.go's processGraphChanges) turns informer events into
// changes of the ownership graph and decides what the collector should look at:
//  - attemptToDelete: objects that may be garbage (an owner went away, a virtual owner to
//    verify, an owner waiting on its dependents, a dependent of such an owner);
//  - attemptToOrphan: owners deleted with the `orphan` finalizer.
// It does no I/O. Events are applied one at a time, in the order they are handed in (informer
// handlers run synchronously, so calling process() from them serializes them as upstream's
// single graphChanges worker does).
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { KubeObject } from '../../client/index.js';
import {
  GraphNode,
  ReferenceCache,
  getAlternateOwnerIdentity,
  ownerReferenceCoordinates,
  ownerReferenceMatchesCoordinates,
  partitionDependents,
  referencesDiffs,
  sameRef,
  type ObjectReference,
  type OwnerRefPair,
} from './graph.js';

export const FINALIZER_DELETE_DEPENDENTS = 'foregroundDeletion';
export const FINALIZER_ORPHAN_DEPENDENTS = 'orphan';

export type GraphEventType = 'add' | 'update' | 'delete';

export interface GraphEvent {
  type: GraphEventType;
  obj: KubeObject;
  /** The previous state, for updates. */
  oldObj?: KubeObject;
  /** The apiVersion and kind of the informer that saw it (objects from lists may lack them). */
  apiVersion: string;
  kind: string;
  /** Not from an informer: the collector found the object absent. */
  virtual?: boolean;
}

/** Where the builder puts work for the collector (rate-limiting queues of nodes). */
export interface GraphQueues {
  attemptToDelete: { add(n: GraphNode): void; addRateLimited(n: GraphNode): void };
  attemptToOrphan: { add(n: GraphNode): void };
}

export interface GraphBuilderOptions {
  /** Told when a dependent names an owner that lives in another namespace (an event upstream). */
  onInvalidNamespaceOwnerRef?(dependent: GraphNode, owner: ObjectReference): void;
}

export class GraphBuilder {
  /** Every node by UID: observed objects and virtual owners named by them. */
  readonly uidToNode = new Map<string, GraphNode>();
  /** Owners verified absent; shared with the collector. */
  readonly absentOwnerCache = new ReferenceCache(500);

  constructor(
    private readonly queues: GraphQueues,
    private readonly opts: GraphBuilderOptions = {},
  ) {}

  /** Applies an event the collector made up after finding `ref` absent (upstream's virtual delete). */
  enqueueVirtualDeleteEvent(ref: ObjectReference): void {
    this.process({
      type: 'delete',
      virtual: true,
      apiVersion: ref.apiVersion,
      kind: ref.kind,
      obj: { apiVersion: ref.apiVersion, kind: ref.kind, metadata: { namespace: ref.namespace || undefined, uid: ref.uid, name: ref.name } },
    });
  }

  process(ev: GraphEvent): void {
    const meta = ev.obj.metadata;
    const uid = meta?.uid;
    if (!uid) return;
    let existing = this.uidToNode.get(uid);
    if (existing && !ev.virtual && existing.virtual) {
      // First sight of an object known so far only as a virtual owner.
      const observed = identityFromEvent(ev);
      if (!sameRef(observed, existing.identity)) {
        // Dependents that named it by other coordinates may have a dangling reference.
        const { nonmatching } = partitionDependents(existing.getDependents(), observed);
        for (const dep of nonmatching) {
          if (observed.namespace && dep.identity.namespace !== observed.namespace) this.reportInvalidNamespaceOwnerRef(dep, observed.uid);
          this.queues.attemptToDelete.add(dep);
        }
        existing = existing.clone();
        existing.identity = observed;
        this.uidToNode.set(uid, existing);
      }
      existing.virtual = false;
    }
    if (ev.type !== 'delete') {
      if (!existing) this.addNode(ev);
      else this.updateNode(ev, existing);
      return;
    }
    if (existing) this.deleteNode(ev, existing);
  }

  private addNode(ev: GraphEvent): void {
    const meta = ev.obj.metadata!;
    const n = new GraphNode(identityFromEvent(ev));
    n.owners = [...(meta.ownerReferences ?? [])];
    n.beingDeleted = beingDeleted(ev.obj);
    n.deletingDependents = n.beingDeleted && hasFinalizer(ev.obj, FINALIZER_DELETE_DEPENDENTS);
    this.uidToNode.set(n.identity.uid, n);
    this.addDependentToOwners(n, n.owners);
    // A creation and a deletion may reach us as one event: look at the transitions too.
    this.processTransitions(ev.oldObj, ev.obj, n);
  }

  private updateNode(ev: GraphEvent, existing: GraphNode): void {
    let node = existing;
    if (!ev.virtual && (node.identity.apiVersion !== ev.apiVersion || node.identity.kind !== ev.kind)) {
      // Seen through another version or kind: refresh the identity, and the owners' edges to it.
      const old = node;
      node = node.clone();
      node.identity.apiVersion = ev.apiVersion;
      node.identity.kind = ev.kind;
      this.uidToNode.set(node.identity.uid, node);
      for (const o of node.owners) this.uidToNode.get(o.uid)?.replaceDependentIfItExists(old, node);
    }
    const refs = ev.obj.metadata?.ownerReferences ?? [];
    const { added, removed, changed } = referencesDiffs(node.owners, refs);
    if (added.length || removed.length || changed.length) {
      // Owners no longer blocked by this dependent may be waiting for it.
      this.addUnblockedOwnersToDeleteQueue(removed, changed);
      node.owners = [...refs];
      this.addDependentToOwners(node, added);
      this.removeDependentFromOwners(node, removed);
    }
    if (beingDeleted(ev.obj)) node.beingDeleted = true;
    this.processTransitions(ev.oldObj, ev.obj, node);
  }

  private deleteNode(ev: GraphEvent, existing: GraphNode): void {
    let removeExisting = true;
    if (ev.virtual) {
      const deleted = identityFromEvent(ev);
      if (existing.virtual) {
        // Not sure of a virtual node's coordinates: keep it while dependents name it otherwise.
        const { matching, nonmatching } = partitionDependents(existing.getDependents(), deleted);
        if (nonmatching.length > 0) {
          removeExisting = false;
          if (matching.length > 0) {
            this.absentOwnerCache.add(deleted);
            for (const dep of matching) this.queues.attemptToDelete.add(dep);
          }
          if (sameRef(existing.identity, deleted)) {
            const replacementIdentity = getAlternateOwnerIdentity(nonmatching, deleted);
            if (replacementIdentity) {
              const replacement = existing.clone();
              replacement.identity = replacementIdentity;
              this.uidToNode.set(replacement.identity.uid, replacement);
              this.queues.attemptToDelete.addRateLimited(replacement);
            }
          }
        }
      } else if (!sameRef(existing.identity, deleted)) {
        // An observed object is not removed on a virtual event with other coordinates.
        removeExisting = false;
        const { matching } = partitionDependents(existing.getDependents(), deleted);
        if (matching.length > 0) {
          this.absentOwnerCache.add(deleted);
          for (const dep of matching) this.queues.attemptToDelete.add(dep);
        }
      }
    }
    if (!removeExisting) return;
    this.uidToNode.delete(existing.identity.uid);
    this.removeDependentFromOwners(existing, existing.owners);
    if (existing.dependents.size > 0) this.absentOwnerCache.add(identityFromEvent(ev));
    for (const dep of existing.dependents) this.queues.attemptToDelete.add(dep);
    for (const o of existing.owners) {
      const owner = this.uidToNode.get(o.uid);
      // An owner deleting its dependents may now have none left.
      if (owner?.deletingDependents) this.queues.attemptToDelete.add(owner);
    }
  }

  /**
   * Adds `n` to its owners' dependents; an owner not in the graph gets a virtual node, queued
   * so the collector checks whether it exists.
   */
  private addDependentToOwners(n: GraphNode, owners: OwnerReference[]): void {
    let potentiallyInvalid = false;
    for (const owner of owners) {
      let ownerNode = this.uidToNode.get(owner.uid);
      const known = ownerNode !== undefined;
      if (!ownerNode) {
        ownerNode = new GraphNode({ ...ownerReferenceCoordinates(owner), namespace: n.identity.namespace });
        ownerNode.virtual = true;
        this.uidToNode.set(owner.uid, ownerNode);
      }
      ownerNode.dependents.add(n);
      if (!known) {
        this.queues.attemptToDelete.add(ownerNode);
        continue;
      }
      if (potentiallyInvalid) continue;
      const ownerIsNamespaced = ownerNode.identity.namespace !== '';
      if (ownerIsNamespaced && ownerNode.identity.namespace !== n.identity.namespace) {
        // A namespaced owner can only own objects of its namespace.
        if (ownerNode.isObserved()) this.reportInvalidNamespaceOwnerRef(n, owner.uid);
        potentiallyInvalid = true;
      } else if (!ownerReferenceMatchesCoordinates(owner, ownerNode.identity)) {
        potentiallyInvalid = true;
      } else if (!ownerIsNamespaced && ownerNode.identity.namespace !== n.identity.namespace && !ownerNode.isObserved()) {
        // A virtual cluster-scoped owner may be a missing namespaced one (issue #98040).
        potentiallyInvalid = true;
      }
    }
    if (potentiallyInvalid) this.queues.attemptToDelete.add(n);
  }

  private removeDependentFromOwners(n: GraphNode, owners: OwnerReference[]): void {
    for (const o of owners) this.uidToNode.get(o.uid)?.dependents.delete(n);
  }

  /** A removed blocking reference, or one changed to non-blocking, may free its owner. */
  private addUnblockedOwnersToDeleteQueue(removed: OwnerReference[], changed: OwnerRefPair[]): void {
    for (const ref of removed) {
      if (ref.blockOwnerDeletion !== true) continue;
      const n = this.uidToNode.get(ref.uid);
      if (n) this.queues.attemptToDelete.add(n);
    }
    for (const c of changed) {
      if (c.oldRef.blockOwnerDeletion === true && c.newRef.blockOwnerDeletion !== true) {
        const n = this.uidToNode.get(c.newRef.uid);
        if (n) this.queues.attemptToDelete.add(n);
      }
    }
  }

  private processTransitions(oldObj: KubeObject | undefined, obj: KubeObject, n: GraphNode): void {
    if (deletionStartsWithFinalizer(oldObj, obj, FINALIZER_ORPHAN_DEPENDENTS)) {
      this.queues.attemptToOrphan.add(n);
      return;
    }
    if (deletionStartsWithFinalizer(oldObj, obj, FINALIZER_DELETE_DEPENDENTS)) {
      // A node added as virtual has no deletingDependents yet: always set it here.
      n.deletingDependents = true;
      for (const dep of n.dependents) this.queues.attemptToDelete.add(dep);
      this.queues.attemptToDelete.add(n);
    }
  }

  private reportInvalidNamespaceOwnerRef(n: GraphNode, ownerUid: string): void {
    const ref = n.owners.find((o) => o.uid === ownerUid);
    if (!ref) return;
    this.opts.onInvalidNamespaceOwnerRef?.(n, { ...ownerReferenceCoordinates(ref), namespace: n.identity.namespace });
  }
}

export function identityFromEvent(ev: GraphEvent): ObjectReference {
  const m = ev.obj.metadata ?? {};
  return { apiVersion: ev.apiVersion, kind: ev.kind, uid: m.uid ?? '', name: m.name ?? '', namespace: m.namespace ?? '' };
}

export function beingDeleted(obj: KubeObject): boolean {
  return !!obj.metadata?.deletionTimestamp;
}

export function hasFinalizer(obj: KubeObject, f: string): boolean {
  return obj.metadata?.finalizers?.includes(f) ?? false;
}

/** The object is being deleted with `finalizer` now, and was not (or lacked it) before. */
function deletionStartsWithFinalizer(oldObj: KubeObject | undefined, obj: KubeObject, finalizer: string): boolean {
  if (!beingDeleted(obj) || !hasFinalizer(obj, finalizer)) return false;
  if (!oldObj) return true;
  return !beingDeleted(oldObj) || !hasFinalizer(oldObj, finalizer);
}
