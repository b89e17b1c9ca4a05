import { describe, it, expect } from 'vitest';
import { Priority } from './priority.js';
import type { AdmissionAttributes } from './types.js';
import type { KObject } from '../../api/strategies/types.js';

const classes: KObject[] = [
  { metadata: { name: 'high' }, value: 1000, preemptionPolicy: 'Never' },
  { metadata: { name: 'low-default' }, value: 10, globalDefault: true },
];
const plugin = new Priority({ get: async (n) => classes.find((c) => c.metadata?.name === n), list: async () => classes });

function podAttrs(spec: Record<string, unknown>): AdmissionAttributes {
  return {
    operation: 'CREATE', subresource: '', namespace: 'default', name: 'p', dryRun: false, user: { name: 'admin', groups: [] },
    resource: { group: '', version: 'v1', resource: 'pods', kind: 'Pod' } as AdmissionAttributes['resource'],
    object: { metadata: { name: 'p' }, spec },
  };
}

describe('Priority admission', () => {
  it('resolves the named class into priority and preemptionPolicy', async () => {
    const a = podAttrs({ priorityClassName: 'high' });
    await plugin.admit(a);
    expect(a.object!.spec).toMatchObject({ priority: 1000, preemptionPolicy: 'Never' });
  });
  it('uses the global default class when none is named', async () => {
    const a = podAttrs({});
    await plugin.admit(a);
    expect(a.object!.spec).toMatchObject({ priorityClassName: 'low-default', priority: 10 });
  });
  it('refuses a missing class and a priority that disagrees with the class', async () => {
    await expect(plugin.admit(podAttrs({ priorityClassName: 'nope' }))).rejects.toMatchObject({ code: 403, message: 'pods "p" is forbidden: no PriorityClass with name nope was found' });
    await expect(plugin.admit(podAttrs({ priorityClassName: 'high', priority: 5 }))).rejects.toMatchObject({
      code: 403, message: expect.stringContaining('the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 1000'),
    });
  });
  it('allows only one global default', async () => {
    const a: AdmissionAttributes = {
      ...podAttrs({}), resource: { group: 'scheduling.k8s.io', version: 'v1', resource: 'priorityclasses', kind: 'PriorityClass' } as AdmissionAttributes['resource'],
      name: 'second', object: { metadata: { name: 'second' }, value: 5, globalDefault: true },
    };
    await expect(plugin.validate(a)).rejects.toMatchObject({ code: 403, message: expect.stringContaining('PriorityClass low-default is already marked as default') });
  });
});
