// The kubelet's view of a container runtime, shaped like CRI v1 (runtime.v1.RuntimeService and
// ImageService) so a CRI-over-gRPC runtime for containerd plugs in without touching the kubelet.
// Names and fields follow api.proto in camelCase; times are nanoseconds since the epoch as in CRI.
// Where CRI returns a streaming URL (Exec, Attach, PortForward) this interface takes the streams
// directly: a gRPC runtime dials the URL it gets back and pipes, the process runtime just runs.
import type { Duplex, Readable, Writable } from 'node:stream';

export type SandboxState = 'SANDBOX_READY' | 'SANDBOX_NOTREADY';
export type ContainerState = 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_UNKNOWN';

export interface PodSandboxMetadata {
  name: string;
  uid: string;
  namespace: string;
  attempt: number;
}

export interface PortMapping {
  protocol: 'TCP' | 'UDP' | 'SCTP';
  containerPort: number;
  hostPort?: number;
  hostIp?: string;
}

export interface PodSandboxConfig {
  metadata: PodSandboxMetadata;
  hostname?: string;
  /** Directory where the runtime keeps this pod's container logs (`<root>/pods/<ns>_<name>_<uid>`). */
  logDirectory: string;
  portMappings?: PortMapping[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** CRI's linux.security_context.namespace_options.network === NODE; the process runtime only has this. */
  hostNetwork?: boolean;
  /** Pod-level cgroup parent, when the kubelet manages cgroups. */
  cgroupParent?: string;
}

export interface PodSandboxStatus {
  id: string;
  metadata: PodSandboxMetadata;
  state: SandboxState;
  createdAt: number;
  /** Pod IPs; for host-network pods the node's address. */
  network?: { ip: string; additionalIps?: string[] };
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface PodSandbox {
  id: string;
  metadata: PodSandboxMetadata;
  state: SandboxState;
  createdAt: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface ContainerMetadata {
  name: string;
  attempt: number;
}

export interface KeyValue {
  key: string;
  value: string;
}

export interface Mount {
  containerPath: string;
  hostPath: string;
  readonly?: boolean;
  /** Present for emptyDir medium Memory: the runtime mounts a tmpfs of this size limit (bytes; 0 = none). */
  tmpfs?: { sizeLimit?: number };
  /**
   * Not in CRI: a runtime that cannot mount (the process runtime without root) leaves the mount
   * out, and out of the container's status, instead of failing the container. The kubelet marks
   * only the termination-message file so.
   */
  optional?: boolean;
}

export interface LinuxContainerResources {
  cpuPeriod?: number;
  cpuQuota?: number;
  cpuShares?: number;
  memoryLimitInBytes?: number;
  oomScoreAdj?: number;
}

export interface ImageSpec {
  image: string;
}

export interface ContainerConfig {
  metadata: ContainerMetadata;
  image: ImageSpec;
  command?: string[];
  args?: string[];
  workingDir?: string;
  envs?: KeyValue[];
  mounts?: Mount[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** Relative to the sandbox's logDirectory, e.g. `web/0.log`. */
  logPath: string;
  stdin?: boolean;
  stdinOnce?: boolean;
  tty?: boolean;
  linux?: { resources?: LinuxContainerResources };
}

export interface ContainerStatus {
  id: string;
  metadata: ContainerMetadata;
  state: ContainerState;
  createdAt: number;
  startedAt: number;
  finishedAt: number;
  exitCode: number;
  image: ImageSpec;
  imageRef: string;
  /** Brief CamelCase reason for the state, e.g. `Completed`, `Error`, `OOMKilled`. */
  reason: string;
  message: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  mounts?: Mount[];
  /** Absolute path of the container's current log file. */
  logPath: string;
  /** Host pid of the container's main process while it runs (not in CRI; the process runtime's detail). */
  pid?: number;
}

export interface Container {
  id: string;
  podSandboxId: string;
  metadata: ContainerMetadata;
  image: ImageSpec;
  imageRef: string;
  state: ContainerState;
  createdAt: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface ContainerFilter {
  id?: string;
  state?: ContainerState;
  podSandboxId?: string;
  labelSelector?: Record<string, string>;
}

export interface PodSandboxFilter {
  id?: string;
  state?: SandboxState;
  labelSelector?: Record<string, string>;
}

export interface ExecSyncResponse {
  stdout: Buffer;
  stderr: Buffer;
  exitCode: number;
}

export interface TerminalSize {
  width: number;
  height: number;
}

/** The streams of one exec or attach session; absent members were not requested. */
export interface StreamOptions {
  stdin?: Readable;
  stdout?: Writable;
  stderr?: Writable;
  tty?: boolean;
  /** Terminal size changes from the client (TTY sessions only). */
  resize?: AsyncIterable<TerminalSize>;
}

export interface ExecRequest {
  containerId: string;
  cmd: string[];
  tty?: boolean;
  stdin?: boolean;
  stdout?: boolean;
  stderr?: boolean;
}

export interface AttachRequest {
  containerId: string;
  tty?: boolean;
  stdin?: boolean;
  stdout?: boolean;
  stderr?: boolean;
}

export interface ContainerStats {
  attributes: { id: string; metadata: ContainerMetadata; labels?: Record<string, string>; annotations?: Record<string, string> };
  /** Cumulative CPU time in nanoseconds, and when it was read. */
  cpu?: { timestamp: number; usageCoreNanoSeconds: number };
  /** Working set and resident bytes. */
  memory?: { timestamp: number; workingSetBytes: number; rssBytes?: number };
  writableLayer?: { timestamp: number; usedBytes: number };
}

export interface Image {
  id: string;
  repoTags: string[];
  size: number;
}

export interface RuntimeVersion {
  version: string;
  runtimeName: string;
  runtimeVersion: string;
  runtimeApiVersion: string;
}

export interface RuntimeCondition {
  type: 'RuntimeReady' | 'NetworkReady';
  status: boolean;
  reason?: string;
  message?: string;
}

/** A runtime error the kubelet turns into a waiting reason (e.g. CreateContainerError, ErrImagePull). */
export class RuntimeError extends Error {
  constructor(readonly reason: string, message: string) {
    super(message);
  }
}

export interface RuntimeService {
  version(): Promise<RuntimeVersion>;
  status(): Promise<{ conditions: RuntimeCondition[] }>;

  runPodSandbox(config: PodSandboxConfig): Promise<string>;
  stopPodSandbox(podSandboxId: string): Promise<void>;
  removePodSandbox(podSandboxId: string): Promise<void>;
  podSandboxStatus(podSandboxId: string): Promise<PodSandboxStatus>;
  listPodSandbox(filter?: PodSandboxFilter): Promise<PodSandbox[]>;

  createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string>;
  startContainer(containerId: string): Promise<void>;
  /** SIGTERM (or the image's stop signal), then SIGKILL after `timeout` seconds. Resolves once exited. */
  stopContainer(containerId: string, timeout: number): Promise<void>;
  removeContainer(containerId: string): Promise<void>;
  listContainers(filter?: ContainerFilter): Promise<Container[]>;
  containerStatus(containerId: string): Promise<ContainerStatus>;
  reopenContainerLog(containerId: string): Promise<void>;

  execSync(containerId: string, cmd: string[], timeoutSeconds: number): Promise<ExecSyncResponse>;
  /** Runs `cmd` in the container with the given streams; resolves with its exit code. */
  exec(req: ExecRequest, streams: StreamOptions): Promise<number>;
  /** Attaches to the main process's stdio; resolves when the client or the process goes away. */
  attach(req: AttachRequest, streams: StreamOptions): Promise<void>;
  /** Connects `stream` to `port` inside the sandbox's network namespace. */
  portForward(podSandboxId: string, port: number, stream: Duplex): Promise<void>;

  containerStats(containerId: string): Promise<ContainerStats>;
  listContainerStats(filter?: ContainerFilter): Promise<ContainerStats[]>;

  /** Releases everything the runtime holds open (not the containers: they outlive a kubelet restart where they can). */
  close(): Promise<void>;
}

export interface ImageService {
  listImages(): Promise<Image[]>;
  imageStatus(image: ImageSpec): Promise<Image | null>;
  pullImage(image: ImageSpec): Promise<string>;
  removeImage(image: ImageSpec): Promise<void>;
}

export interface Runtime extends RuntimeService, ImageService {
  /** `process`, `fake`, or `remote` (CRI). Reported in node status as `<name>://<version>`. */
  readonly name: string;
}
