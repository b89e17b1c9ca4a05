// The pod garbage collector ("pod-garbage-collector", as upstream names it).
import type { ControllerFactory } from '../types.js';
import { PodGCController, type PodGCOptions } from './pod-gc-controller.js';

export { PodGCController, type PodGCOptions } from './pod-gc-controller.js';
export {
  DEFAULT_TERMINATED_POD_THRESHOLD, GC_CHECK_PERIOD_MS, QUARANTINE_MS, TAINT_NODE_OUT_OF_SERVICE,
  compareByEvictionAndCreation, failedStatusPatch, isPodTerminated, terminatedPodsToDelete,
  terminatingOutOfServicePods, unscheduledTerminatingPods,
} from './pod-gc-utils.js';

/** The collector's factory (tests shorten the period and the quarantine, lower the threshold). */
export function podGcFactory(opts: PodGCOptions = {}): ControllerFactory {
  return (ctx) => new PodGCController(ctx, opts);
}
