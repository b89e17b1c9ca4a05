// The generated PKI against real TLS stacks: Node's https (OpenSSL) on both ends, and kubectl (Go's
// crypto/tls + client-go) as the client when it is on PATH.

import { execFile, execFileSync } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { readdirSync, realpathSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildKubeconfig, writeKubeconfig } from '../../cli/kubeconfig.js';
import { createCa } from './certs.js';
import { identityFromSocket, parseClientIdentity, type ClientIdentity } from './identity.js';
import { ensurePki, issueClientCert, type CertKeyPem, type Pki } from './pki.js';

const execFileP = promisify(execFile);

function findKubectl(): string | undefined {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'pipe', timeout: 20_000 });
    return 'kubectl';
  } catch {
    return undefined;
  }
}
const kubectl = findKubectl();
if (!kubectl) console.warn('[pki tls test] kubectl is not on PATH: skipping the kubectl/Go TLS checks');

/** Versioned real kubectl binaries next to a dispatcher (kubectl.1.27 … on the dev machines); the oldest one. */
function oldestVersionedKubectl(): string | undefined {
  if (!kubectl) return undefined;
  try {
    const real = realpathSync(execFileSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).trim());
    const dir = dirname(real);
    const versions = readdirSync(dir)
      .map((f) => /^kubectl\.1\.(\d+)$/.exec(f))
      .filter((m): m is RegExpExecArray => m !== null)
      .sort((a, b) => Number(a[1]) - Number(b[1]));
    return versions.length > 0 ? join(dir, versions[0]![0]) : undefined;
  } catch {
    return undefined;
  }
}

interface Seen {
  /** Path without the query. */
  url: string;
  authorized: boolean;
  authorizationError?: string;
  identity: ClientIdentity | null;
  /** What the certificate claims, verified or not. */
  claimed: ClientIdentity | null;
}

let dir: string;
let pki: Pki;
let server: https.Server;
let port: number;
let seen: Seen[] = [];

function handler(req: IncomingMessage, res: ServerResponse): void {
  const socket = req.socket as TLSSocket;
  // kubectl --request-timeout=10s appends ?timeout=10s to every request
  const path = (req.url ?? '').split('?')[0]!;
  seen.push({
    url: path,
    authorized: socket.authorized,
    authorizationError: socket.authorizationError ? String(socket.authorizationError) : undefined,
    identity: identityFromSocket(socket),
    claimed: parseClientIdentity(socket.getPeerCertificate()),
  });
  res.setHeader('content-type', 'application/json');
  if (path === '/version') {
    // the kubectl dispatcher asks for this first, to pick a kubectl version
    res.end(JSON.stringify({ major: '1', minor: '35', gitVersion: 'v1.35.0-k8ts', platform: 'linux/amd64' }));
  } else if (path === '/hello') {
    res.end('{"ok":true}');
  } else {
    res.statusCode = 404;
    res.end('{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404}');
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'k8ts-pki-tls-'));
  pki = await ensurePki({ dir: join(dir, 'tls'), bindAddress: '127.0.0.1' });
  server = https.createServer(
    { key: pki.server.keyPem, cert: pki.server.certPem, ca: pki.ca.certPem, requestCert: true, rejectUnauthorized: false },
    handler,
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  if (server) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  if (dir) await rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  seen = [];
});

function get(
  path: string,
  opts: { client?: CertKeyPem; ca?: string; host?: string; servername?: string } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: opts.host ?? '127.0.0.1',
        port,
        path,
        ca: opts.ca ?? pki.ca.certPem,
        cert: opts.client?.certPem,
        key: opts.client?.keyPem,
        servername: opts.servername,
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('Node https with the generated PKI', () => {
  it('the server sees the admin identity (CN admin, O system:masters)', async () => {
    const r = await get('/hello', { client: pki.admin });
    expect(r).toEqual({ status: 200, body: '{"ok":true}' });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.authorized).toBe(true);
    expect(seen[0]!.identity).toEqual({ name: 'admin', groups: ['system:masters'] });
  });

  it('several O arrive as several groups', async () => {
    const c = await issueClientCert(pki, { cn: 'system:node:n1', organizations: ['system:nodes', 'team-a'], days: 1 });
    await get('/hello', { client: c });
    expect(seen[0]!.identity).toEqual({ name: 'system:node:n1', groups: ['system:nodes', 'team-a'] });
  });

  it('the client verifies the serving cert by IP and DNS SAN, and rejects other names', async () => {
    expect((await get('/hello', { host: 'localhost' })).status).toBe(200);
    expect((await get('/hello', { servername: 'kubernetes.default.svc' })).status).toBe(200);
    await expect(get('/hello', { servername: 'not-in-the-cert.example' })).rejects.toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });

  it('no client certificate: no identity', async () => {
    await get('/hello');
    expect(seen[0]!.authorized).toBe(false);
    expect(seen[0]!.identity).toBeNull();
  });

  it('a certificate from another CA is not trusted, whatever it claims', async () => {
    const otherCa = await createCa({ commonName: 'evil-ca', days: 1 });
    const forged = await issueClientCert({ ca: otherCa }, { cn: 'admin', organizations: ['system:masters'], days: 1 });
    await get('/hello', { client: forged });
    expect(seen[0]!.authorized).toBe(false);
    expect(seen[0]!.claimed).toEqual({ name: 'admin', groups: ['system:masters'] }); // why identityFromSocket checks `authorized`
    expect(seen[0]!.identity).toBeNull();
  });

  it('a serving certificate (no clientAuth) is refused as a client certificate', async () => {
    await get('/hello', { client: pki.server });
    expect(seen[0]!.authorized).toBe(false);
    expect(seen[0]!.authorizationError).toMatch(/purpose/i);
    expect(seen[0]!.identity).toBeNull();
  });
});

