// attemptToDeleteItem's decisions, against a fake API (objects by uid) that records actions.
import { describe, expect, it } from 'vitest';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { ApiError, ResourceTable, resources, type UnstructuredObject } from '../../client/index.js';
import { attemptToDeleteItem, attemptToOrphan, type CollectorDeps } from './attempt-to-delete.js';
import { GraphBuilder } from './graph-builder.js';
import type { GraphNode, ObjectReference } from './graph.js';
import type { GcOperations } from './operations.js';

const notFound = () => new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 404, reason: 'NotFound', message: 'not found' });
const table = ResourceTable.builtin();

function fakeApi(objects: UnstructuredObject[]) {
  const byName = new Map(objects.map((o) => [`${o.kind}/${o.metadata!.namespace ?? ''}/${o.metadata!.name}`, o]));
  const actions: string[] = [];
  const find = (r: ObjectReference) => byName.get(`${r.kind}/${r.namespace}/${r.name}`);
  const ops = {
    apiResource: (apiVersion: string, kind: string) => {
      const [g, v] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
      return table.forKind(g!, v!, kind)!;
    },
    getObject: async (r: ObjectReference) => find(r) ?? Promise.reject(notFound()),
    deleteObject: async (r: ObjectReference, _rv: string | undefined, _owners: OwnerReference[], policy: string) => void actions.push(`delete ${r.name} ${policy}`),
    deleteOwnerRefs: async (r: ObjectReference, uids: string[]) => void actions.push(`unown ${r.name} ${uids.join(',')}`),
    unblockOwnerRefs: async (r: ObjectReference) => void actions.push(`unblock ${r.name}`),
    removeFinalizer: async (r: ObjectReference, f: string) => void actions.push(`unfinalize ${r.name} ${f}`),
  } as unknown as GcOperations;
  const queued: GraphNode[] = [];
  const builder = new GraphBuilder({ attemptToDelete: { add: (n) => queued.push(n), addRateLimited: () => {} }, attemptToOrphan: { add: () => {} } });
  // The graph as the informers would have built it.
  for (const o of objects) builder.process({ type: 'add', obj: o, apiVersion: 'v1', kind: 'ConfigMap' });
  const deps: CollectorDeps = { ops, builder, attemptToDelete: { add: (n) => queued.push(n) } };
  const node = (uid: string) => builder.uidToNode.get(uid)!;
  return { deps, actions, node, queued };
}

function cm(name: string, uid: string, o: { owners?: OwnerReference[]; deleting?: boolean; finalizers?: string[] } = {}): UnstructuredObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, uid, namespace: 'ns', ownerReferences: o.owners, finalizers: o.finalizers, deletionTimestamp: o.deleting ? '2024-01-01T00:00:00Z' : undefined },
  };
}
const ref = (name: string, uid: string, block?: boolean): OwnerReference => ({ apiVersion: 'v1', kind: 'ConfigMap', name, uid, blockOwnerDeletion: block });

