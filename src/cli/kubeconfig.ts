// The admin kubeconfig `k8ts server --write-kubeconfig PATH` writes: a v1 Config with the CA and the
// client certificate/key embedded as base64 *-data fields, k3s style, so the file is self-contained.

import { chmod, lstat, mkdir, readlink, rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { stringify } from 'yaml';

export interface KubeconfigOptions {
  /** e.g. https://127.0.0.1:6443 */
  server: string;
  caPem: string;
  certPem: string;
  keyPem: string;
  clusterName?: string;
  userName?: string;
  contextName?: string;
}

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

/** YAML text of a kubeconfig with one cluster, one user (client certificate) and one context. */
export function buildKubeconfig(opts: KubeconfigOptions): string {
  const { server, caPem, certPem, keyPem, clusterName = 'default', userName = 'default', contextName = 'default' } = opts;
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: clusterName, cluster: { server, 'certificate-authority-data': b64(caPem) } }],
    contexts: [{ name: contextName, context: { cluster: clusterName, user: userName } }],
    'current-context': contextName,
    preferences: {},
    users: [{ name: userName, user: { 'client-certificate-data': b64(certPem), 'client-key-data': b64(keyPem) } }],
  };
  // lineWidth 0: never fold the long base64 strings.
  return stringify(config, { lineWidth: 0 });
}

/**
 * Writes `text` to `path` atomically with `mode` (default 0600: it holds a private key), creating
 * missing parent directories (0700). A symlink at `path` is followed, so the link survives.
 */
export async function writeKubeconfig(path: string, text: string, mode = 0o600): Promise<void> {
  let target = resolve(path);
  for (let i = 0; i < 16; i++) {
    const st = await lstat(target).catch(() => undefined);
    if (!st?.isSymbolicLink()) break;
    target = resolve(dirname(target), await readlink(target));
  }
  await mkdir(dirname(target), { recursive: true, mode: 0o700 });
  const tmp = `${target}.tmp-${process.pid}-${Date.now()}`;
  await writeFile(tmp, text, { mode });
  await chmod(tmp, mode);
  await rename(tmp, target);
}