describe.skipIf(!kubectl)(`kubectl (Go TLS) with the generated PKI${kubectl ? '' : ' — SKIPPED: kubectl not on PATH'}`, () => {
  async function runKubectl(bin: string, kubeconfig: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: dir, NO_PROXY: '*' };
    delete env.KUBECONFIG;
    delete env.HTTPS_PROXY;
    delete env.https_proxy;
    // Async on purpose: the server runs in this process, a sync exec would deadlock it.
    return execFileP(bin, ['--kubeconfig', kubeconfig, '--request-timeout=10s', ...args], { env, timeout: 30_000 });
  }

  async function kubeconfigFor(name: string, server: string, keyPem: string, caPem = pki.ca.certPem): Promise<string> {
    const path = join(dir, 'kube', name);
    await writeKubeconfig(path, buildKubeconfig({ server, caPem, certPem: pki.admin.certPem, keyPem, userName: 'admin' }));
    return path;
  }

  it('get --raw /hello with a PKCS#8 ("PRIVATE KEY") client key; the server sees admin', async () => {
    expect(pki.admin.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const kc = await kubeconfigFor('pkcs8', `https://127.0.0.1:${port}`, pki.admin.keyPem);
    const { stdout } = await runKubectl(kubectl!, kc, ['get', '--raw', '/hello']);
    expect(stdout.trim()).toBe('{"ok":true}');
    const hello = seen.filter((s) => s.url === '/hello');
    expect(hello).toHaveLength(1);
    expect(hello[0]!.authorized).toBe(true);
    expect(hello[0]!.identity).toEqual({ name: 'admin', groups: ['system:masters'] });
    // every request kubectl (or its dispatcher) made was authenticated
    for (const s of seen) expect(s.identity).toEqual({ name: 'admin', groups: ['system:masters'] });
  });

  it('get --raw /hello with a SEC1 ("EC PRIVATE KEY") client key, via the localhost SAN', async () => {
    const sec1 = createPrivateKey(pki.admin.keyPem).export({ format: 'pem', type: 'sec1' }) as string;
    expect(sec1).toMatch(/^-----BEGIN EC PRIVATE KEY-----/);
    const kc = await kubeconfigFor('sec1', `https://localhost:${port}`, sec1);
    const { stdout } = await runKubectl(kubectl!, kc, ['get', '--raw', '/hello']);
    expect(stdout.trim()).toBe('{"ok":true}');
    expect(seen.find((s) => s.url === '/hello')?.identity).toEqual({ name: 'admin', groups: ['system:masters'] });
  });

  it('the oldest versioned kubectl beside the dispatcher (older Go) accepts it too', async (ctx) => {
    const old = oldestVersionedKubectl();
    if (!old) {
      console.warn('[pki tls test] no versioned kubectl.1.NN binaries beside kubectl: skipping');
      ctx.skip();
      return;
    }
    const kc = await kubeconfigFor('old', `https://127.0.0.1:${port}`, pki.admin.keyPem);
    const { stdout } = await runKubectl(old, kc, ['get', '--raw', '/hello']);
    expect(stdout.trim()).toBe('{"ok":true}');
    expect(seen.find((s) => s.url === '/hello')?.identity).toEqual({ name: 'admin', groups: ['system:masters'] });
  });

  it('kubectl refuses the server when the kubeconfig has another CA', async () => {
    const other = await createCa({ commonName: 'other-ca', days: 1 });
    const kc = await kubeconfigFor('wrong-ca', `https://127.0.0.1:${port}`, pki.admin.keyPem, other.certPem);
    const err = (await runKubectl(kubectl!, kc, ['get', '--raw', '/hello']).then(
      () => undefined,
      (e: unknown) => e,
    )) as { stderr?: string } | undefined;
    expect(err).toBeDefined();
    expect(err!.stderr).toMatch(/x509|certificate/i);
    expect(seen.some((s) => s.url === '/hello')).toBe(false);
  });
});
