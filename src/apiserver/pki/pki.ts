// The cluster PKI kept in the data dir (`<data-dir>/tls/`), k3s style:
//
//   ca.crt / ca.key          self-signed CA "k8ts-ca@<unix time>", 10 years
//   server.crt / server.key  kube-apiserver serving certificate (serverAuth, SANs from requiredServerSans()), 1 year
//   admin.crt / admin.key    client certificate CN=admin O=system:masters (clientAuth), 1 year
//   kubelet-client.crt/.key  the API server's client certificate towards kubelets
//                            (CN kube-apiserver-kubelet-client, O system:masters, clientAuth), 1 year
//
// All keys are ECDSA P-256, PKCS#8 PEM, mode 0600 (see certs.ts for the encodings Node and Go accept).
// ensurePki() generates what is missing on first start and loads it on later starts. A leaf is
// re-issued from the existing CA (the CA is never replaced once it exists) when it is missing, does
// not match its key, was not issued by the CA, expires within RENEW_BEFORE_DAYS (k3s renews leaves
// within 90 days of expiry on start), or — for the serving certificate — lacks a now-required SAN
// (e.g. the bind address or --tls-san changed); the new one carries exactly the SANs required now
// (a certificate with extra SANs is kept as is). A CA certificate whose key is missing or does not
// match is an error rather than a silent re-key, so a hand-placed CA is never overwritten.

import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import { isIP } from 'node:net';
import { join } from 'node:path';
import {
  certSans,
  createCa,
  issueCert,
  issuedBy,
  keyMatchesCert,
  normalizeIp,
  parseCert,
  type CertKeyPem,
  type SubjectAltNames,
} from './certs.js';

export type { CertKeyPem, SubjectAltNames } from './certs.js';

export const CA_DAYS = 3650;
export const LEAF_DAYS = 365;
export const RENEW_BEFORE_DAYS = 90;
/** The ClusterIP of the `kubernetes` service in default's namespace (first IP of 10.96.0.0/12). */
export const KUBERNETES_SERVICE_IP = '10.96.0.1';
export const ADMIN_USER = 'admin';
export const ADMIN_GROUP = 'system:masters';
/** Who the API server is when it calls a kubelet (logs, exec, stats), as kubeadm names it. */
export const KUBELET_CLIENT_USER = 'kube-apiserver-kubelet-client';

export interface PkiFiles {
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  adminCert: string;
  adminKey: string;
  kubeletClientCert: string;
  kubeletClientKey: string;
}

export type PkiPart = 'ca' | 'server' | 'admin' | 'kubelet-client';

export interface Pki {
  dir: string;
  files: PkiFiles;
  ca: CertKeyPem;
  /** kube-apiserver serving certificate + key. */
  server: CertKeyPem;
  /** Client certificate of the `admin` user (group `system:masters`), for the admin kubeconfig. */
  admin: CertKeyPem;
  /** The API server's client certificate for kubelets (group `system:masters`). */
  kubeletClient: CertKeyPem;
  /** SANs the serving certificate carries (may be a superset of what this start required). */
  serverSans: SubjectAltNames;
  /** What this call generated or re-issued; empty when everything was loaded as is. */
  issued: PkiPart[];
}

export interface EnsurePkiOptions {
  /** Directory for the PEM files, e.g. `<data-dir>/tls`; created (0700) if missing. */
  dir: string;
  /** The apiserver's bind address; an IP other than 0.0.0.0/:: becomes an IP SAN, a name a DNS SAN. */
  bindAddress: string;
  /** Extra SANs (k3s --tls-san): IPs become IP SANs, anything else DNS SANs. */
  extraSans?: string[];
  /** Host name for the DNS SAN; default os.hostname(). */
  hostname?: string;
  /** Clock, for tests. */
  now?: Date;
}

