// Condition transitions: Available, Progressing (created → updated → available; deadline) and
// ReplicaFailure, as rolloutStatus computes them; and when a stuck rollout is looked at again.
import { describe, expect, it, vi } from 'vitest';
import type { Deployment, DeploymentStatus, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { rfc3339 } from '../../util/clock.js';
import { deploymentComplete, deploymentProgressing, getCondition, newCondition, setCondition } from './conditions.js';
import type { DeploymentSyncContext } from './context.js';
import { requeueStuckDeployment, rolloutStatus } from './progress.js';

const T0 = Date.UTC(2025, 0, 1);

function dep(status: DeploymentStatus = {}, deadline: number | undefined = 600): Deployment {
  return {
    metadata: { name: 'web', namespace: 'ns', generation: 2 },
    spec: {
      replicas: 3,
      progressDeadlineSeconds: deadline,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: { metadata: { labels: { app: 'web' } } },
    },
    status,
  };
}

function rs(name: string, replicas: number, available: number, ready = available): ReplicaSet {
  return { metadata: { name }, spec: { replicas, selector: {} }, status: { replicas, readyReplicas: ready, availableReplicas: available } };
}

describe('setCondition', () => {
  it('keeps lastTransitionTime while the status stays, and is a no-op for the same reason', () => {
    const s: DeploymentStatus = {};
    setCondition(s, newCondition('Progressing', 'True', 'NewReplicaSetCreated', 'a', T0));
    setCondition(s, newCondition('Progressing', 'True', 'NewReplicaSetCreated', 'b', T0 + 5000));
    expect(getCondition(s, 'Progressing')).toMatchObject({ message: 'a', lastUpdateTime: rfc3339(T0) });
    setCondition(s, newCondition('Progressing', 'True', 'ReplicaSetUpdated', 'c', T0 + 9000));
    expect(getCondition(s, 'Progressing')).toMatchObject({ reason: 'ReplicaSetUpdated', lastTransitionTime: rfc3339(T0), lastUpdateTime: rfc3339(T0 + 9000) });
    setCondition(s, newCondition('Progressing', 'False', 'ProgressDeadlineExceeded', 'd', T0 + 20000));
    expect(getCondition(s, 'Progressing')).toMatchObject({ status: 'False', lastTransitionTime: rfc3339(T0 + 20000) });
    expect(s.conditions).toHaveLength(1);
  });
});

describe('rolloutStatus', () => {
  const created = newCondition('Progressing', 'True', 'NewReplicaSetCreated', 'Created new replica set "web-2"', T0);

  it('counts replicas over all ReplicaSets and sets Available by maxUnavailable', () => {
    const d = dep({ conditions: [created] });
    const s = rolloutStatus([rs('web-1', 3, 3), rs('web-2', 1, 0)], rs('web-2', 1, 0), d, T0 + 1000);
    expect(s).toMatchObject({ observedGeneration: 2, replicas: 4, updatedReplicas: 1, readyReplicas: 3, availableReplicas: 3, unavailableReplicas: 1 });
    expect(getCondition(s, 'Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable' });
    const down = rolloutStatus([rs('web-1', 2, 2), rs('web-2', 1, 0)], rs('web-2', 1, 0), d, T0 + 1000);
    expect(getCondition(down, 'Available')).toMatchObject({ status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' });
  });

  it('moves Progressing to ReplicaSetUpdated on progress, keeping lastTransitionTime and moving lastUpdateTime', () => {
    const d = dep({ replicas: 4, updatedReplicas: 1, availableReplicas: 3, conditions: [created] });
    const s = rolloutStatus([rs('web-1', 2, 2), rs('web-2', 2, 1)], rs('web-2', 2, 1), d, T0 + 7000);
    expect(getCondition(s, 'Progressing')).toMatchObject({
      status: 'True', reason: 'ReplicaSetUpdated', message: 'ReplicaSet "web-2" is progressing.',
      lastTransitionTime: rfc3339(T0), lastUpdateTime: rfc3339(T0 + 7000),
    });
  });

  it('reports NewReplicaSetAvailable once complete, and then stops estimating', () => {
    const d = dep({ conditions: [created] });
    const s = rolloutStatus([rs('web-1', 0, 0), rs('web-2', 3, 3)], rs('web-2', 3, 3), d, T0 + 2000);
    expect(deploymentComplete(d, s)).toBe(true);
    expect(getCondition(s, 'Progressing')).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable', message: 'ReplicaSet "web-2" has successfully progressed.' });
    // Much later, with nothing changed: no timeout.
    const later = rolloutStatus([rs('web-2', 3, 3)], rs('web-2', 3, 3), { ...d, status: s }, T0 + 3600_000);
    expect(getCondition(later, 'Progressing')?.reason).toBe('NewReplicaSetAvailable');
  });

  it('times out after progressDeadlineSeconds without progress', () => {
    const d = dep({ replicas: 4, updatedReplicas: 1, readyReplicas: 3, availableReplicas: 3, conditions: [created] }, 10);
    const same = [rs('web-1', 3, 3), rs('web-2', 1, 0)];
    expect(getCondition(rolloutStatus(same, same[1], d, T0 + 9000), 'Progressing')?.reason).toBe('NewReplicaSetCreated');
    expect(getCondition(rolloutStatus(same, same[1], d, T0 + 11000), 'Progressing')).toMatchObject({
      status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-2" has timed out progressing.',
    });
  });

  it('drops Progressing without a deadline and copies ReplicaFailure from the new ReplicaSet', () => {
    const d = dep({ conditions: [created] }, 2147483647); // MaxInt32: no deadline
    const failing = rs('web-2', 1, 0);
    failing.status!.conditions = [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'quota', lastTransitionTime: rfc3339(T0) }];
    const s = rolloutStatus([rs('web-1', 3, 3), failing], failing, d, T0);
    expect(getCondition(s, 'Progressing')).toBeUndefined();
    expect(getCondition(s, 'ReplicaFailure')).toMatchObject({ status: 'True', reason: 'FailedCreate', message: 'quota' });
  });

  it('calls old replicas going away progress', () => {
    const d = dep({ replicas: 4, updatedReplicas: 1 });
    expect(deploymentProgressing(d, { replicas: 3, updatedReplicas: 1 })).toBe(true);
    expect(deploymentProgressing(d, { replicas: 4, updatedReplicas: 1 })).toBe(false);
  });
});

describe('requeueStuckDeployment', () => {
  function ctx(now: number) {
    const c = { clock: { now: () => now }, enqueueAfter: vi.fn(), enqueueRateLimited: vi.fn() };
    return c as unknown as DeploymentSyncContext & typeof c;
  }
  const progressing = newCondition('Progressing', 'True', 'ReplicaSetUpdated', 'x', T0);

  it('looks again when the deadline passes (+1 s)', () => {
    const c = ctx(T0 + 3000);
    expect(requeueStuckDeployment(c, dep({ conditions: [progressing] }, 10), {})).toBe(7000);
    expect(c.enqueueAfter).toHaveBeenCalledWith(expect.anything(), 8000);
  });

  it('requeues (rate limited) at once when the deadline is less than a second away', () => {
    const c = ctx(T0 + 9500);
    expect(requeueStuckDeployment(c, dep({ conditions: [progressing] }, 10), {})).toBe(0);
    expect(c.enqueueRateLimited).toHaveBeenCalled();
  });

  it('does nothing once complete or timed out', () => {
    const c = ctx(T0);
    const done = { observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 3 };
    expect(requeueStuckDeployment(c, dep({ conditions: [progressing] }, 10), done)).toBe(-1);
    const timedOut = newCondition('Progressing', 'False', 'ProgressDeadlineExceeded', 'x', T0);
    expect(requeueStuckDeployment(c, dep({ conditions: [timedOut] }, 10), {})).toBe(-1);
  });
});
