// Real pseudo-terminals from node-pty, for TTY sessions that follow the client's terminal size.
// node-pty is a native addon: where it has no build it fails to load, and TTY sessions fall back
// to `script` (fixed size, resize dropped) with one warning instead of failing. It is loaded on
// first use, so a node that never opens a terminal never loads it.
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import type { TerminalSize } from '../cri.js';

interface Disposable {
  dispose(): void;
}

/** The parts of node-pty's IPty we use (spawned with `encoding: null`, so data is raw bytes). */
export interface SpawnedPty {
  readonly pid: number;
  /** Path of the slave device, /dev/pts/N (on UnixTerminal, untyped upstream). */
  readonly ptsName: string;
  write(data: string | Buffer): void;
  resize(cols: number, rows: number): void;
  onData(listener: (data: Buffer) => void): Disposable;
  onExit(listener: (e: { exitCode: number; signal?: number }) => void): Disposable;
  on(event: 'error', listener: (err: Error) => void): void;
}

/** node-pty's `open()` (untyped upstream): a master/slave pair with no process. */
export interface OpenedPty {
  /** Reads the master; errors with EIO once every holder of the slave closed it. */
  readonly master: Socket;
  readonly fd: number;
  /** Path of the slave device, /dev/pts/N. */
  readonly ptsName: string;
  resize(cols: number, rows: number): void;
}

export interface PtyModule {
  spawn(file: string, args: string[], opts: { name: string; cols: number; rows: number; cwd?: string; env: Record<string, string>; encoding: null }): SpawnedPty;
  open(opts: { cols: number; rows: number; encoding: null }): OpenedPty;
}

/** Memoizes `load`; a failure is reported through `warn` once and gives undefined from then on. */
export function ptyLoader(load: () => unknown, warn: (message: string) => void): () => PtyModule | undefined {
  let result: { mod?: PtyModule } | undefined;
  return () => {
    if (!result) {
      try {
        const mod = load() as Partial<PtyModule>;
        if (typeof mod.spawn !== 'function' || typeof mod.open !== 'function') throw new Error('unexpected module shape');
        result = { mod: mod as PtyModule };
      } catch (err) {
        warn(`k8ts: node-pty unavailable (${(err as Error).message}); terminals use script(1) and ignore resize`);
        result = {};
      }
    }
    return result.mod;
  };
}

// require, not import: the addon is CommonJS and a failed load must be catchable synchronously.
export const loadPty = ptyLoader(() => createRequire(import.meta.url)('node-pty'), (m) => console.warn(m));

export const DEFAULT_SIZE: TerminalSize = { width: 80, height: 24 };

/** The size to start with: the client's first resize when it is already there (clients send it at once), else 80x24. */
/** How long a TTY session waits for the client's first size before starting at 80x24. */
export const FIRST_RESIZE_WAIT_MS = 200;

export async function initialSize(it: AsyncIterator<TerminalSize> | undefined): Promise<{ size: TerminalSize; pending?: Promise<IteratorResult<TerminalSize>> }> {
  if (!it) return { size: DEFAULT_SIZE };
  const pending = it.next();
  pending.catch(() => undefined); // the session may end first; followResize sees it then
  // kubectl sends the terminal's size right after the session opens; waiting briefly for it lets
  // the command start at the right size (`stty size` as the first thing a shell runs).
  let timer: NodeJS.Timeout | undefined;
  const ready = await Promise.race([pending, new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), FIRST_RESIZE_WAIT_MS)))]);
  clearTimeout(timer);
  if (ready === undefined) return { size: DEFAULT_SIZE, pending };
  if (ready.done || !usable(ready.value)) return { size: DEFAULT_SIZE };
  return { size: ready.value };
}

/** Applies every later size until the client stops sending them or `stop` is called. */
export function followResize(it: AsyncIterator<TerminalSize> | undefined, pending: Promise<IteratorResult<TerminalSize>> | undefined, resize: (s: TerminalSize) => void): () => void {
  let stopped = !it;
  void (async () => {
    try {
      for (let next = pending ?? it!.next(); ; next = it!.next()) {
        const r = await next;
        if (r.done || stopped) return;
        if (usable(r.value)) resize(r.value);
      }
    } catch {
      // the session ended, or the terminal is already closed
    }
  })();
  return () => {
    if (stopped) return;
    stopped = true;
    void it!.return?.().catch(() => undefined);
  };
}

/** node-pty throws on sizes that are not positive (a client that is not a terminal may send 0x0). */
function usable(s: TerminalSize): boolean {
  return Number.isInteger(s.width) && Number.isInteger(s.height) && s.width > 0 && s.height > 0;
}

/** Exit code as a shell reports it: 128 + n for a death by signal n. */
export function ptyExitCode(e: { exitCode: number; signal?: number }): number {
  return e.signal ? 128 + e.signal : e.exitCode;
}