export function pkiFiles(dir: string): PkiFiles {
  return {
    caCert: join(dir, 'ca.crt'),
    caKey: join(dir, 'ca.key'),
    serverCert: join(dir, 'server.crt'),
    serverKey: join(dir, 'server.key'),
    adminCert: join(dir, 'admin.crt'),
    adminKey: join(dir, 'admin.key'),
    kubeletClientCert: join(dir, 'kubelet-client.crt'),
    kubeletClientKey: join(dir, 'kubelet-client.key'),
  };
}

/** The SANs the serving certificate must carry for these options. */
export function requiredServerSans(opts: Pick<EnsurePkiOptions, 'bindAddress' | 'extraSans' | 'hostname'>): SubjectAltNames {
  const dns = ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'];
  const ips = ['127.0.0.1', '::1'];
  const add = (v: string): void => {
    const s = v.trim();
    if (!s) return;
    if (isIP(s)) ips.push(normalizeIp(s));
    else dns.push(s.toLowerCase());
  };
  add(opts.hostname ?? osHostname());
  const bind = opts.bindAddress.trim();
  // The unspecified addresses are not addresses anyone connects to.
  if (bind && !(isIP(bind) && /^(0\.0\.0\.0|::|0:0:0:0:0:0:0:0)$/.test(normalizeIp(bind)))) add(bind);
  ips.push(KUBERNETES_SERVICE_IP);
  for (const s of opts.extraSans ?? []) add(s);
  return { dns: [...new Set(dns)], ips: [...new Set(ips)] };
}

function missingSans(have: SubjectAltNames, want: SubjectAltNames): string[] {
  const dns = new Set(have.dns);
  const ips = new Set(have.ips);
  return [...want.dns.filter((d) => !dns.has(d)), ...want.ips.filter((i) => !ips.has(i))];
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Writes a file atomically (temp + rename) with `mode`. */
export async function writeFileAtomic(path: string, data: string, mode: number): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  await writeFile(tmp, data, { mode });
  await chmod(tmp, mode); // the umask may have masked bits off
  await rename(tmp, path);
}

async function writePair(certPath: string, keyPath: string, pair: CertKeyPem): Promise<void> {
  // Key first: a crash in between leaves a certificate that does not match its key, which the next
  // start treats as "re-issue", never a certificate with an old key.
  await writeFileAtomic(keyPath, pair.keyPem, 0o600);
  await writeFileAtomic(certPath, pair.certPem, 0o644);
}

/** Why a leaf needs re-issuing, or undefined if it is usable. */
function leafProblem(
  pair: Partial<CertKeyPem>,
  ca: CertKeyPem,
  now: Date,
  requiredSans?: SubjectAltNames,
): string | undefined {
  if (pair.certPem === undefined || pair.keyPem === undefined) return 'missing';
  let validTo: Date;
  try {
    validTo = new Date(parseCert(pair.certPem).validTo);
  } catch {
    return 'unparseable certificate';
  }
  if (!keyMatchesCert(pair.certPem, pair.keyPem)) return 'key does not match certificate';
  if (!issuedBy(pair.certPem, ca.certPem)) return 'not issued by the current CA';
  if (validTo.getTime() - now.getTime() < RENEW_BEFORE_DAYS * 24 * 3600 * 1000) return `expires ${validTo.toISOString()}`;
  if (requiredSans) {
    const missing = missingSans(certSans(pair.certPem), requiredSans);
    if (missing.length > 0) return `missing SANs ${missing.join(', ')}`;
  }
  return undefined;
}

/**
 * Loads the PKI from `opts.dir`, generating the CA and any missing or stale leaf certificates.
 * See the file header for the rules.
 */
