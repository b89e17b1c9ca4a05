// The `fake` runtime: nothing runs. Containers are Running as soon as they start and stay so
// until stopped (then exit 0, Completed). For tests and the hollow-node simulator, so every
// call is a few map operations; the only I/O is an empty log file per container (optional).
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Duplex } from 'node:stream';
import type * as cri from '../cri.js';
import { RuntimeError } from '../cri.js';
import { K8TS_VERSION } from '../../../version.js';
import { RecordedImages } from '../process/image-store.js';
import * as rec from '../process/records.js';

export type ExecSyncHook = (containerId: string, cmd: string[], timeoutSeconds: number) => cri.ExecSyncResponse | Promise<cri.ExecSyncResponse>;

export interface FakeRuntimeOptions {
  /** Reported as every pod's IP (default 127.0.0.1). */
  nodeIp?: string;
  /** Create an empty log file per container so `kubectl logs` answers (default true). */
  writeLogFiles?: boolean;
  /** Answers execSync (probes); default exit 0 with no output. */
  execSync?: ExecSyncHook;
  now?: () => number;
}

interface FakeContainer extends rec.ContainerRecord {
  /** Resolvers of attach sessions waiting for the stop. */
  waiters?: (() => void)[];
}

export class FakeRuntime extends RecordedImages implements cri.Runtime {
  readonly name = 'fake';
  private readonly sandboxes = new Map<string, rec.SandboxRecord>();
  private readonly containers = new Map<string, FakeContainer>();
  private readonly now: () => number;
  private readonly writeLogs: boolean;
  /** Replace to script exec probes in tests. */
  execSyncHook: ExecSyncHook;

