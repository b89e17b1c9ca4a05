// Malformed and unsupported messages: the handler answers what it can and ignores the rest.
import { describe, expect, it } from 'vitest';
import * as packet from 'dns-packet';
import { snapshotView } from './cluster-view.js';
import { Forwarder } from './forwarder.js';
import { DnsHandler } from './handler.js';
import { encodeQuery } from './wire.js';

const handler = new DnsHandler({ view: snapshotView({}), resolver: { zone: 'cluster.local', ttl: 5 }, forwarder: new Forwarder([]) });
// dns-packet decodes the rcode, though its types do not declare it.
const rcodeOf = async (raw: Buffer) => (packet.decode((await handler.handle(raw, 'udp'))!) as { rcode?: string }).rcode;

describe('DnsHandler', () => {
  it('answers FORMERR to undecodable messages and to several questions', async () => {
    const garbage = encodeQuery({ name: 'x.cluster.local', type: 'A' }, 5).subarray(0, 14);
    expect(await rcodeOf(garbage)).toBe('FORMERR');
    const two = packet.encode({ type: 'query', id: 1, questions: [{ name: 'a.cluster.local', type: 'A' }, { name: 'b.cluster.local', type: 'A' }] });
    expect(await rcodeOf(two)).toBe('FORMERR');
  });

  it('answers NOTIMP to other opcodes, and nothing to responses or runts', async () => {
    const status = encodeQuery({ name: 'cluster.local', type: 'A' }, 2);
    status.writeUInt16BE(status.readUInt16BE(2) | (2 << 11), 2);
    expect(await rcodeOf(status)).toBe('NOTIMP');
    const response = packet.encode({ type: 'response', id: 3, questions: [{ name: 'cluster.local', type: 'A' }] });
    expect(await handler.handle(response, 'udp')).toBeUndefined();
    expect(await handler.handle(Buffer.from([1, 2, 3]), 'udp')).toBeUndefined();
  });

  it('answers SERVFAIL for names outside the zone when there is no upstream', async () => {
    expect(await rcodeOf(encodeQuery({ name: 'example.com', type: 'A' }, 4))).toBe('SERVFAIL');
  });
});
