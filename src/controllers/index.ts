// The controllers k8ts runs, by name (upstream's controller names), built explicitly.
import type { ControllerFactory } from './types.js';

export const CONTROLLERS: Record<string, ControllerFactory> = {};
export { runControllerManager } from './controller-manager.js';
export type { Controller, ControllerContext, ControllerFactory } from './types.js';
