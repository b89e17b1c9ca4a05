// An exec with a TTY on a node-pty terminal: the command (wrapped as for any exec) is the
// terminal's session leader; its output goes to stdout only (a terminal has no separate stderr,
// as upstream) and the client's resize events change the terminal's size, so the command gets
// SIGWINCH. When the client's stdin ends we send the terminal's EOF character (^D), as `script`
// did before: a command reading input sees end of file, anything else keeps running.
import { closeSync, constants, openSync } from 'node:fs';
import type { StreamOptions } from '../cri.js';
import { followResize, initialSize, ptyExitCode, type PtyModule, type SpawnedPty } from './pty.js';
import type { SpawnPlan } from './launch.js';

export interface PtyExecOptions {
  plan: SpawnPlan;
  env: Record<string, string>;
  /** Sees the session (pid = its process group) until it exits, so stopping the container ends it. */
  track?: (child: { pid?: number }, exited: Promise<unknown>) => void;
  kill: (child: { pid?: number }) => void;
}

export async function execInPty(pty: PtyModule, opts: PtyExecOptions, streams: StreamOptions): Promise<number> {
  const resizes = streams.resize?.[Symbol.asyncIterator]();
  const { size, pending } = await initialSize(resizes);
  const term = pty.spawn(opts.plan.file, opts.plan.args, {
    // The container's own TERM wins; a terminal session without one gets xterm, as docker does.
    name: opts.env.TERM ?? 'xterm',
    cols: size.width,
    rows: size.height,
    cwd: opts.plan.cwd,
    env: opts.env,
    encoding: null,
  });
  const exited = new Promise<number>((resolve) => term.onExit((e) => resolve(ptyExitCode(e))));
  const releaseSlave = holdSlaveUntilReaped(term);
  term.on('error', () => undefined); // a second listener stops node-pty rethrowing non-EIO read errors
  opts.track?.(term, exited);
  const out = streams.stdout;
  term.onData((d) => {
    if (out && !out.destroyed && !out.writableEnded) out.write(d);
  });
  const input = streams.stdin;
  const onInput = (d: Buffer) => term.write(d);
  const onInputEnd = () => term.write('\x04');
  input?.on('data', onInput);
  input?.once('end', onInputEnd);
  const stopResize = followResize(resizes, pending, (s) => term.resize(s.width, s.height));
  // A client that hangs up takes its command with it.
  const hangUp = () => opts.kill(term);
  out?.once('close', hangUp);
  try {
    return await exited;
  } finally {
    releaseSlave();
    stopResize();
    out?.off('close', hangUp);
    input?.off('data', onInput);
    input?.off('end', onInputEnd);
  }
}

/** How often a session checks whether its command was reaped (see holdSlaveUntilReaped). */
const REAPED_POLL_MS = 20;

/**
 * Keeps our own descriptor of the terminal's slave until the command was reaped, as runtimes
 * close the master only after wait(). Otherwise a command that closes its terminal before it
 * exits (cat: close(0..2), then exit_group) lets the master read EIO in between; node-pty then
 * closes the master, and that hang-up SIGHUPs the still-running session leader (129, not 0).
 * node-pty reaps the command (waitpid) but reports it only once the master closed, so we poll;
 * should the poll miss it, node-pty closes the master itself 200 ms after the exit.
 * Returns the release, which is idempotent.
 */
function holdSlaveUntilReaped(term: SpawnedPty): () => void {
  let fd: number | undefined;
  try {
    fd = openSync(term.ptsName, constants.O_RDWR | constants.O_NOCTTY);
  } catch {
    return () => undefined; // the terminal is already gone: nothing to hold
  }
  const timer = setInterval(() => {
    try {
      process.kill(term.pid, 0);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') release();
    }
  }, REAPED_POLL_MS);
  timer.unref();
  const release = () => {
    clearInterval(timer);
    if (fd !== undefined) closeSync(fd); // once only: a later close could hit a reused number
    fd = undefined;
  };
  return release;
}
