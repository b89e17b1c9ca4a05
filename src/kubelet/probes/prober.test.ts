import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
import type { Container } from 'kubernetes-types/core/v1.js';
import { runProbe, resolvePort } from './prober.js';

let web: http.Server;
let webPort: number;
let seenHeaders: http.IncomingHttpHeaders = {};
let closedPort: number;

beforeAll(async () => {
  web = http.createServer((req, res) => {
    seenHeaders = req.headers;
    res.statusCode = req.url === '/healthz' ? 200 : req.url === '/redirect' ? 302 : 500;
    res.end('body');
  });
  await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
  webPort = (web.address() as AddressInfo).port;
  const s: Server = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  closedPort = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
});
afterAll(() => new Promise<void>((r) => web.close(() => r())));

const container = (): Container => ({ name: 'c', image: 'x', ports: [{ name: 'http', containerPort: webPort }] });
const target = (exitCode = 0) => ({
  podIP: '127.0.0.1', container: container(),
  execSync: async () => ({ exitCode, stdout: Buffer.from('out '), stderr: Buffer.from('err') }),
});

describe('runProbe', () => {
  it('exec: succeeds on exit 0 and reports output on failure', async () => {
    expect((await runProbe({ exec: { command: ['x'] } }, target(0))).result).toBe('success');
    expect(await runProbe({ exec: { command: ['x'] } }, target(1))).toEqual({ result: 'failure', output: 'out err' });
  });

  it('httpGet: 2xx/3xx succeed, others fail with upstream wording; named ports and headers', async () => {
    expect((await runProbe({ httpGet: { path: '/healthz', port: 'http', httpHeaders: [{ name: 'X-Probe', value: 'yes' }] } }, target())).result).toBe('success');
    expect(seenHeaders['user-agent']).toBe('kube-probe/1.35');
    expect(seenHeaders['x-probe']).toBe('yes');
    expect((await runProbe({ httpGet: { path: '/redirect', port: webPort } }, target())).result).toBe('success');
    expect(await runProbe({ httpGet: { path: '/bad', port: webPort } }, target())).toEqual({ result: 'failure', output: 'HTTP probe failed with statuscode: 500' });
    const refused = await runProbe({ httpGet: { path: '/', port: closedPort } }, target());
    expect(refused.result).toBe('failure');
    expect(refused.output).toContain('connect: connection refused');
  });

  it('tcpSocket: succeeds when a connection opens', async () => {
    expect((await runProbe({ tcpSocket: { port: webPort } }, target())).result).toBe('success');
    expect(await runProbe({ tcpSocket: { port: closedPort } }, target())).toEqual({ result: 'failure', output: `dial tcp 127.0.0.1:${closedPort}: connect: connection refused` });
  });

  it('resolves named ports and rejects unknown ones', () => {
    expect(resolvePort('http', container())).toBe(webPort);
    expect(resolvePort(8080, container())).toBe(8080);
    expect(() => resolvePort('nope', container())).toThrow(/couldn't find port: nope/);
  });
});
