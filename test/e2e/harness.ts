// End-to-end harness: starts a real `k8ts server` process on a free port with a temporary data
// dir, and runs the real kubectl against it with its own HOME (discovery cache) and KUBECONFIG.
import { spawn, execFile, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer } from 'node:net';

export const ROOT = resolve(import.meta.dirname, '../..');
export const BIN = join(ROOT, 'bin/k8ts.js');

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => res(p));
    });
    s.on('error', rej);
  });
}

export interface ServerHandle {
  url: string;
  port: number;
  dataDir: string;
  kubeconfig: string;
  home: string;
  proc: ChildProcess;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface StartOptions {
  dataDir?: string;
  port?: number;
  datastore?: string;
  extraArgs?: string[];
  /** Run the embedded node agent (default false: most suites register nodes themselves). */
  agent?: boolean;
  /**
   * With the agent, also run the service proxy, cluster DNS and ingress (default false: they bind
   * host ports and, as root, own iptables chains, so only one suite at a time may run them).
   */
  nodeServices?: boolean;
  /** A command the server runs under, e.g. `['setpriv', '--reuid=65534', …]`; node and its arguments follow it. */
  commandPrefix?: string[];
}

export async function startServer(opts: StartOptions = {}): Promise<ServerHandle> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'k8ts-e2e-'));
  const port = opts.port ?? (await freePort());
  const home = mkdtempSync(join(tmpdir(), 'k8ts-home-'));
  const args = [BIN, 'server', '--data-dir', dataDir, '--https-listen-port', String(port)];
  if (opts.datastore) args.push('--datastore-endpoint', opts.datastore);
  if (!opts.agent) args.push('--disable-agent');
  else if (!opts.nodeServices) args.push('--disable', 'proxy,dns,ingress');
  args.push(...(opts.extraArgs ?? []));
  const [cmd, ...cmdArgs] = [...(opts.commandPrefix ?? []), process.execPath, ...args];
  const proc = spawn(cmd, cmdArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  await new Promise<void>((res, rej) => {
    const t = setTimeout(() => rej(new Error(`server did not get ready:\n${out}`)), 30_000);
    const check = () => {
      if (out.includes('is ready at')) {
        clearTimeout(t);
        res();
      }
    };
    proc.stdout!.on('data', check);
    proc.on('exit', (code) => {
      clearTimeout(t);
      rej(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  const handle: ServerHandle = {
    url: `https://127.0.0.1:${port}`,
    port,
    dataDir,
    kubeconfig: join(dataDir, 'kubeconfig.yaml'),
    home,
    proc,
    output: () => out,
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
      const done = new Promise<number | null>((r) => proc.once('exit', (c) => r(c)));
      proc.kill(signal);
      return done;
    },
  };
  return handle;
}

export function cleanup(h: ServerHandle): void {
  rmSync(h.dataDir, { recursive: true, force: true });
  rmSync(h.home, { recursive: true, force: true });
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real kubectl against the server; never throws on a non-zero exit. */
export function kubectl(h: ServerHandle, args: string[], opts: { input?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<KubectlResult> {
  return new Promise((res) => {
    const child = execFile('kubectl', args, {
      env: { ...process.env, HOME: h.home, KUBECONFIG: h.kubeconfig, ...opts.env },
      timeout: opts.timeoutMs ?? 60_000,
      maxBuffer: 64 * 1024 * 1024,
    }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      res({ code, stdout: String(stdout), stderr: String(stderr) });
    });
    child.stdin!.end(opts.input ?? '');
  });
}

export function haveKubectl(): boolean {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Writes an executable EDITOR script for `kubectl edit`. */
export function editorScript(dir: string, body: string): string {
  const p = join(dir, 'editor.sh');
  writeFileSync(p, `#!/bin/sh\n${body}\n`);
  chmodSync(p, 0o755);
  return p;
}

/** Polls `f` until it returns something other than undefined/false (errors count as not yet). */
export async function until<T>(f: () => Promise<T | undefined | false>, what = 'condition', ms = 90_000): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await f();
      if (v !== undefined && v !== false) return v as T;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`${what} not reached${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
