// Against a real in-process API server: the propagation policies kubectl's --cascade chooses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigMap } from 'kubernetes-types/core/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { isNotFound, resources } from '../../client/index.js';
import { eventually, startTestCluster, type TestCluster } from '../testing/cluster.js';
import { newGarbageCollectorFactory } from './index.js';

let cluster: TestCluster;

beforeAll(async () => {
  cluster = await startTestCluster();
  await cluster.run({ garbagecollector: newGarbageCollectorFactory({ resyncPeriodMs: 1000 }) });
}, 30_000);

afterAll(async () => {
  await cluster?.stop();
});

const cms = () => cluster.admin.resource(resources.configMaps).namespace('default');

async function create(name: string, owners?: OwnerReference[]): Promise<ConfigMap> {
  return cms().create({ metadata: { name, ownerReferences: owners }, data: { k: 'v' } });
}

function ownedBy(owner: ConfigMap, block?: boolean): OwnerReference {
  return { apiVersion: 'v1', kind: 'ConfigMap', name: owner.metadata!.name!, uid: owner.metadata!.uid!, blockOwnerDeletion: block };
}

async function gone(name: string): Promise<boolean> {
  try {
    await cms().get(name);
    return false;
  } catch (e) {
    if (isNotFound(e)) return true;
    throw e;
  }
}

describe('garbage collector', () => {
  it('deletes a dependent once its owner is deleted (background)', async () => {
    const owner = await create('bg-owner');
    await create('bg-child', [ownedBy(owner)]);
    await cms().delete('bg-owner', { propagationPolicy: 'Background' });
    await eventually(() => gone('bg-child'));
  });

  it('foreground: deletes the blocking dependent first, then the owner goes', async () => {
    const owner = await create('fg-owner');
    await create('fg-child', [ownedBy(owner, true)]);
    const pending = await cms().delete('fg-owner', { propagationPolicy: 'Foreground' });
    expect(pending?.metadata?.finalizers).toContain('foregroundDeletion');
    // The owner stays while the dependent exists…
    const seen: string[] = [];
    await eventually(async () => {
      const childGone = await gone('fg-child');
      const ownerGone = await gone('fg-owner');
      seen.push(`${childGone}/${ownerGone}`);
      return childGone && ownerGone;
    });
    // …so it is never observed gone while the dependent still exists.
    expect(seen).not.toContain('false/true');
  });

  it('orphan: the dependent stays, without the owner reference', async () => {
    const owner = await create('or-owner');
    const other = await create('or-other');
    await create('or-child', [ownedBy(owner), ownedBy(other)]);
    await cms().delete('or-owner', { propagationPolicy: 'Orphan' });
    await eventually(() => gone('or-owner'));
    const child = await cms().get('or-child');
    expect(child.metadata?.ownerReferences?.map((r) => r.name)).toEqual(['or-other']);
  });

  it('deletes a dependent whose owner never existed (dangling uid)', async () => {
    await create('dangling-child', [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'never', uid: '00000000-0000-0000-0000-00000000dead' }]);
    await eventually(() => gone('dangling-child'));
  });

  it('keeps a dependent whose owner exists, and drops only the reference to the absent one', async () => {
    const owner = await create('keep-owner');
    await create('keep-child', [ownedBy(owner), { apiVersion: 'v1', kind: 'ConfigMap', name: 'gone', uid: '00000000-0000-0000-0000-0000000000ff' }]);
    await eventually(async () => (await cms().get('keep-child')).metadata?.ownerReferences?.length === 1);
    expect((await cms().get('keep-child')).metadata?.ownerReferences?.[0]?.name).toBe('keep-owner');
  });

  it('follows owners of other kinds: a deployment owning a configmap', async () => {
    const deploy = await cluster.admin.resource(resources.deployments).namespace('default').create({
      metadata: { name: 'web' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    });
    await create('web-config', [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: deploy.metadata!.uid! }]);
    await cluster.admin.resource(resources.deployments).namespace('default').delete('web', { propagationPolicy: 'Foreground' });
    await eventually(() => gone('web-config'));
    await eventually(async () => {
      try {
        await cluster.admin.resource(resources.deployments).namespace('default').get('web');
        return false;
      } catch (e) {
        return isNotFound(e);
      }
    });
  });
});
