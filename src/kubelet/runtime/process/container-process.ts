// One container's main process: spawned in its own session and process group (so stop reaches
// the whole tree), stdout/stderr copied into the CRI log file and to attached clients, stdin kept
// open for attach when the container asked for it. When the main process ends, whatever is left
// of its group is killed — a container's processes do not outlive it. With a terminal
// (container-pty.ts) the process's stdio is the terminal: its output is logged as stdout, input
// and resize events of attached clients go to the terminal.
import { Writable } from 'node:stream';
import type { StreamOptions } from '../cri.js';
import type { ContainerLogWriter } from '../../logs/log-writer.js';
import { openTerminal, type ContainerTerminal } from './container-pty.js';
import { exitCodeOf } from './exit-status.js';
import type { SpawnPlan } from './launch.js';
import { followResize, type PtyModule } from './pty.js';
import { Spawner, spawnHere, type MainProcess, type SpawnRequest } from './spawner.js';
import type { CgroupSetup } from './cgroups.js';

export interface ProcessExit {
  exitCode: number;
  signal: NodeJS.Signals | null;
}

export interface ContainerProcessOptions {
  plan: SpawnPlan;
  env: Record<string, string>;
  log: ContainerLogWriter;
  stdin?: boolean;
  stdinOnce?: boolean;
  /** Run on a node-pty terminal; the plan must be made with `ctty` so it becomes the controlling one. */
  pty?: PtyModule;
  /** Called after the main process exited, before the leftovers are killed (cgroup kill). */
  onExit?: () => void;
  /** How long to wait for the output pipes to close after the exit before closing the log. */
  drainMs?: number;
  /** Directories and files (the cgroup) to make right before the spawn. */
  prepare?: CgroupSetup;
  /** The runtime's state record, written by the spawner thread once the process exists. */
  record?: SpawnRequest['record'];
}

/** One spawner thread for the process: it serves every runtime in it. */
let shared: Spawner | undefined;
const spawner = () => (shared ??= new Spawner());

export class ContainerProcess {
  readonly pid: number;
  /** Whether the spawner thread wrote the state record (else the runtime writes it). */
  readonly recorded: boolean;
  /** Settles once the process exited and its output is in the log. */
  readonly done: Promise<ProcessExit>;
  /** The process's stdin: a pipe, or the terminal (where its end is the EOF character). */
  private readonly stdinSink: Writable | null;
  private exitInfo: ProcessExit | undefined;
  /** Attached clients receiving live output. */
  private readonly attached = new Set<{ stdout?: Writable; stderr?: Writable }>();

  private constructor(child: MainProcess, private readonly opts: ContainerProcessOptions, private readonly term?: ContainerTerminal) {
    this.pid = child.pid;
    this.recorded = !!child.recorded;
    const closed = [child.closed];
    if (term) {
      term.master.on('data', (d: Buffer) => this.output('stdout', d));
      closed.push(new Promise((resolve) => term.master.once('close', () => resolve())));
      this.stdinSink = opts.stdin ? terminalInput(term) : null;
    } else {
      child.stdout.on('data', (d: Buffer) => this.output('stdout', d));
      child.stderr.on('data', (d: Buffer) => this.output('stderr', d));
      this.stdinSink = child.stdin;
    }
    this.stdinSink?.on('error', () => undefined); // the process closed its stdin: writes are dropped
    this.done = child.exited.then(({ code, signal }) => new Promise<ProcessExit>((resolve) => {
      this.exitInfo = { exitCode: exitCodeOf(code, signal), signal };
      // Only now may the master see the hang-up: a process that closes its terminal before it
      // exits would otherwise be SIGHUPed by the master's close in between (see exec-pty.ts).
      term?.releaseSlave();
      opts.onExit?.();
      this.killGroup('SIGKILL');
      const finish = () => {
        clearTimeout(timer);
        term?.close();
        opts.log.close();
        resolve(this.exitInfo!);
      };
      // Pipes (or the terminal) held by a process that left the group would keep 'close' away: do not wait forever.
      const timer = setTimeout(finish, opts.drainMs ?? 2000);
      void Promise.all(closed).then(finish);
    }));
  }

