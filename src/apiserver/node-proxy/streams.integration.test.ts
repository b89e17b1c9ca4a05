import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startNodeProxyCluster, type NodeProxyCluster } from './testing/harness.js';

let c: NodeProxyCluster;

beforeAll(async () => {
  c = await startNodeProxyCluster();
  await c.createPod('web', { nodeName: 'node-1', containers: [{ name: 'app', image: 'busybox' }] }, { phase: 'Running' });
  await c.createPod('done', { nodeName: 'node-1', containers: [{ name: 'app', image: 'busybox' }] }, { phase: 'Succeeded' });
  await c.createPod('pending', { containers: [{ name: 'app', image: 'busybox' }] });
});
afterAll(async () => c?.stop());

function wsUrl(path: string): string {
  return c.server.url.replace(/^https/, 'wss') + path;
}

/** Opens a WebSocket as kubectl does; resolves once open, or rejects with the HTTP status. */
function openWs(path: string, withCert = true): Promise<WebSocket> {
  const creds = withCert ? c.tls : { ca: c.tls.ca };
  const ws = new WebSocket(wsUrl(path), ['v5.channel.k8s.io', 'v4.channel.k8s.io'], creds);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d));
      res.on('end', () => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode, body })));
    });
    ws.once('error', reject);
  });
}

describe('pods/exec and pods/attach over WebSocket', () => {
  it('proxies the upgrade to the kubelet and relays frames byte for byte both ways', async () => {
    const ws = await openWs('/api/v1/namespaces/default/pods/web/exec?command=sh&command=-c&command=echo%20hi&stdin=true&stdout=true&stderr=true');
    expect(ws.protocol).toBe('v5.channel.k8s.io');
    const frame = Buffer.from([0, 0xff, 0x00, 0x41, 0x42]);
    const got = new Promise<Buffer>((r) => ws.once('message', (d: Buffer) => r(d)));
    ws.send(frame);
    expect([...(await got)]).toEqual([1, ...frame]);
    const seen = c.kubelet.seen.at(-1)!;
    expect(seen.method).toBe('GET');
    expect(seen.url).toBe('/exec/default/web/app?command=sh&command=-c&command=echo+hi&error=1&input=1&output=1');
    expect(seen.headers['sec-websocket-protocol']).toBe('v5.channel.k8s.io,v4.channel.k8s.io');
    expect(seen.headers.authorization).toBeUndefined();
    expect(seen.clientCn).toBe('kube-apiserver-kubelet-client');
    const closed = new Promise((r) => ws.once('close', r));
    ws.close();
    await closed;
  });

  it('attach goes to the kubelet attach path with tty', async () => {
    const ws = await openWs('/api/v1/namespaces/default/pods/web/attach?container=app&stdin=true&stdout=true&tty=true');
    expect(c.kubelet.seen.at(-1)!.url).toBe('/attach/default/web/app?input=1&output=1&tty=1');
    ws.terminate();
  });

  it.each([
    ['a completed pod', '/api/v1/namespaces/default/pods/done/exec?command=ls', 400, 'cannot exec into a container in a completed pod; current phase is Succeeded'],
    ['no command', '/api/v1/namespaces/default/pods/web/exec?stdout=true', 400, 'you must specify at least one command for the container'],
    ['an unscheduled pod', '/api/v1/namespaces/default/pods/pending/exec?command=ls', 400, 'pod pending does not have a host assigned'],
    ['an unknown container', '/api/v1/namespaces/default/pods/web/exec?command=ls&container=x', 400, 'container x is not valid for pod web'],
  ])('refuses %s before upgrading', async (_name, path, status, message) => {
    const err = await openWs(path).then(() => undefined, (e) => e as { status: number; body: string });
    expect(err?.status).toBe(status);
    expect(JSON.parse(err!.body).message).toBe(message);
  });

  it('refuses a client without a certificate with 401', async () => {
    const err = await openWs('/api/v1/namespaces/default/pods/web/exec?command=ls', false).then(() => undefined, (e) => e as { status: number });
    expect(err?.status).toBe(401);
  });

  it('answers a request without an upgrade with 400 "Upgrade request required"', async () => {
    for (const method of ['GET', 'POST']) {
      const r = await c.call(method, '/api/v1/namespaces/default/pods/web/exec?command=ls', { body: '' });
      expect(r.status).toBe(400);
      expect(r.json()).toMatchObject({ reason: 'BadRequest', message: 'Upgrade request required' });
    }
  });
});

/** A raw HTTP/1.1 upgrade over TLS, as client-go's SPDY round tripper sends it. */
async function rawUpgrade(path: string): Promise<{ head: string; socket: tls.TLSSocket; rest: Buffer }> {
  const u = new URL(c.server.url);
  const socket = tls.connect({ host: u.hostname, port: Number(u.port), ...c.tls, ALPNProtocols: ['http/1.1'] });
  await new Promise((r) => socket.once('secureConnect', r));
  socket.write(`POST ${path} HTTP/1.1\r\nHost: ${u.host}\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: portforward.k8s.io\r\nContent-Length: 0\r\n\r\n`);
  let buf = Buffer.alloc(0);
  for (;;) {
    const chunk: Buffer = await new Promise((r) => socket.once('data', r));
    buf = Buffer.concat([buf, chunk]);
    const end = buf.indexOf('\r\n\r\n');
    if (end >= 0) return { head: buf.subarray(0, end).toString(), socket, rest: buf.subarray(end + 4) };
  }
}

describe('pods/portforward', () => {
  it('proxies a SPDY upgrade and pipes raw bytes both ways', async () => {
    const { head, socket } = await rawUpgrade('/api/v1/namespaces/default/pods/web/portforward?ports=8080&ports=9090');
    expect(head.split('\r\n')[0]).toBe('HTTP/1.1 101 Switching Protocols');
    expect(head).toContain('X-Stream-Protocol-Version: portforward.k8s.io');
    const seen = c.kubelet.seen.at(-1)!;
    expect(seen.method).toBe('POST');
    expect(seen.url).toBe('/portForward/default/web?port=8080%2C9090');
    expect(seen.headers['x-stream-protocol-version']).toBe('portforward.k8s.io');
    const payload = Buffer.from([0x80, 0x03, 0x00, 0x01, 0xde, 0xad, 0xbe, 0xef]);
    const echoed = new Promise<Buffer>((r) => socket.once('data', r));
    socket.write(payload);
    expect([...(await echoed)]).toEqual([...payload]);
    const closed = new Promise((r) => socket.once('close', r));
    socket.end();
    await closed;
  });

  it('answers errors on the raw connection as a Status and closes it', async () => {
    const { head, socket, rest } = await rawUpgrade('/api/v1/namespaces/default/pods/ghost/portforward');
    expect(head.split('\r\n')[0]).toBe('HTTP/1.1 404 Not Found');
    let body = rest.toString();
    socket.on('data', (d: Buffer) => (body += d));
    await new Promise((r) => socket.once('close', r));
    expect(JSON.parse(body).message).toBe('pods "ghost" not found');
  });
});
