// Reading a log file line by line, forwards from an offset, keeping an unfinished last line
// until more bytes arrive (a follower reads the same file while it grows). And finding where the
// last N lines of a set of files start, reading backwards.
import { open, type FileHandle } from 'node:fs/promises';

const CHUNK = 64 * 1024;

export class LogCursor {
  private pos: number;
  /** Bytes read after the last newline: an unfinished line. */
  private rest: Buffer = Buffer.alloc(0);
  private lines: Buffer[] = [];

  private constructor(readonly fh: FileHandle, start: number) {
    this.pos = start;
  }

  static async open(path: string, start = 0): Promise<LogCursor> {
    return new LogCursor(await open(path, 'r'), start);
  }

  /** The next complete line (with its newline), or undefined at the current end of the file. */
  async nextLine(): Promise<Buffer | undefined> {
    while (this.lines.length === 0) {
      const buf = Buffer.allocUnsafe(CHUNK);
      const { bytesRead } = await this.fh.read(buf, 0, CHUNK, this.pos);
      if (bytesRead === 0) return undefined;
      this.pos += bytesRead;
      let data = this.rest.length ? Buffer.concat([this.rest, buf.subarray(0, bytesRead)]) : buf.subarray(0, bytesRead);
      let nl: number;
      while ((nl = data.indexOf(0x0a)) >= 0) {
        this.lines.push(Buffer.from(data.subarray(0, nl + 1)));
        data = data.subarray(nl + 1);
      }
      this.rest = Buffer.from(data);
    }
    return this.lines.shift();
  }

  /** The unfinished last line read so far (consumed). */
  takeRest(): Buffer {
    const r = this.rest;
    this.rest = Buffer.alloc(0);
    return r;
  }

  async inode(): Promise<number> {
    return (await this.fh.stat()).ino;
  }

  async close(): Promise<void> {
    await this.fh.close().catch(() => undefined);
  }
}

/**
 * Where the last `n` lines of `files` (oldest first, read as one stream) begin: the file index and
 * offset. An unfinished last line is not counted (as upstream's tail), but is still read.
 */
export async function findTailStart(files: string[], n: number): Promise<{ file: number; offset: number }> {
  let need = n + 1; // the newline ending the line before the first wanted one
  for (let i = files.length - 1; i >= 0; i--) {
    let fh: FileHandle;
    try {
      fh = await open(files[i]!, 'r');
    } catch {
      continue; // pruned meanwhile
    }
    try {
      let end = (await fh.stat()).size;
      const buf = Buffer.allocUnsafe(CHUNK);
      while (end > 0) {
        const len = Math.min(CHUNK, end);
        const start = end - len;
        await fh.read(buf, 0, len, start);
        for (let j = len - 1; j >= 0; j--) {
          if (buf[j] === 0x0a && --need === 0) return { file: i, offset: start + j + 1 };
        }
        end = start;
      }
    } finally {
      await fh.close();
    }
  }
  return { file: 0, offset: 0 };
}
