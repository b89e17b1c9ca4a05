import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startKubeletServer, type KubeletServer } from './index.js';
import { echoServer, fakeHost, makePki, type FakeHost, type TestPki } from './test-fixture.js';
import { dialSpdy } from '../streaming/testing/spdy-client.js';
import { SpdyConnection } from '../streaming/spdy/index.js';
import { dialRawWebSocket } from '../streaming/testing/raw-websocket.js';

let pki: TestPki;
let host: FakeHost;
let server: KubeletServer;
let echo: Awaited<ReturnType<typeof echoServer>>;

beforeAll(async () => {
  pki = await makePki();
  echo = await echoServer();
  host = fakeHost(echo.port);
  server = await startKubeletServer({ host, port: 0, bindAddress: '127.0.0.1', tls: { certPem: pki.server.certPem, keyPem: pki.server.keyPem, caPem: pki.caPem } });
});

afterAll(async () => {
  await server?.close();
  await echo?.close();
});

interface WsSession {
  ws: WebSocket;
  /** Payloads per channel, in order (the leading channel byte removed). */
  channels: Map<number, Buffer[]>;
  closed: Promise<number>;
}

function openWs(path: string, protocols: string[]): Promise<WsSession> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`wss://127.0.0.1:${server.port}${path}`, protocols, { ca: pki.caPem, cert: pki.client.certPem, key: pki.client.keyPem });
    const channels = new Map<number, Buffer[]>();
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    ws.on('message', (data: Buffer) => {
      const list = channels.get(data[0]!) ?? [];
      list.push(data.subarray(1));
      channels.set(data[0]!, list);
    });
    ws.once('open', () => resolve({ ws, channels, closed }));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

const text = (s: WsSession, ch: number) => Buffer.concat(s.channels.get(ch) ?? []).toString();

function readAll(s: Readable): Promise<string> {
  return new Promise((resolve) => {
    let out = '';
    s.on('data', (c: Buffer) => (out += c.toString()));
    s.on('end', () => resolve(out));
  });
}

