import { describe, expect, it } from 'vitest';
import { StatusError } from '../../api/errors.js';
import { kubeletLogQuery, parseLogOptions } from './log-options.js';
import { kubeletStreamPath, kubeletStreamQuery, parseStreamOptions } from './stream-options.js';
import { nodeEndpoint } from './node-endpoint.js';
import { forwardedHeaders } from './upgrade-proxy.js';

const q = (s: string) => new URLSearchParams(s);
const fail = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e as StatusError;
  }
  throw new Error('did not throw');
};

describe('log options', () => {
  it('reads booleans as upstream (only 0/false are false) and re-encodes sorted', () => {
    const o = parseLogOptions(q('follow=&previous=0&timestamps=TRUE&sinceTime=2024-05-06T07:08:09.5%2B02:00'), 'p');
    expect(o).toMatchObject({ follow: true, previous: false, timestamps: true });
    expect(kubeletLogQuery(o)).toBe('follow=true&sinceTime=2024-05-06T05%3A08%3A09Z&timestamps=true');
  });
  it('collects every validation error', () => {
    const e = fail(() => parseLogOptions(q('tailLines=-2&limitBytes=-1&sinceSeconds=0'), 'p'));
    expect(e.code).toBe(422);
    expect(e.message).toBe('PodLogOptions "p" is invalid: [tailLines: Invalid value: -2: must be greater than or equal to 0, limitBytes: Invalid value: -1: must be greater than 0, sinceSeconds: Invalid value: 0: must be greater than 0]');
  });
  it('rejects a malformed sinceTime', () => {
    expect(fail(() => parseLogOptions(q('sinceTime=yesterday'), 'p')).code).toBe(400);
  });
});

describe('stream options', () => {
  it('translates exec options to the kubelet names', () => {
    const o = parseStreamOptions('exec', q('command=ls&command=-l&stdin=true&stdout=1&stderr=false&tty=true&container=c'));
    expect(kubeletStreamQuery('exec', o)).toBe('command=ls&command=-l&input=1&output=1&tty=1');
    expect(kubeletStreamPath('exec', 'ns', 'p', o.container)).toBe('/exec/ns/p/c');
  });
  it('ignores command for attach and joins ports for portforward', () => {
    expect(kubeletStreamQuery('attach', parseStreamOptions('attach', q('command=x&stdout=true')))).toBe('output=1');
    expect(kubeletStreamQuery('portforward', parseStreamOptions('portforward', q('ports=80&ports=443')))).toBe('port=80%2C443');
    expect(fail(() => parseStreamOptions('portforward', q('ports=http'))).code).toBe(400);
  });
});

describe('node endpoint', () => {
  it('prefers InternalIP, then Hostname, and the reported kubelet port', () => {
    const node = { metadata: { name: 'n' }, status: { addresses: [{ type: 'Hostname', address: 'n.local' }, { type: 'InternalIP', address: '10.1.2.3' }], daemonEndpoints: { kubeletEndpoint: { Port: 11250 } } } };
    expect(nodeEndpoint(node)).toEqual({ host: '10.1.2.3', port: 11250 });
    expect(nodeEndpoint({ status: { addresses: [{ type: 'Hostname', address: 'n.local' }] } })).toEqual({ host: 'n.local', port: 10250 });
    expect(fail(() => nodeEndpoint({ metadata: { name: 'n' } })).code).toBe(503);
  });
});

describe('forwarded headers', () => {
  it('keeps upgrade headers, repeated ones as separate lines, and drops credentials', () => {
    expect(forwardedHeaders(['Authorization', 'Bearer x', 'Upgrade', 'SPDY/3.1', 'X-Stream-Protocol-Version', 'v5.channel.k8s.io', 'X-Stream-Protocol-Version', 'v4.channel.k8s.io', 'Cookie', 'a=b'])).toEqual({
      Upgrade: ['SPDY/3.1'], 'X-Stream-Protocol-Version': ['v5.channel.k8s.io', 'v4.channel.k8s.io'],
    });
  });
});
