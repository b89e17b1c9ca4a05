// Commands run inside a running container (kubectl exec, exec probes): the container's
// environment and working directory, its mount namespace and cgroup when it has them (root).
// A TTY is a node-pty terminal that follows resize events (exec-pty.ts); where node-pty cannot
// load, `script` gives the command a terminal of fixed size and resize events are dropped.
import { spawn, type ChildProcess } from 'node:child_process';
import type { ExecSyncResponse, StreamOptions } from '../cri.js';
import { execInPty } from './exec-pty.js';
import { exitCodeOf } from './exit-status.js';
import { planLaunch, type SpawnPlan } from './launch.js';
import { loadPty } from './pty.js';

export interface ExecTarget {
  env: Record<string, string>;
  cwd: string;
  /** The container's main pid when it runs in its own mount namespace. */
  mountNsPid?: number;
  cgroupProcs?: string[];
  /** Called with every exec (pid = its process group) until it exited, so stopping the container can end them too. */
  track?: (child: ExecChild, exited: Promise<unknown>) => void;
}

/** A child process or a terminal's session leader: either way the leader of its own process group. */
export interface ExecChild {
  readonly pid?: number;
}

/** `scriptTty`: wrap the command in `script` (the TTY when node-pty is missing). */
function planExec(target: ExecTarget, cmd: string[], scriptTty: boolean): SpawnPlan {
  if (cmd.length === 0) throw new Error('exec: no command given');
  return planLaunch({
    argv: cmd,
    cwd: target.cwd,
    tty: scriptTty,
    exec: true,
    cgroupProcs: target.cgroupProcs,
    joinMountNsOf: target.mountNsPid,
  });
}

function spawnIn(target: ExecTarget, cmd: string[], tty: boolean, stdio: ('pipe' | 'ignore')[]): ChildProcess {
  const plan = planExec(target, cmd, tty);
  // Own process group, so a timeout or hang-up ends everything the command started.
  const child = spawn(plan.file, plan.args, { cwd: plan.cwd, env: target.env, stdio, detached: true });
  target.track?.(child, new Promise((resolve) => child.once('exit', resolve)));
  return child;
}

/** SIGKILLs an exec's process group. */
export function killExec(child: ExecChild): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Exit code of a finished child; rejects when it could not be spawned at all. */
function exitOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve(exitCodeOf(code, signal)));
  });
}

/** Runs `cmd` with the client's streams; resolves with its exit code. */
export async function execWithStreams(target: ExecTarget, cmd: string[], streams: StreamOptions): Promise<number> {
  const pty = streams.tty ? loadPty() : undefined;
  if (pty) {
    const plan = planExec(target, cmd, false);
    return execInPty(pty, { plan, env: target.env, track: target.track, kill: killExec }, streams);
  }
  const child = spawnIn(target, cmd, !!streams.tty, [
    streams.stdin ? 'pipe' : 'ignore',
    streams.stdout ? 'pipe' : 'ignore',
    streams.stderr && !streams.tty ? 'pipe' : 'ignore',
  ]);
  const exit = exitOf(child);
  if (streams.stdin && child.stdin) {
    child.stdin.on('error', () => undefined); // the command stopped reading
    streams.stdin.pipe(child.stdin);
  }
  if (streams.stdout && child.stdout) child.stdout.pipe(streams.stdout, { end: false });
  if (streams.stderr && child.stderr) child.stderr.pipe(streams.stderr, { end: false });
  // A client that hangs up takes its command with it.
  const hangUp = () => killExec(child);
  streams.stdout?.once('close', hangUp);
  void drainResize(streams.resize);
  try {
    return await exit;
  } finally {
    streams.stdout?.off('close', hangUp);
    if (streams.stdin && child.stdin) streams.stdin.unpipe(child.stdin);
  }
}

async function drainResize(resize: AsyncIterable<unknown> | undefined): Promise<void> {
  if (!resize) return;
  try {
    for await (const _ of resize) {
      // `script` (node-pty missing) keeps the size it started with
    }
  } catch {
    // the session ended
  }
}

/** Runs `cmd` to completion collecting output; after `timeoutSeconds` (> 0) it is killed and reports 137. */
export async function execCollect(target: ExecTarget, cmd: string[], timeoutSeconds: number): Promise<ExecSyncResponse> {
  const child = spawnIn(target, cmd, false, ['ignore', 'pipe', 'pipe']);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout!.on('data', (d: Buffer) => out.push(d));
  child.stderr!.on('data', (d: Buffer) => err.push(d));
  const exit = exitOf(child);
  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  if (timeoutSeconds > 0) {
    timer = setTimeout(() => {
      timedOut = true;
      killExec(child);
    }, timeoutSeconds * 1000);
  }
  try {
    const code = await exit;
    return { stdout: Buffer.concat(out), stderr: Buffer.concat(err), exitCode: timedOut && code === 0 ? 137 : code };
  } finally {
    clearTimeout(timer);
  }
}