describe('exec over WebSocket', () => {
  it('v5: stdin, close signal, stdout/stderr and the exit code Status', async () => {
    const s = await openWs('/exec/default/web/app?command=upper&input=1&output=1&error=1', ['v5.channel.k8s.io', 'v4.channel.k8s.io']);
    expect(s.ws.protocol).toBe('v5.channel.k8s.io');
    s.ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('hello ')]));
    s.ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('kube')]));
    s.ws.send(Buffer.from([255, 0]));
    expect(await s.closed).toBe(1000);
    expect(text(s, 1)).toBe('HELLO KUBE');
    expect(text(s, 2)).toBe('warn');
    expect(JSON.parse(text(s, 3))).toEqual({
      metadata: {},
      status: 'Failure',
      message: 'command terminated with non-zero exit code: exit status 3',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '3' }] },
    });
    expect(host.execs.at(-1)).toMatchObject({ containerId: 'cid-1', cmd: ['upper'], stdin: true, stdout: true, stderr: true, tty: false });
  });

  it('v4: a command without stdin succeeds; the first message announces the session', async () => {
    const s = await openWs('/exec/default/web/app?command=true&output=1', ['v4.channel.k8s.io']);
    expect(s.ws.protocol).toBe('v4.channel.k8s.io');
    await s.closed;
    expect(s.channels.get(1)?.[0]?.length).toBe(0);
    expect(JSON.parse(text(s, 3))).toEqual({ metadata: {}, status: 'Success' });
  });

  it('base64 channels and v1 text errors', async () => {
    const s = await new Promise<{ msgs: string[]; closed: Promise<void> }>((resolve) => {
      const ws = new WebSocket(`wss://127.0.0.1:${server.port}/exec/default/web/app?command=fail&output=1`, ['base64.channel.k8s.io'], { ca: pki.caPem, cert: pki.client.certPem, key: pki.client.keyPem });
      const msgs: string[] = [];
      ws.on('message', (d: Buffer, isBinary) => msgs.push(isBinary ? 'binary!' : d.toString()));
      resolve({ msgs, closed: new Promise((r) => ws.once('close', () => r())) });
    });
    await s.closed;
    expect(s.msgs[0]).toBe('1');
    expect(s.msgs.at(-1)?.[0]).toBe('3');
    expect(Buffer.from(s.msgs.at(-1)!.slice(1), 'base64').toString()).toBe('Internal error occurred: error executing command in container: no such binary');
  });

  it('tty: stderr is not opened, resize events reach the runtime', async () => {
    const s = await openWs('/exec/default/web/app?command=resize&input=1&output=1&error=1&tty=1', ['v5.channel.k8s.io']);
    s.ws.send(Buffer.concat([Buffer.from([4]), Buffer.from('{"Width":80,"Height":24}')]));
    s.ws.send(Buffer.concat([Buffer.from([4]), Buffer.from('{"Width":120,"Height":40}')]));
    while (host.resizes.length < 2) await new Promise((r) => setTimeout(r, 5));
    s.ws.send(Buffer.from([255, 0]));
    await s.closed;
    expect(host.resizes.slice(-2)).toEqual([{ width: 80, height: 24 }, { width: 120, height: 40 }]);
    expect(host.execs.at(-1)).toMatchObject({ tty: true, stderr: false });
  });

  it('refuses unknown pods and unsupported subprotocols before upgrading', async () => {
    await expect(openWs('/exec/default/ghost/app?command=true&output=1', ['v5.channel.k8s.io'])).rejects.toThrow('HTTP 404');
    await expect(openWs('/exec/default/web/app?command=true&output=1', ['v9.channel.k8s.io'])).rejects.toThrow('HTTP 403');
    await expect(openWs('/exec/default/web/app?command=true', ['v5.channel.k8s.io'])).rejects.toThrow('HTTP 400');
  });

  it('attach reports Success', async () => {
    const s = await openWs('/attach/default/web/app?output=1', ['v5.channel.k8s.io']);
    await s.closed;
    expect(text(s, 1)).toBe('attached\n');
    expect(JSON.parse(text(s, 3)).status).toBe('Success');
  });
});

describe('exec over SPDY/3.1', () => {
  it('negotiates v4 from kubectl offers and runs a session on typed streams', async () => {
    const r = await dialSpdy({
      port: server.port,
      path: '/exec/default/web/app?command=upper&input=1&output=1&error=1',
      protocols: ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io'],
      tls: { ca: pki.caPem, cert: pki.client.certPem, key: pki.client.keyPem },
    });
    if (!r.ok) throw new Error(`upgrade failed: ${r.status} ${r.body}`);
    expect(r.protocol).toBe('v4.channel.k8s.io');
    // client-go's order: error first, then stdin, stdout, stderr.
    const error = await r.conn.createStream({ streamType: 'error' });
    error.end();
    const errorText = readAll(error);
    const stdin = await r.conn.createStream({ streamType: 'stdin' });
    const stdout = await r.conn.createStream({ streamType: 'stdout' });
    const stderr = await r.conn.createStream({ streamType: 'stderr' });
    const out = readAll(stdout);
    const err = readAll(stderr);
    stdin.write('spdy ');
    stdin.end('works');
    expect(await out).toBe('SPDY WORKS');
    expect(await err).toBe('warn');
    expect(JSON.parse(await errorText)).toMatchObject({ reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '3' }] } });
    await r.conn.closed;
  });

  it('answers a failed protocol negotiation with 403 and the accepted versions', async () => {
    const r = await dialSpdy({ port: server.port, path: '/exec/default/web/app?command=true&output=1', protocols: ['v9.channel.k8s.io'], tls: { ca: pki.caPem, cert: pki.client.certPem, key: pki.client.keyPem } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.status).toBe(403);
    expect(r.headers).toContain('X-Accepted-Stream-Protocol-Versions: v4.channel.k8s.io');
  });
});

