import { describe, expect, it } from 'vitest';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { lastRevision, maxRevision, setDeploymentAnnotationsTo, setNewReplicaSetAnnotations } from './annotations.js';

const rev = (r: string | undefined, extra: Record<string, string> = {}): ReplicaSet => ({
  metadata: { annotations: r === undefined ? { ...extra } : { 'deployment.kubernetes.io/revision': r, ...extra } },
});

const dep = (annotations: Record<string, string> = {}): Deployment => ({ metadata: { name: 'web', annotations }, spec: { replicas: 3, selector: {}, template: {} } });

describe('revisions', () => {
  it('finds the highest and the one before it, skipping bad values', () => {
    const list = [rev('1'), rev('4'), rev('x'), rev('3'), rev(undefined)];
    expect(maxRevision(list)).toBe(4);
    expect(lastRevision(list)).toBe(3);
    expect(lastRevision([rev('2')])).toBe(0);
  });
});

describe('setNewReplicaSetAnnotations', () => {
  it('on a new ReplicaSet: copies the Deployment annotations (not the controller ones) and sets revision and sizes', () => {
    const d = dep({ team: 'a', 'deployment.kubernetes.io/revision': '7', 'kubectl.kubernetes.io/last-applied-configuration': '{}' });
    const rs: ReplicaSet = { metadata: {} };
    expect(setNewReplicaSetAnnotations(d, rs, 2, false, 4)).toBe(true);
    expect(rs.metadata!.annotations).toEqual({
      team: 'a',
      'deployment.kubernetes.io/revision': '2',
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
    });
  });

  it('on an old ReplicaSet coming back (rollback): raises the revision and remembers the old ones', () => {
    const rs = rev('1');
    expect(setNewReplicaSetAnnotations(dep(), rs, 3, true, 4)).toBe(true);
    expect(rs.metadata!.annotations).toEqual({ 'deployment.kubernetes.io/revision': '3', 'deployment.kubernetes.io/revision-history': '1' });
    setNewReplicaSetAnnotations(dep(), rs, 5, true, 4);
    expect(rs.metadata!.annotations!['deployment.kubernetes.io/revision-history']).toBe('1,3');
    // Never lowers a revision; nothing changes when up to date.
    expect(setNewReplicaSetAnnotations(dep(), rs, 4, true, 4)).toBe(false);
    expect(rs.metadata!.annotations!['deployment.kubernetes.io/revision']).toBe('5');
  });

  it('drops the oldest history entries beyond 2000 characters', () => {
    const long = Array.from({ length: 400 }, (_, i) => String(1000 + i)).join(','); // 1999 chars
    const rs = rev('2000', { 'deployment.kubernetes.io/revision-history': long });
    setNewReplicaSetAnnotations(dep(), rs, 2001, true, 4);
    const h = rs.metadata!.annotations!['deployment.kubernetes.io/revision-history']!;
    expect(h.length).toBeLessThanOrEqual(2000);
    expect(h.endsWith(',2000')).toBe(true);
    expect(h.startsWith('1001,')).toBe(true);
  });
});

describe('setDeploymentAnnotationsTo', () => {
  it('gives the Deployment the ReplicaSet annotations, keeping its own controller ones', () => {
    const d = dep({ team: 'new', 'deployment.kubernetes.io/revision': '4' });
    setDeploymentAnnotationsTo(d, rev('1', { team: 'old', 'deployment.kubernetes.io/desired-replicas': '3' }));
    expect(d.metadata!.annotations).toEqual({ team: 'old', 'deployment.kubernetes.io/revision': '4' });
  });
});
