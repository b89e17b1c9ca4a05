// Taint-based eviction with fake time: node and pod updates handled directly, deletions written
// to a fake API server, timers on a FakeClock.
import { describe, expect, it } from 'vitest';
import type { Node, Pod, Taint, Toleration } from 'kubernetes-types/core/v1.js';
import { FakeClock, RestClient, SharedInformerFactory, resources, type KubeObject, type ResourceType } from '../../client/index.js';
import { FakeApiServer } from '../../client/testing/index.js';
import type { ControllerContext } from '../types.js';
import { TaintEvictionController } from './taint-eviction-controller.js';

const T0 = Date.UTC(2025, 0, 1);
const UNREACHABLE: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };

function setup() {
  const clock = new FakeClock(T0);
  const api = new FakeApiServer({ clock });
  const client = new RestClient(api, { clock });
  const informers = new SharedInformerFactory(client, { clock });
  const events: string[] = [];
  const ctx: ControllerContext = {
    client, informers, clock, signal: new AbortController().signal,
    recorder: (component) => ({
      event: (_obj, type, reason, message) => void events.push(`${component} ${type} ${reason}: ${message}`),
      annotatedEvent: () => {},
    }),
  };
  const ctrl = new TaintEvictionController(ctx, { onError: (e) => { throw e; } });
  const refresh = () => {
    for (const r of [resources.nodes, resources.pods] as ResourceType<KubeObject>[]) informers.informerFor(r).getIndexer().replace(api.list(r), String(api.rv));
  };
  const setTaints = (taints: Taint[]) => {
    const n = api.get(resources.nodes, '', 'n1');
    if (n) void client.resource(resources.nodes).update({ ...n, spec: { ...n.spec, taints } });
    else api.seed(resources.nodes, { metadata: { name: 'n1' }, spec: { taints } } as Node);
  };
  const addPod = (name: string, tolerations?: Toleration[]) => api.seed(resources.pods, { metadata: { name, namespace: 'ns' }, spec: { nodeName: 'n1', containers: [], tolerations } } as Pod);
  const exists = (name: string) => api.get(resources.pods, 'ns', name) !== undefined;
  /** Lets writes settle, refreshes the caches and handles the node. */
  const nodeChanged = async () => {
    await clock.advance(0);
    refresh();
    ctrl.handleNodeUpdate('n1');
    await ctrl.flush();
  };
  const advance = async (ms: number) => {
    await clock.advance(ms);
    await ctrl.flush();
  };
  return { clock, api, ctrl, events, setTaints, addPod, exists, nodeChanged, advance, refresh };
}

const tolerate = (seconds?: number, key = UNREACHABLE.key): Toleration => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds });

describe('TaintEvictionController', () => {
  it('deletes pods that do not tolerate a NoExecute taint at once, and the others after their tolerationSeconds', async () => {
    const c = setup();
    c.setTaints([UNREACHABLE, { key: 'dedicated', effect: 'NoSchedule' }]);
    c.addPod('none');
    c.addPod('other-key', [tolerate(undefined, 'node.kubernetes.io/not-ready')]);
    c.addPod('t30', [tolerate(30)]);
    c.addPod('t300', [tolerate(300), tolerate(600)]);
    c.addPod('forever', [tolerate()]);
    c.addPod('everything', [{ operator: 'Exists' }]);
    await c.nodeChanged();

    expect(['none', 'other-key'].map(c.exists)).toEqual([false, false]);
    expect(c.events).toContain('taint-eviction-controller Normal TaintManagerEviction: Marking for deletion Pod ns/none');
    const marked = c.api.actions.find((a) => a.subresource === 'status' && a.name === 'none')?.body as Pod;
    expect(marked.status?.conditions).toEqual([{ type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint', lastTransitionTime: '2025-01-01T00:00:00Z' }]);

    await c.advance(29_999);
    expect(c.exists('t30')).toBe(true);
    await c.advance(1);
    expect(c.exists('t30')).toBe(false);

    await c.advance(269_999);
    expect(c.exists('t300')).toBe(true);
    await c.advance(1);
    expect(c.exists('t300')).toBe(false);

    await c.advance(3_600_000);
    expect(['forever', 'everything'].map(c.exists)).toEqual([true, true]);
  });

  it('counts tolerationSeconds from when the taint was first seen, across later taint changes', async () => {
    const c = setup();
    const NOT_READY: Taint = { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' };
    c.setTaints([UNREACHABLE]);
    c.addPod('t60', [tolerate(60), tolerate(30, NOT_READY.key)]);
    c.addPod('strict', [tolerate(60)]);
    await c.nodeChanged();
    await c.advance(40_000);
    // A second NoExecute taint: the tolerating pod keeps its eviction's start (upstream keeps the
    // earlier schedule), the pod not tolerating it goes at once.
    c.setTaints([UNREACHABLE, NOT_READY]);
    await c.nodeChanged();
    expect(c.exists('strict')).toBe(false);
    expect(c.ctrl.evictions.get('ns/t60')).toMatchObject({ createdAt: T0, fireAt: T0 + 60_000 });
    await c.advance(19_999);
    expect(c.exists('t60')).toBe(true);
    await c.advance(1);
    expect(c.exists('t60')).toBe(false);
  });

  it('keeps a scheduled eviction on a later update and cancels it when the taint goes', async () => {
    const c = setup();
    c.setTaints([UNREACHABLE]);
    c.addPod('t60', [tolerate(60)]);
    await c.nodeChanged();
    await c.advance(20_000);
    c.ctrl.handlePodUpdate('ns/t60');
    expect(c.ctrl.evictions.get('ns/t60')).toMatchObject({ createdAt: T0, fireAt: T0 + 60_000 });

    await c.advance(20_000);
    c.setTaints([]);
    await c.nodeChanged();
    expect(c.events).toContain('taint-eviction-controller Normal TaintManagerEviction: Cancelling deletion of Pod ns/t60');
    await c.advance(60_000);
    expect(c.exists('t60')).toBe(true);
    expect(c.clock.pending()).toBe(0);
  });

  it('judges a pod bound later against the node taints it already knows', async () => {
    const c = setup();
    c.setTaints([UNREACHABLE]);
    await c.nodeChanged();
    c.addPod('late', [tolerate(5)]);
    c.refresh();
    c.ctrl.handlePodUpdate('ns/late');
    await c.advance(5_000);
    expect(c.exists('late')).toBe(false);
    // Its deletion is seen: the fired entry is forgotten.
    c.refresh();
    c.ctrl.handlePodUpdate('ns/late');
    expect(c.ctrl.evictions.size).toBe(0);
  });
});
