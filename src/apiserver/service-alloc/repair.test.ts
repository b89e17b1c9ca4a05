import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../storage/index.js';
import { parseNodePortRange, parseServiceCIDR } from './ranges.js';
import { repairAllocations } from './repair.js';
import { Reservations } from './reservations.js';

function setup() {
  const store = new MemoryStore();
  const clock = { t: 1_000_000, now() { return this.t; } };
  const ips = new Reservations(store, '/registry/ranges/serviceips', parseServiceCIDR('10.96.0.0/12'), clock);
  const ports = new Reservations(store, '/registry/ranges/servicenodeports', parseNodePortRange('30000-32767'), clock);
  const repair = () => repairAllocations({ store, servicesPrefix: '/registry/services/specs', ips, ports, clock, leakGraceMs: 60_000 });
  const putService = (name: string, spec: Record<string, unknown>) =>
    store.create(`/registry/services/specs/default/${name}`, JSON.stringify({ metadata: { name, namespace: 'default', uid: `uid-${name}` }, spec }));
  return { store, clock, ips, ports, repair, putService };
}

describe('repairAllocations', () => {
  it('reserves what stored services use but nothing holds', async () => {
    const { ips, ports, repair, putService } = setup();
    await putService('web', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', clusterIP: '10.96.0.7', clusterIPs: ['10.96.0.7'], ports: [{ port: 80, nodePort: 30007 }], healthCheckNodePort: 30008 });
    await putService('ext', { type: 'ExternalName', externalName: 'example.com' });
    await putService('hl', { type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'] });
    expect(await repair()).toEqual({ reserved: 3, released: 0, conflicts: [] });
    expect((await ips.list()).map((r) => [r.value, r.owner?.uid])).toEqual([['10.96.0.7', 'uid-web']]);
    expect((await ports.list()).map((r) => r.value)).toEqual(['30007', '30008']);
    expect(await repair()).toEqual({ reserved: 0, released: 0, conflicts: [] });
  });

  it('frees leaked reservations once past the grace period', async () => {
    const { clock, ips, repair } = setup();
    await ips.reserve('10.96.0.9', { namespace: 'default', name: 'gone', uid: 'uid-gone' });
    expect((await repair()).released).toBe(0);
    clock.t += 61_000;
    expect((await repair()).released).toBe(1);
    expect(await ips.isFree('10.96.0.9')).toBe(true);
  });

  it('reports a value two services claim', async () => {
    const { repair, putService } = setup();
    await putService('a', { type: 'ClusterIP', clusterIP: '10.96.0.3', clusterIPs: ['10.96.0.3'] });
    await putService('b', { type: 'ClusterIP', clusterIP: '10.96.0.3', clusterIPs: ['10.96.0.3'] });
    expect((await repair()).conflicts).toEqual(['10.96.0.3: default/a, default/b']);
  });
});
