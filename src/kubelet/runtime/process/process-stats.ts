// CRI stats of process-runtime containers: from the container's cgroup when it has one, else
// from its process tree in /proc. Exited containers report attributes only.
import type { ContainerStats } from '../cri.js';
import type { ContainerCgroup } from './cgroups.js';
import { readProcTable, treeUsage, type ProcEntry } from './proc-stats.js';
import type { ContainerRecord } from './records.js';

export interface StatsSource extends ContainerRecord {
  cgroup?: ContainerCgroup;
}

export function containerStats(c: StatsSource, nowMs: number): ContainerStats;
export function containerStats(c: StatsSource[], nowMs: number): ContainerStats[];
export function containerStats(c: StatsSource | StatsSource[], nowMs: number): ContainerStats | ContainerStats[] {
  const list = Array.isArray(c) ? c : [c];
  const table = list.some((x) => x.state === 'CONTAINER_RUNNING' && !x.cgroup) ? readProcTable() : new Map<number, ProcEntry>();
  const out = list.map((x) => one(x, table, nowMs * 1_000_000));
  return Array.isArray(c) ? out : out[0]!;
}

function one(c: StatsSource, table: Map<number, ProcEntry>, ts: number): ContainerStats {
  const { metadata, labels, annotations } = c.config;
  const stats: ContainerStats = { attributes: { id: c.id, metadata, labels, annotations } };
  if (c.state !== 'CONTAINER_RUNNING' || c.pid === undefined) return stats;
  const tree = c.cgroup ? undefined : treeUsage(table, c.pid);
  const cpuNs = c.cgroup?.cpuUsageNs() ?? tree?.cpuNs;
  const mem = c.cgroup?.memory();
  if (cpuNs !== undefined) stats.cpu = { timestamp: ts, usageCoreNanoSeconds: cpuNs };
  if (mem) stats.memory = { timestamp: ts, workingSetBytes: mem.workingSetBytes, rssBytes: mem.rssBytes };
  else if (tree) stats.memory = { timestamp: ts, workingSetBytes: tree.rssBytes, rssBytes: tree.rssBytes };
  return stats;
}
