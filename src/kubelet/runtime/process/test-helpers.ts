// Shared by the process runtime's tests: a runtime in a temporary directory, sandbox and
// container configs, and polling helpers (the test runner's own timeout bounds them).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContainerConfig, ContainerStatus, PodSandboxConfig } from '../cri.js';
import { ProcessRuntime, type ProcessRuntimeOptions } from './process-runtime.js';

export interface TestRuntime {
  rt: ProcessRuntime;
  dir: string;
  sandbox: PodSandboxConfig;
  podId: string;
  /** Creates and starts a container running `argv`; returns its id. */
  run(argv: string[], extra?: Partial<ContainerConfig>): Promise<string>;
  untilExited(id: string): Promise<ContainerStatus>;
  logOf(id: string): Promise<string>;
  cleanup(): Promise<void>;
}

let seq = 0;

export async function testRuntime(opts: Partial<ProcessRuntimeOptions> = {}): Promise<TestRuntime> {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-proc-'));
  const rt = new ProcessRuntime({ rootDir: join(dir, 'root'), nodeIp: '127.0.0.1', ...opts });
  await rt.init();
  const sandbox: PodSandboxConfig = {
    metadata: { name: 'pod', uid: 'uid-1', namespace: 'default', attempt: 0 },
    logDirectory: join(dir, 'pods', 'default_pod_uid-1'),
    hostNetwork: true,
  };
  const podId = await rt.runPodSandbox(sandbox);
  return {
    rt,
    dir,
    sandbox,
    podId,
    async run(argv, extra = {}) {
      const name = `c${seq++}`;
      const id = await rt.createContainer(podId, containerConfig(name, argv, extra), sandbox);
      await rt.startContainer(id);
      return id;
    },
    untilExited: (id) => waitFor(async () => {
      const s = await rt.containerStatus(id);
      return s.state === 'CONTAINER_EXITED' ? s : undefined;
    }),
    async logOf(id) {
      return readFileSync((await rt.containerStatus(id)).logPath, 'utf8');
    },
    async cleanup() {
      await rt.stopAll(0);
      await rt.removePodSandbox(podId);
      await rt.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function containerConfig(name: string, argv: string[], extra: Partial<ContainerConfig> = {}): ContainerConfig {
  return {
    metadata: { name, attempt: 0 },
    image: { image: 'busybox' },
    command: argv,
    logPath: `${name}/0.log`,
    ...extra,
  };
}

/** Polls `probe` until it yields a value. */
export async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Only the contents of CRI log lines, with their stream: `stdout: text`. */
export function logLines(log: string): string[] {
  return log
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [, stream, , ...rest] = l.split(' ');
      return `${stream}: ${rest.join(' ')}`;
    });
}
