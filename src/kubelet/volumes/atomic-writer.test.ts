import { mkdtempSync, promises as fs, readFileSync, readdirSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { atomicWrite, validatePayloadPath, type Payload } from './atomic-writer.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'k8ts-atomic-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const payload = (files: Record<string, string | [string, number]>): Payload =>
  new Map(Object.entries(files).map(([k, v]) => [k, typeof v === 'string' ? { data: Buffer.from(v), mode: 0o644 } : { data: Buffer.from(v[0]), mode: v[1] }]));

describe('atomicWrite', () => {
  it('lays out a timestamped dir, a ..data link and top-level links into it', async () => {
    const now = () => new Date(Date.UTC(2026, 10, 21, 10, 0, 0));
    expect(await atomicWrite(dir, payload({ a: 'A', 'sub/b': ['B', 0o600] }), { now })).toBe(true);
    const names = readdirSync(dir).sort();
    const ts = names.find((n) => n.startsWith('..2026_11_21_10_00_00.'));
    expect(ts).toMatch(/^\.\.2026_11_21_10_00_00\.\d+$/);
    expect(names).toEqual(['..data', ts, 'a', 'sub'].sort());
    expect(readlinkSync(path.join(dir, '..data'))).toBe(ts);
    expect(readlinkSync(path.join(dir, 'a'))).toBe('..data/a');
    expect(readlinkSync(path.join(dir, 'sub'))).toBe('..data/sub');
    expect(readFileSync(path.join(dir, 'sub/b'), 'utf8')).toBe('B');
    expect(statSync(path.join(dir, 'sub/b')).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(dir, 'a')).mode & 0o777).toBe(0o644);
    expect(statSync(path.join(dir, ts!)).mode & 0o777).toBe(0o755);
  });

  it('swaps contents seen through the same path and removes the old directory and vanished keys', async () => {
    await atomicWrite(dir, payload({ key: 'one', gone: 'x' }));
    const first = readlinkSync(path.join(dir, '..data'));
    const visible = path.join(dir, 'key');
    expect(await fs.readFile(visible, 'utf8')).toBe('one');
    expect(await atomicWrite(dir, payload({ key: 'two' }))).toBe(true);
    expect(await fs.readFile(visible, 'utf8')).toBe('two');
    const names = readdirSync(dir);
    expect(names).not.toContain(first);
    expect(names).not.toContain('gone');
    expect(names.filter((n) => n.startsWith('..')).length).toBe(2);
  });

  it('writes nothing when nothing changed, but does for a mode change', async () => {
    await atomicWrite(dir, payload({ key: 'same' }));
    const ts = readlinkSync(path.join(dir, '..data'));
    expect(await atomicWrite(dir, payload({ key: 'same' }))).toBe(false);
    expect(readlinkSync(path.join(dir, '..data'))).toBe(ts);
    expect(await atomicWrite(dir, payload({ key: ['same', 0o400] }))).toBe(true);
    expect(statSync(path.join(dir, 'key')).mode & 0o777).toBe(0o400);
  });

  it('writes an empty payload as an empty ..data', async () => {
    expect(await atomicWrite(dir, new Map())).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(expect.arrayContaining(['..data']));
    expect(readdirSync(path.join(dir, '..data'))).toEqual([]);
  });

  it.each([
    ['', 'invalid path: must not be empty: ""'],
    ['/abs', 'invalid path: must be relative path: /abs'],
    ['a/../b', "invalid path: must not contain '..': a/../b"],
    ['..hidden', "invalid path: must not start with '..': ..hidden"],
    ['x'.repeat(256), 'invalid path: filenames must be less than or equal to 255 characters'],
  ])('rejects %j', (p, message) => {
    expect(() => validatePayloadPath(p)).toThrow(message);
  });
});
