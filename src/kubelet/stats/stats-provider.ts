// The stats summary (`/stats/summary`) from the runtime's cumulative container counters and the
// host's /proc: usageNanoCores is the rate between this sample and the one before it, as
// cAdvisor computes it for upstream's kubelet.
import { readFileSync } from 'node:fs';
import { freemem, totalmem } from 'node:os';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { ContainerStats, Runtime } from '../runtime/cri.js';
import type { CpuStats, MemoryStats, PodStatsSummary, StatsSummary } from '../../api/kubelet/stats-summary.js';
import { LABEL_CONTAINER_NAME, LABEL_POD_UID } from '../pods/container-start.js';

interface Sample {
  at: number;
  usage: number;
}

const rfc3339 = (ms: number) => new Date(ms).toISOString();

/** Nanocores between two cumulative samples. */
export function rate(prev: Sample | undefined, cur: Sample): number | undefined {
  if (!prev || cur.at <= prev.at || cur.usage < prev.usage) return undefined;
  return Math.round(((cur.usage - prev.usage) / ((cur.at - prev.at) * 1e6)) * 1e9);
}

/** Host CPU time in core-nanoseconds from /proc/stat (USER_HZ = 100), and memory use. */
function hostCounters(): { cpuNs: number; memoryUsed: number; memoryAvailable: number } {
  let cpuNs = 0;
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    const busy = f[0] + f[1] + f[2] + (f[5] ?? 0) + (f[6] ?? 0) + (f[7] ?? 0);
    cpuNs = busy * 1e7;
  } catch {
    cpuNs = 0;
  }
  let available = freemem();
  try {
    const m = /^MemAvailable:\s+(\d+) kB$/m.exec(readFileSync('/proc/meminfo', 'utf8'));
    if (m) available = Number(m[1]) * 1024;
  } catch {
    /* freemem() then */
  }
  return { cpuNs, memoryUsed: totalmem() - available, memoryAvailable: available };
}

export class StatsProvider {
  private readonly samples = new Map<string, Sample>();
  private nodeSample: Sample | undefined;
  private readonly startTime = new Date().toISOString();

  constructor(
    private readonly nodeName: string,
    private readonly runtime: Runtime,
    private readonly pods: () => Pod[],
    private readonly now: () => number = Date.now,
  ) {}

  async summary(): Promise<StatsSummary> {
    const now = this.now();
    const host = hostCounters();
    const nodeCur = { at: now, usage: host.cpuNs };
    const nodeCpu: CpuStats = { time: rfc3339(now), usageCoreNanoSeconds: host.cpuNs, usageNanoCores: rate(this.nodeSample, nodeCur) };
    this.nodeSample = nodeCur;
    const stats = await this.runtime.listContainerStats();
    const byPod = new Map<string, ContainerStats[]>();
    for (const s of stats) {
      const uid = s.attributes.labels?.[LABEL_POD_UID];
      if (uid) byPod.set(uid, [...(byPod.get(uid) ?? []), s]);
    }
    const seen = new Set<string>();
    const pods: PodStatsSummary[] = [];
    for (const pod of this.pods()) {
      const uid = pod.metadata!.uid!;
      const list = byPod.get(uid);
      if (!list) continue;
      const containers = list.map((s) => {
        seen.add(s.attributes.id);
        const cpu = this.cpu(s);
        const memory: MemoryStats | undefined = s.memory ? { time: rfc3339(Math.floor(s.memory.timestamp / 1e6)), workingSetBytes: s.memory.workingSetBytes, rssBytes: s.memory.rssBytes } : undefined;
        return { name: s.attributes.labels?.[LABEL_CONTAINER_NAME] ?? s.attributes.metadata.name, startTime: pod.status?.startTime ?? this.startTime, cpu, memory };
      });
      const sumCpu = containers.reduce((a, c) => a + (c.cpu?.usageNanoCores ?? 0), 0);
      const sumCum = containers.reduce((a, c) => a + (c.cpu?.usageCoreNanoSeconds ?? 0), 0);
      const sumMem = containers.reduce((a, c) => a + (c.memory?.workingSetBytes ?? 0), 0);
      pods.push({
        podRef: { name: pod.metadata!.name!, namespace: pod.metadata!.namespace!, uid },
        startTime: pod.status?.startTime ?? this.startTime,
        containers,
        cpu: { time: rfc3339(now), usageNanoCores: sumCpu, usageCoreNanoSeconds: sumCum },
        memory: { time: rfc3339(now), workingSetBytes: sumMem },
      });
    }
    for (const id of this.samples.keys()) if (!seen.has(id)) this.samples.delete(id);
    return {
      node: {
        nodeName: this.nodeName, startTime: this.startTime, cpu: nodeCpu,
        memory: { time: rfc3339(now), workingSetBytes: host.memoryUsed, usageBytes: host.memoryUsed, availableBytes: host.memoryAvailable },
      },
      pods,
    };
  }

  private cpu(s: ContainerStats): CpuStats | undefined {
    if (!s.cpu) return undefined;
    const cur = { at: Math.floor(s.cpu.timestamp / 1e6), usage: s.cpu.usageCoreNanoSeconds };
    const r = rate(this.samples.get(s.attributes.id), cur);
    if (!this.samples.has(s.attributes.id) || r !== undefined) this.samples.set(s.attributes.id, cur);
    return { time: rfc3339(cur.at), usageCoreNanoSeconds: cur.usage, usageNanoCores: r ?? 0 };
  }
}
