// The endpoints controller: core/v1 Endpoints for Services with a selector.
import type { ControllerFactory } from '../types.js';
import { EndpointsController, type EndpointsControllerOptions } from './endpoints-controller.js';

export const endpointsControllerFactory: ControllerFactory = (ctx) => new EndpointsController(ctx);

/** A factory with options (--endpoint-updates-batch-period). */
export function newEndpointsControllerFactory(opts: EndpointsControllerOptions): ControllerFactory {
  return (ctx) => new EndpointsController(ctx, opts);
}

export { EndpointsController, LAST_CHANGE_TRIGGER_TIME, HEADLESS_LABEL, type EndpointsControllerOptions } from './endpoints-controller.js';
export { computeSubsets, podToEndpointAddress } from './subsets.js';
export { repackSubsets } from './repack.js';
export { MAX_CAPACITY, OVER_CAPACITY_ANNOTATION, truncateSubsets } from './capacity.js';
