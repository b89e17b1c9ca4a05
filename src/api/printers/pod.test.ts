import { describe, expect, it } from 'vitest';
import { printerFor } from './index.js';
import type { KObject } from './types.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString().replace('.000Z', 'Z');
const MIN = 60_000;

const running = (name: string, extra: KObject = {}) => ({ name, ready: true, restartCount: 0, image: 'img', imageID: '', state: { running: { startedAt: ago(MIN) } }, ...extra });
const waiting = (name: string, reason: string, extra: KObject = {}) => ({ name, ready: false, restartCount: 0, image: 'img', imageID: '', state: { waiting: { reason } }, ...extra });
const terminated = (name: string, t: KObject, extra: KObject = {}) => ({ name, ready: false, restartCount: 0, image: 'img', imageID: '', state: { terminated: t }, ...extra });

function pod(spec: KObject, status: KObject, meta: KObject = {}): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', creationTimestamp: ago(10 * MIN), ...meta },
    spec: { containers: [{ name: 'c', image: 'img' }], ...spec },
    status,
  };
}

const twoInits = { initContainers: [{ name: 'i1', image: 'x' }, { name: 'i2', image: 'x' }] };

describe('pod READY / STATUS / RESTARTS', () => {
  const cases: [string, KObject, [string, string, string]][] = [
    ['running', pod({}, { phase: 'Running', containerStatuses: [running('c')] }), ['1/1', 'Running', '0']],
    ['pending, nothing reported', pod({}, { phase: 'Pending' }), ['0/1', 'Pending', '0']],
    ['container creating', pod({}, { phase: 'Pending', containerStatuses: [waiting('c', 'ContainerCreating')] }), ['0/1', 'ContainerCreating', '0']],
    [
      'crash loop with last restart time',
      pod({}, { phase: 'Running', containerStatuses: [waiting('c', 'CrashLoopBackOff', { restartCount: 3, lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(5 * MIN) } } })] }),
      ['0/1', 'CrashLoopBackOff', '3 (5m ago)'],
    ],
    ['restarts without a termination time', pod({}, { phase: 'Running', containerStatuses: [running('c', { restartCount: 2 })] }), ['1/1', 'Running', '2']],
    ['completed', pod({}, { phase: 'Succeeded', containerStatuses: [terminated('c', { exitCode: 0, reason: 'Completed' })] }), ['0/1', 'Completed', '0']],
    ['error', pod({}, { phase: 'Failed', containerStatuses: [terminated('c', { exitCode: 1, reason: 'Error' })] }), ['0/1', 'Error', '0']],
    ['exit code without reason', pod({}, { phase: 'Failed', containerStatuses: [terminated('c', { exitCode: 137 })] }), ['0/1', 'ExitCode:137', '0']],
    ['signal without reason', pod({}, { phase: 'Failed', containerStatuses: [terminated('c', { exitCode: 0, signal: 9 })] }), ['0/1', 'Signal:9', '0']],
    ['evicted', pod({}, { phase: 'Failed', reason: 'Evicted' }), ['0/1', 'Evicted', '0']],
    ['scheduling gated', pod({}, { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }), ['0/1', 'SchedulingGated', '0']],
    ['Init:0/2', pod(twoInits, { phase: 'Pending', initContainerStatuses: [running('i1', { ready: false }), waiting('i2', 'PodInitializing')] }), ['0/1', 'Init:0/2', '0']],
    [
      'Init:1/2',
      pod(twoInits, { phase: 'Pending', initContainerStatuses: [terminated('i1', { exitCode: 0, reason: 'Completed' }), running('i2', { ready: false })] }),
      ['0/1', 'Init:1/2', '0'],
    ],
    [
      'Init:CrashLoopBackOff',
      pod(twoInits, { phase: 'Pending', initContainerStatuses: [waiting('i1', 'CrashLoopBackOff', { restartCount: 4, lastState: { terminated: { exitCode: 1, finishedAt: ago(2 * MIN) } } }), waiting('i2', 'PodInitializing')] }),
      ['0/1', 'Init:CrashLoopBackOff', '4 (2m ago)'],
    ],
    ['Init:Error', pod(twoInits, { phase: 'Pending', initContainerStatuses: [terminated('i1', { exitCode: 1, reason: 'Error' })] }), ['0/1', 'Init:Error', '0']],
    ['Init:ExitCode', pod(twoInits, { phase: 'Pending', initContainerStatuses: [terminated('i1', { exitCode: 2 })] }), ['0/1', 'Init:ExitCode:2', '0']],
    ['Init:Signal', pod(twoInits, { phase: 'Pending', initContainerStatuses: [terminated('i1', { exitCode: 1, signal: 15 })] }), ['0/1', 'Init:Signal:15', '0']],
    [
      'PodInitializing once init containers are done',
      pod(twoInits, {
        phase: 'Pending',
        initContainerStatuses: [terminated('i1', { exitCode: 0, reason: 'Completed' }), terminated('i2', { exitCode: 0, reason: 'Completed' })],
        containerStatuses: [waiting('c', 'PodInitializing')],
      }),
      ['0/1', 'PodInitializing', '0'],
    ],
    ['terminating', pod({}, { phase: 'Running', containerStatuses: [running('c')] }, { deletionTimestamp: ago(0) }), ['1/1', 'Terminating', '0']],
    ['terminated pod being deleted keeps its reason', pod({}, { phase: 'Succeeded', containerStatuses: [terminated('c', { exitCode: 0, reason: 'Completed' })] }, { deletionTimestamp: ago(0) }), ['0/1', 'Completed', '0']],
    ['node lost, deleting', pod({}, { phase: 'Running', reason: 'NodeLost' }, { deletionTimestamp: ago(0) }), ['0/1', 'Unknown', '0']],
    ['node lost', pod({}, { phase: 'Running', reason: 'NodeLost' }), ['0/1', 'NodeLost', '0']],
    [
      'completed container beside a running one, pod ready',
      pod(
        { containers: [{ name: 'a' }, { name: 'b' }] },
        { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [terminated('a', { exitCode: 0, reason: 'Completed' }), running('b')] },
      ),
      ['1/2', 'Running', '0'],
    ],
    [
      'completed container beside a running one, pod not ready',
      pod({ containers: [{ name: 'a' }, { name: 'b' }] }, { phase: 'Running', containerStatuses: [terminated('a', { exitCode: 0, reason: 'Completed' }), running('b')] }),
      ['1/2', 'NotReady', '0'],
    ],
    [
      'sidecar init container counts as a container',
      pod(
        { initContainers: [{ name: 'side', image: 'x', restartPolicy: 'Always' }] },
        {
          phase: 'Running',
          conditions: [{ type: 'Initialized', status: 'True' }],
          initContainerStatuses: [running('side', { started: true, restartCount: 1, lastState: { terminated: { exitCode: 1, finishedAt: ago(10 * MIN) } } })],
          containerStatuses: [running('c')],
        },
      ),
      ['2/2', 'Running', '1 (10m ago)'],
    ],
  ];
  it.each(cases)('%s', (_name, obj, [ready, status, restarts]) => {
    const row = printerFor('', 'Pod').row(obj, NOW);
    expect(row.slice(1, 4)).toEqual([ready, status, restarts]);
  });
});

