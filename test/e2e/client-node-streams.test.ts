// @kubernetes/client-node 1.4's streaming helpers (Exec, Log, PortForward) against a k8ts server
// whose embedded agent runs the pod as a host process.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import * as k8s from '@kubernetes/client-node';
import http from 'node:http';
import net from 'node:net';
import { Readable, Writable } from 'node:stream';
import { startServer, cleanup, freePort, type ServerHandle } from './harness.js';

async function until<T>(f: () => Promise<T | undefined>, what: string, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`${what} not reached`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function collector(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({ write(chunk, _e, cb) { text += chunk; cb(); } });
  return { stream, text: () => text };
}

describe('@kubernetes/client-node Exec, Log and PortForward', () => {
  let s: ServerHandle;
  let kc: k8s.KubeConfig;
  let core: k8s.CoreV1Api;
  let appPort: number;

  beforeAll(async () => {
    s = await startServer({ datastore: 'memory://', agent: true, extraArgs: ['--kubelet-port', String(await freePort())] });
    kc = new k8s.KubeConfig();
    kc.loadFromFile(s.kubeconfig);
    core = kc.makeApiClient(k8s.CoreV1Api);
    appPort = await freePort();
    await core.createNamespacedPod({
      namespace: 'default',
      body: {
        metadata: { name: 'web' },
        spec: {
          containers: [{
            name: 'web', image: 'node',
            command: [process.execPath, '-e', `require('http').createServer((q,s)=>{console.log('served', q.url); s.end('pong')}).listen(${appPort}, ()=>console.log('up'))`],
            readinessProbe: { tcpSocket: { port: appPort }, periodSeconds: 1 },
          }],
        },
      },
    });
    await until(async () => {
      const p = await core.readNamespacedPod({ name: 'web', namespace: 'default' });
      return p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? p : undefined;
    }, 'pod Ready');
  }, 90_000);
  afterAll(async () => {
    await s?.stop();
    if (s) cleanup(s);
  });

  it('Exec runs a command with stdin and reports the exit status', async () => {
    const out = collector();
    const err = collector();
    const stdin = Readable.from([Buffer.from('from stdin\n')]);
    const status = await new Promise<k8s.V1Status>((resolve, reject) => {
      new k8s.Exec(kc).exec('default', 'web', 'web', ['sh', '-c', 'cat; echo to-stderr >&2; exit 4'], out.stream, err.stream, stdin, false, resolve).catch(reject);
    });
    expect(out.text()).toBe('from stdin\n');
    expect(err.text()).toBe('to-stderr\n');
    expect(status).toMatchObject({ status: 'Failure', reason: 'NonZeroExitCode' });
    expect(status.details?.causes?.[0]).toMatchObject({ reason: 'ExitCode', message: '4' });
    const ok = await new Promise<k8s.V1Status>((resolve, reject) => {
      new k8s.Exec(kc).exec('default', 'web', 'web', ['true'], collector().stream, null, null, false, resolve).catch(reject);
    });
    expect(ok.status).toBe('Success');
  });

  it('Log reads and follows the container log', async () => {
    const all = collector();
    await new Promise<void>((resolve, reject) => {
      all.stream.on('finish', resolve);
      new k8s.Log(kc).log('default', 'web', 'web', all.stream, { follow: false }).catch(reject);
    });
    expect(all.text()).toContain('up');
    const followed = collector();
    const ctl = await new k8s.Log(kc).log('default', 'web', 'web', followed.stream, { follow: true, tailLines: 1 });
    try {
      await new Promise<void>((resolve) => http.get(`http://127.0.0.1:${appPort}/via-direct`, (r) => r.resume().on('end', resolve)));
      await until(async () => (followed.text().includes('served /via-direct') ? true : undefined), 'a followed line');
    } finally {
      ctl.abort();
    }
  });

  it('PortForward carries two concurrent connections to the pod', async () => {
    const forward = new k8s.PortForward(kc);
    const server = net.createServer((sock) => {
      void forward.portForward('default', 'web', [appPort], sock, null, sock);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const local = (server.address() as net.AddressInfo).port;
    try {
      const get = (path: string) => new Promise<string>((resolve, reject) => {
        http.get({ host: '127.0.0.1', port: local, path, agent: false }, (res) => {
          let body = '';
          res.on('data', (d) => (body += d));
          res.on('end', () => resolve(body));
        }).on('error', reject);
      });
      expect(await Promise.all([get('/one'), get('/two')])).toEqual(['pong', 'pong']);
    } finally {
      server.close();
    }
  });
});
