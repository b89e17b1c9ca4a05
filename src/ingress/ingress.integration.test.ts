// The ingress controller against a real in-process API server, with local HTTP servers standing
// for the Services' endpoints (EndpointSlices written by the test; no endpointslice controller
// runs). Everything listens on 127.0.0.1.
import { createServer, request, Agent, type IncomingHttpHeaders, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { resources, type RestClient } from '../client/index.js';
import { eventually, startTestCluster, type TestCluster } from '../controllers/testing/cluster.js';
import { startIngressController, type RunningIngressController } from './ingress-controller.js';
import { FALLBACK_CERT_CN, selfSignedCertificate } from './self-signed.js';

const NS = 'web';
let cluster: TestCluster;
let admin: RestClient;
let ctl: RunningIngressController;
const backends: Server[] = [];
const port: Record<string, number> = {};
let tlsCertCN: string;

/** An HTTP server answering with its name and what it received; a WebSocket echo on /ws. */
async function backend(name: string): Promise<number> {
  const server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ name, url: req.url, headers: req.headers }));
  });
  const wss = new WebSocketServer({ server, path: '/ws' });
  wss.on('connection', (ws, req) => ws.on('message', (m) => ws.send(`${name}:${req.headers['x-forwarded-proto']}:${m}`)));
  backends.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

function slice(name: string, service: string, portName: string, p: number, ready = true): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { name, labels: { 'kubernetes.io/service-name': service } },
    addressType: 'IPv4',
    ports: [{ name: portName, port: p, protocol: 'TCP' }],
    endpoints: [{ addresses: ['127.0.0.1'], conditions: { ready } }],
  };
}

interface Answer { status: number; headers: IncomingHttpHeaders; body: string; reused: boolean }

function get(host: string, path: string, o: { agent?: Agent } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: ctl.httpPort, path, headers: { host: `${host}:${ctl.httpPort}` }, agent: o.agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, reused: req.reusedSocket }));
    });
    req.on('error', reject);
    req.end();
  });
}

function getTls(servername: string, path: string): Promise<Answer & { cn: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', port: ctl.httpsPort, path, servername, headers: { host: servername }, rejectUnauthorized: false, agent: false }, (res) => {
      const cn = String((res.socket as TLSSocket).getPeerCertificate().subject?.CN ?? '');
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, reused: false, cn }));
    });
    req.on('error', reject);
    req.end();
  });
}

const nameOf = (a: Answer) => (JSON.parse(a.body) as { name: string }).name;

