// `kubectl logs` over a CRI-format log file and its rotated predecessors, with upstream's
// semantics (pkg/kubelet/kuberuntime/logs): tailLines counts records from the end, sinceMs drops
// older records, timestamps prefixes each record with its time in fixed nine-digit form,
// limitBytes cuts the output, and follow keeps reading as the file grows — also across a
// rotation (the renamed file is drained, then the new one is read) — until the signal aborts or,
// once `isRunning` says the container has exited, the file is drained.
import { watch, statSync, type FSWatcher } from 'node:fs';
import { dirname } from 'node:path';
import type { Writable } from 'node:stream';
import { parseRecord, parseTimestamp } from './cri-log-format.js';
import { findTailStart, LogCursor } from './log-cursor.js';
import { listRotatedLogs } from './log-files.js';
import type { LogOptions } from './log-options.js';

export interface ReadContainerLogDeps {
  /** How often a follower re-checks without a file event (default 1000 ms, as upstream). */
  pollMs?: number;
}

/** Thrown inside the reader to end it early (limits reached, client gone); never escapes. */
class Done extends Error {}

export async function readContainerLog(
  path: string,
  opts: LogOptions,
  out: Writable,
  signal: AbortSignal,
  isRunning?: () => boolean | Promise<boolean>,
  deps: ReadContainerLogDeps = {},
): Promise<void> {
  let currentIno: number;
  try {
    currentIno = statSync(path).ino;
  } catch (err) {
    throw new Error(`failed to open log file "${path}": ${(err as Error).message}`);
  }
  const rotated = listRotatedLogs(path).filter((p) => inodeOf(p) !== currentIno);
  const files = [...rotated, path];
  const tail = opts.tailLines !== undefined && opts.tailLines >= 0 ? opts.tailLines : -1;
  const start = tail >= 0 ? await findTailStart(files, tail) : { file: 0, offset: 0 };
  // A follower also ends when the client's stream closes, even if nothing is written meanwhile.
  const stop = new AbortController();
  const onStop = () => stop.abort();
  signal.addEventListener('abort', onStop);
  out.once('close', onStop);
  if (signal.aborted) stop.abort();
  const sink = new LogSink(opts, out, stop.signal, tail >= 0 && !opts.follow ? tail : -1);
  const waiter = opts.follow ? new ChangeWaiter(dirname(path), deps.pollMs ?? 1000) : undefined;
  try {
    for (let i = start.file; i < files.length - 1; i++) {
      let cursor: LogCursor;
      try {
        cursor = await LogCursor.open(files[i]!, i === start.file ? start.offset : 0);
      } catch {
        continue; // pruned by a rotation meanwhile
      }
      try {
        await drain(cursor, sink, true);
      } finally {
        await cursor.close();
      }
    }
    let cursor = await LogCursor.open(path, start.file === files.length - 1 ? start.offset : 0);
    try {
      let exited = false;
      for (;;) {
        await drain(cursor, sink, !opts.follow);
        if (!waiter) return;
        // Rotated under us: the old file is drained, continue with the new one from its start.
        const ino = inodeOf(path);
        if (ino !== undefined && ino !== (await cursor.inode())) {
          await cursor.close();
          cursor = await LogCursor.open(path, 0);
          continue;
        }
        if (exited) return;
        if (isRunning && !(await isRunning())) {
          exited = true; // read what was written up to the exit, then stop
          continue;
        }
        if (!(await waiter.wait(stop.signal))) return;
      }
    } finally {
      await cursor.close();
    }
  } catch (err) {
    if (!(err instanceof Done)) throw err;
  } finally {
    waiter?.close();
    signal.removeEventListener('abort', onStop);
    out.off('close', onStop);
  }
}

/** Feeds complete lines to the sink; with `final`, an unfinished last line too (upstream does). */
async function drain(cursor: LogCursor, sink: LogSink, final: boolean): Promise<void> {
  let line: Buffer | undefined;
  while ((line = await cursor.nextLine())) await sink.line(line);
  if (final) {
    const rest = cursor.takeRest();
    if (rest.length) await sink.line(rest);
  }
}

function inodeOf(p: string): number | undefined {
  try {
    return statSync(p).ino;
  } catch {
    return undefined;
  }
}

/** Applies since/timestamps/limitBytes/tail count to records and writes them with backpressure. */
class LogSink {
  private remainBytes: number;
  private readonly sinceNs: bigint | undefined;

  constructor(
    private readonly opts: LogOptions,
    private readonly out: Writable,
    private readonly signal: AbortSignal,
    private remainLines: number,
  ) {
    this.remainBytes = opts.limitBytes !== undefined && opts.limitBytes >= 0 ? opts.limitBytes : Infinity;
    this.sinceNs = opts.sinceMs !== undefined ? BigInt(Math.floor(opts.sinceMs)) * 1_000_000n : undefined;
  }

  async line(raw: Buffer): Promise<void> {
    if (this.remainLines === 0) throw new Done();
    const rec = parseRecord(raw);
    if (!rec) return; // not a CRI record: upstream skips it
    if (this.remainLines > 0) this.remainLines--;
    if (this.sinceNs !== undefined && rec.timeNs < this.sinceNs) return;
    let data = rec.full ? Buffer.concat([rec.content, NL]) : rec.content;
    if (this.opts.timestamps) data = Buffer.concat([Buffer.from(`${parseTimestamp(rec.time)!.fixed} `), data]);
    if (data.length > this.remainBytes) data = data.subarray(0, this.remainBytes);
    this.remainBytes -= data.length;
    await this.write(data);
    if (this.remainBytes <= 0) throw new Done();
  }

  private async write(data: Buffer): Promise<void> {
    if (this.signal.aborted || this.out.destroyed || this.out.writableEnded) throw new Done();
    if (this.out.write(data)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.out.off('drain', done).off('close', done).off('error', done);
        this.signal.removeEventListener('abort', done);
        resolve();
      };
      this.out.on('drain', done).on('close', done).on('error', done);
      this.signal.addEventListener('abort', done);
    });
    if (this.signal.aborted || this.out.destroyed) throw new Done();
  }
}

const NL = Buffer.from('\n');

/** Wakes a follower on any change in the log directory, at the latest after `pollMs`. */
class ChangeWaiter {
  private watcher: FSWatcher | undefined;
  private dirty = false;
  private wake: (() => void) | undefined;

  constructor(dir: string, private readonly pollMs: number) {
    try {
      this.watcher = watch(dir, () => this.notify());
      this.watcher.on('error', () => this.close()); // fall back to polling
    } catch {
      this.watcher = undefined;
    }
  }

  /** Resolves true after a change or the poll period, false when the signal aborted. */
  wait(signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return Promise.resolve(false);
    if (this.dirty) {
      this.dirty = false;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const finish = (ok: boolean) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.wake = undefined;
        this.dirty = false;
        resolve(ok);
      };
      const onAbort = () => finish(false);
      const timer = setTimeout(() => finish(true), this.pollMs);
      signal.addEventListener('abort', onAbort);
      this.wake = () => finish(true);
    });
  }

  close(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }

  private notify(): void {
    if (this.wake) this.wake();
    else this.dirty = true;
  }
}
