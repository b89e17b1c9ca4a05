// The userspace proxy end to end on 127.0.0.1: a fake API server holds Services and
// EndpointSlices, local HTTP/UDP servers play the endpoints, and requests go through the
// listeners the proxy opens. Nothing leaves loopback.
import dgram from 'node:dgram';
import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { RestClient, resources } from '../../client/index.js';
import { FakeApiServer } from '../../client/testing/index.js';
import { startServiceProxy, type RunningServiceProxy } from '../index.js';
import { slice, svc } from '../testing.js';
import { PortBindError } from './userspace-proxier.js';

const cleanups: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function httpBackend(name: string): Promise<number> {
  const server = http.createServer((_req, res) => res.end(name));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise((r) => server.close(r)));
  return (server.address() as net.AddressInfo).port;
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

function get(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d)).on('end', () => resolve(body));
    }).on('error', reject);
  });
}

/** A request that may fail while the proxy catches up (no endpoints yet: the connection closes). */
const tryGet = (port: number) => get(port).catch(() => '');

async function until(cond: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await cond())) await new Promise((r) => setTimeout(r, 20));
}

async function setup() {
  const api = new FakeApiServer();
  const client = new RestClient(api);
  const errors: unknown[] = [];
  const proxy = await startServiceProxy({
    client, nodeName: 'node-a', nodeIPs: ['127.0.0.1'], mode: 'userspace',
    nodePortAddresses: ['127.0.0.1'], onError: (e) => errors.push(e),
  });
  cleanups.push(() => proxy.close());
  const services = client.resource(resources.services).namespace('default');
  const slices = client.resource(resources.endpointSlices).namespace('default');
  return { api, client, proxy, errors, services, slices };
}

/** One slice per backend: the backends listen on different ports of 127.0.0.1. */
const backendSlice = (svcName: string, name: string, port: number, ready = true): EndpointSlice =>
  slice('default', svcName, [{ port }], [{ ip: '127.0.0.1', ready, node: 'node-a' }], `${svcName}-${name}`);

const hasPort = (proxy: RunningServiceProxy, key: string) => until(() => proxy.ports().includes(key));

describe('userspace proxy', () => {
  it('spreads NodePort connections over ready endpoints and stops sending to one that turns unready', async () => {
    const { proxy, services, slices } = await setup();
    const [a, b, nodePort] = [await httpBackend('a'), await httpBackend('b'), await freePort()];
    await services.create(svc('default', 'web', { type: 'NodePort', clusterIP: '10.96.0.50', ports: [{ port: 80, nodePort }] }));
    await slices.create(backendSlice('web', 'a', a));
    await slices.create(backendSlice('web', 'b', b));
    await hasPort(proxy, `TCP/127.0.0.1:${nodePort}`);
    await until(async () => (await tryGet(nodePort)) === 'b' && (await tryGet(nodePort)) === 'a');

    const seen: string[] = [];
    for (let i = 0; i < 6; i++) seen.push(await get(nodePort));
    expect(seen.sort().join('')).toBe('aaabbb');

    const sb = await slices.get('web-b');
    await slices.update({ ...sb, endpoints: [{ ...sb.endpoints[0]!, conditions: { ready: false, serving: false, terminating: false } }] });
    // Round-robin over two would answer b within any two requests: four a's in a row mean b left.
    await until(async () => {
      for (let i = 0; i < 4; i++) if ((await tryGet(nodePort)) !== 'a') return false;
      return true;
    });
    for (let i = 0; i < 6; i++) expect(await get(nodePort)).toBe('a');

    await services.delete('web');
    await until(() => !proxy.ports().includes(`TCP/127.0.0.1:${nodePort}`));
    await expect(get(nodePort)).rejects.toThrow();
  });

  it('keeps a client on one endpoint with ClientIP affinity', async () => {
    const { proxy, services, slices } = await setup();
    const [a, b, nodePort] = [await httpBackend('a'), await httpBackend('b'), await freePort()];
    await services.create(svc('default', 'sticky', { type: 'NodePort', clusterIP: '10.96.0.51', sessionAffinity: 'ClientIP', ports: [{ port: 80, nodePort }] }));
    await slices.create(backendSlice('sticky', 'a', a));
    await slices.create(backendSlice('sticky', 'b', b));
    await hasPort(proxy, `TCP/127.0.0.1:${nodePort}`);
    await until(async () => {
      const r = await tryGet(nodePort);
      return r === 'a' || r === 'b';
    });
    const first = await get(nodePort);
    for (let i = 0; i < 6; i++) expect(await get(nodePort)).toBe(first);
  });

  it('opens a LoadBalancer service port on a local ingress IP, and reports a port it cannot bind', async () => {
    const { proxy, services, slices, errors } = await setup();
    const [a, lbPort] = [await httpBackend('a'), await freePort()];
    const created = await services.create(svc('default', 'lb', { type: 'LoadBalancer', clusterIP: '10.96.0.52', ports: [{ port: lbPort, nodePort: await freePort() }] }));
    await services.updateStatus({ ...created, status: { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } } } as Service);
    await slices.create(backendSlice('lb', 'a', a));
    await hasPort(proxy, `TCP/127.0.0.1:${lbPort}`);
    await until(async () => (await tryGet(lbPort)) === 'a');

    // Someone else holds this NodePort: the proxy says so instead of failing silently.
    const squatter = net.createServer();
    await new Promise<void>((r) => squatter.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise((r) => squatter.close(r)));
    const taken = (squatter.address() as net.AddressInfo).port;
    await services.create(svc('default', 'clash', { type: 'NodePort', clusterIP: '10.96.0.53', ports: [{ port: 80, nodePort: taken }] }));
    await until(() => errors.length > 0);
    expect(errors[0]).toBeInstanceOf(PortBindError);
    expect((errors[0] as PortBindError).message).toContain(`default/clash`);
    expect((errors[0] as PortBindError).port).toBe(taken);
  });

  it('relays UDP per client and carries replies back', async () => {
    const { proxy, services, slices } = await setup();
    const echo = dgram.createSocket('udp4');
    echo.on('message', (m, r) => echo.send(Buffer.concat([Buffer.from('echo:'), m]), r.port, r.address));
    await new Promise<void>((r) => echo.bind(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => echo.close(() => r())));
    const nodePort = await freePort();
    await services.create(svc('default', 'dns', { type: 'NodePort', clusterIP: '10.96.0.54', ports: [{ port: 53, nodePort, protocol: 'UDP' }] }));
    await slices.create(slice('default', 'dns', [{ port: echo.address().port, protocol: 'UDP' }], [{ ip: '127.0.0.1' }], 'dns-a'));
    await hasPort(proxy, `UDP/127.0.0.1:${nodePort}`);

    const client = dgram.createSocket('udp4');
    cleanups.push(() => new Promise<void>((r) => client.close(() => r())));
    const replies: string[] = [];
    client.on('message', (m) => replies.push(m.toString()));
    await new Promise<void>((r) => client.bind(0, '127.0.0.1', r));
    // The endpoints may land a moment after the port opens: send until answered.
    await until(() => {
      client.send('ping', nodePort, '127.0.0.1');
      return replies.length > 0;
    });
    expect(replies[0]).toBe('echo:ping');
  });
});