beforeAll(async () => {
  cluster = await startTestCluster();
  admin = cluster.admin;
  port.a1 = await backend('a1');
  port.a2 = await backend('a2');
  port.b = await backend('b');
  await admin.resource(resources.namespaces).create({ metadata: { name: NS } });
  const svcs = admin.resource(resources.services).namespace(NS);
  await svcs.create({ metadata: { name: 'svc-a' }, spec: { ports: [{ name: 'http', port: 80, targetPort: 'web' }] } });
  await svcs.create({ metadata: { name: 'svc-b' }, spec: { ports: [{ name: 'main', port: 80 }] } });
  await svcs.create({ metadata: { name: 'svc-empty' }, spec: { ports: [{ port: 80 }] } });
  const slices = admin.resource(resources.endpointSlices).namespace(NS);
  // svc-a's pods name their target port "web" on different numbers: one slice per number.
  await slices.create(slice('svc-a-1', 'svc-a', 'http', port.a1));
  await slices.create(slice('svc-a-2', 'svc-a', 'http', port.a2));
  await slices.create(slice('svc-b-1', 'svc-b', 'main', port.b));
  await slices.create(slice('svc-empty-1', 'svc-empty', '', 9, false));

  const cert = await selfSignedCertificate({ commonName: 'secure.example.com', dnsNames: ['secure.example.com', '*.wild.example.com'] });
  tlsCertCN = 'secure.example.com';
  await admin.resource(resources.secrets).namespace(NS).create({
    metadata: { name: 'tls' }, type: 'kubernetes.io/tls',
    data: { 'tls.crt': Buffer.from(cert.certPem).toString('base64'), 'tls.key': Buffer.from(cert.keyPem).toString('base64') },
  });
  const svc = (name: string, p: { name?: string; number?: number }) => ({ service: { name, port: p } });
  await admin.resource(resources.ingresses).namespace(NS).create({
    metadata: { name: 'web' },
    spec: {
      tls: [{ hosts: ['secure.example.com', '*.wild.example.com'], secretName: 'tls' }],
      rules: [
        { host: 'a.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: svc('svc-a', { name: 'http' }) }] } },
        { host: 'b.example.com', http: { paths: [
          { path: '/api', pathType: 'Prefix', backend: svc('svc-b', { number: 80 }) },
          { path: '/exact', pathType: 'Exact', backend: svc('svc-a', { number: 80 }) },
        ] } },
        { host: 'secure.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: svc('svc-b', { name: 'main' }) }] } },
        { host: 'empty.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: svc('svc-empty', { number: 80 }) }] } },
      ],
    },
  });
  await admin.resource(resources.ingresses).namespace(NS).create({
    metadata: { name: 'not-ours' },
    spec: { ingressClassName: 'nginx', rules: [{ host: 'c.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: svc('svc-b', { number: 80 }) }] } }] },
  });
  ctl = await startIngressController({ client: admin, nodeName: 'node-1', nodeIPs: ['127.0.0.1'], httpPort: 0, httpsPort: 0, bindAddress: '127.0.0.1', onError: () => {} });
}, 30_000);

afterAll(async () => {
  await ctl?.close();
  await Promise.all(backends.map((s) => new Promise((r) => { s.closeAllConnections(); s.close(r); })));
  await cluster?.stop();
});

describe('ingress controller', () => {
  it('creates the default IngressClass k8ts', async () => {
    const cls = await admin.resource(resources.ingressClasses).get('k8ts');
    expect(cls.spec?.controller).toBe('k8ts.io/ingress');
    expect(cls.metadata?.annotations?.['ingressclass.kubernetes.io/is-default-class']).toBe('true');
  });

  it('routes two hosts and paths to two Services, round-robin over the endpoints', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 4; i++) seen.add(nameOf(await get('a.example.com', '/anything')));
    expect([...seen].sort()).toEqual(['a1', 'a2']);
    expect(nameOf(await get('b.example.com', '/api/v1?x=1'))).toBe('b');
    expect(JSON.parse((await get('b.example.com', '/api/v1?x=1')).body).url).toBe('/api/v1?x=1');
    expect(['a1', 'a2']).toContain(nameOf(await get('b.example.com', '/exact')));
  });

  it('answers 404 when no rule matches and 503 without ready endpoints', async () => {
    const miss = await get('b.example.com', '/apix');
    expect(miss.status).toBe(404);
    expect(miss.body).toContain('404 Not Found');
    expect((await get('unknown.example.com', '/')).status).toBe(404);
    expect((await get('c.example.com', '/')).status).toBe(404); // another class's Ingress
    expect((await get('empty.example.com', '/')).status).toBe(503);
  });

  it('sets the X-Forwarded headers and keeps the client connection alive', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await get('b.example.com', '/api', { agent });
      const h = (JSON.parse(first.body) as { headers: IncomingHttpHeaders }).headers;
      expect(h).toMatchObject({
        host: `b.example.com:${ctl.httpPort}`, 'x-forwarded-for': '127.0.0.1', 'x-forwarded-proto': 'http',
        'x-forwarded-host': `b.example.com:${ctl.httpPort}`, 'x-forwarded-port': String(ctl.httpPort),
      });
      const second = await get('b.example.com', '/api', { agent });
      expect(second.reused).toBe(true);
    } finally {
      agent.destroy();
    }
  });

  it('serves HTTPS with the TLS Secret chosen by SNI, else the fallback certificate', async () => {
    const secure = await getTls('secure.example.com', '/');
    expect(secure.cn).toBe(tlsCertCN);
    expect(nameOf(secure)).toBe('b');
    expect(JSON.parse(secure.body).headers['x-forwarded-proto']).toBe('https');
    expect((await getTls('x.wild.example.com', '/')).cn).toBe(tlsCertCN);
    const other = await getTls('a.example.com', '/');
    expect(other.cn).toBe(FALLBACK_CERT_CN);
    expect(['a1', 'a2']).toContain(nameOf(other));
  });

  it('passes a WebSocket upgrade through', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${ctl.httpPort}/ws`, { headers: { host: 'a.example.com' } });
    const reply = await new Promise<string>((resolve, reject) => {
      ws.on('open', () => ws.send('hello'));
      ws.on('message', (m) => resolve(String(m)));
      ws.on('error', reject);
    });
    ws.close();
    expect(reply).toMatch(/^a[12]:http:hello$/);
  });

  it('follows endpoint readiness', async () => {
    const slices = admin.resource(resources.endpointSlices).namespace(NS);
    const s = await slices.get('svc-b-1');
    await slices.update({ ...s, endpoints: [{ addresses: ['127.0.0.1'], conditions: { ready: false } }] });
    await eventually(async () => (await get('b.example.com', '/api')).status === 503);
    await slices.update({ ...(await slices.get('svc-b-1')), endpoints: [{ addresses: ['127.0.0.1'], conditions: { ready: true } }] });
    await eventually(async () => (await get('b.example.com', '/api')).status === 200);
  });

  it('puts the node IPs in the status of the Ingresses it serves and takes them out when it stops', async () => {
    const ings = admin.resource(resources.ingresses).namespace(NS);
    const st = await eventually(async () => (await ings.get('web')).status?.loadBalancer?.ingress);
    expect(st).toEqual([{ ip: '127.0.0.1' }]);
    expect((await ings.get('not-ours')).status?.loadBalancer?.ingress ?? []).toEqual([]);
    // A second agent adds its IP to the union.
    const other = await startIngressController({ client: admin, nodeName: 'node-2', nodeIPs: ['127.0.0.2'], httpPort: 0, httpsPort: 0, bindAddress: '127.0.0.1', onError: () => {} });
    await eventually(async () => (await ings.get('web')).status?.loadBalancer?.ingress?.length === 2);
    await other.close();
    expect((await ings.get('web')).status?.loadBalancer?.ingress).toEqual([{ ip: '127.0.0.1' }]);
  });
});