describe('attemptToDeleteItem', () => {
  const cases: Array<{ name: string; objects: UnstructuredObject[]; item: string; outcome: string; actions: string[] }> = [
    { name: 'no owners: left alone', objects: [cm('a', 'a')], item: 'a', outcome: 'done', actions: [] },
    { name: 'an existing owner: left alone', objects: [cm('o', 'o'), cm('d', 'd', { owners: [ref('o', 'o')] })], item: 'd', outcome: 'done', actions: [] },
    { name: 'all owners absent: deleted in Background', objects: [cm('d', 'd', { owners: [ref('gone', 'g')] })], item: 'd', outcome: 'done', actions: ['delete d Background'] },
    {
      name: 'owner with another uid counts as absent',
      objects: [cm('o', 'new-uid'), cm('d', 'd', { owners: [ref('o', 'old-uid')] })],
      item: 'd',
      outcome: 'done',
      actions: ['delete d Background'],
    },
    {
      name: 'own orphan finalizer honoured',
      objects: [cm('d', 'd', { owners: [ref('gone', 'g')], finalizers: ['orphan'] })],
      item: 'd',
      outcome: 'done',
      actions: ['delete d Orphan'],
    },
    {
      name: 'one owner left: only the dangling reference goes',
      objects: [cm('o', 'o'), cm('d', 'd', { owners: [ref('o', 'o'), ref('gone', 'g')] })],
      item: 'd',
      outcome: 'done',
      actions: ['unown d g'],
    },
    {
      name: 'owner waiting on dependents, item without dependents: deleted in Background',
      objects: [cm('o', 'o', { deleting: true, finalizers: ['foregroundDeletion'] }), cm('d', 'd', { owners: [ref('o', 'o', true)] })],
      item: 'd',
      outcome: 'done',
      actions: ['delete d Background'],
    },
    {
      name: 'owner waiting on dependents, item with dependents: deleted in Foreground',
      objects: [
        cm('o', 'o', { deleting: true, finalizers: ['foregroundDeletion'] }),
        cm('d', 'd', { owners: [ref('o', 'o', true)] }),
        cm('dd', 'dd', { owners: [ref('d', 'd', true)] }),
      ],
      item: 'd',
      outcome: 'done',
      actions: ['delete d Foreground'],
    },
    {
      name: 'deleting dependents, none blocking: finalizer removed',
      objects: [cm('o', 'o', { deleting: true, finalizers: ['foregroundDeletion'] }), cm('d', 'd', { owners: [ref('o', 'o', false)] })],
      item: 'o',
      outcome: 'done',
      actions: ['unfinalize o foregroundDeletion'],
    },
    {
      name: 'deleting dependents, one blocking: it is queued, the owner waits',
      objects: [cm('o', 'o', { deleting: true, finalizers: ['foregroundDeletion'] }), cm('d', 'd', { owners: [ref('o', 'o', true)] })],
      item: 'o',
      outcome: 'done',
      actions: [],
    },
    { name: 'being deleted (no foreground): nothing to do', objects: [cm('d', 'd', { deleting: true, finalizers: ['x'], owners: [ref('g', 'g')] })], item: 'd', outcome: 'done', actions: [] },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const f = fakeApi(c.objects);
      f.queued.length = 0;
      expect(await attemptToDeleteItem(f.deps, f.node(c.item))).toBe(c.outcome);
      expect(f.actions).toEqual(c.actions);
    });
  }

  it('a virtual owner that does not exist is taken out of the graph', async () => {
    const f = fakeApi([cm('d', 'd', { owners: [ref('ghost', 'g')] })]);
    expect(f.node('g').virtual).toBe(true);
    f.queued.length = 0;
    expect(await attemptToDeleteItem(f.deps, f.node('g'))).toBe('virtualDeleteEnqueued');
    expect(f.deps.builder.uidToNode.has('g')).toBe(false);
    expect(f.queued.map((n) => n.identity.name)).toEqual(['d']);
  });

  it('a cluster-scoped object naming a namespaced owner is not retried', async () => {
    const f = fakeApi([]);
    const pv: UnstructuredObject = { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv', uid: 'pv', ownerReferences: [ref('o', 'o')] } };
    f.deps.builder.process({ type: 'add', obj: pv, apiVersion: 'v1', kind: resources.persistentVolumes.kind });
    (f.deps.ops as unknown as { getObject: (r: ObjectReference) => Promise<UnstructuredObject> }).getObject = async (r) => (r.uid === 'pv' ? pv : Promise.reject(notFound()));
    expect(await attemptToDeleteItem(f.deps, f.node('pv'))).toBe('invalidReference');
  });
});

describe('attemptToOrphan', () => {
  it('removes the owner from every dependent, then its orphan finalizer', async () => {
    const f = fakeApi([
      cm('o', 'o', { deleting: true, finalizers: ['orphan'] }),
      cm('d1', 'd1', { owners: [ref('o', 'o')] }),
      cm('d2', 'd2', { owners: [ref('o', 'o')] }),
    ]);
    await attemptToOrphan(f.deps, f.node('o'));
    expect(f.actions.slice(0, 2).sort()).toEqual(['unown d1 o', 'unown d2 o']);
    expect(f.actions[2]).toBe('unfinalize o orphan');
  });
});