  constructor(private readonly opts: FakeRuntimeOptions = {}) {
    super();
    this.now = opts.now ?? Date.now;
    this.writeLogs = opts.writeLogFiles ?? true;
    this.execSyncHook = opts.execSync ?? (() => ({ stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), exitCode: 0 }));
  }

  async version(): Promise<cri.RuntimeVersion> {
    return { version: '0.1.0', runtimeName: this.name, runtimeVersion: K8TS_VERSION, runtimeApiVersion: 'v1' };
  }

  async status(): Promise<{ conditions: cri.RuntimeCondition[] }> {
    return { conditions: [{ type: 'RuntimeReady', status: true }, { type: 'NetworkReady', status: true }] };
  }

  async runPodSandbox(config: cri.PodSandboxConfig): Promise<string> {
    const id = rec.newId();
    this.sandboxes.set(id, { id, config, state: 'SANDBOX_READY', createdAt: rec.nowNs(this.now()) });
    return id;
  }

  async stopPodSandbox(podSandboxId: string): Promise<void> {
    const sb = this.sandboxes.get(podSandboxId);
    if (!sb) return;
    for (const c of this.containersOf(podSandboxId)) this.exit(c);
    sb.state = 'SANDBOX_NOTREADY';
  }

  async removePodSandbox(podSandboxId: string): Promise<void> {
    for (const c of this.containersOf(podSandboxId)) await this.removeContainer(c.id);
    this.sandboxes.delete(podSandboxId);
  }

  async podSandboxStatus(podSandboxId: string): Promise<cri.PodSandboxStatus> {
    const sb = rec.lookup(this.sandboxes, podSandboxId, 'pod sandbox');
    return { ...rec.sandboxView(sb), network: { ip: this.opts.nodeIp ?? '127.0.0.1' } };
  }

  async listPodSandbox(filter?: cri.PodSandboxFilter): Promise<cri.PodSandbox[]> {
    return [...this.sandboxes.values()].filter((s) => rec.matchSandbox(s, filter)).map(rec.sandboxView);
  }

  async createContainer(podSandboxId: string, config: cri.ContainerConfig, _sandboxConfig?: cri.PodSandboxConfig): Promise<string> {
    const sb = this.sandboxes.get(podSandboxId);
    if (!sb || sb.state !== 'SANDBOX_READY') throw new RuntimeError('CreateContainerError', `pod sandbox "${podSandboxId}" is not ready`);
    const id = rec.newId();
    const imageRef = this.images.status(config.image)?.id ?? this.images.pull(config.image);
    const logPath = join(sb.config.logDirectory, config.logPath);
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
      logPath,
    });
    return id;
  }

  async startContainer(containerId: string): Promise<void> {
    const c = rec.lookup(this.containers, containerId, 'container');
    if (c.state !== 'CONTAINER_CREATED') throw new RuntimeError('RunContainerError', `container "${c.id}" is not in created state: ${c.state}`);
    if (this.writeLogs) {
      mkdirSync(dirname(c.logPath), { recursive: true });
      closeSync(openSync(c.logPath, 'a'));
    }
    c.state = 'CONTAINER_RUNNING';
    c.startedAt = rec.nowNs(this.now());
  }

  async stopContainer(containerId: string, _timeout = 0): Promise<void> {
    this.exit(rec.lookup(this.containers, containerId, 'container'));
  }

  async removeContainer(containerId: string): Promise<void> {
    const c = this.containers.get(containerId);
    if (!c) return;
    this.exit(c);
    this.containers.delete(c.id);
  }

  async listContainers(filter?: cri.ContainerFilter): Promise<cri.Container[]> {
    return [...this.containers.values()].filter((c) => rec.matchContainer(c, filter)).map(rec.containerView);
  }

  async containerStatus(containerId: string): Promise<cri.ContainerStatus> {
    return rec.containerStatusView(rec.lookup(this.containers, containerId, 'container'));
  }

  async reopenContainerLog(containerId: string): Promise<void> {
    this.running(containerId);
  }

  async execSync(containerId: string, cmd: string[], timeoutSeconds: number): Promise<cri.ExecSyncResponse> {
    this.running(containerId);
    return this.execSyncHook(containerId, cmd, timeoutSeconds);
  }

  async exec(req: cri.ExecRequest, _streams?: cri.StreamOptions): Promise<number> {
    this.running(req.containerId);
    return 0;
  }

  /** Waits until the container stops or the client's output stream closes: there is no output. */
  async attach(req: cri.AttachRequest, streams: cri.StreamOptions): Promise<void> {
    const c = this.running(req.containerId);
    await new Promise<void>((resolve) => {
      (c.waiters ??= []).push(resolve);
      streams.stdout?.once('close', resolve);
      streams.stderr?.once('close', resolve);
    });
  }

  async portForward(podSandboxId: string, port: number, _stream: Duplex): Promise<void> {
    const sb = rec.lookup(this.sandboxes, podSandboxId, 'pod sandbox');
    throw new Error(`failed to connect to localhost:${port} in pod sandbox ${sb.id}: the fake runtime runs no processes`);
  }

  async containerStats(containerId: string): Promise<cri.ContainerStats> {
    return this.stats(rec.lookup(this.containers, containerId, 'container'));
  }

  async listContainerStats(filter?: cri.ContainerFilter): Promise<cri.ContainerStats[]> {
    return [...this.containers.values()].filter((c) => rec.matchContainer(c, filter)).map((c) => this.stats(c));
  }


  async close(): Promise<void> {}

  /** Marks every container exited (node shutdown). */
  async stopAll(_graceSeconds = 0): Promise<void> {
    for (const c of this.containers.values()) this.exit(c);
  }

  private stats(c: FakeContainer): cri.ContainerStats {
    const { metadata, labels, annotations } = c.config;
    const ts = rec.nowNs(this.now());
    const s: cri.ContainerStats = { attributes: { id: c.id, metadata, labels, annotations } };
    if (c.state === 'CONTAINER_RUNNING') {
      s.cpu = { timestamp: ts, usageCoreNanoSeconds: 0 };
      s.memory = { timestamp: ts, workingSetBytes: 0, rssBytes: 0 };
    }
    return s;
  }

  /** Test seam: the container's process exits now with `exitCode` (a crash, a finished job). */
  exitContainer(containerId: string, exitCode: number, reason = exitCode === 0 ? 'Completed' : 'Error'): void {
    this.exit(rec.lookup(this.containers, containerId, 'container'), exitCode, reason);
  }

  private exit(c: FakeContainer, exitCode = 0, reason = 'Completed'): void {
    if (c.state !== 'CONTAINER_RUNNING') return;
    c.state = 'CONTAINER_EXITED';
    c.exitCode = exitCode;
    c.reason = reason;
    c.finishedAt = rec.nowNs(this.now());
    for (const w of c.waiters?.splice(0) ?? []) w();
  }

  private running(containerId: string): FakeContainer {
    const c = rec.lookup(this.containers, containerId, 'container');
    if (c.state !== 'CONTAINER_RUNNING') throw new RuntimeError('NotRunning', `container "${c.id}" is not running`);
    return c;
  }

  private containersOf(podSandboxId: string): FakeContainer[] {
    return [...this.containers.values()].filter((c) => c.podSandboxId === podSandboxId);
  }
}
