import { describe, expect, it } from 'vitest';
import type { ResourceInfo } from '../../api/registry/registry.js';
import { DefaultTolerationSeconds } from './default-toleration-seconds.js';
import type { AdmissionAttributes, Operation } from './types.js';

const PODS = { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true } as ResourceInfo;
const NOT_READY = { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };
const UNREACHABLE = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };

function attrs(tolerations: unknown[] | undefined, o: { operation?: Operation; subresource?: string; resource?: ResourceInfo } = {}): AdmissionAttributes {
  return {
    operation: o.operation ?? 'CREATE', resource: o.resource ?? PODS, subresource: o.subresource ?? '', namespace: 'ns', name: 'p',
    object: { metadata: { name: 'p', namespace: 'ns' }, spec: { containers: [{ name: 'c', image: 'i' }], ...(tolerations ? { tolerations } : {}) } },
    user: { name: 'u', groups: [] }, dryRun: false,
  };
}

async function admitted(a: AdmissionAttributes, plugin = new DefaultTolerationSeconds()): Promise<unknown> {
  await plugin.admit(a);
  return a.object?.spec?.tolerations;
}

describe('DefaultTolerationSeconds', () => {
  const cases: { name: string; tolerations?: unknown[]; want: unknown[] }[] = [
    { name: 'no tolerations: both added', want: [NOT_READY, UNREACHABLE] },
    {
      name: 'unrelated tolerations are kept',
      tolerations: [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'NoSchedule' }],
      want: [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'NoSchedule' }, NOT_READY, UNREACHABLE],
    },
    {
      name: 'an own not-ready NoExecute toleration is left alone',
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }],
      want: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }, UNREACHABLE],
    },
    {
      name: 'an own unreachable toleration without effect covers NoExecute',
      tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists' }],
      want: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists' }, NOT_READY],
    },
    {
      name: 'a toleration with an empty key tolerates both',
      tolerations: [{ operator: 'Exists', effect: 'NoExecute' }],
      want: [{ operator: 'Exists', effect: 'NoExecute' }],
    },
    {
      name: 'tolerating everything (empty key and effect) tolerates both',
      tolerations: [{ operator: 'Exists' }],
      want: [{ operator: 'Exists' }],
    },
    {
      name: 'a NoSchedule toleration of the same key does not count',
      tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoSchedule' }],
      want: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoSchedule' }, NOT_READY, UNREACHABLE],
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      expect(await admitted(attrs(c.tolerations))).toEqual(c.want);
    });
  }

  it('uses the configured seconds', async () => {
    const plugin = new DefaultTolerationSeconds({ notReadyTolerationSeconds: 5, unreachableTolerationSeconds: 7 });
    expect(await admitted(attrs(undefined), plugin)).toEqual([{ ...NOT_READY, tolerationSeconds: 5 }, { ...UNREACHABLE, tolerationSeconds: 7 }]);
  });

  it('also admits updates of pods proper, as upstream', async () => {
    expect(await admitted(attrs(undefined, { operation: 'UPDATE' }))).toEqual([NOT_READY, UNREACHABLE]);
  });

  it('leaves subresources, other resources and deletions alone', async () => {
    expect(await admitted(attrs(undefined, { subresource: 'status' }))).toBeUndefined();
    expect(await admitted(attrs(undefined, { operation: 'DELETE' }))).toBeUndefined();
    expect(await admitted(attrs(undefined, { resource: { ...PODS, resource: 'podtemplates', kind: 'PodTemplate' } }))).toBeUndefined();
    expect(await admitted(attrs(undefined, { resource: { ...PODS, group: 'example.com' } }))).toBeUndefined();
  });
});
