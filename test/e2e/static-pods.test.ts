// Static pods end to end: `k8ts server --pod-manifest-path DIR` runs the Pod in a manifest file
// on its own, and the API shows it as a mirror pod that kubectl can read, log and exec into.
// Deleting the mirror does not stop the pod (the mirror comes back); removing the file does.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, kubectl, cleanup, haveKubectl, freePort, until, type ServerHandle } from './harness.js';

/** Processes running this test's container command. */
function tickers(): number {
  let n = 0;
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/cmdline`, 'utf8').includes('echo ticking; while')) n++;
    } catch {
      // gone
    }
  }
  return n;
}

describe.skipIf(!haveKubectl())('static pods from --pod-manifest-path', () => {
  let s: ServerHandle;
  let manifests: string;
  const k = (...args: string[]) => kubectl(s, args, { timeoutMs: 60_000 });
  const json = async (...args: string[]) => {
    const r = await k(...args, '-o', 'json');
    return r.code === 0 ? JSON.parse(r.stdout) : undefined;
  };

  beforeAll(async () => {
    manifests = mkdtempSync(join(tmpdir(), 'k8ts-manifests-'));
    s = await startServer({ datastore: 'memory://', agent: true, extraArgs: ['--kubelet-port', String(await freePort()), '--pod-manifest-path', manifests] });
  }, 60_000);
  afterAll(async () => {
    await s?.stop();
    if (s) cleanup(s);
    rmSync(manifests, { recursive: true, force: true });
  });

  it('runs the manifest, mirrors it in the API, keeps it when the mirror is deleted, stops it when the file goes', async () => {
    const node = (await json('get', 'nodes')).items[0].metadata;
    writeFileSync(join(manifests, 'ticker.yaml'), `apiVersion: v1
kind: Pod
metadata:
  name: ticker
  namespace: kube-system
  labels: {app: ticker}
spec:
  containers:
  - name: main
    image: busybox
    command: ["sh", "-c", "echo ticking; while true; do sleep 1; done"]
`);
    const name = `ticker-${node.name}`;
    const running = async (notUid?: string) => until(async () => {
      const p = await json('get', 'pod', '-n', 'kube-system', name);
      const ok = p?.status?.phase === 'Running' && p.metadata.uid !== notUid && !p.metadata.deletionTimestamp;
      return ok ? p : undefined;
    }, `mirror pod ${name} Running`);

    const mirror = await running();
    expect(tickers()).toBe(1);
    expect(mirror.metadata.annotations).toMatchObject({
      'kubernetes.io/config.source': 'file',
      'kubernetes.io/config.mirror': mirror.metadata.annotations['kubernetes.io/config.hash'],
    });
    expect(mirror.metadata.ownerReferences).toEqual([expect.objectContaining({ apiVersion: 'v1', kind: 'Node', name: node.name, uid: node.uid, controller: true })]);
    expect(mirror.spec.nodeName).toBe(node.name);
    expect((await k('logs', '-n', 'kube-system', name)).stdout).toContain('ticking');
    const exec = await k('exec', '-n', 'kube-system', name, '--', 'sh', '-c', 'echo from inside');
    expect(exec.stdout.trim(), exec.stderr).toBe('from inside');
    const containerID = mirror.status.containerStatuses[0].containerID;
    expect(containerID).toMatch(/^process:\/\//);

    // A deleted mirror comes back; the static pod was not restarted.
    const del = await k('delete', 'pod', '-n', 'kube-system', name, '--wait=false');
    expect(del.code, del.stderr).toBe(0);
    const again = await running(mirror.metadata.uid);
    expect(again.status.containerStatuses[0]).toMatchObject({ containerID, restartCount: 0 });

    unlinkSync(join(manifests, 'ticker.yaml'));
    await until(async () => (await k('get', 'pod', '-n', 'kube-system', name)).stderr.includes('NotFound') || undefined, 'the mirror pod to go');
    const ps = await until(async () => {
      const r = await k('get', 'pods', '-A', '-o', 'name');
      return r.stdout.includes('ticker') ? undefined : r;
    }, 'no ticker pod left');
    expect(ps.code).toBe(0);
    await until(async () => (tickers() === 0 ? true : undefined), 'the static pod\'s process to stop');
  });
});
