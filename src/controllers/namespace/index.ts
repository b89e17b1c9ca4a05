// The namespace controller ("namespace", as upstream names it).
import type { ControllerFactory } from '../types.js';
import { NamespaceController, type NamespaceControllerOptions } from './namespace-controller.js';

export { NamespaceController, NAMESPACE_DELETION_GRACE_PERIOD_MS, type NamespaceControllerOptions } from './namespace-controller.js';
export { NamespacedResourcesDeleter, ResourcesRemainingError } from './namespaced-resources-deleter.js';
export { NamespaceConditionUpdater, CONDITION_TYPES } from './status-conditions.js';

/** A factory with options (tests shorten the grace period). */
export function newNamespaceControllerFactory(opts: NamespaceControllerOptions = {}): ControllerFactory {
  return (ctx) => new NamespaceController(ctx, opts);
}

export const namespaceControllerFactory: ControllerFactory = newNamespaceControllerFactory();
