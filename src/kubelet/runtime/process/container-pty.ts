// The terminal of a container with `tty: true`. Unlike an exec, the main process is started by
// child_process, not node-pty's spawn: the root prelude reports on fd 3, which node-pty cannot
// pass. So we open a bare pty pair, hand the slave to the child as stdin/stdout/stderr and let
// `setsid --ctty` (in launch.ts) make it the child's controlling terminal; we keep the master.
import { closeSync, constants, openSync, readdirSync, readlinkSync, write } from 'node:fs';
import type { Socket } from 'node:net';
import type { TerminalSize } from '../cri.js';
import { DEFAULT_SIZE, type PtyModule } from './pty.js';

export interface ContainerTerminal {
  /** A plain (blocking) descriptor of the slave, for the child's stdio. */
  readonly slaveFd: number;
  /** Output; closes once nothing holds the slave any more (every process on it exited). */
  readonly master: Socket;
  write(data: Buffer | string): void;
  resize(size: TerminalSize): void;
  /** Closes our slave descriptor: call once the child exited (holding it keeps the master from an early hang-up). */
  releaseSlave(): void;
  close(): void;
}

export function openTerminal(pty: PtyModule): ContainerTerminal {
  const term = pty.open({ cols: DEFAULT_SIZE.width, rows: DEFAULT_SIZE.height, encoding: null });
  // node-pty's own slave stream reads the slave (stealing the child's input) and libuv made its
  // descriptor non-blocking: open our own before dropping it, so the slave is never unheld
  // (the master would read EIO and close).
  const slaveFd = openSync(term.ptsName, constants.O_RDWR | constants.O_NOCTTY);
  (term as unknown as { slave: Socket }).slave.destroy();
  closeStraySlave(term.ptsName, slaveFd);
  term.master.on('error', () => undefined); // EIO at the end; a second listener stops node-pty rethrowing it
  let slaveOpen = true;
  // Once the master closed its descriptor number may be reused: nothing may touch it then.
  let masterOpen = true;
  term.master.once('close', () => (masterOpen = false));
  const writer = fdWriter(term.fd, () => masterOpen);
  return {
    slaveFd,
    master: term.master,
    write: writer,
    resize: (s) => {
      if (masterOpen) term.resize(s.width, s.height);
    },
    releaseSlave() {
      if (slaveOpen) closeSync(slaveFd);
      slaveOpen = false;
    },
    close() {
      this.releaseSlave();
      // Only the socket: node-pty's destroy()/kill() signal its pid, which is -1 for an opened pair.
      term.master.destroy();
    },
  };
}

/** Ordered writes to a non-blocking descriptor, retried while the terminal's input buffer is full. */
function fdWriter(fd: number, open: () => boolean): (data: Buffer | string) => void {
  const queue: Buffer[] = [];
  const flush = (): void => {
    const chunk = queue[0];
    if (!chunk) return;
    if (!open()) return void (queue.length = 0);
    write(fd, chunk, (err, n) => {
      if (err && err.code === 'EAGAIN') return void setImmediate(flush);
      if (err) queue.length = 0; // the terminal is gone: input is dropped
      else if (n < chunk.length) queue[0] = chunk.subarray(n);
      else queue.shift();
      flush();
    });
  };
  return (data) => {
    queue.push(Buffer.from(data));
    if (queue.length === 1) flush();
  };
}

/**
 * libuv reopened the slave for its stream and dup'ed the new descriptor over node-pty's one, so
 * destroying the stream leaves node-pty's number open: while we hold it the master never sees the
 * end (EIO), and it would leak. Its number is not exposed, hence the look through /proc (Linux).
 */
function closeStraySlave(ptsName: string, keep: number): void {
  for (const entry of readdirSync('/proc/self/fd')) {
    const fd = Number(entry);
    if (fd === keep || fd <= 2) continue;
    let target = '';
    try {
      target = readlinkSync(`/proc/self/fd/${entry}`);
    } catch {
      continue; // the directory's own descriptor, closed by now
    }
    if (target === ptsName) closeSync(fd);
  }
}
