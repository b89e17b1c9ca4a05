import { lstat, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildKubeconfig, writeKubeconfig } from './kubeconfig.js';

const pems = {
  caPem: '-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n',
  certPem: '-----BEGIN CERTIFICATE-----\nLEAF\n-----END CERTIFICATE-----\n',
  keyPem: '-----BEGIN PRIVATE KEY-----\nKEY\n-----END PRIVATE KEY-----\n',
};
const unb64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');

describe('buildKubeconfig', () => {
  it('builds a v1 Config with embedded base64 data and default names', () => {
    const text = buildKubeconfig({ server: 'https://127.0.0.1:6443', ...pems });
    const cfg = parse(text);
    expect(cfg.apiVersion).toBe('v1');
    expect(cfg.kind).toBe('Config');
    expect(cfg['current-context']).toBe('default');
    expect(cfg.clusters).toEqual([
      { name: 'default', cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority-data': expect.any(String) } },
    ]);
    expect(cfg.contexts).toEqual([{ name: 'default', context: { cluster: 'default', user: 'default' } }]);
    expect(cfg.users).toHaveLength(1);
    expect(cfg.users[0].name).toBe('default');
    expect(unb64(cfg.clusters[0].cluster['certificate-authority-data'])).toBe(pems.caPem);
    expect(unb64(cfg.users[0].user['client-certificate-data'])).toBe(pems.certPem);
    expect(unb64(cfg.users[0].user['client-key-data'])).toBe(pems.keyPem);
  });

  it('uses the given names and never folds long lines', () => {
    const long = { ...pems, certPem: 'x'.repeat(5000) };
    const text = buildKubeconfig({ server: 'https://h:1', ...long, clusterName: 'c', userName: 'u', contextName: 'x' });
    const cfg = parse(text);
    expect(cfg.clusters[0].name).toBe('c');
    expect(cfg.users[0].name).toBe('u');
    expect(cfg.contexts[0]).toEqual({ name: 'x', context: { cluster: 'c', user: 'u' } });
    expect(cfg['current-context']).toBe('x');
    expect(text.split('\n').some((l) => l.includes('client-certificate-data: ' + Buffer.from('x'.repeat(5000)).toString('base64')))).toBe(true);
  });
});

describe('writeKubeconfig', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'k8ts-kubeconfig-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates parent directories and writes mode 0600', async () => {
    const path = join(dir, 'a', 'b', 'kubeconfig.yaml');
    await writeKubeconfig(path, 'hello');
    expect(await readFile(path, 'utf8')).toBe('hello');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'a'))).mode & 0o077).toBe(0);
  });

  it('replaces an existing world-readable file with a 0600 one', async () => {
    const path = join(dir, 'config');
    await writeFile(path, 'old', { mode: 0o644 });
    await writeKubeconfig(path, 'new');
    expect(await readFile(path, 'utf8')).toBe('new');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('writes through a symlink, keeping the link', async () => {
    await mkdir(join(dir, 'real'));
    await symlink(join(dir, 'real', 'config'), join(dir, 'link'));
    await writeKubeconfig(join(dir, 'link'), 'via link');
    expect((await lstat(join(dir, 'link'))).isSymbolicLink()).toBe(true);
    expect(await readFile(join(dir, 'real', 'config'), 'utf8')).toBe('via link');
  });

  it('honours an explicit mode (k3s --write-kubeconfig-mode)', async () => {
    const path = join(dir, 'config');
    await writeKubeconfig(path, 'x', 0o640);
    expect((await stat(path)).mode & 0o777).toBe(0o640);
  });
});
