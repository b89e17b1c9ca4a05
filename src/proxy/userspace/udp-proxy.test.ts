// UDP associations on 127.0.0.1: one per client address, ended by idleness (fake time) or by
// their endpoint leaving.
import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../client/index.js';
import type { Endpoint } from '../service-map.js';
import { UdpProxy } from './udp-proxy.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function socket(port = 0): Promise<dgram.Socket> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(port, '127.0.0.1', r));
  closers.push(() => new Promise<void>((r) => s.close(() => r())));
  return s;
}

const endpoint = (port: number): Endpoint => ({ ip: '127.0.0.1', port, ready: true, serving: true, terminating: false, isLocal: true });

describe('UdpProxy', () => {
  it('relays both ways per client and ends idle or orphaned associations', async () => {
    const clock = new FakeClock();
    const echo = await socket();
    echo.on('message', (m, r) => echo.send(m, r.port, r.address));
    const proxy = new UdpProxy({ host: '127.0.0.1', port: 0, clock, idleMs: 10_000 });
    await proxy.listen();
    closers.push(() => proxy.close());
    const port = proxy.boundPort();
    proxy.retarget([endpoint(echo.address().port)], 0);

    const ask = async (c: dgram.Socket, text: string) => {
      const reply = new Promise<string>((r) => c.once('message', (m) => r(m.toString())));
      c.send(text, port, '127.0.0.1');
      return reply;
    };
    const [c1, c2] = [await socket(), await socket()];
    expect(await ask(c1, 'one')).toBe('one');
    expect(await ask(c2, 'two')).toBe('two');
    expect(await ask(c1, 'again')).toBe('again');
    expect(proxy.associations()).toBe(2);

    clock.step(16_000); // past the idle time and a sweep
    expect(proxy.associations()).toBe(0);

    expect(await ask(c1, 'back')).toBe('back');
    expect(proxy.associations()).toBe(1);
    proxy.retarget([], 0);
    expect(proxy.associations()).toBe(0);
  });
});