  /** Spawns the process; rejects when it could not be started or its setup prelude failed. */
  static async start(opts: ContainerProcessOptions): Promise<ContainerProcess> {
    const term = opts.pty ? openTerminal(opts.pty) : undefined;
    let child: MainProcess;
    try {
      if (term) {
        if (opts.prepare) await spawner().prepare(opts.prepare);
        // setsid --ctty (in the plan) makes the session; the slave fd cannot cross to the spawner thread.
        child = await spawnHere(opts.plan.file, opts.plan.args, {
          cwd: opts.plan.cwd, env: opts.env, detached: false,
          stdio: [term.slaveFd, term.slaveFd, term.slaveFd, ...(opts.plan.reportsOnFd3 ? ['pipe' as const] : [])],
        });
      } else {
        // Own session and process group (pgid = pid), so stop reaches the whole tree.
        child = await spawner().spawn({
          file: opts.plan.file, args: opts.plan.args, cwd: opts.plan.cwd, env: opts.env,
          stdin: !!opts.stdin, report: !!opts.plan.reportsOnFd3, prepare: opts.prepare, record: opts.record,
        });
      }
    } catch (err) {
      term?.close();
      throw err;
    }
    const proc = new ContainerProcess(child, opts, term);
    if (child.report !== undefined && !child.report.endsWith('ok')) {
      await proc.done;
      throw new Error(`container setup failed: ${child.report.trim() || `exit code ${proc.exitInfo?.exitCode}`}`);
    }
    return proc;
  }

  get exited(): ProcessExit | undefined {
    return this.exitInfo;
  }

  /** SIGTERM to the group, SIGKILL after `timeoutSeconds` (at once for 0); resolves after the exit. */
  async stop(timeoutSeconds: number): Promise<ProcessExit> {
    if (!this.exitInfo) {
      if (timeoutSeconds > 0) {
        this.killGroup('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        const graceOver = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutSeconds * 1000)));
        await Promise.race([this.done, graceOver]);
        clearTimeout(timer);
      }
      if (!this.exitInfo) this.killGroup('SIGKILL');
    }
    return this.done;
  }

  killGroup(signal: NodeJS.Signals): void {
    try {
      process.kill(-this.pid, signal);
    } catch {
      // the group is empty
    }
  }

  /**
   * Connects a client to the main process: its input to the process's stdin (when the container
   * has one), live output to the client from now on. Resolves when the process ended or the
   * client went away; with stdinOnce the container's stdin closes after this first session.
   */
  attach(streams: StreamOptions): Promise<void> {
    const sub = { stdout: streams.stdout, stderr: streams.stderr };
    const stdinPipe = this.stdinSink;
    const input = stdinPipe && streams.stdin;
    const term = this.term;
    let stopResize = () => {};
    return new Promise<void>((resolve) => {
      let finished = false;
      const finish = () => {
        if (finished) return;
        finished = true;
        this.attached.delete(sub);
        if (input) {
          input.unpipe(stdinPipe);
          input.off('end', onInputEnd);
          if (this.opts.stdinOnce) stdinPipe.end();
        }
        for (const s of [streams.stdout, streams.stderr]) s?.off('close', finish);
        stopResize();
        resolve();
      };
      const onInputEnd = () => {
        if (this.opts.stdinOnce) stdinPipe?.end();
        if (!streams.stdout && !streams.stderr) finish();
      };
      if (this.exitInfo) return finish();
      this.attached.add(sub);
      if (term) stopResize = followResize(streams.resize?.[Symbol.asyncIterator](), undefined, (s) => term.resize(s));
      if (input) {
        input.pipe(stdinPipe, { end: false });
        input.once('end', onInputEnd);
      }
      for (const s of [streams.stdout, streams.stderr]) s?.once('close', finish);
      void this.done.then(finish);
    });
  }

  private output(stream: 'stdout' | 'stderr', data: Buffer): void {
    this.opts.log.write(stream, data);
    for (const sub of this.attached) {
      const target = sub[stream];
      if (target && !target.destroyed && !target.writableEnded) target.write(data);
    }
  }
}

/** Input for the terminal; ending it sends the EOF character, as closing a terminal's input does with `script`. */
function terminalInput(term: ContainerTerminal): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      term.write(chunk);
      cb();
    },
    final(cb) {
      term.write('\x04');
      cb();
    },
  });
}
