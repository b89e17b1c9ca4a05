// Probe workers, one per container probe (upstream's prober manager and worker): each ticks every
// periodSeconds, waits initialDelaySeconds after the container started, and turns consecutive
// outcomes into a result once successThreshold / failureThreshold is reached. Liveness and
// readiness wait for the startup probe to succeed. Results are kept per container ID, so a
// restarted container starts over from the initial result (readiness: not ready, liveness:
// alive, startup: not started).
import type { Container, Pod, Probe } from 'kubernetes-types/core/v1.js';
import type { Timer, TimerClock } from '../../client/index.js';
import { runProbe, type ProbeOutcome, type ProbeTarget } from './prober.js';

export type ProbeKind = 'liveness' | 'readiness' | 'startup';

export interface RunningContainer {
  id: string;
  /** ms since the epoch. */
  startedAt: number;
}

export interface ProbeManagerDeps {
  clock: TimerClock;
  /** The container's current running instance, if it runs. */
  running(podUid: string, container: string): RunningContainer | undefined;
  /** What a probe needs to reach the container (pod IP, exec). */
  target(pod: Pod, container: Container, containerId: string): ProbeTarget;
  /** A result changed (the pod needs a sync: readiness, a liveness kill, startup done). */
  onChange(podUid: string, container: string, kind: ProbeKind, containerId: string): void;
  /** A probe attempt failed (Unhealthy event) — every failure, as upstream records them. */
  onFailure(pod: Pod, container: string, kind: ProbeKind, outcome: ProbeOutcome): void;
  /** Probe runner (tests replace it). */
  run?: (probe: Probe, target: ProbeTarget) => Promise<ProbeOutcome>;
}

/** How often a worker looks for its container (or the end of the initial delay) before probing. */
const WAIT_TICK_MS = 250;

const KIND_FIELD: Record<ProbeKind, 'livenessProbe' | 'readinessProbe' | 'startupProbe'> = {
  liveness: 'livenessProbe', readiness: 'readinessProbe', startup: 'startupProbe',
};

export class ProbeManager {
  /** `${uid}/${container}/${kind}` → worker; one per probe of each pod on this node. */
  private readonly workers = new Map<string, ProbeWorker>();
  /** containerId → kind → latest result (absent: the initial one). */
  private readonly results = new Map<string, Partial<Record<ProbeKind, boolean>>>();

  constructor(private readonly deps: ProbeManagerDeps) {}

