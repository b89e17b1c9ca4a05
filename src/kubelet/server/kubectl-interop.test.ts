// Real kubectl (1.32, Go's spdystream and gorilla/websocket) against the node server, through a
// minimal stand-in for the API server that answers the pod GET and proxies stream upgrades with the
// path rewritten, as the real API server does. Skipped where kubectl 1.32 is not installed.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeletServer, type KubeletServer } from './index.js';
import { echoServer, fakeHost, makePki, type TestPki } from './test-fixture.js';

// kubectl on PATH may be a dispatcher with versioned binaries beside its real path.
const KUBECTL = kubectlBinary();

function kubectlBinary(): string | undefined {
  try {
    const real = realpathSync(execFileSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).trim());
    const versioned = join(dirname(real), 'kubectl.1.32');
    return existsSync(versioned) ? versioned : real;
  } catch {
    return undefined;
  }
}

let pki: TestPki;
let kubelet: KubeletServer;
let echo: Awaited<ReturnType<typeof echoServer>>;
let api: https.Server;
let dir: string;
let kubeconfig: string;
const proxied = new Set<net.Socket>();

const POD = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default', uid: 'u1' },
  spec: { containers: [{ name: 'app', image: 'x', ports: [{ containerPort: 8080 }] }] },
  status: { phase: 'Running' },
};

/** The API server's part: /pods/web/{exec,attach,portforward} → kubelet paths, query names mapped. */
function kubeletPath(req: IncomingMessage): string | null {
  const url = new URL(req.url ?? '/', 'https://api');
  const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(exec|attach|portforward)$/.exec(url.pathname);
  if (!m) return null;
  const q = new URLSearchParams();
  for (const [k, v] of url.searchParams) q.append({ stdin: 'input', stdout: 'output', stderr: 'error', ports: 'port' }[k] ?? k, v === 'true' ? '1' : v);
  const container = url.searchParams.get('container') ?? 'app';
  if (m[3] === 'portforward') return `/portForward/${m[1]}/${m[2]}?${q}`;
  return `/${m[3]}/${m[1]}/${m[2]}/${container}?${q}`;
}

beforeAll(async () => {
  if (!KUBECTL) return;
  pki = await makePki();
  echo = await echoServer();
  kubelet = await startKubeletServer({ host: fakeHost(echo.port), port: 0, bindAddress: '127.0.0.1', tls: { certPem: pki.server.certPem, keyPem: pki.server.keyPem, caPem: pki.caPem } });
  api = https.createServer({ cert: pki.server.certPem, key: pki.server.keyPem }, (req, res) => {
    const discovery: Record<string, unknown> = {
      '/api': { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] },
      '/apis': { kind: 'APIGroupList', apiVersion: 'v1', groups: [] },
      '/api/v1': {
        kind: 'APIResourceList',
        groupVersion: 'v1',
        resources: [
          { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['get', 'list'], shortNames: ['po'] },
          { name: 'pods/exec', singularName: '', namespaced: true, kind: 'PodExecOptions', verbs: ['create', 'get'] },
          { name: 'pods/portforward', singularName: '', namespaced: true, kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
        ],
      },
    };
    const path = (req.url ?? '').split('?')[0]!;
    if (discovery[path]) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return void res.end(JSON.stringify(discovery[path]));
    }
    if (req.url?.startsWith('/api/v1/namespaces/default/pods/web')) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return void res.end(JSON.stringify(POD));
    }
    res.writeHead(404, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'not found' }));
  });
  api.on('upgrade', (req: IncomingMessage, socket: net.Socket, head: Buffer) => {
    proxied.add(socket);
    socket.once('close', () => proxied.delete(socket));
    const path = kubeletPath(req);
    if (!path) return socket.destroy();
    const upstream = tls.connect({ host: '127.0.0.1', port: kubelet.port, ca: pki.caPem, cert: pki.client.certPem, key: pki.client.keyPem }, () => {
      const headers = Object.entries(req.headers)
        .filter(([k]) => k !== 'authorization' && k !== 'host')
        .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : v}\r\n`)
        .join('');
      upstream.write(`${req.method} ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\n${headers}\r\n`);
      if (head.length) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
  dir = mkdtempSync(join(tmpdir(), 'kubectl-interop-'));
  kubeconfig = join(dir, 'config');
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server: `https://127.0.0.1:${(api.address() as net.AddressInfo).port}`, 'certificate-authority-data': b64(pki.caPem) } }],
      users: [{ name: 'u', user: { 'client-certificate-data': b64(pki.client.certPem), 'client-key-data': b64(pki.client.keyPem) } }],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'x',
    }),
  );
});

afterAll(async () => {
  if (!KUBECTL) return;
  for (const s of proxied) s.destroy();
  api.closeAllConnections();
  await kubelet.close();
  await echo.close();
  await new Promise((r) => api.close(r));
  rmSync(dir, { recursive: true, force: true });
});

function kubectl(args: string[], input: string, env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(KUBECTL!, ['--kubeconfig', kubeconfig, ...args], { env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
    child.stdin!.end(input);
  });
}

describe.skipIf(!KUBECTL)('kubectl 1.32 against the node server', () => {
  for (const [name, env] of [
    ['WebSocket v5', {}],
    ['SPDY fallback', { KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'false' }],
  ] as const) {
    it(`exec -i over ${name}: stdin, stdout, stderr and the exit code`, async () => {
      const r = await kubectl(['exec', '-i', 'web', '--', 'upper'], 'from kubectl', env);
      expect(r.stdout).toBe('FROM KUBECTL');
      expect(r.stderr).toContain('warn');
      expect(r.stderr).toContain('command terminated with exit code 3');
      expect(r.code).toBe(3);
    });
  }

  for (const [name, env] of [
    ['SPDY tunneled in WebSocket', {}],
    ['SPDY', { KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' }],
  ] as const) {
    it(`port-forward over ${name}`, async () => {
      const child = spawn(KUBECTL!, ['--kubeconfig', kubeconfig, 'port-forward', 'pod/web', ':8080'], { env: { ...process.env, ...env } });
      try {
        const local = await new Promise<number>((resolve, reject) => {
          let out = '';
          child.stdout.on('data', (c: Buffer) => {
            out += c.toString();
            const m = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(out);
            if (m) resolve(Number(m[1]));
          });
          child.once('exit', (code) => reject(new Error(`kubectl exited ${code}: ${out}`)));
        });
        for (const word of ['one', 'two']) {
          const got = await new Promise<string>((resolve, reject) => {
            const s = net.connect(local, '127.0.0.1', () => s.write(word));
            let text = '';
            s.on('data', (c) => {
              text += c.toString();
              if (text.endsWith(word)) s.end();
            });
            s.on('close', () => resolve(text));
            s.on('error', reject);
          });
          expect(got).toMatch(new RegExp(`^\\[\\d+\\]${word}$`));
        }
      } finally {
        child.kill();
      }
    });
  }
});
