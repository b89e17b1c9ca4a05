// A pod held at Permit (upstream's waitingPod): each plugin that answered Wait must allow it
// before its timeout; one rejection or one timeout rejects it.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Timer, TimerClock } from '../../client/index.js';
import { Status, type MaybeStatus } from './status.js';

export class WaitingPod {
  readonly result: Promise<MaybeStatus>;
  private settle!: (s: MaybeStatus) => void;
  private readonly timers = new Map<string, Timer>();
  private done = false;

  constructor(
    readonly pod: Pod,
    waits: Map<string, number>,
    clock: TimerClock,
  ) {
    this.result = new Promise((resolve) => (this.settle = resolve));
    for (const [plugin, ms] of waits) {
      this.timers.set(plugin, clock.setTimer(() => this.reject(plugin, `rejected due to timeout after waiting ${ms / 1000}s at plugin ${plugin}`), ms));
    }
  }

  /** Plugins that have not allowed the pod yet. */
  pendingPlugins(): string[] {
    return [...this.timers.keys()];
  }

  allow(plugin: string): void {
    this.timers.get(plugin)?.cancel();
    this.timers.delete(plugin);
    if (this.timers.size === 0) this.finish(undefined);
  }

  reject(plugin: string, message: string): void {
    this.finish(Status.unschedulable(message).withPlugin(plugin));
  }

  private finish(s: MaybeStatus): void {
    if (this.done) return;
    this.done = true;
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
    this.settle(s);
  }
}
