// The iptables mode for real, inside a network namespace this test creates: the proxy's restores,
// jumps and safety route all run through `ip netns exec`, a backend listens on the namespace's own
// address, and a client inside the namespace reaches it through a ClusterIP and a NodePort.
// Needs root, iptables, iptables-restore, iptables-save and ip; skipped (with the reason) otherwise.
import { afterEach, describe, expect, it } from 'vitest';
import { RestClient, resources } from '../../client/index.js';
import { FakeApiServer } from '../../client/testing/index.js';
import { startServiceProxy, type RunningServiceProxy } from '../index.js';
import { slice, svc } from '../testing.js';
import { createNetns, netnsUnavailable, type Netns } from '../testing-netns.js';

const why = netnsUnavailable(['ip', 'iptables', 'iptables-restore', 'iptables-save']);
if (why) console.warn(`iptables proxy namespace test skipped: ${why}`);

const NODE_IP = '10.244.0.10';

let ns: Netns | undefined;
let proxy: RunningServiceProxy | undefined;
afterEach(async () => {
  await proxy?.close().catch(() => {});
  await ns?.remove();
  proxy = undefined;
  ns = undefined;
});

/** An HTTP GET made from inside the namespace; '' when it fails. */
async function fetchIn(n: Netns, url: string): Promise<string> {
  const script = `fetch(${JSON.stringify(url)}, { signal: AbortSignal.timeout(2000) }).then((r) => r.text()).then((t) => process.stdout.write(t), () => process.exit(1))`;
  const r = await n.run(process.execPath, ['-e', script]);
  return r.code === 0 ? r.stdout : '';
}

async function until(cond: () => Promise<boolean>): Promise<void> {
  while (!(await cond())) await new Promise((r) => setTimeout(r, 100));
}

describe.skipIf(!!why)('iptables proxy (in a network namespace)', () => {
  it('DNATs a ClusterIP and a NodePort to a backend, and leaves nothing behind on close', async () => {
    const n = (ns = await createNetns('ipt'));
    await n.run('ip', ['addr', 'add', `${NODE_IP}/32`, 'dev', 'lo']);
    const backend = n.spawn(process.execPath, ['-e', `require('http').createServer((q, s) => s.end('ns-backend')).listen(8080, '${NODE_IP}', () => console.log('up'))`]);
    await new Promise((r) => backend.stdout!.once('data', r));

    const api = new FakeApiServer();
    const client = new RestClient(api);
    const errors: unknown[] = [];
    proxy = await startServiceProxy({ client, nodeName: 'node-a', nodeIPs: [NODE_IP], mode: 'iptables', run: n.run, minSyncMs: 100, onError: (e) => errors.push(e) });
    await client.resource(resources.services).namespace('default').create(svc('default', 'web', { type: 'NodePort', clusterIP: '10.96.0.50', ports: [{ port: 80, nodePort: 30080 }] }));
    await client.resource(resources.endpointSlices).namespace('default').create(slice('default', 'web', [{ port: 8080 }], [{ ip: NODE_IP, node: 'node-a' }]));

    await until(async () => (await fetchIn(n, 'http://10.96.0.50/')) === 'ns-backend');
    await until(async () => (await fetchIn(n, `http://${NODE_IP}:30080/`)) === 'ns-backend');
    const saved = (await n.run('iptables-save', ['-t', 'nat'])).stdout;
    expect(saved).toContain('-A OUTPUT -m comment --comment "k8ts service portals" -j K8TS-SERVICES');
    expect(saved).toContain(`--to-destination ${NODE_IP}:8080`);
    expect(errors).toEqual([]);

    await proxy.close();
    proxy = undefined;
    for (const table of ['nat', 'filter']) expect((await n.run('iptables-save', ['-t', table])).stdout).not.toContain('K8TS-');
    expect((await n.run('ip', ['link', 'show', 'dev', 'k8ts0'])).code).not.toBe(0);
  });
});
