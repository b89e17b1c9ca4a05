// The `process` runtime: each container is a host process started from its command and args;
// the image is only a recorded name. Pods share the host network (pod IP = node IP). As root,
// volumes are bind-mounted in a private mount namespace per container and limits go to cgroups;
// without root, volumes are refused and limits only recorded. See state-dir.ts for restarts.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import type * as cri from '../cri.js';
import { RuntimeError } from '../cri.js';
import { ContainerLogWriter } from '../../logs/log-writer.js';
import { K8TS_VERSION } from '../../../version.js';
import { ContainerCgroup, detectCgroups, killCgroupDirs, removePodCgroup, type CgroupSupport } from './cgroups.js';
import { ContainerProcess } from './container-process.js';
import { setupContainer, type ContainerSetup } from './container-setup.js';
import { exitReasonOf } from './exit-status.js';
import { execCollect, execWithStreams, killExec, type ExecChild, type ExecTarget } from './exec-process.js';
import { RecordedImages } from './image-store.js';
import { planLaunch } from './launch.js';
import { forwardPort } from './port-forward.js';
import { loadPty } from './pty.js';
import { containerStats } from './process-stats.js';
import { readProcEntry } from './proc-stats.js';
import * as rec from './records.js';
import { resolveExecutable } from './resolve-executable.js';
import { StateDir } from './state-dir.js';

export interface ProcessRuntimeOptions {
  /** State lives in `<rootDir>/runtime/` (records, default working directories). */
  rootDir: string;
  /** The node's address: every pod's IP. */
  nodeIp: string;
  /** Defaults to the effective uid being 0. */
  isRoot?: boolean;
  /** cgroup filesystem mount point (default /sys/fs/cgroup). */
  cgroupRoot?: string;
  /** Log rotation of each container's log file. */
  logMaxSizeBytes?: number;
  logMaxFiles?: number;
  /** Wall clock in ms (CRI times are reported in ns). */
  now?: () => number;
}

interface ContainerEntry extends rec.ContainerRecord {
  setup: ContainerSetup;
  /** Set when the runtime made the working directory and removes it with the container. */
  ownWorkDir?: string;
  proc?: ContainerProcess;
  cgroup?: ContainerCgroup;
  log?: ContainerLogWriter;
  /** Settles once the exit is recorded in this entry. */
  finished?: Promise<void>;
  execs: Set<ExecChild>;
}

export class ProcessRuntime extends RecordedImages implements cri.Runtime {
  readonly name = 'process';
  private readonly sandboxes = new Map<string, rec.SandboxRecord>();
  private readonly containers = new Map<string, ContainerEntry>();
  private readonly isRoot: boolean;
  private readonly now: () => number;
  private cgroups: CgroupSupport | { unsupported: string } | undefined;
  private state: StateDir | undefined;

  constructor(private readonly opts: ProcessRuntimeOptions) {
    super();
    this.isRoot = opts.isRoot ?? process.getuid?.() === 0;
    this.now = opts.now ?? Date.now;
  }

  /** Kills containers left by a previous run (see state-dir.ts) and finds usable cgroups. Call once first. */
  async init(): Promise<{ killedLeftovers: string[]; cgroups: string }> {
    this.cgroups = detectCgroups(this.opts.cgroupRoot ?? '/sys/fs/cgroup', this.isRoot);
    this.state = new StateDir(this.opts.rootDir);
    const killed = this.state.killLeftovers((dirs) => killCgroupDirs(dirs));
    rmSync(this.workDirRoot(), { recursive: true, force: true });
    const cg = 'version' in this.cgroups ? `cgroup v${this.cgroups.version}` : `limits only recorded (${this.cgroups.unsupported})`;
    return { killedLeftovers: killed, cgroups: cg };
  }

  async version(): Promise<cri.RuntimeVersion> {
    return { version: '0.1.0', runtimeName: this.name, runtimeVersion: K8TS_VERSION, runtimeApiVersion: 'v1' };
  }

  async status(): Promise<{ conditions: cri.RuntimeCondition[] }> {
    return { conditions: [{ type: 'RuntimeReady', status: true }, { type: 'NetworkReady', status: true }] };
  }

