import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeletServer, type KubeletServer } from './index.js';
import { echoServer, fakeHost, makePki, type FakeHost, type TestPki } from './test-fixture.js';

let pki: TestPki;
let host: FakeHost;
let server: KubeletServer;
let echo: Awaited<ReturnType<typeof echoServer>>;
const NOW = Date.parse('2024-05-01T12:00:00Z');

beforeAll(async () => {
  pki = await makePki();
  echo = await echoServer();
  host = fakeHost(echo.port);
  server = await startKubeletServer({
    host,
    port: 0,
    bindAddress: '127.0.0.1',
    tls: { certPem: pki.server.certPem, keyPem: pki.server.keyPem, caPem: pki.caPem },
    clock: { now: () => NOW },
  });
});

afterAll(async () => {
  await server?.close();
  await echo?.close();
});

function get(path: string, cert: { certPem: string; keyPem: string } | null = pki.client): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.get(
      { host: '127.0.0.1', port: server.port, path, ca: pki.caPem, cert: cert?.certPem, key: cert?.keyPem, agent: false },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, type: String(res.headers['content-type']), body }));
      },
    );
    req.on('error', reject);
  });
}

describe('node server over HTTPS', () => {
  it('serves /healthz to anyone', async () => {
    expect(await get('/healthz', null)).toMatchObject({ status: 200, body: 'ok' });
  });

  it('refuses requests without a client certificate from the cluster CA', async () => {
    for (const cert of [null, pki.stranger]) {
      const res = await get('/stats/summary', cert);
      expect(res.status).toBe(401);
      expect(JSON.parse(res.body)).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Unauthorized', code: 401 });
    }
  });

  it('serves the stats summary and metrics', async () => {
    const stats = await get('/stats/summary');
    expect(stats.status).toBe(200);
    expect(JSON.parse(stats.body).node.nodeName).toBe('node-1');
    const metrics = await get('/metrics');
    expect(metrics).toMatchObject({ status: 200, type: 'text/plain; version=0.0.4', body: 'kubelet_running_pods 1\n' });
  });

  it('answers unknown paths and unknown pods with a Status', async () => {
    expect((await get('/nope')).status).toBe(404);
    const res = await get('/containerLogs/default/ghost/app');
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body)).toMatchObject({ reason: 'NotFound', message: 'pods "ghost" not found', code: 404 });
  });

  it('returns container logs with the query applied, and rejects bad queries', async () => {
    const res = await get('/containerLogs/default/web/app?tailLines=5');
    expect(res).toMatchObject({ status: 200, type: 'text/plain', body: 'first line tail=5\n' });
    const bad = await get('/containerLogs/default/web/app?sinceSeconds=5&sinceTime=2024-01-01T00:00:00Z');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).message).toMatch(/at most one of/);
  });

  it('streams followed logs as they are written, until the client leaves', async () => {
    const lines: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const req = https.get(
        { host: '127.0.0.1', port: server.port, path: '/containerLogs/default/web/app?follow=true', ca: pki.caPem, cert: pki.client.certPem, key: pki.client.keyPem, agent: false },
        (res) => {
          expect(res.headers['transfer-encoding']).toBe('chunked');
          res.on('data', (c: Buffer) => {
            lines.push(c.toString());
            const text = lines.join('');
            if (text === 'first line\n') host.logLines.write('second line\n');
            if (text === 'first line\nsecond line\n') {
              req.destroy();
              resolve();
            }
          });
        },
      );
      req.on('error', (e) => (lines.join('').includes('second') ? resolve() : reject(e)));
    });
    expect(lines.join('')).toBe('first line\nsecond line\n');
  });

  it('rejects a stream request that is not an upgrade', async () => {
    const res = await get('/exec/default/web/app?command=ls&output=1');
    expect(res.status).toBe(400);
  });
});
