// The garbage collector's view of ownership (upstream graph.go): one node per object UID, with
// edges from owners to their dependents. Only the GraphBuilder changes nodes; the collector's
// workers read them. Node.js runs both on one thread, so no locks are needed; a worker that
// awaits may see the graph change between two reads, as upstream's may.
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';

/** Who an object is: its owner-reference coordinates plus its namespace ('' when cluster-scoped). */
export interface ObjectReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  namespace: string;
}

export function refString(r: ObjectReference): string {
  return `[${r.apiVersion}/${r.kind}, namespace: ${r.namespace}, name: ${r.name}, uid: ${r.uid}]`;
}

export function sameRef(a: ObjectReference, b: ObjectReference): boolean {
  return a.uid === b.uid && a.name === b.name && a.kind === b.kind && a.apiVersion === b.apiVersion && a.namespace === b.namespace;
}

/** The coordinates of an owner reference (uid, name, kind, apiVersion), nothing else. */
export function ownerReferenceCoordinates(ref: OwnerReference): Pick<OwnerReference, 'apiVersion' | 'kind' | 'name' | 'uid'> {
  return { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, uid: ref.uid };
}

export function ownerReferenceMatchesCoordinates(a: Pick<OwnerReference, 'apiVersion' | 'kind' | 'name' | 'uid'>, b: Pick<OwnerReference, 'apiVersion' | 'kind' | 'name' | 'uid'>): boolean {
  return a.uid === b.uid && a.name === b.name && a.kind === b.kind && a.apiVersion === b.apiVersion;
}

export class GraphNode {
  /** Nodes that list this node's UID among their ownerReferences. */
  readonly dependents = new Set<GraphNode>();
  /** Set when the object has a deletionTimestamp and the foregroundDeletion finalizer. */
  deletingDependents = false;
  /** Set once the object has a deletionTimestamp: a one-way trip to its final deletion. */
  beingDeleted = false;
  /** True for an owner only known from a dependent's reference, never seen by an informer. */
  virtual = false;
  /** The object's ownerReferences as last observed (compared on update). */
  owners: OwnerReference[] = [];

  constructor(public identity: ObjectReference) {}

  isObserved(): boolean {
    return !this.virtual;
  }

  /** A copy with the same fields and the same dependents (the builder swaps it in for this one). */
  clone(): GraphNode {
    const c = new GraphNode({ ...this.identity });
    for (const d of this.dependents) c.dependents.add(d);
    c.deletingDependents = this.deletingDependents;
    c.beingDeleted = this.beingDeleted;
    c.virtual = this.virtual;
    c.owners = [...this.owners];
    return c;
  }

  getDependents(): GraphNode[] {
    return [...this.dependents];
  }

  /** Dependents whose reference to this node has blockOwnerDeletion: true. */
  blockingDependents(): GraphNode[] {
    return this.getDependents().filter((dep) => dep.owners.some((o) => o.uid === this.identity.uid && o.blockOwnerDeletion === true));
  }

  /** Puts `replacement` in place of `old` among the dependents, if `old` is one. */
  replaceDependentIfItExists(old: GraphNode, replacement: GraphNode): void {
    if (this.dependents.delete(old)) this.dependents.add(replacement);
  }

  toString(): string {
    return refString(this.identity);
  }
}

/** Owner references to objects that are known not to exist (upstream's ReferenceCache): an LRU. */
export class ReferenceCache {
  private readonly entries = new Set<string>();

  constructor(readonly capacity = 500) {}

  add(r: ObjectReference): void {
    const k = cacheKey(r);
    this.entries.delete(k);
    this.entries.add(k);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.values().next().value as string);
  }

  has(r: ObjectReference): boolean {
    const k = cacheKey(r);
    if (!this.entries.has(k)) return false;
    this.entries.delete(k);
    this.entries.add(k);
    return true;
  }
}

function cacheKey(r: ObjectReference): string {
  return JSON.stringify([r.apiVersion, r.kind, r.namespace, r.name, r.uid]);
}

