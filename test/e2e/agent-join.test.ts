// `k8ts agent` joins a server that runs no agent of its own: the join token buys the node its
// certificates, the node registers, runs a pod, and serves its logs and exec through the server.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, startServer, kubectl, cleanup, haveKubectl, freePort, type ServerHandle } from './harness.js';

const enabled = haveKubectl();

describe.skipIf(!enabled)('k8ts agent joining a server', () => {
  let s: ServerHandle;
  let agent: ChildProcess | undefined;
  let agentOut = '';
  let agentDir: string;
  const k = (...args: string[]) => kubectl(s, args, { timeoutMs: 60_000 });

  beforeAll(async () => {
    s = await startServer({ datastore: 'memory://' });
    agentDir = mkdtempSync(join(tmpdir(), 'k8ts-agent-'));
  }, 60_000);
  afterAll(async () => {
    if (agent && agent.exitCode === null) {
      const done = new Promise((r) => agent!.once('exit', r));
      agent.kill('SIGTERM');
      await done;
    }
    await s?.stop();
    if (s) cleanup(s);
    rmSync(agentDir, { recursive: true, force: true });
  });

  it('refuses a wrong token', async () => {
    const bad = spawn(process.execPath, [BIN, 'agent', '--server', s.url, '--token', 'K10nope::server:wrong', '--data-dir', agentDir, '--kubelet-port', String(await freePort()), '--node-name', 'intruder', '--disable', 'proxy,dns,ingress']);
    let out = '';
    bad.stderr!.on('data', (d) => (out += d));
    const code = await new Promise((r) => bad.once('exit', r));
    expect(code).toBe(1);
    expect(out).toMatch(/refused the join token \(401\)/);
    const nodes = await k('get', 'nodes', '-o', 'name');
    expect(nodes.stdout).not.toContain('intruder');
  });

  it('joins with the server token, runs a pod and serves logs and exec', async () => {
    const token = readFileSync(join(s.dataDir, 'token'), 'utf8').trim();
    agent = spawn(process.execPath, [BIN, 'agent', '--server', s.url, '--token', token, '--data-dir', agentDir,
      '--kubelet-port', String(await freePort()), '--node-name', 'remote-1', '--node-label', 'k8ts.io/role=worker', '--node-ip', '127.0.0.1', '--disable', 'proxy,dns,ingress']);
    agent.stdout!.on('data', (d) => (agentOut += d));
    agent.stderr!.on('data', (d) => (agentOut += d));
    for (let i = 0; i < 300 && (await k('get', 'node', 'remote-1')).code !== 0; i++) await new Promise((r) => setTimeout(r, 200));
    const ready = await k('wait', '--for=condition=Ready', 'node/remote-1', '--timeout=60s');
    expect(ready.code, ready.stderr + agentOut).toBe(0);
    const labels = await k('get', 'node', 'remote-1', '-o', 'jsonpath={.metadata.labels.k8ts\\.io/role}');
    expect(labels.stdout).toBe('worker');
    const run = await k('run', 'joined', '--image=busybox', '--command', '--', 'sh', '-c', 'echo hello from the joined node; sleep 3600');
    expect(run.code, run.stderr).toBe(0);
    const podReady = await k('wait', '--for=condition=Ready', 'pod/joined', '--timeout=60s');
    expect(podReady.code, podReady.stderr + agentOut).toBe(0);
    const node = await k('get', 'pod', 'joined', '-o', 'jsonpath={.spec.nodeName}');
    expect(node.stdout).toBe('remote-1');
    const logs = await k('logs', 'joined');
    expect(logs.stdout).toBe('hello from the joined node\n');
    const exec = await k('exec', 'joined', '--', 'sh', '-c', 'echo $((6*7))');
    expect(exec.stdout).toBe('42\n');
  });

  it('stops its pods when it shuts down', async () => {
    const done = new Promise<number | null>((r) => agent!.once('exit', (c) => r(c)));
    agent!.kill('SIGTERM');
    expect(await done).toBe(0);
    expect(agentOut).toContain('stopping pods');
  });
});
