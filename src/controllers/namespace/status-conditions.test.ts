import { describe, expect, it } from 'vitest';
import type { Namespace } from 'kubernetes-types/core/v1.js';
import { GroupDiscoveryFailedError } from '../garbage-collector/discovery.js';
import { CONDITION_TYPES, NamespaceConditionUpdater, rfc3339 } from './status-conditions.js';

const T0 = Date.parse('2025-01-02T03:04:05Z');

function conditions(ns: Namespace) {
  return Object.fromEntries((ns.status?.conditions ?? []).map((c) => [c.type, [c.status, c.reason, c.message]]));
}

describe('NamespaceConditionUpdater', () => {
  it('reports every condition as False with the ok reasons when nothing failed', () => {
    const ns: Namespace = { metadata: { name: 'x' } };
    const u = new NamespaceConditionUpdater(() => T0);
    u.processContentTotals({ gvrToNumRemaining: new Map(), finalizersToNumRemaining: new Map() });
    expect(u.update(ns)).toBe(true);
    expect(ns.status!.conditions!.map((c) => c.type)).toEqual([...CONDITION_TYPES]);
    expect(conditions(ns)).toEqual({
      NamespaceDeletionDiscoveryFailure: ['False', 'ResourcesDiscovered', 'All resources successfully discovered'],
      NamespaceDeletionGroupVersionParsingFailure: ['False', 'ParsedGroupVersions', 'All legacy kube types successfully parsed'],
      NamespaceDeletionContentFailure: ['False', 'ContentDeleted', 'All content successfully deleted, may be waiting on finalization'],
      NamespaceContentRemaining: ['False', 'ContentRemoved', 'All content successfully removed'],
      NamespaceFinalizersRemaining: ['False', 'ContentRemoved', 'All content successfully removed'],
    });
    expect(ns.status!.conditions![0]!.lastTransitionTime).toBe('2025-01-02T03:04:05Z');
    // The same outcome again changes nothing.
    expect(new NamespaceConditionUpdater(() => T0 + 1000).update(ns)).toBe(false);
  });

  it('reports remaining content and finalizers with upstream messages, sorted', () => {
    const ns: Namespace = { metadata: { name: 'x' } };
    const u = new NamespaceConditionUpdater(() => T0);
    u.processContentTotals({
      gvrToNumRemaining: new Map([['pods.', 2], ['configmaps.', 1], ['deployments.apps', 1]]),
      finalizersToNumRemaining: new Map([['example.com/b', 1], ['example.com/a', 2]]),
    });
    u.update(ns);
    expect(conditions(ns).NamespaceContentRemaining).toEqual([
      'True',
      'SomeResourcesRemain',
      'Some resources are remaining: configmaps. has 1 resource instances, deployments.apps has 1 resource instances, pods. has 2 resource instances',
    ]);
    expect(conditions(ns).NamespaceFinalizersRemaining).toEqual(['True', 'SomeFinalizerRemain', 'Some finalizers are remaining: example.com/a in 2 resource instances, example.com/b in 1 resource instances']);
  });

  it('reports discovery and content failures', () => {
    const ns: Namespace = { metadata: { name: 'x' } };
    const u = new NamespaceConditionUpdater(() => T0);
    u.processDiscoverResourcesErr(new GroupDiscoveryFailedError(new Map([['metrics.k8s.io/v1beta1', new Error('the server is currently unable to handle the request')]])));
    u.processDeleteContentErr(new Error('b failed'));
    u.processDeleteContentErr(new Error('a failed'));
    u.processGroupVersionErr(new Error('unexpected GroupVersion string: a/b/c'));
    u.update(ns);
    expect(conditions(ns).NamespaceDeletionDiscoveryFailure).toEqual([
      'True',
      'DiscoveryFailed',
      'Discovery failed for some groups, 1 failing: unable to retrieve the complete list of server APIs: metrics.k8s.io/v1beta1: the server is currently unable to handle the request',
    ]);
    expect(conditions(ns).NamespaceDeletionContentFailure).toEqual(['True', 'ContentDeletionFailed', 'Failed to delete all resource types, 2 remaining: a failed, b failed']);
    expect(conditions(ns).NamespaceDeletionGroupVersionParsingFailure).toEqual(['True', 'GroupVersionParsingFailed', 'unexpected GroupVersion string: a/b/c']);
  });

  it('moves lastTransitionTime only when the status flips', () => {
    const ns: Namespace = { metadata: { name: 'x' } };
    const remaining = (n: number) => ({ gvrToNumRemaining: new Map(n ? [['configmaps.', n]] : []), finalizersToNumRemaining: new Map<string, number>() });
    let u = new NamespaceConditionUpdater(() => T0);
    u.processContentTotals(remaining(2));
    u.update(ns);
    u = new NamespaceConditionUpdater(() => T0 + 5000);
    u.processContentTotals(remaining(1));
    expect(u.update(ns)).toBe(true); // message changed
    const c = () => ns.status!.conditions!.find((x) => x.type === 'NamespaceContentRemaining')!;
    expect(c().lastTransitionTime).toBe(rfc3339(T0));
    u = new NamespaceConditionUpdater(() => T0 + 9000);
    u.processContentTotals(remaining(0));
    u.update(ns);
    expect(c().status).toBe('False');
    expect(c().lastTransitionTime).toBe(rfc3339(T0 + 9000));
  });
});
