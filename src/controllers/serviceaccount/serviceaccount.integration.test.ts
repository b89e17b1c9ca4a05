// The ServiceAccounts controller against a real API server in this process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNotFound, resources } from '../../client/index.js';
import { eventually, startTestCluster, type TestCluster } from '../testing/cluster.js';
import { serviceAccountControllerFactory } from './index.js';

let c: TestCluster;

beforeAll(async () => {
  c = await startTestCluster();
  await c.run({ serviceaccount: serviceAccountControllerFactory });
});
afterAll(async () => {
  await c?.stop();
});

const sas = (ns: string) => c.admin.resource(resources.serviceAccounts).namespace(ns);
const namespaces = () => c.admin.resource(resources.namespaces);

async function gone(ns: string, name: string): Promise<boolean> {
  try {
    await sas(ns).get(name);
    return false;
  } catch (e) {
    if (isNotFound(e)) return true;
    throw e;
  }
}

describe('ServiceAccounts controller', () => {
  it('gives the namespaces that existed at start a default ServiceAccount', async () => {
    await eventually(() => sas('default').get('default'));
  });

  it('gives a new namespace its default ServiceAccount, and brings it back when deleted', async () => {
    await namespaces().create({ metadata: { name: 'team-a' } });
    const first = await eventually(() => sas('team-a').get('default'));
    await sas('team-a').delete('default');
    const again = await eventually(async () => {
      const sa = await sas('team-a').get('default');
      return sa.metadata?.uid !== first.metadata?.uid && sa;
    });
    expect(again.metadata?.name).toBe('default');
  });

  it('does not re-create it in a terminating namespace', async () => {
    await namespaces().create({ metadata: { name: 'team-b' } });
    await eventually(() => sas('team-b').get('default'));
    // No namespace controller runs here: the namespace stays Terminating.
    await namespaces().delete('team-b');
    await eventually(async () => (await namespaces().get('team-b')).status?.phase === 'Terminating');
    await sas('team-b').delete('default');
    await new Promise((r) => setTimeout(r, 300));
    expect(await gone('team-b', 'default')).toBe(true);
  });
});
