import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostUpstreams, parseResolvConf, parseUpstream } from './resolv-conf.js';

const conf = `# generated
search default.svc.cluster.local svc.cluster.local
nameserver 10.96.0.10
nameserver 192.168.1.1 # the router
nameserver fe80::1%eth0
options ndots:5
`;

describe('resolv.conf', () => {
  it('reads nameservers', () => {
    expect(parseResolvConf(conf)).toEqual(['10.96.0.10', '192.168.1.1', 'fe80::1']);
  });

  it('leaves out the cluster DNS itself, so it never forwards to itself', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'k8ts-dns-')), 'resolv.conf');
    writeFileSync(path, conf);
    expect(hostUpstreams([{ address: '10.96.0.10', port: 53 }], path)).toEqual(['192.168.1.1', 'fe80::1']);
    expect(hostUpstreams([{ address: '10.96.0.10', port: 5353 }], path)).toEqual(['10.96.0.10', '192.168.1.1', 'fe80::1']);
    expect(hostUpstreams([{ address: '192.168.1.5', port: 5353 }], path, ['10.96.0.10'])).toEqual(['192.168.1.1', 'fe80::1']);
    expect(hostUpstreams([], join(path, 'missing'))).toEqual([]);
  });

  it('parses upstream addresses with and without ports', () => {
    expect(parseUpstream('1.2.3.4')).toEqual({ host: '1.2.3.4', port: 53 });
    expect(parseUpstream('127.0.0.1:5353')).toEqual({ host: '127.0.0.1', port: 5353 });
    expect(parseUpstream('::1')).toEqual({ host: '::1', port: 53 });
    expect(parseUpstream('[::1]:5353')).toEqual({ host: '::1', port: 5353 });
  });
});
