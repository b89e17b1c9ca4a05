// The pod garbage collector against a real API server in this process, with a threshold of 2,
// a 100 ms period and a 300 ms quarantine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { isNotFound, resources } from '../../client/index.js';
import { eventually, startTestCluster, type TestCluster } from '../testing/cluster.js';
import { podGcFactory } from './index.js';

const NS = 'default';
let c: TestCluster;

beforeAll(async () => {
  c = await startTestCluster();
  await c.run({ 'pod-garbage-collector': podGcFactory({ terminatedPodThreshold: 2, gcCheckPeriodMs: 100, quarantineMs: 300 }) });
});
afterAll(async () => {
  await c?.stop();
});

const pods = () => c.admin.resource(resources.pods).namespace(NS);

function newPod(name: string): Pod {
  return { metadata: { name, namespace: NS }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
}

async function createFinished(name: string): Promise<Pod> {
  const p = await pods().create(newPod(name));
  return pods().updateStatus({ ...p, status: { ...p.status, phase: 'Succeeded' } });
}

async function createBound(name: string, node: string): Promise<Pod> {
  await pods().create(newPod(name));
  await pods().createSubresource(name, 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { kind: 'Node', name: node } });
  const p = await pods().get(name);
  return pods().updateStatus({ ...p, status: { ...p.status, phase: 'Running' } });
}

async function exists(name: string): Promise<boolean> {
  try {
    await pods().get(name);
    return true;
  } catch (e) {
    if (isNotFound(e)) return false;
    throw e;
  }
}

/** Waits into the next wall-clock second, so creation timestamps (whole seconds) differ. */
const nextSecond = () => new Promise((r) => setTimeout(r, 1020 - (Date.now() % 1000)));

const names = async () => (await pods().list()).items.map((p) => p.metadata?.name).sort();

describe('pod garbage collector', () => {
  it('deletes terminated pods beyond the threshold, oldest first; running pods stay', async () => {
    await pods().create(newPod('running-first'));
    await createFinished('z-oldest');
    await nextSecond();
    await createFinished('y-older');
    await nextSecond();
    // Same second: by name these two would go first, by age they are the newest.
    await createFinished('b-new');
    await createFinished('a-new');
    await eventually(async () => {
      const left = await names();
      return !left.includes('z-oldest') && !left.includes('y-older') && left;
    });
    // A few more periods: nothing else goes.
    await new Promise((r) => setTimeout(r, 300));
    expect(await names()).toEqual(['a-new', 'b-new', 'running-first']);
    for (const n of ['a-new', 'b-new', 'running-first']) await pods().delete(n, { gracePeriodSeconds: 0 });
  });

  it('deletes pods bound to a node that does not exist (terminating ones at once), not those on a live node', async () => {
    await c.admin.resource(resources.nodes).create({ metadata: { name: 'real-node' } });
    // What the orphan looked like as it was deleted (the DELETED event's object).
    const watch = await pods().watch({ resourceVersion: (await pods().list()).metadata?.resourceVersion });
    const lastSeen = (async () => {
      for await (const ev of watch) if (ev.type === 'DELETED' && ev.object.metadata?.name === 'on-ghost') return ev.object;
      return undefined;
    })();
    await createBound('on-real', 'real-node');
    await createBound('on-ghost', 'ghost-node');
    await createBound('leaving-ghost', 'ghost-node-2');
    // A graceful deletion of a bound pod waits for a kubelet that will never come…
    const pending = await pods().delete('leaving-ghost');
    expect(pending?.metadata?.deletionTimestamp).toBeDefined();
    // …the collector force-deletes it (and the running orphan) long before the 30 s are up.
    await eventually(async () => !(await exists('on-ghost')) && !(await exists('leaving-ghost')));
    expect(await exists('on-real')).toBe(true);
    const last = await lastSeen;
    watch.stop();
    expect(last?.status?.phase).toBe('Failed');
    expect(last?.status?.conditions?.find((x) => x.type === 'DisruptionTarget')).toMatchObject({ status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists' });
  });
});