  // --- sandboxes ---

  async runPodSandbox(config: cri.PodSandboxConfig): Promise<string> {
    mkdirSync(config.logDirectory, { recursive: true });
    const id = rec.newId();
    this.sandboxes.set(id, { id, config, state: 'SANDBOX_READY', createdAt: rec.nowNs(this.now()) });
    return id;
  }

  async stopPodSandbox(podSandboxId: string): Promise<void> {
    const sb = this.sandboxes.get(podSandboxId);
    if (!sb) return; // idempotent, as CRI asks
    await Promise.all(this.containersOf(podSandboxId).map((c) => this.stopContainer(c.id, 0)));
    sb.state = 'SANDBOX_NOTREADY';
  }

  async removePodSandbox(podSandboxId: string): Promise<void> {
    if (!this.sandboxes.has(podSandboxId)) return;
    await Promise.all(this.containersOf(podSandboxId).map((c) => this.removeContainer(c.id)));
    if (this.cgroups && 'version' in this.cgroups) removePodCgroup(this.cgroups, podSandboxId);
    this.sandboxes.delete(podSandboxId);
  }

  async podSandboxStatus(podSandboxId: string): Promise<cri.PodSandboxStatus> {
    const sb = rec.lookup(this.sandboxes, podSandboxId, 'pod sandbox');
    return { ...rec.sandboxView(sb), network: { ip: this.opts.nodeIp } };
  }

  async listPodSandbox(filter?: cri.PodSandboxFilter): Promise<cri.PodSandbox[]> {
    return [...this.sandboxes.values()].filter((s) => rec.matchSandbox(s, filter)).map(rec.sandboxView);
  }

  // --- containers ---

  async createContainer(podSandboxId: string, config: cri.ContainerConfig, sandboxConfig: cri.PodSandboxConfig): Promise<string> {
    this.requireInit();
    const sb = this.sandboxes.get(podSandboxId);
    if (!sb || sb.state !== 'SANDBOX_READY') {
      throw new RuntimeError('CreateContainerError', `pod sandbox "${podSandboxId}" is not ready`);
    }
    const id = rec.newId();
    const defaultWorkDir = join(this.workDirRoot(), id);
    // Without root nothing can be mounted: optional mounts (the termination-message file) are left out.
    if (!this.isRoot && config.mounts?.some((m) => m.optional)) config = { ...config, mounts: config.mounts.filter((m) => !m.optional) };
    const setup = setupContainer(config, sandboxConfig, { isRoot: this.isRoot, defaultWorkDir });
    const imageRef = this.images.status(config.image)?.id ?? this.images.pull(config.image);
    this.containers.set(id, {
      id,
      podSandboxId,
      config,
      imageRef,
      state: 'CONTAINER_CREATED',
      createdAt: rec.nowNs(this.now()),
      startedAt: 0,
      finishedAt: 0,
      exitCode: 0,
      reason: '',
      message: '',
      logPath: join(sb.config.logDirectory, config.logPath),
      setup,
      ownWorkDir: config.workingDir ? undefined : defaultWorkDir,
      execs: new Set(),
    });
    return id;
  }

