// Which services a pod event touches, and what the trigger-time tracker reports.
import { describe, expect, it } from 'vitest';
import type { Pod, Service } from 'kubernetes-types/core/v1.js';
import { IndexedStore, Lister, NAMESPACE_INDEX, metaNamespaceIndexFunc } from '../../../client/index.js';
import { findPort } from './pods.js';
import { servicesToUpdateOnPodChange } from './service-membership.js';
import { TriggerTimeTracker } from './trigger-time-tracker.js';

const svc = (name: string, selector?: Record<string, string>): Service => ({ metadata: { name, namespace: 'ns', creationTimestamp: '2025-01-01T00:00:00Z' }, spec: { selector } });

function lister(): Lister<Service> {
  const store = new IndexedStore<Service>({ [NAMESPACE_INDEX]: metaNamespaceIndexFunc as (s: Service) => string[] });
  for (const s of [svc('a', { app: 'a' }), svc('b', { app: 'b' }), svc('all', { tier: 'x' }), svc('manual')]) store.add(s);
  return new Lister(store);
}

const pod = (rv: string, labels: Record<string, string>, ready = true, ip = '10.0.0.1'): Pod => ({
  metadata: { name: 'p', namespace: 'ns', resourceVersion: rv, labels },
  status: { podIPs: [{ ip }], conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: '2025-01-01T00:00:10Z' }] },
});

describe('servicesToUpdateOnPodChange', () => {
  const cases: Array<{ name: string; old: Pod; cur: Pod; want: string[] }> = [
    { name: 'a resync changes nothing', old: pod('1', { app: 'a' }), cur: pod('1', { app: 'a', x: 'y' }), want: [] },
    { name: 'an irrelevant change changes nothing', old: pod('1', { app: 'a' }), cur: pod('2', { app: 'a' }), want: [] },
    { name: 'readiness: the current services', old: pod('1', { app: 'a', tier: 'x' }), cur: pod('2', { app: 'a', tier: 'x' }, false), want: ['ns/a', 'ns/all'] },
    { name: 'new IP: the current services', old: pod('1', { app: 'a' }), cur: pod('2', { app: 'a' }, true, '10.0.0.2'), want: ['ns/a'] },
    { name: 'labels only: services joined or left', old: pod('1', { app: 'a', tier: 'x' }), cur: pod('2', { app: 'b', tier: 'x' }), want: ['ns/b', 'ns/a'] },
    { name: 'labels and readiness: both memberships', old: pod('1', { app: 'a', tier: 'x' }), cur: pod('2', { app: 'b', tier: 'x' }, false), want: ['ns/b', 'ns/all', 'ns/a'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect([...servicesToUpdateOnPodChange(lister(), c.old, c.cur)]).toEqual(c.want);
    });
  }
});

describe('findPort', () => {
  const p: Pod = { spec: { containers: [{ name: 'c', ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'web', containerPort: 8080 }] }], initContainers: [{ name: 's', restartPolicy: 'Always', ports: [{ name: 'proxy', containerPort: 15001 }] }] } };
  it.each([
    ['number', { port: 80, targetPort: 9000 }, 9000],
    ['unset targetPort is the port', { port: 80 }, 80],
    ['named, default protocol', { port: 80, targetPort: 'web' }, 8080],
    ['named with another protocol', { port: 53, targetPort: 'dns', protocol: 'TCP' }, undefined],
    ['named in a sidecar', { port: 1, targetPort: 'proxy' }, 15001],
    ['missing name', { port: 1, targetPort: 'nope' }, undefined],
  ])('%s', (_n, sp, want) => {
    expect(findPort(p, sp)).toBe(want);
  });
});

describe('TriggerTimeTracker', () => {
  it('reports the service creation first, then the earliest new pod transition, then nothing', () => {
    const t = new TriggerTimeTracker();
    const s = svc('a', { app: 'a' });
    expect(t.compute('ns', s, [])).toBe(Date.UTC(2025, 0, 1));
    const p = pod('1', { app: 'a' });
    expect(t.compute('ns', s, [p])).toBe(Date.UTC(2025, 0, 1, 0, 0, 10));
    expect(t.compute('ns', s, [p])).toBeUndefined();
  });
});
