// The root CA publisher against a real API server in this process, publishing that server's CA.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resources } from '../../client/index.js';
import { eventually, startTestCluster, type TestCluster } from '../testing/cluster.js';
import { DESCRIPTION, rootCaPublisherFactory } from './index.js';

let c: TestCluster;
let caPem: string;

beforeAll(async () => {
  c = await startTestCluster();
  caPem = c.server.pki.ca.certPem;
  await c.run({ 'root-ca-cert-publisher': rootCaPublisherFactory(caPem) });
});
afterAll(async () => {
  await c?.stop();
});

const cms = (ns: string) => c.admin.resource(resources.configMaps).namespace(ns);
const current = (ns: string) => async () => {
  const cm = await cms(ns).get('kube-root-ca.crt');
  return cm.data?.['ca.crt'] === caPem && cm;
};

describe('root CA publisher', () => {
  it('publishes the CA in the namespaces that existed at start', async () => {
    for (const ns of ['default', 'kube-system', 'kube-public']) await eventually(current(ns));
  });

  it('publishes it in a new namespace, with the description annotation', async () => {
    await c.admin.resource(resources.namespaces).create({ metadata: { name: 'team-a' } });
    const cm = await eventually(current('team-a'));
    expect(cm.data).toEqual({ 'ca.crt': caPem });
    expect(cm.metadata?.annotations?.['kubernetes.io/description']).toBe(DESCRIPTION);
    expect(caPem).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });

  it('reverts an edit, keeping a user annotation', async () => {
    await eventually(current('default'));
    await cms('default').patch('kube-root-ca.crt', { metadata: { annotations: { mine: 'yes' } }, data: { 'ca.crt': 'tampered', extra: 'x' } });
    const cm = await eventually(async () => {
      const got = await current('default')();
      return got && got.data?.extra === undefined && got;
    });
    expect(cm.metadata?.annotations?.mine).toBe('yes');
  });

  it('brings it back when deleted', async () => {
    const before = await eventually(current('default'));
    await cms('default').delete('kube-root-ca.crt');
    await eventually(async () => {
      const got = await current('default')();
      return got && got.metadata?.uid !== before.metadata?.uid;
    });
  });
});
