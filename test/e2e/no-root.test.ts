// The server needs no root: started as an unprivileged user it gets ready, writes its kubeconfig
// and serves kubectl. Run as root, the test drops to nobody (65534) with setpriv; run as anyone
// else, the plain start is already the unprivileged path.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, kubectl, cleanup, haveKubectl, freePort, type ServerHandle } from './harness.js';

const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;

function haveSetpriv(): boolean {
  try {
    execFileSync('setpriv', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const canDrop = isRoot && haveSetpriv();
const possible = (!isRoot || canDrop) && haveKubectl();
if (!possible) {
  console.warn(
    `SKIPPED: unprivileged server end-to-end test — ${!haveKubectl() ? 'kubectl is not on PATH' : 'running as root without setpriv to drop privileges'}`,
  );
}

/** The real uid of a running process, from /proc. */
function uidOf(pid: number): number {
  const m = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1]);
}

describe.skipIf(!possible)(`k8ts server without root (${canDrop ? `dropped to uid ${NOBODY} with setpriv` : `as uid ${process.getuid?.()}`})`, () => {
  let s: ServerHandle;
  const expectedUid = canDrop ? NOBODY : process.getuid!();
  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'k8ts-noroot-'));
    if (canDrop) chownSync(dataDir, NOBODY, NOBODY);
    s = await startServer({
      dataDir,
      commandPrefix: canDrop ? ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups'] : undefined,
      agent: true,
      nodeServices: true,
      extraArgs: ['--kubelet-port', String(await freePort()), '--proxy-mode', 'userspace', '--cluster-dns-port', String(await freePort()),
        '--ingress-http-port', String(await freePort()), '--ingress-https-port', String(await freePort())],
    });
  });
  afterAll(async () => {
    await s?.stop();
    if (s) cleanup(s);
  });

  it('runs as the unprivileged user and becomes ready', async () => {
    expect(s.output()).toContain(`is ready at ${s.url}`);
    if (process.platform === 'linux') expect(uidOf(s.proc.pid!)).toBe(expectedUid);
    const ready = await kubectl(s, ['get', '--raw', '/readyz']);
    expect(ready.stdout).toBe('ok');
  });

  it('runs the node components without root: userspace proxy, DNS and ingress on high ports', () => {
    expect(s.output()).toContain('service proxy: userspace');
    expect(s.output()).toMatch(/cluster DNS: \S+:\d+/);
    expect(s.output()).toMatch(/ingress: http \d+, https \d+/);
    expect(s.output()).not.toContain('not running');
  });

  it('writes its kubeconfig and certificates as that user', () => {
    const kc = statSync(s.kubeconfig);
    expect(kc.uid).toBe(expectedUid);
    expect(kc.mode & 0o077).toBe(0);
    expect(readFileSync(s.kubeconfig, 'utf8')).toContain(`server: ${s.url}`);
    expect(statSync(join(s.dataDir, 'tls', 'ca.crt')).uid).toBe(expectedUid);
  });

  it('kubectl creates and gets a configmap', async () => {
    const created = await kubectl(s, ['create', 'configmap', 'unprivileged', '--from-literal=who=nobody']);
    expect(created.stderr).toBe('');
    expect(created.stdout.trim()).toBe('configmap/unprivileged created');
    const got = await kubectl(s, ['get', 'configmap', 'unprivileged', '-o', 'jsonpath={.data.who}']);
    expect(got.stdout).toBe('nobody');
    const table = await kubectl(s, ['get', 'configmaps']);
    expect(table.stdout).toMatch(/^unprivileged\s+1\s+\S+$/m);
  });

  it('runs a pod as a process of that user; a pod that needs a mount fails clearly', async () => {
    const yaml = `apiVersion: v1
kind: Pod
metadata: {name: plain}
spec:
  containers: [{name: main, image: busybox, command: ["sh", "-c", "id -u; sleep 3600"]}]
---
apiVersion: v1
kind: Pod
metadata: {name: withvolume}
spec:
  containers:
  - {name: main, image: busybox, command: ["sleep", "3600"], volumeMounts: [{name: scratch, mountPath: /scratch}]}
  volumes: [{name: scratch, emptyDir: {}}]
`;
    const applied = await kubectl(s, ['apply', '-f', '-'], { input: yaml });
    expect(applied.code, applied.stderr).toBe(0);
    const ready = await kubectl(s, ['wait', '--for=condition=Ready', 'pod/plain', '--timeout=60s']);
    expect(ready.code, ready.stderr).toBe(0);
    const logs = await kubectl(s, ['logs', 'plain']);
    expect(logs.stdout.trim()).toBe(String(expectedUid));
    let waiting: { reason?: string; message?: string } | undefined;
    for (let i = 0; i < 300 && !waiting?.reason; i++) {
      const r = await kubectl(s, ['get', 'pod', 'withvolume', '-o', 'jsonpath={.status.containerStatuses[0].state.waiting}']);
      if (r.stdout.includes('CreateContainer')) waiting = JSON.parse(r.stdout);
      else await new Promise((res) => setTimeout(res, 200));
    }
    expect(waiting?.reason).toBe('CreateContainerConfigError');
    expect(waiting?.message).toMatch(/root/);
  });

  it('stops cleanly on SIGTERM', async () => {
    expect(await s.stop()).toBe(0);
    expect(s.output()).toContain('k8ts server: stopped');
  });
});
