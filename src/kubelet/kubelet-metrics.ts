// The agent's Prometheus metrics (`/metrics` on the node port), with upstream kubelet names.
import { Gauge, Registry } from 'prom-client';
import type { PodRecord } from './pods/types.js';

export class KubeletMetrics {
  readonly registry = new Registry();
  private readonly runningPods = new Gauge({ name: 'kubelet_running_pods', help: 'Number of pods that have a running pod sandbox', registers: [this.registry] });
  private readonly runningContainers = new Gauge({ name: 'kubelet_running_containers', help: 'Number of containers currently running', labelNames: ['container_state'], registers: [this.registry] });

  async render(pods: PodRecord[], running: number): Promise<{ contentType: string; body: string }> {
    this.runningPods.set(pods.filter((p) => p.sandboxId && !p.terminated).length);
    this.runningContainers.set({ container_state: 'running' }, running);
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
