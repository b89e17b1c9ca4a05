// The proxier against a recording fake of the iptables tools: what it runs, in which order,
// and how often. (The real tools are exercised in netns.test.ts when the machine has them.)
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../client/index.js';
import type { CommandRunner } from '../exec.js';
import { buildServiceMap } from '../service-map.js';
import { slice, svc } from '../testing.js';
import { IptablesProxier } from './iptables-proxier.js';
import { JUMP_RULES } from './rules.js';

function fakeIptables(saved = { filter: '', nat: '' }) {
  const calls: Array<{ cmd: string; args: string[]; stdin?: string }> = [];
  const jumps = new Set<string>();
  const run: CommandRunner = async (cmd, args, stdin) => {
    calls.push({ cmd, args, stdin });
    if (cmd === 'iptables-save') return { code: 0, stdout: args[1] === 'nat' ? saved.nat : saved.filter, stderr: '' };
    if (cmd === 'iptables') {
      const op = args.find((a) => ['-C', '-I', '-D'].includes(a))!;
      const key = args.filter((a) => a !== op).join(' ');
      if (op === '-C') return { code: jumps.has(key) ? 0 : 1, stdout: '', stderr: '' };
      if (op === '-I') jumps.add(key);
      if (op === '-D') return { code: jumps.delete(key) ? 0 : 1, stdout: '', stderr: '' };
    }
    return { code: 0, stdout: '', stderr: '' };
  };
  return { run, calls, jumps, restores: () => calls.filter((c) => c.cmd === 'iptables-restore') };
}

const map = (n: number) => buildServiceMap({
  nodeName: 'node-a',
  services: [svc('default', 'web', { clusterIP: '10.96.0.20', ports: [{ port: 80 }] })],
  slices: [slice('default', 'web', [{ port: 8080 }], Array.from({ length: n }, (_, i) => ({ ip: `10.244.0.${i + 1}` })))],
});

describe('IptablesProxier', () => {
  it('waits for a complete view, then restores with --noflush and installs each jump once', async () => {
    const clock = new FakeClock();
    const ipt = fakeIptables();
    const p = new IptablesProxier({ run: ipt.run, clock });
    await p.init();
    p.update(map(1), false);
    await clock.advance(5000);
    expect(ipt.restores()).toHaveLength(0);
    p.update(map(1), true);
    await clock.advance(0);
    expect(ipt.restores().map((c) => c.args)).toEqual([['-w', '--noflush']]);
    expect(ipt.restores()[0]!.stdin).toContain('--to-destination 10.244.0.1:8080');
    expect(ipt.jumps.size).toBe(JUMP_RULES.length);
    p.update(map(2));
    await clock.advance(1000);
    expect(ipt.jumps.size).toBe(JUMP_RULES.length);
    await p.close();
  });

  it('turns a burst of endpoint changes into one restore per minimum sync period', async () => {
    const clock = new FakeClock();
    const ipt = fakeIptables();
    const p = new IptablesProxier({ run: ipt.run, clock, minSyncMs: 1000 });
    await p.init();
    p.update(map(1));
    await clock.advance(0);
    for (let n = 2; n <= 20; n++) {
      p.update(map(n));
      await clock.advance(20);
    }
    await clock.advance(1000);
    expect(ipt.restores()).toHaveLength(2);
    expect(ipt.restores()[1]!.stdin).toContain('10.244.0.20:8080');
    await p.close();
  });

  it('cleans up chains a previous run left, and removes jumps and all its chains on close', async () => {
    const clock = new FakeClock();
    const ipt = fakeIptables({ filter: '*filter\n:INPUT ACCEPT [0:0]\n:K8TS-SERVICES - [0:0]\nCOMMIT\n', nat: '*nat\n:K8TS-SVC-OLDOLDOLDOLDOLDO - [0:0]\n:KUBE-SERVICES - [0:0]\nCOMMIT\n' });
    const p = new IptablesProxier({ run: ipt.run, clock });
    await p.init();
    p.update(map(1));
    await clock.advance(0);
    expect(ipt.restores()[0]!.stdin).toContain('-X K8TS-SVC-OLDOLDOLDOLDOLDO');
    ipt.calls.length = 0;
    await p.close();
    expect(ipt.jumps.size).toBe(0);
    const last = ipt.calls.at(-1)!;
    expect(last.cmd).toBe('iptables-restore');
    expect(last.stdin).toMatch(/^\*filter\n:K8TS-EXTERNAL-SERVICES - \[0:0\]\n:K8TS-SERVICES - \[0:0\]\n-X K8TS-EXTERNAL-SERVICES\n-X K8TS-SERVICES\nCOMMIT\n\*nat\n/);
    expect(last.stdin).toContain('-X K8TS-SEP-');
    expect(last.stdin).not.toContain('KUBE-SERVICES');
    // Jumps go before chains: a chain still referenced cannot be deleted.
    expect(ipt.calls.findIndex((c) => c.args.includes('-D'))).toBeLessThan(ipt.calls.length - 1);
  });
});
