import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { caHash, ensureJoinToken, joinToken, parseJoinToken } from './join-token.js';

describe('join token', () => {
  it('is created once (0600) and read back on the next start', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'k8ts-token-'));
    try {
      const path = join(dir, 'token');
      const a = await ensureJoinToken(path, 'CA');
      expect(a.token).toBe(`K10${caHash('CA')}::server:${parseJoinToken(a.token).secret}`);
      expect((await stat(path)).mode & 0o777).toBe(0o600);
      expect((await ensureJoinToken(path, 'CA')).token).toBe(a.token);
      await expect(ensureJoinToken(path, 'OTHER CA')).rejects.toThrow(/another CA/);
      await writeFile(path, 'plainsecret\n');
      expect((await ensureJoinToken(path, 'CA')).matches('plainsecret')).toBe(true);
      expect(await readFile(path, 'utf8')).toBe('plainsecret\n');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('matches the full token or the bare secret, nothing else', () => {
    const t = joinToken('CA', 's3cret');
    expect(t.matches(t.token)).toBe(true);
    expect(t.matches('s3cret')).toBe(true);
    expect(t.matches('s3cre')).toBe(false);
    expect(t.matches(`K10${caHash('X')}::server:s3cret`)).toBe(false);
    expect(t.matches('')).toBe(false);
  });
});
