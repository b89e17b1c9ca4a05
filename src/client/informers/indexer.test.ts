import { describe, it, expect } from 'vitest';
import type { ConfigMap } from 'kubernetes-types/core/v1.js';
import { IndexedStore, NAMESPACE_INDEX, metaNamespaceIndexFunc } from './indexer.js';
import { newStore } from './store.js';
import { DeletedFinalStateUnknown, metaNamespaceKey, splitMetaNamespaceKey } from './keys.js';
import { Lister } from './lister.js';
import { parseLabelSelector } from '../../api/selectors/index.js';

const cm = (ns: string, name: string, labels: Record<string, string> = {}, data: Record<string, string> = {}): ConfigMap => ({ metadata: { namespace: ns, name, labels }, data });

describe('keys', () => {
  it('are namespace/name or name', () => {
    expect(metaNamespaceKey(cm('a', 'x'))).toBe('a/x');
    expect(metaNamespaceKey({ metadata: { name: 'n1' } })).toBe('n1');
    expect(metaNamespaceKey(new DeletedFinalStateUnknown('a/gone', cm('a', 'gone')))).toBe('a/gone');
    expect(splitMetaNamespaceKey('a/x')).toEqual({ namespace: 'a', name: 'x' });
    expect(splitMetaNamespaceKey('n1')).toEqual({ namespace: '', name: 'n1' });
    expect(() => splitMetaNamespaceKey('a/b/c')).toThrow();
  });
});

describe('IndexedStore', () => {
  it('adds, updates, deletes and keeps the namespace index consistent', () => {
    const s = new IndexedStore<ConfigMap>({ [NAMESPACE_INDEX]: metaNamespaceIndexFunc });
    s.add(cm('a', 'x'));
    s.add(cm('a', 'y'));
    s.add(cm('b', 'x'));
    expect(s.size).toBe(3);
    expect(s.byIndex(NAMESPACE_INDEX, 'a').map((o) => o.metadata!.name).sort()).toEqual(['x', 'y']);
    expect(s.listIndexFuncValues(NAMESPACE_INDEX).sort()).toEqual(['a', 'b']);
    s.update(cm('a', 'x', {}, { v: '2' }));
    expect(s.getByKey('a/x')!.data).toEqual({ v: '2' });
    s.delete(cm('a', 'x'));
    s.delete(cm('a', 'y'));
    expect(s.byIndex(NAMESPACE_INDEX, 'a')).toEqual([]);
    expect(s.listIndexFuncValues(NAMESPACE_INDEX)).toEqual(['b']);
    expect(s.get(cm('b', 'x'))).toBeDefined();
    expect(() => s.byIndex('nope', 'x')).toThrow(/does not exist/);
  });

  it('moves an object between index values on update and answers index()', () => {
    const byApp = (o: ConfigMap) => (o.metadata?.labels?.app ? [o.metadata.labels.app] : []);
    const s = new IndexedStore<ConfigMap>({ app: byApp });
    s.add(cm('a', 'x', { app: 'web' }));
    s.add(cm('a', 'y', { app: 'web' }));
    s.update(cm('a', 'x', { app: 'db' }));
    expect(s.indexKeys('app', 'web')).toEqual(['a/y']);
    expect(s.indexKeys('app', 'db')).toEqual(['a/x']);
    expect(s.index('app', cm('z', 'probe', { app: 'web' })).map(metaNamespaceKey)).toEqual(['a/y']);
  });

  it('replace swaps the contents and rebuilds indexes; addIndexers indexes existing objects', () => {
    const s = new IndexedStore<ConfigMap>();
    s.add(cm('a', 'x'));
    s.replace([cm('b', 'y'), cm('c', 'z')], '10');
    expect(s.listKeys().sort()).toEqual(['b/y', 'c/z']);
    s.addIndexers({ [NAMESPACE_INDEX]: metaNamespaceIndexFunc });
    expect(s.byIndex(NAMESPACE_INDEX, 'c').map(metaNamespaceKey)).toEqual(['c/z']);
    expect(() => s.addIndexers({ [NAMESPACE_INDEX]: metaNamespaceIndexFunc })).toThrow(/conflict/);
    const plain = newStore<ConfigMap>();
    plain.add(cm('a', 'x'));
    expect(plain.list()).toHaveLength(1);
  });
});

describe('Lister', () => {
  it('lists by selector and namespace and gets by name', () => {
    const s = new IndexedStore<ConfigMap>({ [NAMESPACE_INDEX]: metaNamespaceIndexFunc });
    s.add(cm('a', 'x', { app: 'web' }));
    s.add(cm('a', 'y', { app: 'db' }));
    s.add(cm('b', 'z', { app: 'web' }));
    const l = new Lister(s);
    expect(l.list(parseLabelSelector('app=web')).map(metaNamespaceKey).sort()).toEqual(['a/x', 'b/z']);
    expect(l.namespace('a').list().map(metaNamespaceKey).sort()).toEqual(['a/x', 'a/y']);
    expect(l.namespace('a').list(parseLabelSelector('app in (db)')).map(metaNamespaceKey)).toEqual(['a/y']);
    expect(l.namespace('b').get('z')!.metadata!.name).toBe('z');
    expect(l.namespace('b').get('x')).toBeUndefined();
    // without the namespace index it filters
    const s2 = new IndexedStore<ConfigMap>();
    s2.add(cm('a', 'x'));
    expect(new Lister(s2).namespace('a').list()).toHaveLength(1);
  });
});
