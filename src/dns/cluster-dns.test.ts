// The cluster DNS end to end over loopback: Node's own resolver (c-ares) asks it over UDP and
// TCP; a fake upstream DNS server on 127.0.0.1 stands in for the host's resolvers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import { connect, createServer, type Server } from 'node:net';
import * as packet from 'dns-packet';
import type { Answer, DecodedPacket } from 'dns-packet';
import type { Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { snapshotView } from './cluster-view.js';
import { startClusterDns, type ClusterDns } from './cluster-dns.js';
import { FrameReader, encodeQuery, encodeResponse, frame } from './wire.js';

const headless = (name: string, ips: string[], hostnames = false): [Service, EndpointSlice] => [
  { metadata: { namespace: 'default', name }, spec: { clusterIP: 'None', ports: [{ name: 'peer', port: 7000 }] } },
  {
    metadata: { namespace: 'default', name: `${name}-1`, labels: { 'kubernetes.io/service-name': name } },
    addressType: 'IPv4',
    endpoints: ips.map((ip, i) => ({ addresses: [ip], conditions: { ready: true }, hostname: hostnames ? `${name}-${i}` : undefined })),
    ports: [{ name: 'peer', port: 7000, protocol: 'TCP' }],
  },
];
const [db, dbSlice] = headless('db', ['10.0.0.2', '10.0.0.1'], true);
const manyIps = Array.from({ length: 200 }, (_, i) => `10.1.${i >> 8}.${i & 255}`);
const [many, manySlice] = headless('many', manyIps);
const view = snapshotView({
  namespaces: ['default'],
  services: [
    { metadata: { namespace: 'default', name: 'web' }, spec: { clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80 }] } },
    { metadata: { namespace: 'default', name: 'ext' }, spec: { type: 'ExternalName', externalName: 'www.example.com' } },
    db,
    many,
  ],
  endpointSlices: [dbSlice, manySlice],
});

/** Upstream answers: example.com and www.example.com have one address, big.example.com 200. */
function upstreamAnswers(q: packet.Question): Answer[] {
  const a = (ip: string): Answer => ({ name: q.name, type: 'A', ttl: 60, data: ip });
  if (q.type !== 'A') return [];
  if (q.name === 'example.com' || q.name === 'www.example.com') return [a('192.0.2.53')];
  if (q.name === 'big.example.com') return manyIps.map((ip) => a(ip.replace(/^10\./, '192.')));
  return [];
}

/** A minimal authoritative server on loopback: truncates UDP at 512 bytes, answers fully over TCP. */
async function fakeUpstream(): Promise<{ port: number; queries: string[]; close(): Promise<void> }> {
  const queries: string[] = [];
  const answer = (raw: Buffer, limit: number) => {
    const q = packet.decode(raw);
    queries.push(`${q.questions![0]!.name} ${q.questions![0]!.type}`);
    const answers = upstreamAnswers(q.questions![0]!);
    return encodeResponse({ type: 'response', id: q.id, flags: answers.length ? 0 : 3, questions: q.questions, answers }, limit);
  };
  const udp = createSocket('udp4');
  udp.on('message', (msg, peer) => udp.send(answer(msg, 512), peer.port, peer.address));
  await new Promise<void>((r) => udp.bind(0, '127.0.0.1', () => r()));
  const port = udp.address().port;
  const tcp: Server = createServer((c) => {
    const reader = new FrameReader();
    c.on('data', (d) => reader.push(d).forEach((m) => c.write(frame(answer(m, Infinity)))));
    c.on('error', () => c.destroy());
  });
  await new Promise<void>((r) => tcp.listen(port, '127.0.0.1', () => r()));
  return { port, queries, close: () => new Promise((r) => { udp.close(); tcp.close(() => r()); }) };
}

function resolverFor(port: number): Resolver {
  const r = new Resolver({ tries: 1 });
  r.setServers([`127.0.0.1:${port}`]);
  return r;
}

function udpQuery(port: number, msg: Buffer): Promise<DecodedPacket> {
  return new Promise((resolve, reject) => {
    const s: UdpSocket = createSocket('udp4');
    s.on('error', reject);
    s.on('message', (m) => {
      s.close();
      resolve(packet.decode(m));
    });
    s.send(msg, port, '127.0.0.1');
  });
}

function tcpQuery(port: number, msg: Buffer): Promise<DecodedPacket> {
  return new Promise((resolve, reject) => {
    const c = connect({ port, host: '127.0.0.1' }, () => c.write(frame(msg)));
    const reader = new FrameReader();
    c.on('error', reject);
    c.on('data', (d) => {
      const [m] = reader.push(d);
      if (m) {
        c.destroy();
        resolve(packet.decode(m));
      }
    });
  });
}