  /** Starts workers for the pod's probes (idempotent). */
  addPod(pod: Pod): void {
    const uid = pod.metadata!.uid!;
    const containers = [...(pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always'), ...(pod.spec?.containers ?? [])];
    for (const c of containers) {
      for (const kind of Object.keys(KIND_FIELD) as ProbeKind[]) {
        const probe = c[KIND_FIELD[kind]];
        const key = `${uid}/${c.name}/${kind}`;
        if (!probe || this.workers.has(key)) continue;
        const w = new ProbeWorker(this, this.deps, pod, c, kind, probe);
        this.workers.set(key, w);
        w.start();
      }
    }
  }

  removePod(uid: string): void {
    for (const [k, w] of this.workers) {
      if (k.startsWith(`${uid}/`)) {
        w.stop();
        this.workers.delete(k);
      }
    }
  }

  stopAll(): void {
    for (const w of this.workers.values()) w.stop();
    this.workers.clear();
  }

  /** Forgets results of containers that no longer exist. */
  forgetContainer(containerId: string): void {
    this.results.delete(containerId);
  }

  /** true/false once decided; undefined while still at the initial result. */
  result(containerId: string, kind: ProbeKind): boolean | undefined {
    return this.results.get(containerId)?.[kind];
  }

  /** Started: no startup probe, or it succeeded. */
  isStarted(container: Container, containerId: string): boolean {
    return !container.startupProbe || this.result(containerId, 'startup') === true;
  }

  /** Ready: started, and no readiness probe or it succeeded. */
  isReady(container: Container, containerId: string): boolean {
    if (!this.isStarted(container, containerId)) return false;
    return !container.readinessProbe || this.result(containerId, 'readiness') === true;
  }

  /** A liveness (or startup) probe decided the container must be restarted. */
  mustRestart(containerId: string): 'liveness' | 'startup' | undefined {
    const r = this.results.get(containerId);
    if (r?.liveness === false) return 'liveness';
    if (r?.startup === false) return 'startup';
    return undefined;
  }

  /** @internal */
  set(containerId: string, kind: ProbeKind, value: boolean): boolean {
    const r = this.results.get(containerId) ?? {};
    if (r[kind] === value) return false;
    r[kind] = value;
    this.results.set(containerId, r);
    return true;
  }
}

class ProbeWorker {
  private timer: Timer | undefined;
  private stopped = false;
  private containerId = '';
  private successes = 0;
  private failures = 0;
  /** After a liveness/startup failure, wait for a new container before probing again. */
  private onHold = false;
  /** The current container has been probed at least once. */
  private probedOnce = false;

  constructor(
    private readonly manager: ProbeManager,
    private readonly deps: ProbeManagerDeps,
    private readonly pod: Pod,
    private readonly container: Container,
    private readonly kind: ProbeKind,
    private readonly probe: Probe,
  ) {}

  start(): void {
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  private periodMs(): number {
    return Math.max(1, this.probe.periodSeconds ?? 10) * 1000;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = this.deps.clock.setTimer(() => void this.tick(), ms);
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    let probed = false;
    try {
      probed = await this.probeOnce();
    } finally {
      // Until the first real probe, look again soon: a new container should not wait a whole
      // period (10 s by default) to become ready. After that, the probe's period applies.
      this.schedule(probed || this.probedOnce ? this.periodMs() : Math.min(WAIT_TICK_MS, this.periodMs()));
    }
  }

  /** Runs the probe if it is due; false when it was not (no container yet, initial delay). */
  private async probeOnce(): Promise<boolean> {
    const uid = this.pod.metadata!.uid!;
    const running = this.deps.running(uid, this.container.name);
    if (!running) return false;
    if (running.id !== this.containerId) {
      this.containerId = running.id;
      this.successes = 0;
      this.failures = 0;
      this.onHold = false;
      this.probedOnce = false;
    }
    if (this.onHold) return true;
    const id = running.id;
    if (this.kind === 'startup' && this.manager.result(id, 'startup') === true) return true;
    if (this.kind !== 'startup' && !this.manager.isStarted(this.container, id)) return false;
    if (this.deps.clock.now() - running.startedAt < (this.probe.initialDelaySeconds ?? 0) * 1000) return false;
    this.probedOnce = true;
    const target = this.deps.target(this.pod, this.container, id);
    const outcome = await (this.deps.run ?? runProbe)(this.probe, target);
    if (this.stopped || this.deps.running(uid, this.container.name)?.id !== id) return true;
    if (outcome.result === 'success') {
      this.failures = 0;
      this.successes++;
      const threshold = this.kind === 'readiness' ? Math.max(1, this.probe.successThreshold ?? 1) : 1;
      if (this.successes >= threshold && this.manager.set(id, this.kind, true)) this.deps.onChange(uid, this.container.name, this.kind, id);
      return true;
    }
    // 'unknown' (the probe could not run) counts as a failure for the threshold, as upstream.
    this.successes = 0;
    this.failures++;
    this.deps.onFailure(this.pod, this.container.name, this.kind, outcome);
    if (this.failures >= Math.max(1, this.probe.failureThreshold ?? 3)) {
      const changed = this.manager.set(id, this.kind, false);
      if (this.kind !== 'readiness') this.onHold = true;
      if (changed || this.kind !== 'readiness') this.deps.onChange(uid, this.container.name, this.kind, id);
    }
    return true;
  }
}
