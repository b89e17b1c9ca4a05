import { describe, expect, it } from 'vitest';
import { makeNode } from '../testing/wrappers.js';
import { TopologyCounts } from './topology-counts.js';

describe('TopologyCounts', () => {
  it('counts per key and value, dropping pairs that fall to zero', () => {
    const c = new TopologyCounts();
    c.add('zone', 'a', 2);
    c.add('zone', 'b', 1);
    c.add('rack', 'r1', 1);
    expect(c.size).toBe(3);
    c.add('zone', 'b', -1);
    expect(c.size).toBe(2);
    expect(c.get('zone', 'b')).toBe(0);
    c.add('rack', 'r1', -1);
    expect([...c.keys()]).toEqual(['zone']);
    c.add('zone', 'c', 0);
    expect(c.size).toBe(1);
  });

  it('looks up a node by its labels, and only by keys it has', () => {
    const c = new TopologyCounts();
    const n1 = makeNode('n1', { labels: { zone: 'a' } });
    const n2 = makeNode('n2');
    c.addNode(n1, 'zone', 1);
    c.addNode(n2, 'zone', 5);
    expect(c.forNode(n1, 'zone')).toBe(1);
    expect(c.forNode(n2, 'zone')).toBe(0);
    expect(c.anyPositiveForNode(n1)).toBe(true);
    expect(c.anyPositiveForNode(n2)).toBe(false);
    c.addNode(n1, 'kubernetes.io/hostname', -1);
    expect(c.anyPositiveForNode(makeNode('n1'))).toBe(false);
  });

  it('clones deeply', () => {
    const c = new TopologyCounts();
    c.add('zone', 'a', 1);
    const d = c.clone();
    d.add('zone', 'a', 1);
    expect(c.get('zone', 'a')).toBe(1);
    expect(d.get('zone', 'a')).toBe(2);
    expect(d.size).toBe(1);
  });
});
