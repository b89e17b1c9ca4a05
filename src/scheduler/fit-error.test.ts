import { describe, expect, it } from 'vitest';
import { Status } from './framework/status.js';
import { fitErrorMessage, newDiagnosis, truncateMessage } from './fit-error.js';

describe('fitErrorMessage', () => {
  it('counts and sorts reasons over nodes, then appends the PostFilter message', () => {
    const d = newDiagnosis();
    d.nodeToStatus.set('a', Status.unschedulable('Insufficient cpu'));
    d.nodeToStatus.set('b', Status.unresolvable('node(s) had untolerated taint {dedicated: gpu}'));
    d.nodeToStatus.set('c', Status.unresolvable('node(s) had untolerated taint {dedicated: gpu}'));
    d.postFilterMsg = 'preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.';
    expect(fitErrorMessage(3, d)).toBe(
      '0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {dedicated: gpu}. preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.',
    );
  });

  it('counts every reason of a node and the absent nodes', () => {
    const d = newDiagnosis();
    d.nodeToStatus.set('a', Status.unschedulable('Insufficient cpu', 'Insufficient memory'));
    d.nodeToStatus.absent = Status.unresolvable("node(s) didn't satisfy plugin(s) [NodeAffinity]");
    expect(fitErrorMessage(4, d)).toBe("0/4 nodes are available: 1 Insufficient cpu, 1 Insufficient memory, 3 node(s) didn't satisfy plugin(s) [NodeAffinity].");
  });

  it('uses the PreFilter message alone', () => {
    const d = newDiagnosis();
    d.preFilterMsg = 'pod affinity terms conflict';
    d.nodeToStatus.absent = Status.unresolvable('pod affinity terms conflict');
    expect(fitErrorMessage(2, d)).toBe('0/2 nodes are available: pod affinity terms conflict.');
  });

  it('truncates long messages', () => {
    expect(truncateMessage('x'.repeat(2000))).toHaveLength(1024);
    expect(truncateMessage('x'.repeat(2000)).endsWith(' ...')).toBe(true);
  });
});

describe('FitError', () => {
  it('computes its message when read', async () => {
    const { FitError } = await import('./fit-error.js');
    const d = newDiagnosis();
    const e = new FitError(1, d);
    d.nodeToStatus.set('a', Status.unschedulable('Too many pods'));
    expect(e.message).toBe('0/1 nodes are available: 1 Too many pods.');
  });
});
