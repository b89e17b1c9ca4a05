// The safety route inside a network namespace this test creates (root and `ip` only).
import { afterEach, describe, expect, it } from 'vitest';
import { installSafetyRoute } from './safety-route.js';
import { createNetns, netnsUnavailable, type Netns } from './testing-netns.js';

const why = netnsUnavailable(['ip']);
if (why) console.warn(`safety-route tests skipped: ${why}`);

let ns: Netns | undefined;
afterEach(async () => {
  await ns?.remove();
  ns = undefined;
});

describe.skipIf(!!why)('safety route (in a network namespace)', () => {
  it('routes the service CIDR to a local interface that holds the DNS IP, and removes both', async () => {
    ns = await createNetns('route');
    await ns.run('ip', ['addr', 'add', '10.244.0.10/32', 'dev', 'lo']);
    const route = await installSafetyRoute({ run: ns.run, serviceCidr: '10.96.0.0/12', sourceIP: '10.244.0.10', addresses: ['10.96.0.10'] });
    expect(['dummy', 'bridge']).toContain(route.kind);

    const get = (await ns.run('ip', ['route', 'get', '10.96.3.4'])).stdout;
    expect(get).toContain('dev k8ts0');
    expect(get).toContain('src 10.244.0.10');
    expect((await ns.run('ip', ['-4', 'addr', 'show', 'dev', 'k8ts0'])).stdout).toContain('10.96.0.10/32');
    // The DNS IP is a local address of the node, so a server can bind it.
    expect((await ns.run('ip', ['route', 'get', '10.96.0.10'])).stdout).toMatch(/^local 10\.96\.0\.10 dev lo/);

    // Installing again (a restart after a crash) reuses what is there.
    const again = await installSafetyRoute({ run: ns.run, serviceCidr: '10.96.0.0/12', addresses: ['10.96.0.10'] });
    expect(again.kind).toBe('existing');

    await route.remove();
    expect((await ns.run('ip', ['link', 'show', 'dev', 'k8ts0'])).code).not.toBe(0);
    expect((await ns.run('ip', ['route', 'show', '10.96.0.0/12'])).stdout.trim()).toBe('');
  });
});
