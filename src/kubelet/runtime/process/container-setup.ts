// Turning a CRI ContainerConfig into what the process runtime runs, with the checks that make a
// pod fail clearly at create time: no command to run, volumes without root, missing host paths.
import { existsSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import type { ContainerConfig, PodSandboxConfig } from '../cri.js';
import { RuntimeError } from '../cri.js';
import { DEFAULT_PATH } from './resolve-executable.js';

export interface ContainerSetup {
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  /** Whether the working directory is created by the root prelude (it may lie inside a mount). */
  cwdInPrelude: boolean;
}

export interface SetupContext {
  isRoot: boolean;
  /** The per-container directory used when the spec names no working directory. */
  defaultWorkDir: string;
}

/**
 * The container's environment: a small base (there is no image to supply one; the kubelet's
 * own environment is not passed on), then the spec's variables.
 */
export function containerEnv(config: ContainerConfig, sandbox: PodSandboxConfig): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH || DEFAULT_PATH,
    HOSTNAME: sandbox.hostname || hostname(),
    HOME: process.env.HOME || '/',
  };
  if (config.tty) env.TERM = 'xterm';
  for (const kv of config.envs ?? []) env[kv.key] = kv.value;
  return env;
}

export function setupContainer(config: ContainerConfig, sandbox: PodSandboxConfig, ctx: SetupContext): ContainerSetup {
  const name = config.metadata.name;
  const argv = [...(config.command ?? []), ...(config.args ?? [])];
  if (argv.length === 0) {
    throw new RuntimeError(
      'CreateContainerError',
      `container "${name}" has no command: the process runtime runs the container's command as a host process and does not run images, so set command (and args) in the pod spec`,
    );
  }
  const mounts = config.mounts ?? [];
  if (mounts.some((m) => !m.optional) && !ctx.isRoot) {
    const paths = mounts.filter((m) => !m.optional).map((m) => m.containerPath).join(', ');
    throw new RuntimeError(
      'CreateContainerConfigError',
      `container "${name}" mounts volumes (${paths}), but the process runtime needs root for volumes (each container gets a private mount namespace); run the node as root or remove the volume mounts`,
    );
  }
  for (const m of mounts) {
    if (!m.tmpfs && !existsSync(m.hostPath)) {
      throw new RuntimeError('CreateContainerError', `failed to mount ${m.hostPath} at ${m.containerPath} in container "${name}": host path does not exist`);
    }
  }
  const cwd = config.workingDir || ctx.defaultWorkDir;
  const cwdInPrelude = ctx.isRoot && mounts.length > 0;
  if (!cwdInPrelude) {
    try {
      mkdirSync(cwd, { recursive: true });
    } catch (err) {
      throw new RuntimeError('CreateContainerError', `working directory ${cwd} of container "${name}" cannot be created on the host: ${(err as Error).message}`);
    }
  }
  return { argv, env: containerEnv(config, sandbox), cwd, cwdInPrelude };
}