  async startContainer(containerId: string): Promise<void> {
    const c = rec.lookup(this.containers, containerId, 'container');
    if (c.state !== 'CONTAINER_CREATED') throw new RuntimeError('RunContainerError', `container "${c.id}" is not in created state: ${c.state}`);
    const { argv, cwd, env } = c.setup;
    const insideMount = (c.config.mounts ?? []).some((m) => argv[0]!.startsWith(`${m.containerPath.replace(/\/$/, '')}/`));
    const found = insideMount ? { path: argv[0]! } : resolveExecutable(argv[0]!, env.PATH, c.setup.cwdInPrelude ? '/' : cwd);
    if ('error' in found) return this.failStart(c, found.error);
    const resources = c.config.linux?.resources;
    try {
      if (this.cgroups && 'version' in this.cgroups) c.cgroup = ContainerCgroup.plan(this.cgroups, c.podSandboxId, c.id, resources);
      // A real terminal when node-pty loads, else `script` (fixed size).
      const pty = c.config.tty ? loadPty() : undefined;
      const plan = planLaunch({
        argv,
        cwd,
        tty: c.config.tty && !pty,
        ctty: !!pty,
        mounts: this.isRoot ? c.config.mounts : undefined,
        cgroupProcs: c.cgroup?.procsFiles,
        oomScoreAdj: this.isRoot ? resources?.oomScoreAdj : undefined,
      });
      c.log = new ContainerLogWriter({ path: c.logPath, maxSizeBytes: this.opts.logMaxSizeBytes, maxFiles: this.opts.logMaxFiles });
      const cgroup = c.cgroup;
      c.proc = await ContainerProcess.start({ plan, env, log: c.log, stdin: c.config.stdin, stdinOnce: c.config.stdinOnce, pty, prepare: cgroup?.setup,
        record: { file: this.state!.pathOf(c.id), fields: { id: c.id, cgroupDirs: cgroup?.dirs ?? [] } },
        onExit: () => cgroup?.killAll() });
    } catch (err) {
      c.log?.close();
      c.cgroup?.remove();
      return this.failStart(c, (err as Error).message);
    }
    const proc = c.proc;
    c.state = 'CONTAINER_RUNNING';
    c.startedAt = rec.nowNs(this.now());
    c.pid = proc.pid;
    if (!proc.recorded) this.state!.save({ id: c.id, pid: proc.pid, startTime: readProcEntry(proc.pid)?.startTime ?? 0, cgroupDirs: c.cgroup?.dirs ?? [] });
    c.finished = proc.done.then((exit) => {
      const oom = c.cgroup?.oomKilled() ?? false;
      c.exitCode = exit.exitCode;
      c.reason = exitReasonOf(exit.exitCode, oom);
      c.finishedAt = rec.nowNs(this.now());
      c.state = 'CONTAINER_EXITED';
      for (const e of c.execs) killExec(e);
      // The state record stays until removeContainer: it names the cgroup a crash would leak.
    });
  }

  /** Records a start failure as upstream shows it (StartError, 128) and throws RunContainerError. */
  private failStart(c: ContainerEntry, message: string): never {
    c.state = 'CONTAINER_EXITED';
    c.exitCode = 128;
    c.reason = 'StartError';
    c.message = message;
    c.startedAt = c.finishedAt = rec.nowNs(this.now());
    throw new RuntimeError('RunContainerError', `failed to start container "${c.config.metadata.name}": ${message}`);
  }

  async stopContainer(containerId: string, timeout: number): Promise<void> {
    const c = rec.lookup(this.containers, containerId, 'container');
    if (!c.proc) return; // never started: nothing to stop
    await c.proc.stop(timeout);
    await c.finished;
  }

  async removeContainer(containerId: string): Promise<void> {
    const c = this.containers.get(containerId);
    if (!c) return; // idempotent
    if (c.proc && !c.proc.exited) await this.stopContainer(c.id, 0);
    await c.finished;
    await removeCgroup(c.cgroup);
    if (c.ownWorkDir) rmSync(c.ownWorkDir, { recursive: true, force: true });
    this.state?.forget(c.id);
    this.containers.delete(c.id);
  }

  async listContainers(filter?: cri.ContainerFilter): Promise<cri.Container[]> {
    return [...this.containers.values()].filter((c) => rec.matchContainer(c, filter)).map(rec.containerView);
  }

  async containerStatus(containerId: string): Promise<cri.ContainerStatus> {
    return rec.containerStatusView(rec.lookup(this.containers, containerId, 'container'));
  }

  async reopenContainerLog(containerId: string): Promise<void> {
    const c = rec.lookup(this.containers, containerId, 'container');
    if (c.state !== 'CONTAINER_RUNNING' || !c.log) throw new RuntimeError('NotRunning', `container "${c.id}" is not running`);
    c.log.reopen();
  }

  // --- streaming ---

  async execSync(containerId: string, cmd: string[], timeoutSeconds: number): Promise<cri.ExecSyncResponse> {
    return execCollect(this.execTarget(containerId, cmd), cmd, timeoutSeconds);
  }