export async function ensurePki(opts: EnsurePkiOptions): Promise<Pki> {
  const now = opts.now ?? new Date();
  const dir = opts.dir;
  const files = pkiFiles(dir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const issued: PkiPart[] = [];

  // --- CA
  const caCertPem = await readIfExists(files.caCert);
  const caKeyPem = await readIfExists(files.caKey);
  let ca: CertKeyPem;
  if (caCertPem === undefined) {
    // No CA certificate (a lone ca.key can only be left by a crash during first generation).
    ca = await createCa({ commonName: `k8ts-ca@${Math.floor(now.getTime() / 1000)}`, days: CA_DAYS, now });
    await writePair(files.caCert, files.caKey, ca);
    issued.push('ca');
  } else {
    if (caKeyPem === undefined) throw new Error(`${files.caCert} exists but ${files.caKey} does not; restore the CA key or remove both to generate a new CA`);
    try {
      parseCert(caCertPem);
    } catch (err) {
      throw new Error(`${files.caCert}: ${(err as Error).message}`);
    }
    if (!keyMatchesCert(caCertPem, caKeyPem)) throw new Error(`${files.caKey} is not the key of ${files.caCert}`);
    ca = { certPem: caCertPem, keyPem: caKeyPem };
  }

  // --- serving certificate
  const wantSans = requiredServerSans(opts);
  let server: CertKeyPem = {
    certPem: (await readIfExists(files.serverCert)) as string,
    keyPem: (await readIfExists(files.serverKey)) as string,
  };
  if (leafProblem(server, ca, now, wantSans) !== undefined) {
    server = await issueCert(ca, { commonName: 'kube-apiserver', days: LEAF_DAYS, usage: 'server', sans: wantSans, now });
    await writePair(files.serverCert, files.serverKey, server);
    issued.push('server');
  }

  // --- client certificates: the admin's, and the API server's own towards kubelets
  const clientLeaf = async (part: PkiPart, certPath: string, keyPath: string, commonName: string): Promise<CertKeyPem> => {
    let pair: CertKeyPem = {
      certPem: (await readIfExists(certPath)) as string,
      keyPem: (await readIfExists(keyPath)) as string,
    };
    if (leafProblem(pair, ca, now) !== undefined) {
      pair = await issueCert(ca, { commonName, organizations: [ADMIN_GROUP], days: LEAF_DAYS, usage: 'client', now });
      await writePair(certPath, keyPath, pair);
      issued.push(part);
    }
    return pair;
  };
  const admin = await clientLeaf('admin', files.adminCert, files.adminKey, ADMIN_USER);
  const kubeletClient = await clientLeaf('kubelet-client', files.kubeletClientCert, files.kubeletClientKey, KUBELET_CLIENT_USER);

  return { dir, files, ca, server, admin, kubeletClient, serverSans: certSans(server.certPem), issued };
}

export interface ClientCertOptions {
  /** Becomes the user name (subject CN). */
  cn: string;
  /** Become the user's groups (one subject O each). */
  organizations?: string[];
  /** Validity in days; default LEAF_DAYS (capped at the CA's expiry). */
  days?: number;
}

/** Issues a client certificate (clientAuth, fresh P-256 key) from the PKI's CA. Nothing is written. */
export async function issueClientCert(pki: Pick<Pki, 'ca'>, opts: ClientCertOptions): Promise<CertKeyPem> {
  if (!opts.cn) throw new Error('issueClientCert: cn is required');
  return issueCert(pki.ca, {
    commonName: opts.cn,
    organizations: opts.organizations ?? [],
    days: opts.days ?? LEAF_DAYS,
    usage: 'client',
  });
}

export interface ServingCertOptions {
  cn: string;
  /** DNS names and/or IP addresses. */
  sans: string[];
  days?: number;
  /** Also allow clientAuth (e.g. a kubelet that is both server and client). */
  clientAuth?: boolean;
}

/** Issues a serving certificate (serverAuth) from the PKI's CA, e.g. for a kubelet. Nothing is written. */
export async function issueServingCert(pki: Pick<Pki, 'ca'>, opts: ServingCertOptions): Promise<CertKeyPem> {
  const sans: SubjectAltNames = { dns: [], ips: [] };
  for (const s of opts.sans) {
    if (isIP(s)) sans.ips.push(normalizeIp(s));
    else sans.dns.push(s.toLowerCase());
  }
  return issueCert(pki.ca, {
    commonName: opts.cn,
    days: opts.days ?? LEAF_DAYS,
    usage: opts.clientAuth ? 'both' : 'server',
    sans,
  });
}
