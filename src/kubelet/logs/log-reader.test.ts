import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readContainerLog } from './log-reader.js';
import { ContainerLogWriter } from './log-writer.js';
import type { LogOptions } from './log-options.js';

const SEC = 1_000_000_000n;
const T0 = 1_700_000_000n * SEC; // 2023-11-14T22:13:20Z

/** Collects what the reader writes; `until` resolves once the text matches. */
function sink() {
  const out = new PassThrough();
  let text = '';
  const waiters: { re: RegExp; resolve: () => void }[] = [];
  out.on('data', (d: Buffer) => {
    text += d.toString();
    for (const w of waiters.splice(0)) (w.re.test(text) ? w.resolve : () => waiters.push(w))();
  });
  return {
    out,
    text: () => text,
    until: (re: RegExp) => new Promise<void>((resolve) => (re.test(text) ? resolve() : waiters.push({ re, resolve }))),
  };
}

describe('readContainerLog', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'k8ts-logr-'));
    path = join(dir, '0.log');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A writer whose clock advances one second per record. */
  function writer(opts: { maxSizeBytes?: number; maxLineBytes?: number } = {}) {
    let t = T0;
    return new ContainerLogWriter({ path, nowNs: () => (t += SEC), ...opts });
  }

  async function read(opts: LogOptions): Promise<string> {
    const s = sink();
    await readContainerLog(path, opts, s.out, new AbortController().signal);
    return s.text();
  }

  it('joins partial pieces, keeps stdout and stderr, and skips foreign lines', async () => {
    const w = writer({ maxLineBytes: 3 });
    w.write('stdout', 'abcdefg\n');
    w.write('stderr', 'err\n');
    w.close();
    appendFileSync(path, 'not a cri line\n');
    expect(await read({})).toBe('abcdefg\nerr\n');
  });

  it('prefixes the original timestamp in fixed nanosecond form', async () => {
    writeFileSync(path, '2023-11-14T22:13:21.5Z stdout F one\n2023-11-14T22:13:22.000000001Z stdout F two\n');
    expect(await read({ timestamps: true })).toBe(
      '2023-11-14T22:13:21.500000000Z one\n2023-11-14T22:13:22.000000001Z two\n',
    );
  });

  it('tails across rotated files', async () => {
    const w = writer({ maxSizeBytes: 120 });
    for (let i = 0; i < 9; i++) w.write('stdout', `line ${i}\n`);
    w.close();
    expect(await read({ tailLines: 5 })).toBe('line 4\nline 5\nline 6\nline 7\nline 8\n');
    expect(await read({})).toBe([0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) => `line ${i}\n`).join(''));
    expect(await read({ tailLines: 0 })).toBe('');
  });

  it('drops records older than sinceMs and cuts at limitBytes', async () => {
    const w = writer();
    for (let i = 1; i <= 4; i++) w.write('stdout', `line ${i}\n`); // at T0+1s … T0+4s
    w.close();
    const sinceMs = Number((T0 + 3n * SEC) / 1_000_000n);
    expect(await read({ sinceMs })).toBe('line 3\nline 4\n');
    expect(await read({ limitBytes: 9 })).toBe('line 1\nli');
    expect(await read({ sinceMs, limitBytes: 3, timestamps: true })).toBe('202');
  });

  it('reads an unfinished last line when not following', async () => {
    writeFileSync(path, '2023-11-14T22:13:21Z stdout F done\n2023-11-14T22:13:22Z stdout P half');
    expect(await read({})).toBe('done\nhalf');
    expect(await read({ tailLines: 0 })).toBe('');
  });

  it('fails clearly when the log file is missing', async () => {
    await expect(read({})).rejects.toThrow(/failed to open log file ".*0\.log"/);
  });

  it('follows appends and a rotation until aborted', async () => {
    const w = writer({ maxSizeBytes: 200 });
    w.write('stdout', 'first\n');
    const s = sink();
    const ac = new AbortController();
    const done = readContainerLog(path, { follow: true, tailLines: 1 }, s.out, ac.signal, () => true, { pollMs: 50 });
    await s.until(/first\n$/);
    w.write('stdout', 'second\n');
    await s.until(/second\n$/);
    for (let i = 0; i < 6; i++) w.write('stdout', `more ${i}\n`); // rotates on the way
    await s.until(/more 5\n$/);
    ac.abort();
    await done;
    w.close();
    expect(s.text()).toBe('first\nsecond\n' + [0, 1, 2, 3, 4, 5].map((i) => `more ${i}\n`).join(''));
  });

  it('stops following once the container exited and the file is drained', async () => {
    const w = writer();
    w.write('stdout', 'running\n');
    let running = true;
    const s = sink();
    const done = readContainerLog(path, { follow: true }, s.out, new AbortController().signal, () => running, { pollMs: 20 });
    await s.until(/running\n$/);
    w.write('stdout', 'last words\n');
    running = false;
    await done;
    w.close();
    expect(s.text()).toBe('running\nlast words\n');
  });

  it('stops when the client goes away', async () => {
    const w = writer();
    w.write('stdout', 'x\n');
    const s = sink();
    const done = readContainerLog(path, { follow: true }, s.out, new AbortController().signal, () => true, { pollMs: 20 });
    await s.until(/x\n$/);
    s.out.destroy();
    await done;
    w.write('stdout', 'y\n');
    w.close();
    expect(s.text()).toBe('x\n');
  });
});
