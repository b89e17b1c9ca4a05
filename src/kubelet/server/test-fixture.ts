// Test-only fixture for the node server tests: a cluster CA with serving and client certificates,
// a fake KubeletHost whose runtime echoes, and a TCP echo server for port-forward. Imported by tests
// only (it uses the API server's PKI helpers, which product code in the kubelet may not).
import net from 'node:net';
import { PassThrough, type Duplex, type Writable } from 'node:stream';
import { createCa, issueCert } from '../../apiserver/pki/certs.js';
import { HostError, type KubeletHost, type ResolvedContainer } from './host.js';
import type { ExecRequest, StreamOptions, TerminalSize } from '../runtime/cri.js';
import type { LogOptions } from '../logs/log-options.js';

export interface TestPki {
  caPem: string;
  server: { certPem: string; keyPem: string };
  client: { certPem: string; keyPem: string };
  /** Signed by another CA: must be refused. */
  stranger: { certPem: string; keyPem: string };
}

export async function makePki(): Promise<TestPki> {
  const ca = await createCa({ commonName: 'test-ca', days: 1 });
  const other = await createCa({ commonName: 'other-ca', days: 1 });
  const server = await issueCert(ca, { commonName: 'node-1', days: 1, usage: 'server', sans: { dns: ['localhost'], ips: ['127.0.0.1'] } });
  const client = await issueCert(ca, { commonName: 'kube-apiserver-kubelet-client', organizations: ['system:masters'], days: 1, usage: 'client' });
  const stranger = await issueCert(other, { commonName: 'intruder', days: 1, usage: 'client' });
  return { caPem: ca.certPem, server, client, stranger };
}

export interface FakeHost extends KubeletHost {
  execs: ExecRequest[];
  resizes: TerminalSize[];
  /** Lines a following log reader emits after the first. */
  logLines: PassThrough;
}

const TARGET: ResolvedContainer = { containerId: 'cid-1', podSandboxId: 'sandbox-1', logPath: '/var/log/pods/x/0.log' };

async function drain(s: StreamOptions['stdin']): Promise<string> {
  if (!s) return '';
  let text = '';
  for await (const c of s) text += c.toString();
  return text;
}

/**
 * Pod default/web has one container, app. Its runtime's exec: `upper` uppercases stdin to stdout,
 * writes "warn" to stderr and exits 3; `true` exits 0; `fail` makes the runtime throw; `resize`
 * records terminal sizes until stdin ends. portForward connects to `echoPort` (port 1: refused).
 */
export function fakeHost(echoPort: number): FakeHost {
  const execs: ExecRequest[] = [];
  const resizes: TerminalSize[] = [];
  const logLines = new PassThrough();
  const known = (ns: string, pod: string) => {
    if (ns !== 'default' || pod !== 'web') throw new HostError(404, 'NotFound', `pods "${pod}" not found`);
  };
  return {
    execs,
    resizes,
    logLines,
    async resolveContainer(ns, pod, container) {
      known(ns, pod);
      if (container !== 'app' && container !== '') throw new HostError(400, 'BadRequest', `container ${container} is not valid for pod ${pod}`);
      return TARGET;
    },
    async resolveSandbox(ns, pod) {
      known(ns, pod);
      return TARGET.podSandboxId;
    },
    runtime: {
      async exec(req, streams) {
        execs.push(req);
        const [cmd] = req.cmd;
        if (cmd === 'fail') throw new Error('no such binary');
        if (cmd === 'true') return 0;
        if (cmd === 'resize') {
          void (async () => {
            if (streams.resize) for await (const s of streams.resize) resizes.push(s);
          })();
          await drain(streams.stdin);
          return 0;
        }
        const input = await drain(streams.stdin);
        streams.stdout?.write(input.toUpperCase());
        streams.stderr?.write('warn');
        return 3;
      },
      async attach(_req, streams) {
        streams.stdout?.write('attached\n');
      },
      portForward(_sandbox, port, stream: Duplex) {
        if (port === 1) return Promise.reject(new Error('connection refused'));
        return new Promise<void>((resolve, reject) => {
          const sock = net.connect(echoPort, '127.0.0.1');
          sock.on('error', reject);
          sock.on('close', () => resolve());
          stream.pipe(sock);
          sock.pipe(stream);
        });
      },
    },
    async writeLogs(_target, opts: LogOptions, out: Writable, signal) {
      out.write(`first line${opts.tailLines !== undefined ? ` tail=${opts.tailLines}` : ''}\n`);
      if (!opts.follow) return;
      await new Promise<void>((resolve) => {
        const onLine = (c: Buffer) => out.write(c);
        logLines.on('data', onLine);
        signal.addEventListener('abort', () => {
          logLines.off('data', onLine);
          resolve();
        });
        logLines.once('end', () => resolve());
      });
    },
    async statsSummary() {
      return { node: { nodeName: 'node-1', startTime: '2024-01-01T00:00:00Z' }, pods: [] };
    },
    async metrics() {
      return { contentType: 'text/plain; version=0.0.4', body: 'kubelet_running_pods 1\n' };
    },
  };
}

/** A TCP server echoing each connection's bytes back with a prefix naming the connection. */
export async function echoServer(): Promise<{ port: number; close(): Promise<void> }> {
  let n = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    const id = ++n;
    s.on('data', (c) => s.write(`[${id}]${c.toString()}`));
    s.on('end', () => s.end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}
