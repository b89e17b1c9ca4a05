// Reads a kubeconfig (v1 Config) into what a transport needs: the server URL, the CA, and the
// credentials of the current context's user (client certificate/key, or a bearer token).
// `*-data` fields are base64; file fields are read relative to the kubeconfig's directory.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { parse } from 'yaml';

export interface ClientConfig {
  /** e.g. `https://127.0.0.1:6443` (no trailing slash). */
  server: string;
  /** PEM of the CA(s) that sign the server's certificate; undefined: the system roots. */
  ca?: string;
  /** PEM client certificate and key (x509 authentication). */
  cert?: string;
  key?: string;
  /** Bearer token (service accounts, bootstrap tokens). */
  token?: string;
  insecureSkipTLSVerify?: boolean;
  /** TLS server name, when it differs from the server URL's host. */
  tlsServerName?: string;
}

interface Named<T> {
  name: string;
  [k: string]: unknown;
  cluster?: T;
  user?: T;
  context?: T;
}

type Fields = Record<string, unknown>;

/** Loads `path` and resolves `context` (default: current-context). */
export function loadKubeconfig(path: string, context?: string): ClientConfig {
  return parseKubeconfig(readFileSync(path, 'utf8'), { context, baseDir: dirname(path) });
}

export function parseKubeconfig(text: string, opts: { context?: string; baseDir?: string } = {}): ClientConfig {
  const doc = (parse(text) ?? {}) as Fields;
  const contexts = (doc.contexts ?? []) as Named<Fields>[];
  const clusters = (doc.clusters ?? []) as Named<Fields>[];
  const users = (doc.users ?? []) as Named<Fields>[];
  const ctxName = opts.context ?? (doc['current-context'] as string | undefined);
  const ctx = (ctxName ? contexts.find((c) => c.name === ctxName) : contexts[0])?.context;
  if (!ctx && contexts.length) throw new Error(`kubeconfig: context "${ctxName}" not found`);
  const cluster = (ctx ? clusters.find((c) => c.name === ctx.cluster) : clusters[0])?.cluster;
  if (!cluster) throw new Error(`kubeconfig: cluster "${String(ctx?.cluster ?? '')}" not found`);
  const user = (ctx ? users.find((u) => u.name === ctx.user) : users[0])?.user ?? {};
  const base = opts.baseDir ?? '.';
  const dataOrFile = (f: Fields, data: string, file: string): string | undefined => {
    if (typeof f[data] === 'string') return Buffer.from(f[data] as string, 'base64').toString('utf8');
    if (typeof f[file] === 'string') {
      const p = f[file] as string;
      return readFileSync(isAbsolute(p) ? p : join(base, p), 'utf8');
    }
    return undefined;
  };
  const server = String(cluster.server ?? '').replace(/\/+$/, '');
  if (!server) throw new Error('kubeconfig: the cluster has no server');
  const cfg: ClientConfig = { server };
  const ca = dataOrFile(cluster, 'certificate-authority-data', 'certificate-authority');
  if (ca) cfg.ca = ca;
  if (cluster['insecure-skip-tls-verify'] === true) cfg.insecureSkipTLSVerify = true;
  if (typeof cluster['tls-server-name'] === 'string') cfg.tlsServerName = cluster['tls-server-name'];
  const cert = dataOrFile(user, 'client-certificate-data', 'client-certificate');
  const key = dataOrFile(user, 'client-key-data', 'client-key');
  if (cert) cfg.cert = cert;
  if (key) cfg.key = key;
  if (typeof user.token === 'string') cfg.token = user.token;
  else if (typeof user.tokenFile === 'string') cfg.token = readFileSync(isAbsolute(user.tokenFile) ? user.tokenFile : join(base, user.tokenFile), 'utf8').trim();
  return cfg;
}
