import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certSans, issuedBy } from '../pki/index.js';
import { startNodeProxyCluster, type NodeProxyCluster } from './testing/harness.js';

let c: NodeProxyCluster;
beforeAll(async () => {
  c = await startNodeProxyCluster();
});
afterAll(async () => c?.stop());

const post = (auth: string | undefined, body: unknown) =>
  c.call('POST', '/k8ts/v1/agent-credentials', { headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) }, body: JSON.stringify(body) });

describe('join token and agent credentials', () => {
  it('keeps a k3s-style token in <data-dir>/token, mode 0600', async () => {
    expect(c.server.joinToken).toMatch(/^K10[0-9a-f]{64}::server:[0-9a-f]{32}$/);
    const st = await stat(join(c.dataDir, 'token'));
    expect(st.mode & 0o777).toBe(0o600);
  });

  it('trades the token for node certificates', async () => {
    const r = await post(`Bearer ${c.server.joinToken}`, { nodeName: 'worker-1', addresses: ['10.0.0.7'] });
    expect(r.status).toBe(200);
    const creds = r.json();
    expect(creds.caPem).toBe(c.server.pki.ca.certPem);
    const client = new X509Certificate(creds.clientCertPem);
    expect(client.subject).toBe('O=system:nodes\nCN=system:node:worker-1');
    expect(client.checkPrivateKey(await import('node:crypto').then((m) => m.createPrivateKey(creds.clientKeyPem)))).toBe(true);
    expect(issuedBy(creds.clientCertPem, c.server.pki.ca.certPem)).toBe(true);
    expect(certSans(creds.servingCertPem)).toEqual({ dns: ['worker-1', 'localhost'], ips: ['10.0.0.7', '127.0.0.1'] });
    expect(new X509Certificate(creds.servingCertPem).checkIP('10.0.0.7')).toBe('10.0.0.7');
  });

  it('accepts the bare secret too, as k3s does', async () => {
    const secret = c.server.joinToken.split('::server:')[1];
    expect((await post(`Bearer ${secret}`, { nodeName: 'worker-2', addresses: [] })).status).toBe(200);
  });

  it.each([
    ['no header', undefined],
    ['a wrong token', 'Bearer K10abc::server:wrong'],
    ['the right secret with a wrong CA hash', () => `Bearer K10${'0'.repeat(64)}::server:${c.server.joinToken.split('::server:')[1]}`],
    ['an admin client certificate alone', undefined],
  ])('answers 401 to %s', async (_name, auth) => {
    const r = await post(typeof auth === 'function' ? auth() : auth, { nodeName: 'evil', addresses: [] });
    expect(r.status).toBe(401);
    expect(r.json()).toMatchObject({ kind: 'Status', reason: 'Unauthorized' });
  });

  it('validates the body', async () => {
    const r = await post(`Bearer ${c.server.joinToken}`, { nodeName: 'Bad_Name', addresses: [] });
    expect(r.status).toBe(400);
    expect(r.json().message).toContain('nodeName "Bad_Name" is not a valid node name');
  });

  it('gives the embedded agent the same without HTTP', async () => {
    const creds = await c.server.agentCredentials('local', ['127.0.0.1']);
    expect(new X509Certificate(creds.clientCertPem).subject).toBe('O=system:nodes\nCN=system:node:local');
  });
});