/** One forwarded connection the way client-go makes it: error stream (half-closed), then data stream. */
async function forwardOnce(conn: SpdyConnection, requestId: number, port: number, payload: string) {
  const headers = { streamType: 'error', port: String(port), requestID: String(requestId) };
  const error = await conn.createStream(headers);
  error.end();
  const errorText = readAll(error);
  const data = await conn.createStream({ ...headers, streamType: 'data' });
  const reply = new Promise<string>((resolve) => {
    let got = '';
    data.on('data', (c: Buffer) => {
      got += c.toString();
      if (got.endsWith(payload)) resolve(got);
    });
    data.on('end', () => resolve(got));
  });
  data.write(payload);
  const echoed = await reply;
  data.end();
  return { echoed, error: await errorText, data };
}

async function twoConcurrentForwards(conn: SpdyConnection) {
  const [a, b] = await Promise.all([forwardOnce(conn, 0, 8080, 'alpha'), forwardOnce(conn, 1, 8080, 'beta')]);
  expect([a.echoed, b.echoed].map((s) => s.replace(/^\[\d+\]/, '')).sort()).toEqual(['alpha', 'beta']);
  const connId = (t: string) => /^\[(\d+)\]/.exec(t)?.[1];
  expect(connId(a.echoed)).not.toBe(connId(b.echoed)); // two distinct TCP connections to the pod
  expect([a.error, b.error]).toEqual(['', '']);
  const failed = await forwardOnce(conn, 2, 1, 'x');
  expect(failed.error).toBe('error forwarding port 1 to pod web, uid : connection refused');
}

describe('port-forward', () => {
  it('SPDY/3.1 with two concurrent connections and a failing port', async () => {
    const r = await dialSpdy({ port: server.port, path: '/portForward/default/web', protocols: ['portforward.k8s.io'], tls: { ca: pki.caPem, cert: pki.client.certPem, key: pki.client.keyPem } });
    if (!r.ok) throw new Error(`upgrade failed: ${r.status} ${r.body}`);
    expect(r.protocol).toBe('portforward.k8s.io');
    await twoConcurrentForwards(r.conn);
    await r.conn.close();
  });

  it('SPDY tunneled in WebSocket (SPDY/3.1+portforward.k8s.io, as kubectl 1.30+)', async () => {
    // ws's client refuses this subprotocol name like its server does; dial with a raw client instead.
    const tunnel = await dialRawWebSocket({
      port: server.port,
      path: '/portForward/default/web',
      protocol: 'SPDY/3.1+portforward.k8s.io',
      tls: { ca: pki.caPem, cert: pki.client.certPem, key: pki.client.keyPem },
    });
    expect(tunnel.protocol).toBe('SPDY/3.1+portforward.k8s.io');
    const conn = new SpdyConnection(tunnel.stream, { server: false });
    await conn.ping();
    await twoConcurrentForwards(conn);
    await conn.close();
  });

  it('WebSocket channels with the port prefix (client-node style)', async () => {
    const s = await openWs(`/portForward/default/web?ports=8080`, ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'channel.k8s.io']);
    expect(s.ws.protocol).toBe('v4.channel.k8s.io');
    s.ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('ping')]));
    while (!text(s, 0).includes('ping')) await new Promise((r) => setTimeout(r, 5));
    const prefix = Buffer.alloc(2);
    prefix.writeUInt16LE(8080);
    expect(s.channels.get(0)?.[0]).toEqual(prefix);
    expect(s.channels.get(1)?.[0]).toEqual(prefix);
    expect(text(s, 0).slice(2)).toMatch(/^\[\d+\]ping$/);
    s.ws.close();
    await s.closed;
  });

  it('404 for a pod that is not here', async () => {
    const r = await dialSpdy({ port: server.port, path: '/portForward/default/ghost', protocols: ['portforward.k8s.io'], tls: { ca: pki.caPem, cert: pki.client.certPem, key: pki.client.keyPem } });
    expect(r.ok ? 101 : r.status).toBe(404);
  });
});

describe('upgrades without credentials', () => {
  it('get 401', async () => {
    const r = await dialSpdy({ port: server.port, path: '/portForward/default/web', protocols: ['portforward.k8s.io'], tls: { ca: pki.caPem } });
    expect(r.ok ? 101 : r.status).toBe(401);
  });
});