/**
 * Splits dependents into those whose reference to `owner.uid` matches `owner`'s coordinates
 * and those with a reference of that uid that does not (a dependent may be in both).
 */
export function partitionDependents(dependents: GraphNode[], owner: ObjectReference): { matching: GraphNode[]; nonmatching: GraphNode[] } {
  const matching: GraphNode[] = [];
  const nonmatching: GraphNode[] = [];
  const ownerIsNamespaced = owner.namespace !== '';
  for (const dep of dependents) {
    let foundMatch = false;
    let foundMismatch = false;
    if (ownerIsNamespaced && owner.namespace !== dep.identity.namespace) {
      foundMismatch = true;
    } else {
      for (const ref of dep.owners) {
        if (ref.uid !== owner.uid) continue;
        if (ownerReferenceMatchesCoordinates(ref, owner)) foundMatch = true;
        else foundMismatch = true;
      }
    }
    if (foundMatch) matching.push(dep);
    if (foundMismatch) nonmatching.push(dep);
  }
  return { matching, nonmatching };
}

function referenceLessThan(a: ObjectReference, b: ObjectReference): boolean {
  if (a.kind !== b.kind) return a.kind < b.kind;
  if (a.apiVersion !== b.apiVersion) return a.apiVersion < b.apiVersion;
  if (a.namespace !== b.namespace) return a.namespace < b.namespace;
  if (a.name !== b.name) return a.name < b.name;
  return a.uid < b.uid;
}

/**
 * Another identity dependents use for an owner uid verified absent under `absent`: the first
 * (in reference order) following `absent`, else the first; undefined when there is none.
 */
export function getAlternateOwnerIdentity(deps: GraphNode[], absent: ObjectReference): ObjectReference | undefined {
  const absentIsClusterScoped = absent.namespace === '';
  const seen = new Set<string>([cacheKey(absent)]);
  let first: ObjectReference | undefined;
  let firstFollowing: ObjectReference | undefined;
  for (const dep of deps) {
    for (const ref of dep.owners) {
      if (ref.uid !== absent.uid) continue;
      if (ownerReferenceMatchesCoordinates(ref, absent) && (absentIsClusterScoped || absent.namespace === dep.identity.namespace)) continue;
      const alt: ObjectReference = { ...ownerReferenceCoordinates(ref), namespace: dep.identity.namespace };
      // This apiVersion/kind is known to be cluster-scoped: drop the namespace.
      if (absentIsClusterScoped && alt.apiVersion === absent.apiVersion && alt.kind === absent.kind) alt.namespace = '';
      const k = cacheKey(alt);
      if (seen.has(k)) continue;
      seen.add(k);
      if (!first || referenceLessThan(alt, first)) first = alt;
      if (referenceLessThan(absent, alt) && (!firstFollowing || referenceLessThan(alt, firstFollowing))) firstFollowing = alt;
    }
  }
  return firstFollowing ?? first;
}

export interface OwnerRefPair {
  oldRef: OwnerReference;
  newRef: OwnerReference;
}

/** Owner references added, removed and changed (same uid, other fields) between two lists. */
export function referencesDiffs(old: OwnerReference[], cur: OwnerReference[]): { added: OwnerReference[]; removed: OwnerReference[]; changed: OwnerRefPair[] } {
  const oldByUid = new Map(old.map((r) => [r.uid, r]));
  const added: OwnerReference[] = [];
  const changed: OwnerRefPair[] = [];
  for (const r of cur) {
    const o = oldByUid.get(r.uid);
    if (!o) {
      added.push(r);
      continue;
    }
    if (!sameOwnerRef(o, r)) changed.push({ oldRef: o, newRef: r });
    oldByUid.delete(r.uid);
  }
  return { added, removed: [...oldByUid.values()], changed };
}

function sameOwnerRef(a: OwnerReference, b: OwnerReference): boolean {
  return ownerReferenceMatchesCoordinates(a, b) && a.controller === b.controller && a.blockOwnerDeletion === b.blockOwnerDeletion;
}
