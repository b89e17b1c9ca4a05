import { describe, expect, it } from 'vitest';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { KubeObject } from '../../client/index.js';
import { GraphBuilder, type GraphEvent } from './graph-builder.js';
import { getAlternateOwnerIdentity, GraphNode, partitionDependents, referencesDiffs, type ObjectReference } from './graph.js';

function harness() {
  const toDelete: GraphNode[] = [];
  const rateLimited: GraphNode[] = [];
  const toOrphan: GraphNode[] = [];
  const invalid: Array<[GraphNode, ObjectReference]> = [];
  const gb = new GraphBuilder(
    { attemptToDelete: { add: (n) => toDelete.push(n), addRateLimited: (n) => rateLimited.push(n) }, attemptToOrphan: { add: (n) => toOrphan.push(n) } },
    { onInvalidNamespaceOwnerRef: (d, o) => invalid.push([d, o]) },
  );
  const names = (ns: GraphNode[]) => ns.map((n) => n.identity.name);
  const clear = () => {
    toDelete.length = 0;
    toOrphan.length = 0;
    rateLimited.length = 0;
  };
  return { gb, toDelete, rateLimited, toOrphan, invalid, names, clear };
}

function cm(name: string, uid: string, extra: { owners?: OwnerReference[]; deleting?: boolean; finalizers?: string[]; ns?: string } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name,
      uid,
      namespace: extra.ns ?? 'default',
      ownerReferences: extra.owners,
      deletionTimestamp: extra.deleting ? '2024-01-01T00:00:00Z' : undefined,
      finalizers: extra.finalizers,
    },
  };
}

function ref(name: string, uid: string, block?: boolean): OwnerReference {
  return { apiVersion: 'v1', kind: 'ConfigMap', name, uid, blockOwnerDeletion: block };
}

const ev = (type: GraphEvent['type'], obj: KubeObject, oldObj?: KubeObject): GraphEvent => ({ type, obj, oldObj, apiVersion: 'v1', kind: 'ConfigMap' });

