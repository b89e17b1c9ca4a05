// CPU and memory of a process tree read from /proc, for containers without a cgroup of their
// own. CPU counts the live processes' user+system time plus what they collected from reaped
// children (cutime/cstime), so the total only grows. Clock ticks are USER_HZ, 100 on Linux.
import { readFileSync, readdirSync } from 'node:fs';

const NS_PER_TICK = 1e9 / 100;

export interface ProcEntry {
  pid: number;
  ppid: number;
  pgrp: number;
  /** utime + stime + cutime + cstime, in clock ticks. */
  ticks: number;
  /** Start time after boot, in clock ticks: with the pid, identifies a process across pid reuse. */
  startTime: number;
}

/** Parses /proc/<pid>/stat (the command name may hold spaces and parentheses). */
export function parseProcStat(pid: number, text: string): ProcEntry | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const f = text.slice(close + 2).split(' ');
  // f[0] is field 3 (state) of proc(5).
  const n = (i: number) => Number(f[i - 3]);
  return { pid, ppid: n(4), pgrp: n(5), ticks: n(14) + n(15) + n(16) + n(17), startTime: n(22) };
}

export function readProcEntry(pid: number): ProcEntry | undefined {
  try {
    return parseProcStat(pid, readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** A snapshot of all processes, read once per stats round. */
export function readProcTable(): Map<number, ProcEntry> {
  const table = new Map<number, ProcEntry>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const e = readProcEntry(Number(name));
    if (e) table.set(e.pid, e);
  }
  return table;
}

/** `root` and its descendants, plus members of its process group that were re-parented. */
export function processTree(table: Map<number, ProcEntry>, root: number): number[] {
  const children = new Map<number, number[]>();
  for (const e of table.values()) {
    const list = children.get(e.ppid) ?? [];
    list.push(e.pid);
    children.set(e.ppid, list);
  }
  const seen = new Set<number>();
  const stack = table.has(root) ? [root] : [];
  for (const e of table.values()) if (e.pgrp === root) stack.push(e.pid);
  while (stack.length) {
    const pid = stack.pop()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return [...seen];
}

function rssBytes(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

export function treeUsage(table: Map<number, ProcEntry>, root: number): { cpuNs: number; rssBytes: number } {
  let ticks = 0;
  let rss = 0;
  for (const pid of processTree(table, root)) {
    ticks += table.get(pid)!.ticks;
    rss += rssBytes(pid);
  }
  return { cpuNs: ticks * NS_PER_TICK, rssBytes: rss };
}
