import { describe, expect, it } from 'vitest';
import { strategyFor } from '../../api/strategies/index.js';
import type { KObject } from '../../api/strategies/types.js';
import { StatusError } from '../../api/errors.js';
import { MemoryStore } from '../../storage/index.js';
import { realClock } from '../../util/clock.js';
import { parseNodePortRange, parseServiceCIDR } from './ranges.js';
import { Reservations } from './reservations.js';
import { ServiceAllocator } from './service-allocator.js';

const services = strategyFor('', 'Service');

function setup(cidr = '10.96.0.0/12', ports = '30000-32767') {
  const store = new MemoryStore();
  const ips = new Reservations(store, '/ips', parseServiceCIDR(cidr), realClock);
  const nodePorts = new Reservations(store, '/ports', parseNodePortRange(ports), realClock);
  return { ips, nodePorts, alloc: new ServiceAllocator(ips, nodePorts) };
}

function svc(name: string, spec: Record<string, any>): KObject {
  const obj: KObject = { metadata: { name, namespace: 'default', uid: `uid-${name}` }, spec: { selector: { app: name }, ports: [{ port: 80 }], ...spec } };
  services.default!(obj);
  services.prepareForCreate!(obj);
  return obj;
}

function updated(old: KObject, mutate: (s: Record<string, any>) => void): KObject {
  const obj = structuredClone(old);
  mutate(obj.spec);
  services.default!(obj);
  services.prepareForUpdate!(obj, old);
  return obj;
}

async function failure(p: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof StatusError) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected a failure');
}

describe('ServiceAllocator on create', () => {
  it('gives a ClusterIP service one IP from the upper band', async () => {
    const { alloc, ips } = setup();
    const s = svc('web', {});
    await (await alloc.allocateCreate(s, false)).commit();
    expect(s.spec.clusterIPs).toEqual([s.spec.clusterIP]);
    expect(ips.range.offsetOf(s.spec.clusterIP)).toBeGreaterThanOrEqual(256);
    expect(await ips.isFree(s.spec.clusterIP)).toBe(false);
  });

  it('honours a requested IP once, with upstream messages for taken and out-of-range IPs', async () => {
    const { alloc } = setup();
    await alloc.allocateCreate(svc('a', { clusterIP: '10.96.0.10' }), false);
    expect(await failure(alloc.allocateCreate(svc('b', { clusterIP: '10.96.0.10' }), false))).toEqual({
      code: 422, message: 'Service "b" is invalid: spec.clusterIPs: Invalid value: ["10.96.0.10"]: failed to allocate IP 10.96.0.10: provided IP is already allocated',
    });
    expect((await failure(alloc.allocateCreate(svc('c', { clusterIP: '192.168.0.1' }), false))).message).toBe(
      'Service "c" is invalid: spec.clusterIPs: Invalid value: ["192.168.0.1"]: failed to allocate IP 192.168.0.1: the provided IP (192.168.0.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12',
    );
  });

  it('allocates nothing for headless and ExternalName services', async () => {
    const { alloc, ips } = setup();
    const headless = svc('h', { clusterIP: 'None' });
    const ext = svc('e', { type: 'ExternalName', externalName: 'example.com', ports: [] });
    await alloc.allocateCreate(headless, false);
    await alloc.allocateCreate(ext, false);
    expect(headless.spec.clusterIPs).toEqual(['None']);
    expect(ext.spec.clusterIP).toBeUndefined();
    expect(await ips.list()).toEqual([]);
  });

  it('gives NodePort services node ports, one per service port number across protocols', async () => {
    const { alloc } = setup();
    const s = svc('dns', { type: 'NodePort', ports: [{ name: 'tcp', port: 53, protocol: 'TCP' }, { name: 'udp', port: 53, protocol: 'UDP' }, { name: 'web', port: 80, nodePort: 30080 }] });
    await alloc.allocateCreate(s, false);
    const [tcp, udp, web] = s.spec.ports.map((p: { nodePort: number }) => p.nodePort);
    expect(tcp).toBe(udp);
    expect(tcp).toBeGreaterThanOrEqual(30086);
    expect(web).toBe(30080);
    expect(await failure(alloc.allocateCreate(svc('other', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }), false))).toEqual({
      code: 422, message: 'Service "other" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated',
    });
    expect((await failure(alloc.allocateCreate(svc('far', { type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] }), false))).message).toBe(
      'Service "far" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767',
    );
  });

  it('gives LoadBalancers node ports unless told not to, and a health-check port for Local', async () => {
    const { alloc } = setup();
    const lb = svc('lb', { type: 'LoadBalancer', externalTrafficPolicy: 'Local' });
    await alloc.allocateCreate(lb, false);
    expect(lb.spec.ports[0].nodePort).toBeGreaterThan(0);
    expect(lb.spec.healthCheckNodePort).toBeGreaterThan(0);
    expect(lb.spec.healthCheckNodePort).not.toBe(lb.spec.ports[0].nodePort);
    const bare = svc('bare', { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false });
    await alloc.allocateCreate(bare, false);
    expect(bare.spec.ports[0].nodePort).toBeUndefined();
  });

  it('refuses dual-stack on this single-stack cluster', async () => {
    const { alloc } = setup();
    expect((await failure(alloc.allocateCreate(svc('d', { ipFamilyPolicy: 'RequireDualStack' }), false))).message).toBe(
      'Service "d" is invalid: spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services',
    );
    expect((await failure(alloc.allocateCreate(svc('v6', { ipFamilies: ['IPv6'] }), false))).message).toBe(
      'Service "v6" is invalid: spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster',
    );
    const prefer = svc('p', { ipFamilyPolicy: 'PreferDualStack' });
    await alloc.allocateCreate(prefer, false);
    expect(prefer.spec.ipFamilies).toEqual(['IPv4']);
    await alloc.allocateCreate(svc('hl', { clusterIP: 'None', selector: undefined }), false);
  });

  it('answers 500 "range is full" when exhausted, as upstream', async () => {
    const { alloc } = setup('10.0.0.0/30', '30000-30000');
    await alloc.allocateCreate(svc('a', {}), false);
    await alloc.allocateCreate(svc('b', {}), false);
    expect(await failure(alloc.allocateCreate(svc('c', {}), false))).toEqual({ code: 500, message: 'Internal error occurred: failed to allocate a serviceIP: range is full' });
    const { alloc: a2 } = setup('10.0.0.0/24', '30000-30000');
    await a2.allocateCreate(svc('n1', { type: 'NodePort' }), false);
    expect((await failure(a2.allocateCreate(svc('n2', { type: 'NodePort' }), false))).message).toBe('Internal error occurred: failed to allocate a nodePort: range is full');
  });

  it('reserves nothing on a dry run, and a failed write reverts', async () => {
    const { alloc, ips, nodePorts } = setup();
    const dry = svc('dry', { type: 'NodePort', ports: [{ name: 'a', port: 80 }, { name: 'b', port: 81 }] });
    await (await alloc.allocateCreate(dry, true)).commit();
    expect(dry.spec.clusterIP).toMatch(/^10\./);
    expect(dry.spec.ports[0].nodePort).not.toBe(dry.spec.ports[1].nodePort);
    expect([...(await ips.list()), ...(await nodePorts.list())]).toEqual([]);
    const failed = svc('failed', { type: 'NodePort' });
    await (await alloc.allocateCreate(failed, false)).revert();
    expect([...(await ips.list()), ...(await nodePorts.list())]).toEqual([]);
  });
});

