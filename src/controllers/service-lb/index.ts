// The service-lb controller: LoadBalancer Services get the nodes' addresses as their ingress.
import type { ControllerFactory } from '../types.js';
import { ServiceLbController, type ServiceLbOptions } from './service-lb-controller.js';

export const serviceLbControllerFactory: ControllerFactory = (ctx) => new ServiceLbController(ctx);

/** A factory with options (tests catch the errors). */
export function newServiceLbControllerFactory(opts: ServiceLbOptions): ControllerFactory {
  return (ctx) => new ServiceLbController(ctx, opts);
}

export { ServiceLbController, type ServiceLbOptions } from './service-lb-controller.js';
export * from './service-lb-utils.js';
