// k8ts scheduler: assigns pending pods to nodes as kube-scheduler does (queue, cache, framework
// of plugins, binding through pods/binding). `startScheduler` is the whole component: it wires
// the informers, waits for them to sync and schedules until the context's signal aborts.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { resources, type EventRecorder, type RestClient, type SharedInformerFactory, type TimerClock } from '../client/index.js';
import { nodeEventHandler, podEventHandler } from './event-handlers.js';
import { Scheduler, type SchedulerOptions } from './scheduler.js';

export { Scheduler, podRef, type SchedulerDeps, type SchedulerOptions } from './scheduler.js';
export { defaultProfile, defaultPlugins, DEFAULT_SCHEDULER_NAME, type Profile, type ProfileOptions, type PluginSpec } from './framework/profile.js';
export { inTreeRegistry } from './plugins/registry.js';
export { Status, Code } from './framework/status.js';
export type * from './framework/interface.js';

export interface SchedulerContext {
  client: RestClient;
  informers: SharedInformerFactory;
  /** A recorder, or a function making one for a component (as the controller context has). */
  recorder: EventRecorder | ((component: string) => EventRecorder);
  clock: TimerClock;
  signal: AbortSignal;
}

export interface RunningScheduler {
  scheduler: Scheduler;
  /** Resolves when the scheduler has stopped (after the signal aborts). */
  done: Promise<void>;
}

/** Registers the scheduler's informer handlers, starts and syncs the informers, then runs. */
export async function startScheduler(ctx: SchedulerContext, opts: SchedulerOptions = {}): Promise<RunningScheduler> {
  const recorder = typeof ctx.recorder === 'function' ? ctx.recorder('default-scheduler') : ctx.recorder;
  const podInformer = ctx.informers.informerFor<Pod>(resources.pods);
  const nodeInformer = ctx.informers.informerFor<Node>(resources.nodes);
  const podLister = podInformer.lister();
  const scheduler = new Scheduler(
    {
      client: ctx.client,
      informers: ctx.informers,
      recorder,
      clock: ctx.clock,
      getPod: (ns, name) => podLister.namespace(ns).get(name),
    },
    opts,
  );
  // Nodes first, so pods found in the first list see them.
  nodeInformer.addEventHandler(nodeEventHandler(scheduler));
  podInformer.addEventHandler(podEventHandler(scheduler));
  ctx.informers.start();
  const synced = await ctx.informers.waitForCacheSync(ctx.signal);
  if (ctx.signal.aborted) return { scheduler, done: Promise.resolve() };
  for (const [resource, ok] of synced) if (!ok) throw new Error(`scheduler: informer for ${resource} did not sync`);
  const done = scheduler.run(ctx.signal);
  return { scheduler, done };
}
