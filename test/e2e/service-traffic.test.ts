// Traffic end to end with the real kubectl, the process runtime and the agent's node components:
// two pods behind a Service answer through the proxy (NodePort always; ClusterIP as root, in
// iptables mode), only while ready; the cluster DNS answers for the service, headless pods and
// SRV; an Ingress routes two hosts to two services, also over HTTPS with a TLS secret; a
// LoadBalancer service gets the node's IP and answers there. Only this suite runs the node
// components (they own host ports and, as root, iptables chains).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import http from 'node:http';
import https from 'node:https';
import { promises as dns } from 'node:dns';
import { startServer, kubectl, cleanup, haveKubectl, freePort, until, type ServerHandle } from './harness.js';

const isRoot = process.getuid?.() === 0;
const haveIptables = (() => {
  try {
    execFileSync('sh', ['-c', 'command -v iptables-restore && command -v ip'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const iptablesMode = isRoot && haveIptables;

function get(url: string, opts: { host?: string; servername?: string; ca?: string } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const mod = u.protocol === 'https:' ? https : http;
    const req = mod.request(url, {
      agent: false, timeout: 5_000,
      headers: opts.host ? { host: opts.host } : {},
      ...(u.protocol === 'https:' ? { servername: opts.servername, ca: opts.ca, rejectUnauthorized: !!opts.ca } : {}),
    }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/** A pod running a tiny HTTP server on `port` that answers `<name>`, ready while `flag` exists. */
function webPod(name: string, app: string, port: number, flag: string): string {
  return `apiVersion: v1
kind: Pod
metadata: {name: ${name}, labels: {app: ${app}}}
spec:
  containers:
  - name: web
    image: node
    command: ["${process.execPath}", "-e", "require('http').createServer((q,s)=>s.end('${name}')).listen(${port})"]
    ports: [{name: http, containerPort: ${port}}]
    readinessProbe: {exec: {command: ["test", "-f", "${flag}"]}, periodSeconds: 1}
`;
}

// The userspace mode always; the iptables mode too when root with iptables installed.
for (const mode of iptablesMode ? ['userspace', 'iptables'] as const : ['userspace'] as const) {
describe.skipIf(!haveKubectl())(`service traffic (proxy ${mode} mode)`, () => {
  let s: ServerHandle;
  let work: string;
  let nodeIP: string;
  let dnsPort: number;
  let httpPort: number;
  let httpsPort: number;
  const k = (...args: string[]) => kubectl(s, args, { timeoutMs: 60_000 });
  const json = async (...args: string[]) => JSON.parse((await k(...args, '-o', 'json')).stdout);
  const apply = async (yaml: string) => {
    const r = await kubectl(s, ['apply', '-f', '-'], { input: yaml });
    expect(r.code, r.stderr).toBe(0);
  };
  const resolver = () => {
    const r = new dns.Resolver();
    r.setServers([`${nodeIP}:${dnsPort}`]);
    return r;
  };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'k8ts-svc-e2e-'));
    [dnsPort, httpPort, httpsPort] = [await freePort(), await freePort(), await freePort()];
    s = await startServer({
      datastore: 'memory://', agent: true, nodeServices: true,
      extraArgs: ['--kubelet-port', String(await freePort()), '--cluster-dns-port', String(dnsPort), '--ingress-http-port', String(httpPort), '--ingress-https-port', String(httpsPort),
        '--proxy-mode', mode],
    });
    const node = await until(async () => (await json('get', 'nodes')).items[0], 'the node');
    nodeIP = node.status.addresses.find((a: { type: string }) => a.type === 'InternalIP').address;
    const [pa, pb, pc] = [await freePort(), await freePort(), await freePort()];
    for (const f of ['a', 'b', 'c']) writeFileSync(join(work, `ready-${f}`), '');
    await apply([webPod('web-a', 'web', pa, join(work, 'ready-a')), webPod('web-b', 'web', pb, join(work, 'ready-b')), webPod('api-c', 'api', pc, join(work, 'ready-c'))].join('---\n'));
    await apply(`apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: v1
kind: Service
metadata: {name: api}
spec:
  selector: {app: api}
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: v1
kind: Service
metadata: {name: web-headless}
spec:
  clusterIP: None
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
`);
    for (const p of ['web-a', 'web-b', 'api-c']) {
      const r = await k('wait', '--for=condition=Ready', `pod/${p}`, '--timeout=60s');
      expect(r.code, r.stderr).toBe(0);
    }
  }, 120_000);
  afterAll(async () => {
    await s?.stop();
    if (s) cleanup(s);
    rmSync(work, { recursive: true, force: true });
  });

  it('spreads NodePort traffic over both ready pods, and only over ready ones', async () => {
    const svc = await json('get', 'svc', 'web');
    const url = `http://${nodeIP}:${svc.spec.ports[0].nodePort}/`;
    const seen = await until(async () => {
      const set = new Set<string>();
      for (let i = 0; i < 20; i++) set.add((await get(url)).body);
      return set.size === 2 ? set : undefined;
    }, 'both pods answering');
    expect([...seen].sort()).toEqual(['web-a', 'web-b']);
    rmSync(join(work, 'ready-b'));
    await until(async () => {
      const slices = await json('get', 'endpointslices', '-l', 'kubernetes.io/service-name=web');
      const eps = slices.items.flatMap((x: { endpoints?: { conditions: { ready: boolean } }[] }) => x.endpoints ?? []);
      return eps.filter((e: { conditions: { ready: boolean } }) => e.conditions.ready).length === 1;
    }, 'the unready pod leaving the ready endpoints');
    await until(async () => {
      for (let i = 0; i < 10; i++) if ((await get(url)).body !== 'web-a') return undefined;
      return true;
    }, 'traffic only to the ready pod');
    writeFileSync(join(work, 'ready-b'), '');
    await until(async () => {
      const set = new Set<string>();
      for (let i = 0; i < 20; i++) set.add((await get(url)).body);
      return set.size === 2;
    }, 'the pod back in rotation');
  });

  it.skipIf(mode !== 'iptables')('answers on the ClusterIP (iptables mode)', async () => {
    const svc = await json('get', 'svc', 'api');
    const r = await until(async () => get(`http://${svc.spec.clusterIP}/`).catch(() => undefined), 'the ClusterIP');
    expect(r.body).toBe('api-c');
  });

  it('resolves services, headless pods and SRV records through the cluster DNS', async () => {
    const svc = await json('get', 'svc', 'web');
    const r = resolver();
    expect(await r.resolve4('web.default.svc.cluster.local')).toEqual([svc.spec.clusterIP]);
    const headless = await r.resolve4('web-headless.default.svc.cluster.local');
    expect(headless.length).toBeGreaterThanOrEqual(1);
    expect(new Set(headless)).toEqual(new Set([nodeIP]));
    const srv = await r.resolveSrv('_http._tcp.web.default.svc.cluster.local');
    expect(srv).toEqual([expect.objectContaining({ name: 'web.default.svc.cluster.local', port: 80 })]);
    await expect(r.resolve4('nope.default.svc.cluster.local')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    const kubeDns = await json('get', 'svc', '-n', 'kube-system', 'kube-dns');
    expect(kubeDns.spec.clusterIP).toBe('10.96.0.10');
  });

  it('routes two hosts to two services through the ingress, also over HTTPS', async () => {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=web.example.test',
      '-addext', 'subjectAltName=DNS:web.example.test', '-keyout', join(work, 'tls.key'), '-out', join(work, 'tls.crt')], { stdio: 'ignore' });
    expect((await k('create', 'secret', 'tls', 'web-tls', '--cert', join(work, 'tls.crt'), '--key', join(work, 'tls.key'))).code).toBe(0);
    await apply(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: two-hosts}
spec:
  tls: [{hosts: [web.example.test], secretName: web-tls}]
  rules:
  - host: web.example.test
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {name: http}}}}]}
  - host: api.example.test
    http: {paths: [{path: /v1, pathType: Prefix, backend: {service: {name: api, port: {number: 80}}}}]}
`);
    const web = await until(async () => {
      const r = await get(`http://${nodeIP}:${httpPort}/`, { host: 'web.example.test' });
      return r.status === 200 ? r : undefined;
    }, 'the ingress route', 20_000);
    expect(['web-a', 'web-b']).toContain(web.body);
    expect((await get(`http://${nodeIP}:${httpPort}/v1/items`, { host: 'api.example.test' })).body).toBe('api-c');
    expect((await get(`http://${nodeIP}:${httpPort}/other`, { host: 'api.example.test' })).status).toBe(404);
    const secure = await until(async () => get(`https://${nodeIP}:${httpsPort}/`, { host: 'web.example.test', servername: 'web.example.test', ca: readFileSync(join(work, 'tls.crt'), 'utf8') }).catch(() => undefined), 'HTTPS with the TLS secret');
    expect(['web-a', 'web-b']).toContain(secure.body);
    const ing = await until(async () => {
      const i = await json('get', 'ingress', 'two-hosts');
      return i.status?.loadBalancer?.ingress?.length ? i : undefined;
    }, 'ingress status');
    expect(ing.status.loadBalancer.ingress).toEqual([{ ip: nodeIP }]);
  });

  it('gives a LoadBalancer service the node IP and answers there', async () => {
    const port = await freePort();
    const r = await k('expose', 'pod', 'api-c', '--name', 'api-lb', '--type', 'LoadBalancer', '--port', String(port), '--target-port', 'http');
    expect(r.code, r.stderr).toBe(0);
    const svc = await until(async () => {
      const x = await json('get', 'svc', 'api-lb');
      return x.status?.loadBalancer?.ingress?.length ? x : undefined;
    }, 'the load balancer ingress');
    expect(svc.status.loadBalancer.ingress[0].ip).toBe(nodeIP);
    const answer = await until(async () => get(`http://${nodeIP}:${port}/`).catch(() => undefined), 'the load balancer port');
    expect(answer.body).toBe('api-c');
    const table = await k('get', 'svc', 'api-lb');
    expect(table.stdout).toMatch(new RegExp(`api-lb\\s+LoadBalancer\\s+\\S+\\s+${nodeIP.replace(/\./g, '\\.')}\\s+${port}:\\d+/TCP`));
  });
});
}
