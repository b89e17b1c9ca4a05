// What the node's HTTPS server (port 10250) needs from the kubelet: finding a pod's sandbox and
// containers, the runtime's streams, logs and stats. The kubelet implements it; tests fake it.
import type { Writable } from 'node:stream';
import type { RuntimeService } from '../runtime/cri.js';
import type { StatsSummary } from '../../api/kubelet/stats-summary.js';
import type { LogOptions } from '../logs/log-options.js';

/** A lookup failure the server answers with this HTTP code and a Status body. */
export class HostError extends Error {
  constructor(readonly code: number, readonly reason: string, message: string) {
    super(message);
  }
}

export interface ResolvedContainer {
  containerId: string;
  podSandboxId: string;
  /** Absolute path of the container's current log file (for `previous`, the last exited attempt's). */
  logPath: string;
}

export interface KubeletHost {
  /**
   * The running container `container` of pod `namespace/name` (the pod's only container when
   * `container` is empty). `uid` pins the pod instance when given. Throws HostError (404 pod or
   * container unknown, 400 container not given and the pod has several, 400 not running).
   */
  resolveContainer(namespace: string, name: string, container: string, opts?: { uid?: string; previous?: boolean }): Promise<ResolvedContainer>;
  /** The sandbox of pod `namespace/name` (404 when the pod is not running here). */
  resolveSandbox(namespace: string, name: string, uid?: string): Promise<string>;
  runtime: Pick<RuntimeService, 'exec' | 'attach' | 'portForward'>;
  /** Writes the log of a resolved container to `out` as `kubectl logs` options ask; follows until `signal`. */
  writeLogs(target: ResolvedContainer, opts: LogOptions, out: Writable, signal: AbortSignal): Promise<void>;
  statsSummary(): Promise<StatsSummary>;
  /** Prometheus text exposition of the agent's metrics. */
  metrics(): Promise<{ contentType: string; body: string }>;
}
