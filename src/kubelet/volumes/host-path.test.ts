import { mkdtempSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkHostPath } from './host-path.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'k8ts-hostpath-'));
  mkdirSync(path.join(dir, 'd'));
  writeFileSync(path.join(dir, 'f'), 'x');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('checkHostPath', () => {
  it.each([
    ['d', 'Directory', undefined],
    ['f', 'File', undefined],
    ['missing', '', undefined],
    ['/dev/null', 'CharDevice', undefined],
    ['f', 'Directory', 'hostPath type check failed: $/f is not a directory'],
    ['missing', 'Directory', 'hostPath type check failed: $/missing is not a directory'],
    ['d', 'File', 'hostPath type check failed: $/d is not a file'],
    ['f', 'Socket', 'hostPath type check failed: $/f is not a socket file'],
    ['f', 'CharDevice', 'hostPath type check failed: $/f is not a character device'],
    ['f', 'BlockDevice', 'hostPath type check failed: $/f is not a block device'],
    ['f', 'DirectoryOrCreate', 'hostPath type check failed: $/f is not a directory'],
    ['d', 'FileOrCreate', 'hostPath type check failed: $/d is not a file'],
    ['f', 'Weird', 'Weird is an invalid volume type'],
  ])('%s as %j', async (name, type, want) => {
    const p = name.startsWith('/') ? name : path.join(dir, name);
    const result = checkHostPath(p, type);
    if (want) await expect(result).rejects.toThrow(want.replace('$', dir));
    else await expect(result).resolves.toBeUndefined();
  });

  it('creates missing directories and files for the OrCreate types', async () => {
    await checkHostPath(path.join(dir, 'new/deep'), 'DirectoryOrCreate');
    expect(statSync(path.join(dir, 'new/deep')).isDirectory()).toBe(true);
    await checkHostPath(path.join(dir, 'new/file'), 'FileOrCreate');
    expect(statSync(path.join(dir, 'new/file')).isFile()).toBe(true);
  });

  it('accepts a socket', async () => {
    const sock = path.join(dir, 's.sock');
    const server = net.createServer().listen(sock);
    await new Promise((r) => server.once('listening', r));
    try {
      await expect(checkHostPath(sock, 'Socket')).resolves.toBeUndefined();
    } finally {
      server.close();
    }
  });

  it('rejects backsteps', async () => {
    await expect(checkHostPath('/tmp/../etc', 'Directory')).rejects.toThrow("invalid HostPath `/tmp/../etc`: must not contain '..'");
  });
});
