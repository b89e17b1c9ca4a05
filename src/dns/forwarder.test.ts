import { afterEach, describe, expect, it } from 'vitest';
import { createSocket, type Socket } from 'node:dgram';
import * as packet from 'dns-packet';
import { Forwarder } from './forwarder.js';
import { encodeQuery } from './wire.js';

const sockets: Socket[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});

/** A UDP upstream on loopback: answers every query with one address, or never when silent. */
async function upstream(silent: boolean): Promise<number> {
  const s = createSocket('udp4');
  sockets.push(s);
  s.on('message', (msg, peer) => {
    if (silent) return;
    const q = packet.decode(msg);
    s.send(packet.encode({ type: 'response', id: q.id, questions: q.questions, answers: [{ name: q.questions![0]!.name, type: 'A', ttl: 1, data: '192.0.2.1' }] }), peer.port, peer.address);
  });
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  return s.address().port;
}

describe('Forwarder', () => {
  it('moves on from a silent upstream to one that answers, and keeps the client id', async () => {
    const silent = await upstream(true);
    const live = await upstream(false);
    const fwd = new Forwarder([`127.0.0.1:${silent}`, `127.0.0.1:${live}`], { timeoutMs: 100 });
    const answer = await fwd.exchange(encodeQuery({ name: 'example.com', type: 'A' }, 1234));
    const r = packet.decode(answer!);
    expect(r.id).toBe(1234);
    expect(r.answers).toEqual([expect.objectContaining({ type: 'A', data: '192.0.2.1' })]);
  });

  it('gives up when no upstream answers', async () => {
    const silent = await upstream(true);
    const fwd = new Forwarder([`127.0.0.1:${silent}`], { timeoutMs: 50 });
    expect(await fwd.exchange(encodeQuery({ name: 'example.com', type: 'A' }, 1))).toBeUndefined();
    expect(await new Forwarder([]).exchange(encodeQuery({ name: 'example.com', type: 'A' }, 1))).toBeUndefined();
  });
});
