import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatTimestampNs, parseRecord, parseTimestamp } from './cri-log-format.js';
import { listRotatedLogs } from './log-files.js';
import { ContainerLogWriter } from './log-writer.js';

const T0 = 1_700_000_000_123_456_789n;

function counterClock(stepNs = 1000n): () => bigint {
  let t = T0;
  return () => (t += stepNs);
}

describe('ContainerLogWriter', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'k8ts-logw-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes one F record per line with stream and nanosecond timestamp', () => {
    const w = new ContainerLogWriter({ path: join(dir, 'web', '0.log'), nowNs: () => T0 });
    w.write('stdout', 'hello\nwor');
    w.write('stderr', 'oops\n');
    w.write('stdout', 'ld\n');
    w.close();
    expect(readFileSync(join(dir, 'web', '0.log'), 'utf8')).toBe(
      '2023-11-14T22:13:20.123456789Z stdout F hello\n' +
        '2023-11-14T22:13:20.123456789Z stderr F oops\n' +
        '2023-11-14T22:13:20.123456789Z stdout F world\n',
    );
  });

  it('splits long lines into P pieces and writes an unfinished line as P on close', () => {
    const path = join(dir, '0.log');
    const w = new ContainerLogWriter({ path, maxLineBytes: 4, nowNs: () => T0 });
    w.write('stdout', 'abcdefghij\nxy');
    w.close();
    const recs = readFileSync(path).toString().trimEnd().split('\n').map((l) => parseRecord(Buffer.from(l))!);
    expect(recs.map((r) => [r.full, r.content.toString()])).toEqual([
      [false, 'abcd'],
      [false, 'efgh'],
      [true, 'ij'],
      [false, 'xy'],
    ]);
  });

  it('rotates by size and keeps maxFiles files', () => {
    const path = join(dir, '0.log');
    const w = new ContainerLogWriter({ path, maxSizeBytes: 100, maxFiles: 3, nowNs: counterClock(1_000_000_000n) });
    // 88-byte records: every second line fills a file.
    for (let i = 0; i < 11; i++) w.write('stdout', `line ${i} ${'x'.repeat(40)}\n`);
    w.close();
    const rotated = listRotatedLogs(path);
    expect(rotated).toHaveLength(2);
    expect(readdirSync(dir)).toHaveLength(3);
    // The newest rotated file holds the lines just before the current file's.
    const current = readFileSync(path, 'utf8');
    const last = readFileSync(rotated[1]!, 'utf8');
    expect(readFileSync(rotated[0]!, 'utf8')).toMatch(/line 6 .*\n.*line 7 /);
    expect(last).toMatch(/line 8 .*\n.*line 9 /);
    expect(current).toMatch(/^\S+ stdout F line 10 x+\n$/);
  });

  it('names rotations within one second apart', () => {
    const path = join(dir, '0.log');
    const w = new ContainerLogWriter({ path, maxSizeBytes: 10, maxFiles: 10, nowNs: () => T0 });
    for (let i = 0; i < 3; i++) w.write('stdout', `line ${i}\n`);
    w.close();
    expect(listRotatedLogs(path).map((p) => p.slice(path.length))).toEqual([
      '.20231114-221320',
      '.20231114-221320.1',
      '.20231114-221320.2',
    ]);
  });

  it('reopens the path after someone else moved the file away', () => {
    const path = join(dir, '0.log');
    const w = new ContainerLogWriter({ path, nowNs: () => T0 });
    w.write('stdout', 'before\n');
    writeFileSync(join(dir, 'moved'), readFileSync(path));
    rmSync(path);
    w.reopen();
    w.write('stdout', 'after\n');
    w.close();
    expect(readFileSync(path, 'utf8')).toBe('2023-11-14T22:13:20.123456789Z stdout F after\n');
  });
});

describe('timestamps', () => {
  it('formats and parses RFC3339Nano leniently', () => {
    expect(formatTimestampNs(T0)).toBe('2023-11-14T22:13:20.123456789Z');
    expect(parseTimestamp('2023-11-14T22:13:20.1Z')).toEqual({ ns: 1_700_000_000_100_000_000n, fixed: '2023-11-14T22:13:20.100000000Z' });
    expect(parseTimestamp('2023-11-14T23:13:20+01:00')?.ns).toBe(1_700_000_000_000_000_000n);
    expect(parseTimestamp('yesterday')).toBeUndefined();
  });
});
