// Services with the real kubectl: `kubectl expose` of a Deployment as a NodePort service gets a
// ClusterIP and a NodePort from the server's ranges, and a taken NodePort is refused as upstream.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startServer, kubectl, cleanup, haveKubectl, type ServerHandle } from './harness.js';

describe.skipIf(!haveKubectl())('kubectl and service allocation', () => {
  let s: ServerHandle;
  const k = (...args: string[]) => kubectl(s, args);
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(async () => {
    await s?.stop();
    if (s) cleanup(s);
  });

  it('expose deployment --type NodePort allocates a ClusterIP and a NodePort', async () => {
    expect((await k('create', 'deployment', 'web', '--image', 'nginx', '--port', '8080')).code).toBe(0);
    const r = await k('expose', 'deployment', 'web', '--port', '80', '--target-port', '8080', '--type', 'NodePort');
    expect([r.code, r.stdout.trim(), r.stderr]).toEqual([0, 'service/web exposed', '']);
    const svc = JSON.parse((await k('get', 'svc', 'web', '-o', 'json')).stdout);
    expect(svc.spec).toMatchObject({ type: 'NodePort', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] });
    expect(svc.spec.clusterIP).toMatch(/^10\.(9[6-9]|10\d|11[01])\.\d+\.\d+$/);
    expect(svc.spec.ports[0].nodePort).toBeGreaterThanOrEqual(30000);
    expect(svc.spec.ports[0].nodePort).toBeLessThanOrEqual(32767);
    const get = await k('get', 'svc', 'web');
    expect(get.stdout).toMatch(new RegExp(`web\\s+NodePort\\s+${svc.spec.clusterIP.replace(/\./g, '\\.')}\\s+<none>\\s+80:${svc.spec.ports[0].nodePort}/TCP`));
  });

  it('refuses a NodePort already taken, with upstream text', async () => {
    const port = JSON.parse((await k('get', 'svc', 'web', '-o', 'json')).stdout).spec.ports[0].nodePort;
    const r = await k('create', 'service', 'nodeport', 'other', '--tcp', '80:8080', '--node-port', String(port));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`spec.ports[0].nodePort: Invalid value: ${port}: provided port is already allocated`);
  });
});
