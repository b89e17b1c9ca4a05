// Node lifecycle: node health from Leases and status, condition and cordon taints, and
// taint-based eviction (the taint eviction controller runs inside, as upstream's
// node-lifecycle-controller did before SeparateTaintEvictionController).
import type { ControllerFactory } from '../types.js';
import { NodeLifecycleController, type NodeLifecycleOptions } from './node-lifecycle-controller.js';
import { TaintEvictionController, type TaintEvictionOptions } from './taint-eviction-controller.js';

/** The "nodelifecycle" controller, with its options (grace periods, eviction rates). */
export function nodeLifecycleFactory(opts: NodeLifecycleOptions = {}): ControllerFactory {
  return (ctx) => new NodeLifecycleController(ctx, opts);
}

/** The taint eviction controller alone (for a manager that runs it apart: taintEviction: false above). */
export function taintEvictionFactory(opts: TaintEvictionOptions = {}): ControllerFactory {
  return (ctx) => new TaintEvictionController(ctx, opts);
}

export { NodeLifecycleController, NODE_LEASE_NAMESPACE, type NodeLifecycleOptions } from './node-lifecycle-controller.js';
export { TaintEvictionController, TAINT_EVICTION_CONTROLLER, type TaintEvictionOptions } from './taint-eviction-controller.js';
export * from './taints.js';
export { decideNodeHealth, computeZoneState, zoneKey, type NodeHealth, type ZoneState } from './node-health.js';
