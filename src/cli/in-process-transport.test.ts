import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer, type RunningApiServer } from '../apiserver/api-server.js';
import { RestClient } from '../client/rest-client.js';
import { configMaps } from '../client/resources.js';
import { SharedIndexInformer } from '../client/informers/shared-informer.js';
import { ApiError } from '../client/errors.js';
import { inProcessTransport } from './in-process-transport.js';

describe('in-process transport', () => {
  let server: RunningApiServer;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'k8ts-inproc-'));
    server = await startApiServer({ dataDir: dir, bindAddress: '127.0.0.1', port: 0, datastoreEndpoint: 'memory://' });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives the client the same API semantics as HTTPS', async () => {
    const client = new RestClient(inProcessTransport(server, { name: 'system:kube-controller-manager', groups: ['system:authenticated'] }));
    const cms = client.resource(configMaps).namespace('default');
    const created = await cms.create({ metadata: { name: 'a' }, data: { k: 'v' } });
    expect(created.metadata?.uid).toBeTruthy();
    expect(created.metadata?.managedFields?.[0]?.manager).toBe('k8ts-in-process');
    await expect(cms.create({ metadata: { name: 'a' } })).rejects.toSatisfy((e: unknown) => e instanceof ApiError && e.code === 409);
    await expect(client.resource(configMaps).namespace('missing').create({ metadata: { name: 'x' } })).rejects.toSatisfy(
      (e: unknown) => e instanceof ApiError && e.code === 404 && /namespaces "missing" not found/.test(e.message),
    );
    const got = await cms.get('a');
    expect(got.data).toEqual({ k: 'v' });
  });

  it('serves watches to informers', async () => {
    const client = new RestClient(inProcessTransport(server, { name: 'system:kube-scheduler', groups: ['system:authenticated'] }));
    const informer = new SharedIndexInformer(client.resource(configMaps), {});
    const seen: string[] = [];
    informer.addEventHandler({
      onAdd: (o) => seen.push(`add:${o.metadata?.name}`),
      onUpdate: (_o, n) => seen.push(`update:${n.metadata?.name}:${(n as { data?: Record<string, string> }).data?.k}`),
      onDelete: (o) => seen.push(`delete:${'metadata' in o ? o.metadata?.name : ''}`),
    });
    informer.run();
    await informer.waitForSync();
    const cms = client.resource(configMaps).namespace('default');
    await cms.create({ metadata: { name: 'w' }, data: { k: '1' } });
    await cms.patch('w', { data: { k: '2' } }, { type: 'merge' });
    await cms.delete('w');
    for (let i = 0; i < 200 && !seen.includes('delete:w'); i++) await new Promise((r) => setTimeout(r, 10));
    informer.stop();
    expect(seen.filter((s) => s.endsWith(':w') || s.includes(':w:'))).toEqual(['add:w', 'update:w:2', 'delete:w']);
  });
});
