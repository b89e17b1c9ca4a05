// The disruption controller: PodDisruptionBudget status for the eviction subresource.
import type { ControllerFactory } from '../types.js';
import { DisruptionController, type DisruptionControllerOptions } from './disruption-controller.js';

export const disruptionControllerFactory: ControllerFactory = (ctx) => new DisruptionController(ctx);

/** A factory with options (tests shorten the stale-condition timeout). */
export function newDisruptionControllerFactory(opts: DisruptionControllerOptions): ControllerFactory {
  return (ctx) => new DisruptionController(ctx, opts);
}

export { DisruptionController, type DisruptionControllerOptions } from './disruption-controller.js';
export * from './disruption-utils.js';
