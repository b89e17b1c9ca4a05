// What every controller gets: a client acting as the controller manager's user, shared
// informers, an event recorder and a clock. Controllers couple to the cluster only through these.
import type { RestClient, SharedInformerFactory, EventRecorder, TimerClock } from '../client/index.js';

export interface ControllerContext {
  client: RestClient;
  informers: SharedInformerFactory;
  /** An event recorder reporting as `component` (e.g. "replicaset-controller"). */
  recorder(component: string): EventRecorder;
  clock: TimerClock;
  /** Aborted when the controller manager stops. */
  signal: AbortSignal;
}

export interface Controller {
  readonly name: string;
  /** Runs `workers` workers until ctx.signal aborts. Informers are started and synced by the manager. */
  run(workers: number): Promise<void>;
}

export type ControllerFactory = (ctx: ControllerContext) => Controller;