describe('GraphBuilder', () => {
  it('adds a virtual node for an unseen owner and queues it for verification', () => {
    const h = harness();
    h.gb.process(ev('add', cm('child', 'c1', { owners: [ref('parent', 'p1')] })));
    const owner = h.gb.uidToNode.get('p1')!;
    expect(owner.virtual).toBe(true);
    expect(owner.identity).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', name: 'parent', uid: 'p1', namespace: 'default' });
    expect(h.names([...owner.dependents])).toEqual(['child']);
    expect(h.names(h.toDelete)).toEqual(['parent']);
  });

  it('marks a virtual owner observed when its informer sees it, keeping its dependents', () => {
    const h = harness();
    h.gb.process(ev('add', cm('child', 'c1', { owners: [ref('parent', 'p1')] })));
    h.clear();
    h.gb.process(ev('add', cm('parent', 'p1')));
    const owner = h.gb.uidToNode.get('p1')!;
    expect(owner.virtual).toBe(false);
    expect(h.names(owner.getDependents())).toEqual(['child']);
    expect(h.toDelete).toEqual([]);
  });

  it('queues dependents of a deleted owner and remembers the owner as absent', () => {
    const h = harness();
    h.gb.process(ev('add', cm('parent', 'p1')));
    h.gb.process(ev('add', cm('child', 'c1', { owners: [ref('parent', 'p1')] })));
    h.gb.process(ev('add', cm('other', 'c2', { owners: [ref('parent', 'p1')] })));
    h.clear();
    h.gb.process(ev('delete', cm('parent', 'p1')));
    expect(h.gb.uidToNode.has('p1')).toBe(false);
    expect(h.names(h.toDelete).sort()).toEqual(['child', 'other']);
    expect(h.gb.absentOwnerCache.has({ apiVersion: 'v1', kind: 'ConfigMap', name: 'parent', uid: 'p1', namespace: 'default' })).toBe(true);
  });

  it('on deletion with foregroundDeletion marks the owner and queues it and its dependents', () => {
    const h = harness();
    const parent = cm('parent', 'p1');
    h.gb.process(ev('add', parent));
    h.gb.process(ev('add', cm('child', 'c1', { owners: [ref('parent', 'p1', true)] })));
    h.clear();
    h.gb.process(ev('update', cm('parent', 'p1', { deleting: true, finalizers: ['foregroundDeletion'] }), parent));
    const owner = h.gb.uidToNode.get('p1')!;
    expect(owner.deletingDependents).toBe(true);
    expect(owner.beingDeleted).toBe(true);
    expect(h.names(h.toDelete)).toEqual(['child', 'parent']);
    expect(h.names(owner.blockingDependents())).toEqual(['child']);
    // The same state again is no new transition.
    h.clear();
    h.gb.process(ev('update', cm('parent', 'p1', { deleting: true, finalizers: ['foregroundDeletion'] }), cm('parent', 'p1', { deleting: true, finalizers: ['foregroundDeletion'] })));
    expect(h.toDelete).toEqual([]);
  });

  it('queues an owner deleted with the orphan finalizer for orphaning', () => {
    const h = harness();
    const parent = cm('parent', 'p1');
    h.gb.process(ev('add', parent));
    h.gb.process(ev('update', cm('parent', 'p1', { deleting: true, finalizers: ['orphan'] }), parent));
    expect(h.names(h.toOrphan)).toEqual(['parent']);
  });

  it('a new object already being deleted in foreground is a transition too', () => {
    const h = harness();
    h.gb.process(ev('add', cm('parent', 'p1', { deleting: true, finalizers: ['foregroundDeletion'] })));
    expect(h.gb.uidToNode.get('p1')!.deletingDependents).toBe(true);
    expect(h.names(h.toDelete)).toEqual(['parent']);
  });

  it('queues an owner whose blocking reference is removed or unblocked', () => {
    const h = harness();
    h.gb.process(ev('add', cm('parent', 'p1')));
    const child = cm('child', 'c1', { owners: [ref('parent', 'p1', true)] });
    h.gb.process(ev('add', child));
    h.clear();
    const unblocked = cm('child', 'c1', { owners: [ref('parent', 'p1', false)] });
    h.gb.process(ev('update', unblocked, child));
    expect(h.names(h.toDelete)).toEqual(['parent']);
    expect(h.gb.uidToNode.get('p1')!.blockingDependents()).toEqual([]);
    h.clear();
    h.gb.process(ev('update', cm('child', 'c1'), unblocked));
    expect(h.toDelete).toEqual([]); // not blocking any more
    expect(h.gb.uidToNode.get('p1')!.dependents.size).toBe(0);
  });

  it('an owner deleting its dependents is queued when one of them goes', () => {
    const h = harness();
    h.gb.process(ev('add', cm('parent', 'p1', { deleting: true, finalizers: ['foregroundDeletion'] })));
    h.gb.process(ev('add', cm('child', 'c1', { owners: [ref('parent', 'p1', true)] })));
    h.clear();
    h.gb.process(ev('delete', cm('child', 'c1', { owners: [ref('parent', 'p1', true)] })));
    expect(h.names(h.toDelete)).toEqual(['parent']);
    expect(h.gb.uidToNode.get('p1')!.dependents.size).toBe(0);
  });

  it('removes a virtual owner on a virtual delete event and queues its dependents', () => {
    const h = harness();
    h.gb.process(ev('add', cm('child', 'c1', { owners: [ref('ghost', 'g1')] })));
    h.clear();
    h.gb.enqueueVirtualDeleteEvent(h.gb.uidToNode.get('g1')!.identity);
    expect(h.gb.uidToNode.has('g1')).toBe(false);
    expect(h.names(h.toDelete)).toEqual(['child']);
  });

  it('keeps an observed node on a virtual delete with other coordinates, queueing the matching dependents', () => {
    const h = harness();
    h.gb.process(ev('add', cm('parent', 'p1')));
    // A dependent naming uid p1 with a wrong name.
    h.gb.process(ev('add', cm('child', 'c1', { owners: [ref('wrong', 'p1')] })));
    h.clear();
    h.gb.enqueueVirtualDeleteEvent({ apiVersion: 'v1', kind: 'ConfigMap', name: 'wrong', uid: 'p1', namespace: 'default' });
    expect(h.gb.uidToNode.get('p1')!.identity.name).toBe('parent');
    expect(h.names(h.toDelete)).toEqual(['child']);
  });

  it('a dependent naming an owner of another namespace is reported and queued', () => {
    const h = harness();
    h.gb.process(ev('add', cm('parent', 'p1', { ns: 'a' })));
    h.gb.process(ev('add', cm('child', 'c1', { ns: 'b', owners: [ref('parent', 'p1')] })));
    expect(h.invalid.map(([d, o]) => [d.identity.name, o.namespace])).toEqual([['child', 'b']]);
    expect(h.names(h.toDelete)).toEqual(['child']);
  });

  it('replaces the identity of a virtual node seen under other coordinates and queues the mismatching dependents', () => {
    const h = harness();
    h.gb.process(ev('add', cm('child', 'c1', { owners: [ref('old-name', 'p1')] })));
    h.clear();
    h.gb.process(ev('add', cm('parent', 'p1')));
    const owner = h.gb.uidToNode.get('p1')!;
    expect(owner.identity.name).toBe('parent');
    expect(owner.virtual).toBe(false);
    expect(h.names(h.toDelete)).toEqual(['child']);
  });
});

