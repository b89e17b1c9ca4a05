import { describe, expect, it } from 'vitest';
import { Code } from '../../framework/status.js';
import { makeNode, makePod, nodeInfo, runFilter } from '../../testing/wrappers.js';
import { nodePorts } from './index.js';

const using = (ports: Array<{ port: number; protocol?: string; hostIP?: string }>) => [makePod('existing', { nodeName: 'n', hostPorts: ports })];

describe('NodePorts', () => {
  const table = [
    { name: 'no ports', pod: makePod('p'), pods: using([{ port: 8080 }]), want: Code.Success },
    { name: 'other port', pod: makePod('p', { hostPorts: [{ port: 8080 }] }), pods: using([{ port: 9090 }]), want: Code.Success },
    { name: 'same port', pod: makePod('p', { hostPorts: [{ port: 8080 }] }), pods: using([{ port: 8080 }]), want: Code.Unschedulable },
    { name: 'same port, other protocol', pod: makePod('p', { hostPorts: [{ port: 8080, protocol: 'UDP' }] }), pods: using([{ port: 8080 }]), want: Code.Success },
    { name: 'same port, other IPs', pod: makePod('p', { hostPorts: [{ port: 8080, hostIP: '127.0.0.1' }] }), pods: using([{ port: 8080, hostIP: '127.0.0.2' }]), want: Code.Success },
    { name: 'wildcard IP conflicts with a specific one', pod: makePod('p', { hostPorts: [{ port: 8080, hostIP: '0.0.0.0' }] }), pods: using([{ port: 8080, hostIP: '127.0.0.1' }]), want: Code.Unschedulable },
    { name: 'specific IP conflicts with the wildcard', pod: makePod('p', { hostPorts: [{ port: 8080, hostIP: '127.0.0.1' }] }), pods: using([{ port: 8080 }]), want: Code.Unschedulable },
  ];
  for (const t of table) {
    it(t.name, () => {
      const got = runFilter(nodePorts, t.pod, nodeInfo(makeNode('n'), t.pods));
      expect(got.code).toBe(t.want);
      if (t.want !== Code.Success) expect(got.reasons).toEqual(["node(s) didn't have free ports for the requested pod ports"]);
    });
  }
});
