// How a container's main process or an exec is started on the host: the program and arguments
// handed to spawn. As root a small /bin/sh prelude runs first — it joins the cgroup, sets the
// OOM score, mounts the volumes (inside a private mount namespace from `unshare`, so the mounts
// are invisible outside), changes to the working directory — and then execs the command, so
// the container's pid is the command's pid. A TTY is a node-pty terminal (exec-pty.ts,
// container-pty.ts); without node-pty it comes from `script`, which gives the command a
// pseudo-terminal of fixed size and copies it to plain pipes.
import type { Mount } from '../cri.js';
import { shellQuote } from './exit-status.js';

export interface LaunchSpec {
  argv: string[];
  cwd: string;
  /** Wrap the command in `script` for a terminal (the fallback when node-pty cannot load). */
  tty?: boolean;
  /**
   * stdin is a terminal to become the controlling terminal: `setsid --ctty` runs first and execs
   * the rest, so the pid is unchanged. The spawn must not be detached (setsid forks when already a
   * group leader); setsid makes the new session and process group itself.
   */
  ctty?: boolean;
  /** Bind/tmpfs mounts; needs root and a new mount namespace. */
  mounts?: Mount[];
  /** cgroup.procs files to join (root only). */
  cgroupProcs?: string[];
  oomScoreAdj?: number;
  /** An exec into a running container (no setup report on fd 3). */
  exec?: boolean;
  /** Enter the mount namespace of this process instead of making one (exec into a container). */
  joinMountNsOf?: number;
}

export interface SpawnPlan {
  file: string;
  args: string[];
  /** Working directory for spawn itself; the prelude changes directory where one is used. */
  cwd: string | undefined;
  /**
   * With a prelude, fd 3 must be a pipe: it carries the prelude's error output and ends with
   * `ok` once setup is done (right before exec), so a start returns only after the mounts exist.
   */
  reportsOnFd3?: boolean;
}

/** The command, wrapped in `script` when a terminal is asked for. */
function commandArgv(spec: LaunchSpec): string[] {
  if (!spec.tty) return spec.argv;
  return ['script', '-qfec', spec.argv.map(shellQuote).join(' '), '/dev/null'];
}

export function planLaunch(spec: LaunchSpec): SpawnPlan {
  const plan = planWrapped(spec);
  if (!spec.ctty) return plan;
  return { ...plan, file: 'setsid', args: ['--ctty', '--', plan.file, ...plan.args] };
}

function planWrapped(spec: LaunchSpec): SpawnPlan {
  const argv = commandArgv(spec);
  const mounts = spec.mounts ?? [];
  const needsPrelude = mounts.length > 0 || (spec.cgroupProcs?.length ?? 0) > 0 || spec.oomScoreAdj !== undefined || spec.joinMountNsOf !== undefined;
  if (!needsPrelude) return { file: argv[0]!, args: argv.slice(1), cwd: spec.cwd };
  const script = preludeScript(spec, mounts);
  const sh = ['/bin/sh', '-c', script, 'k8ts-init', ...argv];
  if (spec.joinMountNsOf !== undefined) {
    return { file: 'nsenter', args: ['--target', String(spec.joinMountNsOf), '--mount', '--', ...sh], cwd: '/' };
  }
  const reportsOnFd3 = !spec.exec;
  if (mounts.length > 0) return { file: 'unshare', args: ['--mount', '--propagation', 'private', '--', ...sh], cwd: '/', reportsOnFd3 };
  return { file: sh[0]!, args: sh.slice(1), cwd: '/', reportsOnFd3 };
}

/** The prelude: every step must succeed (`set -e`), except the best-effort OOM score. */
export function preludeScript(spec: LaunchSpec, mounts: Mount[]): string {
  const q = shellQuote;
  const report = !spec.exec;
  // Setup errors go to fd 3 (the runtime turns them into a start error), not the container log.
  const lines = report ? ['set -e', 'exec 4>&2 2>&3'] : ['set -e'];
  for (const f of spec.cgroupProcs ?? []) lines.push(`echo $$ > ${q(f)}`);
  if (spec.oomScoreAdj !== undefined) lines.push(`echo ${Math.trunc(spec.oomScoreAdj)} > /proc/self/oom_score_adj 2>/dev/null || true`);
  // Parents before children, as the kubelet orders them, so nested mount points stay visible.
  const ordered = [...mounts].sort((a, b) => depth(a.containerPath) - depth(b.containerPath));
  for (const m of ordered) {
    const target = q(m.containerPath);
    if (m.tmpfs) {
      const size = m.tmpfs.sizeLimit ? `,size=${m.tmpfs.sizeLimit}` : '';
      lines.push(ensureDir(m.containerPath), `mount -t tmpfs -o mode=1777${size}${m.readonly ? ',ro' : ''} tmpfs ${target}`);
      continue;
    }
    const source = q(m.hostPath);
    // A file is bound onto a file: create an empty one as mount point when missing.
    const steps = [
      `if [ -d ${source} ]; then ${ensureDir(m.containerPath)}; else ${ensureDir(parentOf(m.containerPath))}; [ -e ${target} ] || : > ${target}; fi`,
      `mount --bind ${source} ${target}`,
    ];
    if (m.readonly) steps.push(`mount -o remount,bind,ro ${target}`);
    // An optional mount (the termination-message file) that cannot be made does not stop the container.
    if (m.optional) lines.push(`{ ${steps.join(' && ')}; } 2>/dev/null || true`);
    else lines.push(...steps);
  }
  lines.push(ensureDir(spec.cwd), `cd ${q(spec.cwd)}`);
  if (report) lines.push('printf ok >&3', 'exec 2>&4 4>&- 3>&-');
  lines.push('exec "$@"');
  return lines.join('\n');
}

/** mkdir -p only when missing: every external command is a fork and exec on each container start. */
function ensureDir(dir: string): string {
  return `[ -d ${shellQuote(dir)} ] || mkdir -p ${shellQuote(dir)}`;
}

function parentOf(p: string): string {
  const i = p.replace(/\/+$/, '').lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

function depth(p: string): number {
  return p.split('/').filter(Boolean).length;
}