describe('pod row', () => {
  const p = printerFor('', 'Pod');
  it('has upstream columns, wide ones with priority 1', () => {
    expect(p.columns.map((c) => [c.name, c.type, c.format, c.priority])).toEqual([
      ['Name', 'string', 'name', 0],
      ['Ready', 'string', '', 0],
      ['Status', 'string', '', 0],
      ['Restarts', 'string', '', 0],
      ['Age', 'string', '', 0],
      ['IP', 'string', '', 1],
      ['Node', 'string', '', 1],
      ['Nominated Node', 'string', '', 1],
      ['Readiness Gates', 'string', '', 1],
    ]);
  });
  it('prints every cell', () => {
    const obj = pod(
      { nodeName: 'n1', readinessGates: [{ conditionType: 'example.com/lb' }, { conditionType: 'example.com/x' }] },
      {
        phase: 'Running',
        podIP: '10.1.2.3',
        podIPs: [{ ip: '10.1.2.3' }],
        conditions: [{ type: 'example.com/lb', status: 'True' }],
        containerStatuses: [running('c')],
      },
    );
    expect(p.row(obj, NOW)).toEqual(['p', '1/1', 'Running', '0', '10m', '10.1.2.3', 'n1', '<none>', '1/2']);
    expect(p.row(pod({}, {}), NOW)).toEqual(['p', '0/1', '', '0', '10m', '<none>', '<none>', '<none>', '<none>']);
  });
  it('marks finished pods with a Completed row condition', () => {
    expect(p.conditions?.(pod({}, { phase: 'Succeeded' }))).toEqual([
      { type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' },
    ]);
    expect(p.conditions?.(pod({}, { phase: 'Failed' }))?.[0]?.reason).toBe('Failed');
    expect(p.conditions?.(pod({}, { phase: 'Running' }))).toBeUndefined();
  });
  it('prints pod templates', () => {
    const t = { metadata: { name: 't' }, template: { metadata: { labels: { b: '2', a: '1' } }, spec: { containers: [{ name: 'x', image: 'i1' }, { name: 'y', image: 'i2' }] } } };
    expect(printerFor('', 'PodTemplate').row(t, NOW)).toEqual(['t', 'x,y', 'i1,i2', 'a=1,b=2']);
  });
});
