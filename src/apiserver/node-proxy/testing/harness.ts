// A real API server (memory store) with one node whose kubelet is a FakeKubelet, and an HTTPS
// client acting as the admin, for the node-proxy and metrics API integration tests.
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer, type RunningApiServer } from '../../api-server.js';
import { startFakeKubelet, type FakeKubelet } from './fake-kubelet.js';

export interface HttpAnswer {
  status: number;
  headers: IncomingMessage['headers'];
  text: string;
  json(): any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface NodeProxyCluster {
  server: RunningApiServer;
  kubelet: FakeKubelet;
  dataDir: string;
  /** The admin's TLS options (for ws / raw TLS clients). */
  tls: { ca: string; cert: string; key: string };
  /** Starts a request as the admin; resolves with the response head. */
  open(method: string, path: string, opts?: { headers?: Record<string, string>; body?: string }): Promise<IncomingMessage>;
  call(method: string, path: string, opts?: { headers?: Record<string, string>; body?: string }): Promise<HttpAnswer>;
  createPod(name: string, spec: Record<string, unknown>, extra?: { phase?: string; annotations?: Record<string, string>; labels?: Record<string, string> }): Promise<void>;
  addNode(name: string, status: Record<string, unknown>, labels?: Record<string, string>): Promise<void>;
  stop(): Promise<void>;
}

export async function readAll(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startNodeProxyCluster(): Promise<NodeProxyCluster> {
  const dataDir = mkdtempSync(join(tmpdir(), 'k8ts-nodeproxy-'));
  const server = await startApiServer({ dataDir, bindAddress: '127.0.0.1', port: 0, datastoreEndpoint: 'memory://' });
  const kubelet = await startFakeKubelet(server.pki);
  const tls = { ca: server.pki.ca.certPem, cert: server.pki.admin.certPem, key: server.pki.admin.keyPem };
  const open: NodeProxyCluster['open'] = (method, path, opts = {}) =>
    new Promise((resolve, reject) => {
      const req = https.request(`${server.url}${path}`, { method, ...tls, agent: false, headers: { accept: 'application/json', ...opts.headers } }, resolve);
      req.on('error', reject);
      req.end(opts.body);
    });
  const call: NodeProxyCluster['call'] = async (method, path, opts) => {
    const res = await open(method, path, opts);
    const text = await readAll(res);
    return { status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) };
  };
  const must = async (a: Promise<HttpAnswer>) => {
    const r = await a;
    if (r.status >= 300) throw new Error(`${r.status}: ${r.text}`);
    return r;
  };
  const c: NodeProxyCluster = {
    server, kubelet, dataDir, tls, open, call,
    async addNode(name, status, labels) {
      await must(call('POST', '/api/v1/nodes', { body: JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels } }) }));
      await must(call('PATCH', `/api/v1/nodes/${name}/status`, { headers: { 'content-type': 'application/merge-patch+json' }, body: JSON.stringify({ status }) }));
    },
    async createPod(name, spec, extra = {}) {
      const metadata = { name, namespace: 'default', annotations: extra.annotations, labels: extra.labels };
      await must(call('POST', '/api/v1/namespaces/default/pods', { body: JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata, spec }) }));
      if (extra.phase) {
        await must(call('PATCH', `/api/v1/namespaces/default/pods/${name}/status`, { headers: { 'content-type': 'application/merge-patch+json' }, body: JSON.stringify({ status: { phase: extra.phase } }) }));
      }
    },
    async stop() {
      await kubelet.close();
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  await c.addNode('node-1', { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: 'node-1' }], daemonEndpoints: { kubeletEndpoint: { Port: kubelet.port } } });
  return c;
}
