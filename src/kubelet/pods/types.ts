// What the pod workers need from the rest of the kubelet, passed in explicitly.
import type { Container, Pod, PodStatus } from 'kubernetes-types/core/v1.js';
import type { EventRecorder, TimerClock } from '../../client/index.js';
import type { KeyValue, Mount, Runtime } from '../runtime/cri.js';
import type { ProbeManager } from '../probes/probe-manager.js';
import type { RestartBackoff } from './backoff.js';

/** The volume manager as the pod workers use it. */
export interface PodVolumes {
  setUpPod(pod: Pod): Promise<void>;
  mountsFor(pod: Pod, container: Container, env?: KeyValue[]): Mount[];
  tearDownPod(uid: string): Promise<void>;
}

export interface PodSyncDeps {
  nodeName: string;
  /** The node's address; with the process runtime also every pod's IP. */
  nodeIP: string;
  /** Where sandboxes keep container logs: `<logRoot>/<ns>_<name>_<uid>/`. */
  logRoot: string;
  /** The pod's own directory (`<rootDir>/pods/<uid>`), removed with the pod. */
  podDir(uid: string): string;
  runtime: Runtime;
  clock: TimerClock;
  recorder: EventRecorder;
  probes: ProbeManager;
  backoff: RestartBackoff;
  volumes: PodVolumes;
  /** The container's environment (throws an error with `reason` CreateContainerConfigError). */
  env(pod: Pod, container: Container): Promise<KeyValue[]>;
  /** $(VAR) expansion of command and args. */
  expand(args: string[] | undefined, env: KeyValue[]): string[] | undefined;
  /** Writes the pod's status when it changed. */
  setStatus(pod: Pod, status: PodStatus): Promise<void>;
  /** Deletes the API object once the pod is gone from the node (grace period 0, uid precondition). */
  deletePod(pod: Pod): Promise<void>;
  /** Asks for another sync of the pod after `ms`. */
  requeue(uid: string, ms: number): void;
}

/** The kubelet's record of one pod, owned by its worker. */
export interface PodRecord {
  uid: string;
  /** The latest version from the API. */
  pod: Pod;
  /** Removed from the API (or from the node) — tear down and forget. */
  removed: boolean;
  admitted: boolean;
  /** Set when the kubelet decided the pod failed (admission, deadline). */
  failed?: { reason: string; message: string };
  sandboxId?: string;
  /** Why a container is not running, when the kubelet knows better than the runtime. */
  waiting: Map<string, { reason: string; message?: string }>;
  /** The containers are stopped for good (terminal phase or deletion). */
  terminated: boolean;
  /** The API object was deleted by us (final step of graceful deletion). */
  finished: boolean;
  startTime?: string;
}
