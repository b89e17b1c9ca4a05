// The container runtimes behind the kubelet's CRI-shaped interface, chosen by the
// --container-runtime-endpoint value: `process` (default), `fake`, or a CRI socket (not built yet).
import type { Runtime } from './cri.js';
import { FakeRuntime, type FakeRuntimeOptions } from './fake/fake-runtime.js';
import { ProcessRuntime, type ProcessRuntimeOptions } from './process/process-runtime.js';

export * from './cri.js';
export { ProcessRuntime, type ProcessRuntimeOptions } from './process/process-runtime.js';
export { FakeRuntime, type FakeRuntimeOptions, type ExecSyncHook } from './fake/fake-runtime.js';
export { normalizeImageName } from './process/image-store.js';

export interface CreateRuntimeOptions {
  process: ProcessRuntimeOptions;
  fake?: FakeRuntimeOptions;
}

/** A runtime with `stopAll` for node shutdown (process: stop host processes; fake: mark stopped). */
export type ManagedRuntime = Runtime & { stopAll(graceSeconds: number): Promise<void> };

/** Builds and initializes the runtime named by `endpoint` (empty means `process`). */
export async function createRuntime(endpoint: string, opts: CreateRuntimeOptions): Promise<ManagedRuntime> {
  const name = endpoint.trim() || 'process';
  if (name === 'process') {
    const rt = new ProcessRuntime(opts.process);
    await rt.init();
    return rt;
  }
  if (name === 'fake') return new FakeRuntime({ nodeIp: opts.process.nodeIp, ...opts.fake });
  throw new Error(
    `container runtime endpoint "${endpoint}": CRI over gRPC is not built yet; use "process" (host processes, the default) or "fake"`,
  );
}
