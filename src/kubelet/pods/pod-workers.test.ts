import type { Pod } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../client/index.js';
import { PodWorkers } from './pod-workers.js';
import type { PodRecord } from './types.js';

const pod = (rv: string, phase = 'Pending'): Pod => ({ metadata: { uid: 'u1', name: 'p', namespace: 'd', resourceVersion: rv }, spec: { containers: [] }, status: { phase } });

function setup() {
  const synced: string[] = [];
  let release: () => void = () => undefined;
  const workers = new PodWorkers({
    sync: async (rec: PodRecord) => {
      synced.push(rec.pod.metadata!.resourceVersion!);
      await new Promise<void>((r) => (release = r));
    },
    terminate: async () => {},
    cleanup: async () => {},
    onError: (_rec, e) => {
      throw e;
    },
  }, new FakeClock(0));
  const settle = async () => {
    for (let i = 0; i < 5; i++) {
      release();
      await new Promise((r) => setImmediate(r));
    }
  };
  return { workers, synced, settle };
}

describe('PodWorkers', () => {
  it('collapses updates during a sync into one more sync of the latest version', async () => {
    const t = setup();
    t.workers.update(pod('1'));
    await new Promise((r) => setImmediate(r)); // the first sync is running
    t.workers.update(pod('2'));
    t.workers.update(pod('3'));
    await t.settle();
    expect(t.synced).toEqual(['1', '3']);
  });

  it('keeps a status-only version without a sync of its own; the next sync sees it', async () => {
    const t = setup();
    t.workers.update(pod('1'));
    await t.settle();
    t.workers.refresh(pod('2', 'Running'));
    await t.settle();
    expect(t.synced).toEqual(['1']);
    expect(t.workers.get('u1')!.pod.status!.phase).toBe('Running');
    t.workers.kickUid('u1');
    await t.settle();
    expect(t.synced).toEqual(['1', '2']);
  });
});