  async exec(req: cri.ExecRequest, streams: cri.StreamOptions): Promise<number> {
    return execWithStreams(this.execTarget(req.containerId, req.cmd), req.cmd, { ...streams, tty: req.tty ?? streams.tty });
  }

  async attach(req: cri.AttachRequest, streams: cri.StreamOptions): Promise<void> {
    const c = this.running(req.containerId);
    await c.proc!.attach({ ...streams, stdin: c.config.stdin ? streams.stdin : undefined });
  }

  async portForward(podSandboxId: string, port: number, stream: Duplex): Promise<void> {
    const sb = rec.lookup(this.sandboxes, podSandboxId, 'pod sandbox');
    await forwardPort(['127.0.0.1', '::1', this.opts.nodeIp], port, stream, `pod sandbox ${sb.id}`);
  }

  // --- stats ---

  async containerStats(containerId: string): Promise<cri.ContainerStats> {
    return containerStats(rec.lookup(this.containers, containerId, 'container'), this.now());
  }

  async listContainerStats(filter?: cri.ContainerFilter): Promise<cri.ContainerStats[]> {
    const list = [...this.containers.values()].filter((c) => rec.matchContainer(c, filter));
    return containerStats(list, this.now());
  }


  /** Keeps containers running (Runtime contract); there is nothing else to release. */
  async close(): Promise<void> {}

  /** Stops every running container (SIGTERM, SIGKILL after the grace): for node shutdown, so no host process outlives the node. */
  async stopAll(graceSeconds: number): Promise<void> {
    await Promise.all([...this.containers.values()].filter((c) => c.proc && !c.proc.exited).map((c) => this.stopContainer(c.id, graceSeconds)));
    await this.removeCgroups();
  }

  /** Removes the cgroups of the stopped containers and of their pods. */
  private async removeCgroups(): Promise<void> {
    const support = this.cgroups && 'version' in this.cgroups ? this.cgroups : undefined;
    if (!support) return;
    await Promise.all([...this.containers.values()].filter((c) => c.cgroup && (!c.proc || c.proc.exited)).map(async (c) => {
      if (await removeCgroup(c.cgroup)) this.state?.forget(c.id);
      c.cgroup = undefined;
    }));
    for (const id of this.sandboxes.keys()) removePodCgroup(support, id);
  }

  private running(containerId: string): ContainerEntry {
    const c = rec.lookup(this.containers, containerId, 'container');
    if (c.state !== 'CONTAINER_RUNNING' || !c.proc) throw new RuntimeError('NotRunning', `container "${c.id}" is not running`);
    return c;
  }

  private execTarget(containerId: string, cmd: string[]): ExecTarget {
    const c = this.running(containerId);
    const mountNsPid = this.isRoot && (c.config.mounts?.length ?? 0) > 0 ? c.proc!.pid : undefined;
    if (cmd.length === 0) throw new RuntimeError('ExecError', 'exec: no command given');
    if (mountNsPid === undefined) {
      const found = resolveExecutable(cmd[0]!, c.setup.env.PATH, c.setup.cwd);
      if ('error' in found) throw new RuntimeError('ExecError', `failed to exec in container: ${found.error}`);
    }
    return {
      env: c.setup.env,
      cwd: c.setup.cwd,
      mountNsPid,
      cgroupProcs: c.cgroup?.procsFiles,
      track: (child, exited) => {
        c.execs.add(child);
        const forget = () => c.execs.delete(child);
        exited.then(forget, forget);
      },
    };
  }

  private containersOf(podSandboxId: string): ContainerEntry[] {
    return [...this.containers.values()].filter((c) => c.podSandboxId === podSandboxId);
  }

  private workDirRoot(): string {
    return join(this.opts.rootDir, 'runtime', 'workdirs');
  }

  private requireInit(): void {
    if (!this.state) throw new Error('ProcessRuntime.init() must be called before containers are created');
  }
}

/** Removes a container's cgroup, retrying for a second while its killed processes are reaped. */
async function removeCgroup(cg: ContainerCgroup | undefined): Promise<boolean> {
  for (let attempt = 0; cg && !cg.remove(); attempt++) {
    if (attempt >= 20) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}
