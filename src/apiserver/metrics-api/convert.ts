// Kubelet stats → metrics.k8s.io objects, as metrics-server builds them: CPU is the usage rate in
// nanocores (a decimal quantity), memory the working set in bytes (a binary quantity), both printed
// in Quantity's canonical form; the timestamp is the sample's time and the window the sampling window.
import type { ContainerStatsSummary, CpuStats, MemoryStats, StatsSummary } from '../../api/kubelet/stats-summary.js';
import { quantityString } from '../../util/quantity.js';
import { METRICS_GROUP, METRICS_VERSION } from './schema.js';

export const WINDOW = '10s';
const API_VERSION = `${METRICS_GROUP}/${METRICS_VERSION}`;

export interface Usage {
  cpu: string;
  memory: string;
}

interface MetaSource {
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string> };
}

export function cpuQuantity(nanoCores: number): string {
  return quantityString({ value: BigInt(Math.max(0, Math.round(nanoCores))), exp: -9, format: 'DecimalSI' });
}

export function memoryQuantity(bytes: number): string {
  return quantityString({ value: BigInt(Math.max(0, Math.round(bytes))), exp: 0, format: 'BinarySI' });
}

/** Usage from a CPU and memory sample; undefined when either is missing (no metrics for it yet). */
export function usageOf(cpu: CpuStats | undefined, memory: MemoryStats | undefined): Usage | undefined {
  if (cpu?.usageNanoCores === undefined || memory?.workingSetBytes === undefined) return undefined;
  return { cpu: cpuQuantity(cpu.usageNanoCores), memory: memoryQuantity(memory.workingSetBytes) };
}

function meta(src: MetaSource, now: Date): Record<string, unknown> {
  const m: Record<string, unknown> = { name: src.metadata?.name ?? '' };
  if (src.metadata?.namespace) m.namespace = src.metadata.namespace;
  m.creationTimestamp = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (src.metadata?.labels && Object.keys(src.metadata.labels).length) m.labels = { ...src.metadata.labels };
  return m;
}

function timestamp(t: string | undefined, now: Date): string {
  const ms = t ? Date.parse(t) : NaN;
  return new Date(Number.isNaN(ms) ? now.getTime() : ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The NodeMetrics of a node, or undefined when its summary has no usable sample. */
export function nodeMetrics(node: MetaSource, summary: StatsSummary | undefined, now: Date): Record<string, unknown> | undefined {
  const usage = summary && usageOf(summary.node.cpu, summary.node.memory);
  if (!usage) return undefined;
  return { kind: 'NodeMetrics', apiVersion: API_VERSION, metadata: meta(node, now), timestamp: timestamp(summary.node.cpu?.time, now), window: WINDOW, usage };
}

/** The PodMetrics of a pod, or undefined when the node reported no usable sample for every container. */
export function podMetrics(pod: MetaSource, summary: StatsSummary | undefined, now: Date): Record<string, unknown> | undefined {
  const ref = summary?.pods.find((p) => p.podRef.namespace === pod.metadata?.namespace && p.podRef.name === pod.metadata?.name);
  if (!ref || ref.containers.length === 0) return undefined;
  const containers: { name: string; usage: Usage }[] = [];
  for (const c of ref.containers) {
    const usage = usageOf(c.cpu, c.memory);
    // metrics-server drops the whole pod when a container's sample is incomplete.
    if (!usage) return undefined;
    containers.push({ name: c.name, usage });
  }
  return {
    kind: 'PodMetrics', apiVersion: API_VERSION, metadata: meta(pod, now),
    timestamp: timestamp(earliest(ref.containers), now), window: WINDOW, containers,
  };
}

function earliest(containers: ContainerStatsSummary[]): string | undefined {
  let best: string | undefined;
  for (const c of containers) {
    const t = c.cpu?.time;
    if (t && (!best || Date.parse(t) < Date.parse(best))) best = t;
  }
  return best;
}
