// The scheduler without the API: a Scheduler over N nodes with a binder that "binds" at once and
// feeds the bound pod back through the pod event handler, as the informer would. What it measures
// is the scheduling cycle (queue, snapshot, plugins, assume) plus the cache and queue bookkeeping
// of the binding, none of the API's cost. Used by bench/scheduler.ts and to profile the scheduler.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { FakeClock, type EventRecorder } from '../../client/index.js';
import { podEventHandler, nodeEventHandler } from '../event-handlers.js';
import type { BindPlugin } from '../framework/interface.js';
import { defaultProfile } from '../framework/profile.js';
import { inTreeRegistry } from '../plugins/registry.js';
import { Scheduler } from '../scheduler.js';

export interface CycleBenchResult {
  podsPerS: number;
  bound: number;
  ms: number;
}

/** Schedules `pods` over `nodes` in one Scheduler; pods/s over the whole run. */
export async function benchSchedulingCycles(nodes: Node[], pods: Pod[]): Promise<CycleBenchResult> {
  const recorder: EventRecorder = { event: () => undefined, annotatedEvent: () => undefined };
  let bound = 0;
  let onBound: (oldPod: Pod, pod: Pod) => void = () => undefined;
  const binder: BindPlugin = {
    name: 'DefaultBinder',
    async bind(_s, pod, node) {
      const md = pod.metadata!;
      const boundPod: Pod = { ...pod, metadata: { ...md, resourceVersion: String(bound) }, spec: { ...pod.spec!, nodeName: node } };
      bound++;
      // The informer's update arrives after the bind returns.
      queueMicrotask(() => onBound({ ...pod, spec: { ...pod.spec!, nodeName: undefined } }, boundPod));
      return undefined;
    },
  };
  const registry = inTreeRegistry();
  registry.set('DefaultBinder', () => binder);
  const s = new Scheduler({ clock: new FakeClock(), recorder }, { registry, profiles: [defaultProfile()] });
  const podHandler = podEventHandler(s);
  onBound = (o, p) => podHandler.onUpdate!(o, p);
  const nodeHandler = nodeEventHandler(s);
  for (const n of nodes) nodeHandler.onAdd!(n, true);
  for (const p of pods) podHandler.onAdd!(p, true);
  const t0 = performance.now();
  for (let i = 0; i < pods.length; i++) await s.scheduleOne();
  await s.flushBindings();
  const ms = performance.now() - t0;
  return { podsPerS: bound / (ms / 1000), bound, ms };
}
