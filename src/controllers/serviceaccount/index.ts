// The ServiceAccounts controller ("serviceaccount", as upstream names it): a `default`
// ServiceAccount in every active namespace.
import type { ControllerFactory } from '../types.js';
import { ServiceAccountsController, type ServiceAccountsControllerOptions } from './serviceaccounts-controller.js';

export { ServiceAccountsController, defaultServiceAccounts, type ServiceAccountsControllerOptions } from './serviceaccounts-controller.js';

/** A factory with options (other ServiceAccounts to ensure, an error sink). */
export function newServiceAccountControllerFactory(opts: ServiceAccountsControllerOptions = {}): ControllerFactory {
  return (ctx) => new ServiceAccountsController(ctx, opts);
}

export const serviceAccountControllerFactory: ControllerFactory = newServiceAccountControllerFactory();