describe('cluster DNS server', () => {
  let upstream: Awaited<ReturnType<typeof fakeUpstream>>;
  let dns: ClusterDns;
  let res: Resolver;

  beforeAll(async () => {
    upstream = await fakeUpstream();
    dns = await startClusterDns({ view, listen: [{ address: '127.0.0.1', port: 0 }], upstreams: [`127.0.0.1:${upstream.port}`] });
    res = resolverFor(dns.ports[0]!);
  });
  afterAll(async () => {
    await dns?.close();
    await upstream?.close();
  });

  it('answers a service with its ClusterIP', async () => {
    expect(await res.resolve4('web.default.svc.cluster.local')).toEqual(['10.96.0.20']);
    expect(await res.resolve4('WEB.default.svc.Cluster.Local')).toEqual(['10.96.0.20']);
  });

  it('answers a headless service with its pods, and each pod by its hostname', async () => {
    expect((await res.resolve4('db.default.svc.cluster.local')).sort()).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(await res.resolve4('db-1.db.default.svc.cluster.local')).toEqual(['10.0.0.1']);
  });

  it('answers SRV for named ports', async () => {
    expect(await res.resolveSrv('_http._tcp.web.default.svc.cluster.local')).toEqual([{ name: 'web.default.svc.cluster.local', port: 80, priority: 0, weight: 100 }]);
    const peers = await res.resolveSrv('_peer._tcp.db.default.svc.cluster.local');
    expect(peers.map((p) => p.name).sort()).toEqual(['db-0.db.default.svc.cluster.local', 'db-1.db.default.svc.cluster.local']);
    expect(peers.every((p) => p.port === 7000 && p.weight === 50)).toBe(true);
  });

  it('answers reverse lookups of ClusterIPs and headless endpoints', async () => {
    expect(await res.reverse('10.96.0.20')).toEqual(['web.default.svc.cluster.local']);
    expect(await res.reverse('10.0.0.2')).toEqual(['db-0.db.default.svc.cluster.local']);
  });

  it('answers ExternalName with a CNAME, followed upstream for addresses', async () => {
    expect(await res.resolveCname('ext.default.svc.cluster.local')).toEqual(['www.example.com']);
    expect(await res.resolve4('ext.default.svc.cluster.local')).toEqual(['192.0.2.53']);
  });

  it('tells a missing name (NXDOMAIN) from a name without that type (NODATA)', async () => {
    await expect(res.resolve4('nope.default.svc.cluster.local')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(res.resolve6('web.default.svc.cluster.local')).rejects.toMatchObject({ code: 'ENODATA' });
    await expect(res.resolve4('svc.cluster.local')).rejects.toMatchObject({ code: 'ENODATA' });
  });

  it('truncates a large UDP answer, so the client retries over TCP', async () => {
    const q = encodeQuery({ name: 'many.default.svc.cluster.local', type: 'A' }, 42);
    const overUdp = await udpQuery(dns.ports[0]!, q);
    expect(overUdp.flag_tc).toBe(true);
    expect(packet.encode(overUdp).length).toBeLessThanOrEqual(512);
    const overTcp = await tcpQuery(dns.ports[0]!, q);
    expect(overTcp.flag_tc).toBe(false);
    expect(overTcp.answers).toHaveLength(200);
    expect((await res.resolve4('many.default.svc.cluster.local')).sort()).toEqual([...manyIps].sort());
  });

  it('honours the EDNS0 buffer size', async () => {
    const q = packet.encode({
      type: 'query', id: 7, flags: packet.RECURSION_DESIRED,
      questions: [{ name: 'many.default.svc.cluster.local', type: 'A' }],
      additionals: [{ name: '.', type: 'OPT', udpPayloadSize: 16384, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }],
    });
    const r = await udpQuery(dns.ports[0]!, q);
    expect(r.flag_tc).toBe(false);
    expect(r.answers).toHaveLength(200);
    expect(r.additionals?.some((a) => a.type === 'OPT')).toBe(true);
  });

  it('forwards other names upstream, over TCP when the upstream truncates', async () => {
    expect(await res.resolve4('example.com')).toEqual(['192.0.2.53']);
    expect(await res.resolve4('big.example.com')).toHaveLength(200);
    await expect(res.resolve4('missing.example.com')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    expect(upstream.queries).toContain('big.example.com A');
    expect(upstream.queries).not.toContain('web.default.svc.cluster.local A');
  });
});

describe('cluster DNS without a reachable upstream', () => {
  it('answers SERVFAIL for names it cannot forward, and still its own names', async () => {
    const dns = await startClusterDns({ view, listen: [{ address: '127.0.0.1', port: 0 }], upstreams: [], clusterDomain: 'k8ts.test', ttl: 30 });
    try {
      const res = resolverFor(dns.ports[0]!);
      await expect(res.resolve4('example.com')).rejects.toMatchObject({ code: 'ESERVFAIL' });
      expect(await res.resolve4('web.default.svc.k8ts.test', { ttl: true })).toEqual([{ address: '10.96.0.20', ttl: 30 }]);
    } finally {
      await dns.close();
    }
  });
});
