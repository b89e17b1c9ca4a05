import { createRequire as cr } from 'node:module';
const require = cr(import.meta.url);
// An exec with a TTY on a node-pty terminal: the command (wrapped as for any exec) is the
// terminal's session leader; its output goes to stdout only (a terminal has no separate stderr,
// as upstream) and the client's resize events change the terminal's size, so the command gets
// SIGWINCH. When the client's stdin ends we send the terminal's EOF character (^D), as `script`
// did before: a command reading input sees end of file, anything else keeps running.
import type { StreamOptions } from '../cri.js';
import { followResize, initialSize, ptyExitCode, type PtyModule } from './pty.js';
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
  const L = (m: string) => (require('node:fs') as typeof import('node:fs')).appendFileSync('/tmp/ttyruns/dbg.log', `${process.pid} ${performance.now().toFixed(1)} pid=${term.pid} fd=${(term as any)._fd} ${m}\n`);
  L(`spawn ${opts.plan.file} ${opts.plan.args.join(' ')}`);
  (term as any)._socket.__dbgid = term.pid;
  (term as any)._socket.once('close', () => L('socket close'));
  const exited = new Promise<number>((resolve) => term.onExit((e) => (L(`exit ${JSON.stringify(e)}`), resolve(ptyExitCode(e)))));
  term.on('error', () => undefined); // a second listener stops node-pty rethrowing non-EIO read errors
  opts.track?.(term, exited);
  const out = streams.stdout;
  term.onData((d) => {
    if (out && !out.destroyed && !out.writableEnded) out.write(d);
  });
  const input = streams.stdin;
  const onInput = (d: Buffer) => term.write(d);
  const onInputEnd = () => (L('EOT'), term.write('\x04'));
  input?.on('data', onInput);
  input?.once('end', onInputEnd);
  const stopResize = followResize(resizes, pending, (s) => term.resize(s.width, s.height));
  // A client that hangs up takes its command with it.
  const hangUp = () => opts.kill(term);
  out?.once('close', hangUp);
  try {
    return await exited;
  } finally {
    stopResize();
    out?.off('close', hangUp);
    input?.off('data', onInput);
    input?.off('end', onInputEnd);
  }
}