describe('ServiceAllocator on update and delete', () => {
  it('releases node ports when a NodePort service becomes ClusterIP, only on commit', async () => {
    const { alloc, nodePorts } = setup();
    const old = svc('web', { type: 'NodePort' });
    await alloc.allocateCreate(old, false);
    const port = old.spec.ports[0].nodePort;
    const next = updated(old, (s) => (s.type = 'ClusterIP'));
    expect(next.spec.ports[0].nodePort).toBeUndefined();
    await (await alloc.allocateUpdate(next, old, false)).revert();
    expect(await nodePorts.isFree(port)).toBe(false);
    await (await alloc.allocateUpdate(next, old, false)).commit();
    expect(await nodePorts.isFree(port)).toBe(true);
  });

  it('releases the IP on ClusterIP → ExternalName and allocates one on the way back', async () => {
    const { alloc, ips } = setup();
    const old = svc('web', {});
    await alloc.allocateCreate(old, false);
    const ext = updated(old, (s) => Object.assign(s, { type: 'ExternalName', externalName: 'example.com' }));
    await (await alloc.allocateUpdate(ext, old, false)).commit();
    expect(await ips.isFree(old.spec.clusterIP)).toBe(true);
    const back = updated(ext, (s) => Object.assign(s, { type: 'ClusterIP', externalName: undefined }));
    await (await alloc.allocateUpdate(back, ext, false)).commit();
    expect(back.spec.clusterIP).toMatch(/^10\./);
    expect(await ips.isFree(back.spec.clusterIP)).toBe(false);
  });

  it('allocates a port added by an update and frees one removed', async () => {
    const { alloc, nodePorts } = setup();
    const old = svc('web', { type: 'NodePort', ports: [{ name: 'a', port: 80 }, { name: 'b', port: 81 }] });
    await alloc.allocateCreate(old, false);
    const [pa, pb] = old.spec.ports.map((p: { nodePort: number }) => p.nodePort);
    const next = updated(old, (s) => (s.ports = [{ name: 'a', port: 80 }, { name: 'c', port: 82 }]));
    await (await alloc.allocateUpdate(next, old, false)).commit();
    expect(next.spec.ports[0].nodePort).toBe(pa);
    expect(next.spec.ports[1].nodePort).toBeGreaterThan(0);
    expect(await nodePorts.isFree(pb)).toBe(true);
    expect(await nodePorts.isFree(next.spec.ports[1].nodePort)).toBe(false);
  });

  it('frees everything on delete', async () => {
    const { alloc, ips, nodePorts } = setup();
    const lb = svc('lb', { type: 'LoadBalancer', externalTrafficPolicy: 'Local' });
    await alloc.allocateCreate(lb, false);
    expect((await nodePorts.list()).length).toBe(2);
    await alloc.releaseAll(lb);
    expect([...(await ips.list()), ...(await nodePorts.list())]).toEqual([]);
  });
});
