import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { realpathSync } from 'node:fs';
import { it } from 'vitest';
import { startNodeProxyCluster } from '/work/main/src/apiserver/node-proxy/testing/harness.js';

it('kubectl', async () => {
  const c = await startNodeProxyCluster();
  const T = new Date().toISOString();
  const s = (n: number, b: number) => ({ cpu: { time: T, usageNanoCores: n }, memory: { time: T, workingSetBytes: b } });
  c.kubelet.stats = { node: { nodeName: 'node-1', startTime: T, ...s(250e6, 512 * 1048576) }, pods: [{ podRef: { name: 'web', namespace: 'default', uid: 'x' }, startTime: T, containers: [{ name: 'app', startTime: T, ...s(1e6, 10 * 1048576) }, { name: 'side', startTime: T, ...s(3e6, 4096) }] }] };
  await c.call('PATCH', '/api/v1/nodes/node-1/status', { headers: { 'content-type': 'application/merge-patch+json' }, body: JSON.stringify({ status: { allocatable: { cpu: '2', memory: '4Gi' }, capacity: { cpu: '2', memory: '4Gi' } } }) });
  await c.createPod('web', { nodeName: 'node-1', containers: [{ name: 'app', image: 'x' }, { name: 'side', image: 'x' }] }, { phase: 'Running', annotations: { 'kubectl.kubernetes.io/default-container': 'side' } });
  const home = mkdtempSync(join(tmpdir(), 'kh-'));
  const bin = join(dirname(realpathSync(execFileSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).trim())), 'kubectl.1.32');
  const run = (...args: string[]) => {
    try {
      return execFileSync(bin, ['--kubeconfig', c.server.kubeconfigPath, ...args], { encoding: 'utf8', env: { ...process.env, HOME: home }, stdio: 'pipe' });
    } catch (e) {
      return 'ERR: ' + (e as { stderr: string }).stderr;
    }
  };
  for (const a of [['top', 'nodes'], ['top', 'pods', '--containers'], ['top', 'pods'], ['logs', 'web'], ['logs', 'web', '-c', 'app', '--tail=1'], ['get', 'podmetrics'], ['get', 'nodemetrics'], ['exec', 'web', '--', 'ls'], ['logs', 'web', '--since=1s', '--since-time=2024-01-01T00:00:00Z']]) {
    console.log('$ kubectl', a.join(' '), '\n' + run(...a));
  }
  console.log(c.kubelet.seen.map((s) => s.method + ' ' + s.url).join('\n'));
  await c.stop();
});