describe('graph helpers', () => {
  it('referencesDiffs tells added, removed and changed references', () => {
    const { added, removed, changed } = referencesDiffs([ref('a', '1'), ref('b', '2', true)], [ref('b', '2', false), ref('c', '3')]);
    expect(added.map((r) => r.uid)).toEqual(['3']);
    expect(removed.map((r) => r.uid)).toEqual(['1']);
    expect(changed.map((c) => [c.oldRef.blockOwnerDeletion, c.newRef.blockOwnerDeletion])).toEqual([[true, false]]);
  });

  it('partitionDependents splits by coordinates and namespace', () => {
    const owner: ObjectReference = { apiVersion: 'v1', kind: 'ConfigMap', name: 'p', uid: 'u', namespace: 'ns' };
    const dep = (name: string, ns: string, r: OwnerReference) => Object.assign(new GraphNode({ apiVersion: 'v1', kind: 'ConfigMap', name, uid: name, namespace: ns }), { owners: [r] });
    const good = dep('good', 'ns', ref('p', 'u'));
    const badName = dep('bad-name', 'ns', ref('q', 'u'));
    const otherNs = dep('other-ns', 'x', ref('p', 'u'));
    const { matching, nonmatching } = partitionDependents([good, badName, otherNs], owner);
    expect(matching.map((n) => n.identity.name)).toEqual(['good']);
    expect(nonmatching.map((n) => n.identity.name)).toEqual(['bad-name', 'other-ns']);
  });

  it('getAlternateOwnerIdentity picks the next identity after the absent one', () => {
    const absent: ObjectReference = { apiVersion: 'v1', kind: 'ConfigMap', name: 'b', uid: 'u', namespace: 'ns' };
    const deps = ['a', 'b', 'c', 'd'].map((n) => Object.assign(new GraphNode({ apiVersion: 'v1', kind: 'ConfigMap', name: `dep-${n}`, uid: n, namespace: 'ns' }), { owners: [ref(n, 'u')] }));
    expect(getAlternateOwnerIdentity(deps, absent)?.name).toBe('c');
    expect(getAlternateOwnerIdentity(deps, { ...absent, name: 'd' })?.name).toBe('a');
    expect(getAlternateOwnerIdentity(deps.slice(1, 2), absent)).toBeUndefined();
  });
});
