// The controller manager: builds the enabled controllers (each registers its informers), starts
// the shared informers, waits for their caches, then runs every controller until stopped.
import type { Controller, ControllerContext, ControllerFactory } from './types.js';

export interface ControllerManagerOptions {
  /** Controller name → factory, built explicitly by the caller. */
  controllers: Record<string, ControllerFactory>;
  /** Names to run (default: all). */
  enabled?: string[];
  workers?: number;
}

export async function runControllerManager(ctx: ControllerContext, opts: ControllerManagerOptions): Promise<Controller[]> {
  const names = opts.enabled ?? Object.keys(opts.controllers);
  const controllers = names.map((n) => {
    const f = opts.controllers[n];
    if (!f) throw new Error(`unknown controller "${n}"`);
    return f(ctx);
  });
  ctx.informers.start();
  await ctx.informers.waitForCacheSync(ctx.signal);
  for (const c of controllers) {
    c.run(opts.workers ?? 5).catch((e) => {
      if (!ctx.signal.aborted) console.error(`k8ts: controller ${c.name} stopped:`, e);
    });
  }
  return controllers;
}
