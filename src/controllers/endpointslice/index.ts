// The EndpointSlice controller: discovery.k8s.io/v1 EndpointSlices for Services with a selector.
import type { ControllerFactory } from '../types.js';
import { EndpointSliceController, type EndpointSliceControllerOptions } from './endpointslice-controller.js';

export const endpointSliceControllerFactory: ControllerFactory = (ctx) => new EndpointSliceController(ctx);

/** A factory with options (--max-endpoints-per-slice, --endpoint-updates-batch-period). */
export function newEndpointSliceControllerFactory(opts: EndpointSliceControllerOptions): ControllerFactory {
  return (ctx) => new EndpointSliceController(ctx, opts);
}

export { EndpointSliceController, DEFAULT_MAX_ENDPOINTS_PER_SLICE, type EndpointSliceControllerOptions } from './endpointslice-controller.js';
export { Reconciler, type ReconcilerOptions } from './reconciler.js';
export { EndpointSliceTracker } from './slice-tracker.js';
export * from './slice-utils.js';
