// The kubelet's answers to its node server: which runtime container a `kubectl logs/exec/attach`
// means, which sandbox a port-forward goes to, logs, stats and metrics.
import type { Writable } from 'node:stream';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { HostError, type KubeletHost, type ResolvedContainer } from './server/host.js';
import type { Runtime } from './runtime/cri.js';
import type { LogOptions } from './logs/log-options.js';
import type { PodSyncer } from './pods/pod-sync.js';
import type { PodWorkers } from './pods/pod-workers.js';
import type { StatsProvider } from './stats/stats-provider.js';
import type { StatsSummary } from '../api/kubelet/stats-summary.js';

export interface KubeletHostDeps {
  runtime: Runtime;
  workers: PodWorkers;
  syncer: PodSyncer;
  stats: StatsProvider;
  readLog(path: string, opts: LogOptions, out: Writable, signal: AbortSignal, isRunning: () => boolean): Promise<void>;
  metrics(): Promise<{ contentType: string; body: string }>;
}

export class KubeletHostImpl implements KubeletHost {
  readonly runtime: Runtime;

  constructor(private readonly deps: KubeletHostDeps) {
    this.runtime = deps.runtime;
  }

  private findPod(namespace: string, name: string, uid?: string): Pod {
    const rec = this.deps.workers.records().find((r) => r.pod.metadata?.namespace === namespace && r.pod.metadata?.name === name && (!uid || r.uid === uid) && !r.removed);
    if (!rec) throw new HostError(404, 'NotFound', `pod "${name}" in namespace "${namespace}" is not running on this node`);
    return rec.pod;
  }

  async resolveContainer(namespace: string, name: string, container: string, opts: { uid?: string; previous?: boolean } = {}): Promise<ResolvedContainer> {
    const pod = this.findPod(namespace, name, opts.uid);
    const all = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? []), ...(pod.spec?.ephemeralContainers ?? [])];
    if (!container) {
      if (all.length !== 1) throw new HostError(400, 'BadRequest', `a container name must be specified for pod ${name}, choose one of: [${all.map((c) => c.name).join(' ')}]`);
      container = all[0].name;
    }
    if (!all.some((c) => c.name === container)) throw new HostError(400, 'BadRequest', `container ${container} is not valid for pod ${name}`);
    const instances = (await this.deps.syncer.inspect(pod.metadata!.uid!)).get(container) ?? [];
    const target = opts.previous ? instances[1] : instances[0];
    if (!target) {
      if (opts.previous) throw new HostError(400, 'BadRequest', `previous terminated container "${container}" in pod "${name}" not found`);
      throw new HostError(400, 'BadRequest', `container "${container}" in pod "${name}" is waiting to start: ContainerCreating`);
    }
    const sandboxId = this.deps.workers.get(pod.metadata!.uid!)?.sandboxId ?? '';
    return { containerId: target.id, podSandboxId: sandboxId, logPath: target.logPath };
  }

  async resolveSandbox(namespace: string, name: string, uid?: string): Promise<string> {
    const pod = this.findPod(namespace, name, uid);
    const id = this.deps.workers.get(pod.metadata!.uid!)?.sandboxId;
    if (!id) throw new HostError(400, 'BadRequest', `pod "${name}" has no running sandbox yet`);
    return id;
  }

  async writeLogs(target: ResolvedContainer, opts: LogOptions, out: Writable, signal: AbortSignal): Promise<void> {
    let running = true;
    const poll = async () => {
      const st = await this.deps.runtime.containerStatus(target.containerId).catch(() => undefined);
      running = st?.state === 'CONTAINER_RUNNING' || st?.state === 'CONTAINER_CREATED';
    };
    await poll();
    const timer = setInterval(() => void poll(), 500);
    try {
      await this.deps.readLog(target.logPath, opts, out, signal, () => running);
    } finally {
      clearInterval(timer);
    }
  }

  statsSummary(): Promise<StatsSummary> {
    return this.deps.stats.summary();
  }

  metrics(): Promise<{ contentType: string; body: string }> {
    return this.deps.metrics();
  }
}
