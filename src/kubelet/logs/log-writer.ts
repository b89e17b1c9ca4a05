// Writes a container's stdout/stderr into a CRI-format log file, as containerd does: one record
// per line, lines longer than `maxLineBytes` split into `P` pieces, a line cut off by the end of
// its stream written as `P`. Size-based rotation keeps `maxFiles` files in all (the current one
// included). Writes are synchronous so records from both streams keep their order and a
// rotation never interleaves with a write.
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { formatRecord, wallClockNs, type LogStream } from './cri-log-format.js';
import { listRotatedLogs, rotatedName } from './log-files.js';

export interface ContainerLogWriterOptions {
  /** Absolute path of the current log file, e.g. `<pod log dir>/web/0.log`. */
  path: string;
  /** Rotate once the current file reaches this size (default 10 MiB; 0 = never). */
  maxSizeBytes?: number;
  /** Files kept, the current one included (default 5, at least 1). */
  maxFiles?: number;
  /** Longest line written as one record (default 16 KiB, containerd's max_container_log_line_size). */
  maxLineBytes?: number;
  /** Clock in nanoseconds since the epoch (tests inject it). */
  nowNs?: () => bigint;
}

export const DEFAULT_MAX_LOG_SIZE = 10 * 1024 * 1024;
export const DEFAULT_MAX_LOG_FILES = 5;
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024;

export class ContainerLogWriter {
  readonly path: string;
  private readonly maxSize: number;
  private readonly maxFiles: number;
  private readonly maxLine: number;
  private readonly nowNs: () => bigint;
  private fd: number | undefined;
  private size = 0;
  /** Bytes of an unfinished line per stream, waiting for its newline. */
  private readonly pending: Record<LogStream, Buffer[]> = { stdout: [], stderr: [] };
  private readonly pendingLen: Record<LogStream, number> = { stdout: 0, stderr: 0 };

  constructor(opts: ContainerLogWriterOptions) {
    this.path = opts.path;
    this.maxSize = opts.maxSizeBytes ?? DEFAULT_MAX_LOG_SIZE;
    this.maxFiles = Math.max(1, opts.maxFiles ?? DEFAULT_MAX_LOG_FILES);
    this.maxLine = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.nowNs = opts.nowNs ?? wallClockNs;
    mkdirSync(dirname(this.path), { recursive: true });
    this.open();
  }

  /** Appends output of `stream`; complete lines are written at once, the rest waits for its newline. */
  write(stream: LogStream, chunk: Buffer | string): void {
    let data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    while (data.length > 0) {
      const nl = data.indexOf(0x0a);
      const piece = nl < 0 ? data : data.subarray(0, nl);
      this.pending[stream].push(piece);
      this.pendingLen[stream] += piece.length;
      // Emit P pieces while the unfinished line is over the limit.
      while (this.pendingLen[stream] > this.maxLine) {
        const all = Buffer.concat(this.pending[stream]);
        this.record(stream, 'P', all.subarray(0, this.maxLine));
        const rest = all.subarray(this.maxLine);
        this.pending[stream] = [rest];
        this.pendingLen[stream] = rest.length;
      }
      if (nl < 0) break;
      this.record(stream, 'F', this.takePending(stream));
      data = data.subarray(nl + 1);
    }
  }

  /** Writes an unfinished line of `stream` (or both) as a `P` record, e.g. when the stream ends. */
  flush(stream?: LogStream): void {
    for (const s of stream ? [stream] : (['stdout', 'stderr'] as const)) {
      if (this.pendingLen[s] > 0) this.record(s, 'P', this.takePending(s));
    }
  }

  /** Closes and opens the path again (CRI ReopenContainerLog, after someone else moved the file). */
  reopen(): void {
    this.closeFd();
    this.open();
  }

  /** Flushes unfinished lines and closes the file. Later writes are dropped. */
  close(): void {
    if (this.fd === undefined) return;
    this.flush();
    this.closeFd();
  }

  get closed(): boolean {
    return this.fd === undefined;
  }

  private takePending(stream: LogStream): Buffer {
    const line = Buffer.concat(this.pending[stream]);
    this.pending[stream] = [];
    this.pendingLen[stream] = 0;
    return line;
  }

  private record(stream: LogStream, tag: 'F' | 'P', content: Buffer): void {
    if (this.fd === undefined) return;
    const rec = formatRecord(this.nowNs(), stream, tag, content);
    writeSync(this.fd, rec);
    this.size += rec.length;
    if (this.maxSize > 0 && this.size >= this.maxSize) this.rotate();
  }

  private rotate(): void {
    this.closeFd();
    const target = rotatedName(this.path, Number(this.nowNs() / 1_000_000n), existsSync);
    renameSync(this.path, target);
    this.open();
    const rotated = listRotatedLogs(this.path);
    for (const old of rotated.slice(0, Math.max(0, rotated.length - (this.maxFiles - 1)))) {
      rmSync(old, { force: true });
    }
  }

  private open(): void {
    this.fd = openSync(this.path, 'a', 0o640);
    this.size = fstatSync(this.fd).size;
  }

  private closeFd(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
