// Resource limits through cgroups, for a runtime running as root. cgroup v2 (the unified
// hierarchy) is the normal case; cgroup v1 (memory/cpu/cpuacct hierarchies) is handled too,
// because older hosts and some sandboxes only delegate those. A container's cgroup is
// `<root>/k8ts/<podSandboxId>/<containerId>`; the launch script moves the process in before exec.
import { existsSync, mkdirSync, readFileSync, realpathSync, rmdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { LinuxContainerResources } from '../cri.js';

export interface CgroupSupport {
  version: 1 | 2;
  root: string;
  /** v1: the controllers with a hierarchy of their own (cpu and cpuacct are often one, mounted twice). */
  v1Distinct?: (typeof V1_CONTROLLERS)[number][];
}

const V1_CONTROLLERS = ['memory', 'cpu', 'cpuacct'] as const;

/** Which cgroup hierarchy we may write, or why none (limits are then only recorded). */
export function detectCgroups(root: string, isRoot: boolean): CgroupSupport | { unsupported: string } {
  if (!isRoot) return { unsupported: 'not running as root' };
  try {
    if (existsSync(join(root, 'cgroup.controllers'))) {
      const available = read(join(root, 'cgroup.controllers')).split(/\s+/);
      if (!available.includes('memory') || !available.includes('cpu')) {
        return { unsupported: `cgroup v2 at ${root} lacks the memory or cpu controller` };
      }
      mkdirSync(join(root, 'k8ts'), { recursive: true });
      enableV2Controllers(root, join(root, 'k8ts'));
      return { version: 2, root };
    }
    if (existsSync(join(root, 'memory', 'cgroup.procs'))) {
      const seen: string[] = [];
      const v1Distinct: (typeof V1_CONTROLLERS)[number][] = [];
      for (const c of V1_CONTROLLERS) {
        mkdirSync(join(root, c, 'k8ts'), { recursive: true });
        const real = realpathSync(join(root, c, 'k8ts'));
        if (!seen.includes(real)) {
          seen.push(real);
          v1Distinct.push(c);
        }
      }
      return { version: 1, root, v1Distinct };
    }
    return { unsupported: `no cgroup hierarchy found at ${root}` };
  } catch (err) {
    return { unsupported: `cgroups at ${root} are not writable: ${(err as Error).message}` };
  }
}

/** Turns on cpu and memory for the children of every level from `root` down to `dir` itself. */
function enableV2Controllers(root: string, dir: string): void {
  const levels = [root];
  for (const part of dir.slice(root.length).split('/').filter(Boolean)) levels.push(join(levels.at(-1)!, part));
  for (const level of levels) {
    const enabled = read(join(level, 'cgroup.subtree_control')).split(/\s+/);
    const missing = ['cpu', 'memory'].filter((c) => !enabled.includes(c));
    if (missing.length) writeFileSync(join(level, 'cgroup.subtree_control'), missing.map((c) => `+${c}`).join(' '));
  }
}

/**
 * What makes a container's cgroup before its process starts (on the spawner thread, see
 * spawner.ts): directories to create, then files to write in order (`optional` ones may fail).
 * The launch prelude then joins it.
 */
export interface CgroupSetup {
  mkdirs: string[];
  writes: { file: string; value: string; optional?: boolean }[];
}

export class ContainerCgroup {
  /** The `cgroup.procs` files a process must be written to (one per v1 hierarchy). */
  readonly procsFiles: string[];

  private constructor(
    private readonly support: CgroupSupport,
    /** Directories of this cgroup, deepest hierarchy first; v1 has one per distinct hierarchy. */
    readonly dirs: string[],
    /** Made by the spawner thread right before the process starts. */
    readonly setup: CgroupSetup,
  ) {
    this.procsFiles = dirs.map((d) => join(d, 'cgroup.procs'));
  }

  /**
   * Plans `k8ts/<pod>/<container>` with its limits, touching nothing: the spawner thread makes
   * it before the process starts. Done here with fs calls, a burst of pod starts cost each
   * container about ten event-loop turns of the agent's thread.
   */
  static plan(support: CgroupSupport, pod: string, container: string, res: LinuxContainerResources = {}): ContainerCgroup {
    const rel = join('k8ts', pod, container);
    const writes: CgroupSetup['writes'] = [];
    if (support.version === 2) {
      const podDir = join(support.root, 'k8ts', pod);
      const dir = join(support.root, rel);
      // The pod level hands cpu and memory down to its containers.
      writes.push({ file: join(podDir, 'cgroup.subtree_control'), value: '+cpu +memory' });
      if (res.memoryLimitInBytes) {
        writes.push({ file: join(dir, 'memory.max'), value: String(res.memoryLimitInBytes) });
        writes.push({ file: join(dir, 'memory.swap.max'), value: '0', optional: true }); // the kubelet's default NoSwap
      }
      const period = res.cpuPeriod || 100_000;
      if (res.cpuQuota && res.cpuQuota > 0) writes.push({ file: join(dir, 'cpu.max'), value: `${res.cpuQuota} ${period}` });
      if (res.cpuShares) writes.push({ file: join(dir, 'cpu.weight'), value: String(sharesToWeight(res.cpuShares)) });
      return new ContainerCgroup(support, [dir], { mkdirs: [dir], writes });
    }
    const dirs = (support.v1Distinct ?? [...V1_CONTROLLERS]).map((c) => join(support.root, c, rel));
    const mem = join(support.root, 'memory', rel);
    const cpu = join(support.root, 'cpu', rel);
    if (res.memoryLimitInBytes) {
      writes.push({ file: join(mem, 'memory.limit_in_bytes'), value: String(res.memoryLimitInBytes) });
      writes.push({ file: join(mem, 'memory.memsw.limit_in_bytes'), value: String(res.memoryLimitInBytes), optional: true });
    }
    if (res.cpuQuota && res.cpuQuota > 0) {
      writes.push({ file: join(cpu, 'cpu.cfs_period_us'), value: String(res.cpuPeriod || 100_000) });
      writes.push({ file: join(cpu, 'cpu.cfs_quota_us'), value: String(res.cpuQuota) });
    }
    if (res.cpuShares) writes.push({ file: join(cpu, 'cpu.shares'), value: String(res.cpuShares) });
    return new ContainerCgroup(support, dirs, { mkdirs: dirs, writes });
  }

  /** Whether the kernel OOM-killed a process of this cgroup. */
  oomKilled(): boolean {
    const file = this.support.version === 2 ? join(this.dirs[0]!, 'memory.events') : join(this.v1('memory'), 'memory.oom_control');
    return (keyed(file).get('oom_kill') ?? 0) > 0;
  }

  /** Cumulative CPU time in nanoseconds. */
  cpuUsageNs(): number | undefined {
    if (this.support.version === 2) {
      const usec = keyed(join(this.dirs[0]!, 'cpu.stat')).get('usage_usec');
      return usec === undefined ? undefined : usec * 1000;
    }
    const ns = Number(readOr(join(this.v1('cpuacct'), 'cpuacct.usage'), 'NaN'));
    return Number.isFinite(ns) ? ns : undefined;
  }

  /** Working set (usage minus inactive file cache, as cAdvisor computes it) and anonymous resident bytes. */
  memory(): { workingSetBytes: number; rssBytes: number } | undefined {
    const v2 = this.support.version === 2;
    const dir = v2 ? this.dirs[0]! : this.v1('memory');
    const usage = Number(readOr(join(dir, v2 ? 'memory.current' : 'memory.usage_in_bytes'), 'NaN'));
    if (!Number.isFinite(usage)) return undefined;
    const stat = keyed(join(dir, 'memory.stat'));
    const inactive = stat.get(v2 ? 'inactive_file' : 'total_inactive_file') ?? 0;
    return { workingSetBytes: Math.max(0, usage - inactive), rssBytes: stat.get(v2 ? 'anon' : 'total_rss') ?? 0 };
  }

  pids(): number[] {
    return readOr(this.procsFiles[0]!, '')
      .split('\n')
      .filter(Boolean)
      .map(Number);
  }

  /** SIGKILLs every process in the cgroup (leftovers after the main process, or escaped groups). */
  killAll(): void {
    if (this.support.version === 2 && tryWrite(join(this.dirs[0]!, 'cgroup.kill'), '1')) return;
    for (const pid of this.pids()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  /** Removes the directories; false while processes are still being reaped (try again later). */
  remove(): boolean {
    let ok = true;
    for (const d of this.dirs) ok = removeDir(d) && ok;
    return ok;
  }

  private v1(controller: (typeof V1_CONTROLLERS)[number]): string {
    return join(this.support.root, controller, ...this.dirs[0]!.split('/').slice(-3));
  }
}

/** Removes a pod's cgroup directory once its containers' are gone. */
export function removePodCgroup(support: CgroupSupport, pod: string): void {
  const dirs = support.version === 2 ? [join(support.root, 'k8ts', pod)] : V1_CONTROLLERS.map((c) => join(support.root, c, 'k8ts', pod));
  for (const d of dirs) removeDir(d);
}

/** Kills what is left in cgroup directories of a previous run and removes them where possible. */
export function killCgroupDirs(dirs: string[]): void {
  for (const d of dirs) {
    for (const pid of readOr(join(d, 'cgroup.procs'), '').split('\n').filter(Boolean).map(Number)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
  for (const d of dirs) {
    removeDir(d);
    removeDir(dirname(d)); // the pod's level, once its last container is gone
  }
}

/** The kubelet's conversion from cgroup v1 shares to v2 weight. */
export function sharesToWeight(shares: number): number {
  return Math.round(1 + ((Math.max(2, Math.min(shares, 262144)) - 2) * 9999) / 262142);
}

/** True when the directory is gone; false while busy (or not empty). */
function removeDir(d: string): boolean {
  try {
    rmdirSync(d);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

function read(p: string): string {
  return readFileSync(p, 'utf8').trim();
}

function readOr(p: string, fallback: string): string {
  try {
    return read(p);
  } catch {
    return fallback;
  }
}

function keyed(p: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const line of readOr(p, '').split('\n')) {
    const [k, v] = line.split(/\s+/);
    if (k && v !== undefined) m.set(k, Number(v));
  }
  return m;
}

function tryWrite(p: string, value: string): boolean {
  try {
    writeFileSync(p, value);
    return true;
  } catch {
    return false;
  }
}
