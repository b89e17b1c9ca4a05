// Golden cases of the pure resolver: a question in, the response written dig-style out.
import { describe, expect, it } from 'vitest';
import type { Answer } from 'dns-packet';
import type { Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { snapshotView, type ClusterView } from './cluster-view.js';
import { resolve, type DnsQuestion, type Resolution, type ResolverOptions } from './resolver.js';

const svc = (ns: string, name: string, spec: Service['spec']): Service => ({ metadata: { namespace: ns, name }, spec });
const slice = (ns: string, service: string, name: string, endpoints: EndpointSlice['endpoints'], ports: EndpointSlice['ports'] = []): EndpointSlice => ({
  metadata: { namespace: ns, name, labels: { 'kubernetes.io/service-name': service } },
  addressType: 'IPv4',
  endpoints,
  ports,
});

const services: Service[] = [
  svc('default', 'web', {
    clusterIP: '10.96.0.20',
    ports: [
      { name: 'http', port: 80 },
      { name: 'dns', port: 53, protocol: 'UDP' },
      { port: 8080 },
    ],
  }),
  svc('default', 'db', { clusterIP: 'None', ports: [{ name: 'mysql', port: 3306 }] }),
  svc('default', 'pub', { clusterIP: 'None', publishNotReadyAddresses: true }),
  svc('default', 'empty', { clusterIP: 'None' }),
  svc('default', 'ext', { type: 'ExternalName', externalName: 'www.Example.com.' }),
  svc('default', 'alias', { type: 'ExternalName', externalName: 'web.default.svc.cluster.local' }),
  svc('default', 'pending', { ports: [{ name: 'http', port: 80 }] }),
  svc('default', 'v6', { clusterIP: 'fd00::10', clusterIPs: ['fd00::10'], ports: [{ name: 'http', port: 80 }] }),
];
const slices: EndpointSlice[] = [
  slice('default', 'db', 'db-a', [
    { addresses: ['10.0.0.1'], hostname: 'db-0', conditions: { ready: true } },
    { addresses: ['10.0.0.2'], hostname: 'db-1', conditions: { ready: true } },
    { addresses: ['10.0.0.4'], hostname: 'db-3', conditions: { ready: false } },
  ], [{ name: 'mysql', port: 3306, protocol: 'TCP' }]),
  slice('default', 'db', 'db-b', [{ addresses: ['10.0.0.3'] }], [{ name: 'mysql', port: 3306, protocol: 'TCP' }]),
  slice('default', 'pub', 'pub-a', [{ addresses: ['10.0.1.1'], conditions: { ready: false } }]),
  slice('default', 'web', 'web-a', [{ addresses: ['10.0.2.1'], conditions: { ready: true } }], [{ name: 'http', port: 8080 }]),
];
const view = snapshotView({ services, endpointSlices: slices, namespaces: ['default', 'kube-system'] });
const opts: ResolverOptions = { zone: 'cluster.local', ttl: 5, serial: 7 };

/** The resolution as dig-like lines: the rcode, then one line per record with its section. */
function render(r: Resolution): string[] {
  if (r.kind === 'forward') return ['FORWARD'];
  const line = (sec: string, a: Answer) => {
    const raw = (a as { data?: unknown }).data;
    const data = typeof raw === 'object' && raw ? Object.values(raw).join(' ') : String(raw);
    return `${sec} ${a.name} ${'ttl' in a ? a.ttl : ''} ${a.type} ${data}`;
  };
  return [
    r.rcode,
    ...r.answers.map((a) => line('AN', a)),
    ...r.authorities.map((a) => line('NS', a)),
    ...r.additionals.map((a) => line('AR', a)),
    ...(r.chase ? [`CHASE ${r.chase.name} ${r.chase.type}`] : []),
  ];
}

const SOA = 'NS cluster.local 5 SOA ns.dns.cluster.local hostmaster.cluster.local 7 7200 1800 86400 5';
const D = 'default.svc.cluster.local';

const cases: Array<[string, string[]]> = [
  // ClusterIP services
  [`web.${D} A`, ['NOERROR', `AN web.${D} 5 A 10.96.0.20`]],
  [`WEB.Default.SVC.Cluster.Local. A`, ['NOERROR', 'AN WEB.Default.SVC.Cluster.Local 5 A 10.96.0.20']],
  [`web.${D} AAAA`, ['NOERROR', SOA]],
  [`web.${D} MX`, ['NOERROR', SOA]],
  [`_http._tcp.web.${D} SRV`, ['NOERROR', `AN _http._tcp.web.${D} 5 SRV 0 100 80 web.${D}`, `AR web.${D} 5 A 10.96.0.20`]],
  [`_dns._udp.web.${D} SRV`, ['NOERROR', `AN _dns._udp.web.${D} 5 SRV 0 100 53 web.${D}`, `AR web.${D} 5 A 10.96.0.20`]],
  [`_http._udp.web.${D} SRV`, ['NXDOMAIN', SOA]],
  [`_tcp.web.${D} SRV`, ['NOERROR', SOA]],
  [`_sctp.web.${D} SRV`, ['NXDOMAIN', SOA]],
  [`web.${D} SRV`, ['NOERROR', `AN web.${D} 5 SRV 0 33 80 web.${D}`, `AN web.${D} 5 SRV 0 33 53 web.${D}`, `AN web.${D} 5 SRV 0 33 8080 web.${D}`, `AR web.${D} 5 A 10.96.0.20`]],
  [`10-0-2-1.web.${D} A`, ['NOERROR', `AN 10-0-2-1.web.${D} 5 A 10.0.2.1`]],
  [`a.b.c.web.${D} A`, ['NXDOMAIN', SOA]],
  [`pending.${D} A`, ['NOERROR', SOA]],
  [`v6.${D} AAAA`, ['NOERROR', `AN v6.${D} 5 AAAA fd00::10`]],
  [`v6.${D} A`, ['NOERROR', SOA]],
  // headless services: ready endpoints only, hostnames or dashed IPs
  [`db.${D} A`, ['NOERROR', `AN db.${D} 5 A 10.0.0.1`, `AN db.${D} 5 A 10.0.0.2`, `AN db.${D} 5 A 10.0.0.3`]],
  [`db.${D} AAAA`, ['NOERROR', SOA]],
  [`db-0.db.${D} A`, ['NOERROR', `AN db-0.db.${D} 5 A 10.0.0.1`]],
  [`10-0-0-3.db.${D} A`, ['NOERROR', `AN 10-0-0-3.db.${D} 5 A 10.0.0.3`]],
  [`db-3.db.${D} A`, ['NXDOMAIN', SOA]],
  [`_mysql._tcp.db.${D} SRV`, [
    'NOERROR',
    `AN _mysql._tcp.db.${D} 5 SRV 0 33 3306 db-0.db.${D}`,
    `AN _mysql._tcp.db.${D} 5 SRV 0 33 3306 db-1.db.${D}`,
    `AN _mysql._tcp.db.${D} 5 SRV 0 33 3306 10-0-0-3.db.${D}`,
    `AR db-0.db.${D} 5 A 10.0.0.1`,
    `AR db-1.db.${D} 5 A 10.0.0.2`,
    `AR 10-0-0-3.db.${D} 5 A 10.0.0.3`,
  ]],
  [`_mysql._tcp.db.${D} A`, ['NOERROR', `AN _mysql._tcp.db.${D} 5 A 10.0.0.1`, `AN _mysql._tcp.db.${D} 5 A 10.0.0.2`, `AN _mysql._tcp.db.${D} 5 A 10.0.0.3`]],
  [`db-1.db.${D} SRV`, ['NOERROR', `AN db-1.db.${D} 5 SRV 0 100 3306 db-1.db.${D}`, `AR db-1.db.${D} 5 A 10.0.0.2`]],
  [`pub.${D} A`, ['NOERROR', `AN pub.${D} 5 A 10.0.1.1`]],
  [`empty.${D} A`, ['NXDOMAIN', SOA]],
  // ExternalName
  [`ext.${D} A`, ['NOERROR', `AN ext.${D} 5 CNAME www.example.com`, 'CHASE www.example.com A']],
  [`ext.${D} CNAME`, ['NOERROR', `AN ext.${D} 5 CNAME www.example.com`]],
  [`_http._tcp.ext.${D} SRV`, ['NXDOMAIN', SOA]],
  [`alias.${D} A`, ['NOERROR', `AN alias.${D} 5 CNAME web.${D}`, `AN web.${D} 5 A 10.96.0.20`]],
  // pods (insecure mode: any address in an existing namespace)
  ['10-244-1-5.default.pod.cluster.local A', ['NOERROR', 'AN 10-244-1-5.default.pod.cluster.local 5 A 10.244.1.5']],
  ['10-244-1-5.default.pod.cluster.local AAAA', ['NOERROR', SOA]],
  ['fd00--5.default.pod.cluster.local AAAA', ['NOERROR', 'AN fd00--5.default.pod.cluster.local 5 AAAA fd00::5']],
  ['10-244-1-5.nope.pod.cluster.local A', ['NXDOMAIN', SOA]],
  ['10-244-1.default.pod.cluster.local A', ['NXDOMAIN', SOA]],
  // the zone's structure: empty non-terminals are NODATA, the rest NXDOMAIN
  ['cluster.local SOA', ['NOERROR', 'AN cluster.local 5 SOA ns.dns.cluster.local hostmaster.cluster.local 7 7200 1800 86400 5']],
  ['cluster.local A', ['NOERROR', SOA]],
  ['svc.cluster.local A', ['NOERROR', SOA]],
  ['pod.cluster.local A', ['NOERROR', SOA]],
  [`${D} A`, ['NOERROR', SOA]],
  ['kube-system.svc.cluster.local A', ['NOERROR', SOA]],
  ['nope.svc.cluster.local A', ['NXDOMAIN', SOA]],
  [`nope.${D} A`, ['NXDOMAIN', SOA]],
  ['web.nope.svc.cluster.local A', ['NXDOMAIN', SOA]],
  ['foo.cluster.local A', ['NXDOMAIN', SOA]],
  [`web.${D}.${D} A`, ['NXDOMAIN', SOA]],
  ['dns-version.cluster.local TXT', ['NOERROR', 'AN dns-version.cluster.local 5 TXT 1.1.0']],
  [`web.${D} AXFR`, ['REFUSED']],
  // reverse lookups: ClusterIPs and published headless endpoints; the rest goes upstream
  ['20.0.96.10.in-addr.arpa PTR', ['NOERROR', `AN 20.0.96.10.in-addr.arpa 5 PTR web.${D}`]],
  ['1.0.0.10.in-addr.arpa PTR', ['NOERROR', `AN 1.0.0.10.in-addr.arpa 5 PTR db-0.db.${D}`]],
  ['3.0.0.10.in-addr.arpa PTR', ['NOERROR', `AN 3.0.0.10.in-addr.arpa 5 PTR 10-0-0-3.db.${D}`]],
  ['4.0.0.10.in-addr.arpa PTR', ['FORWARD']],
  ['1.2.0.10.in-addr.arpa PTR', ['FORWARD']],
  [`0.1.0.0.${'0.'.repeat(24)}0.0.d.f.ip6.arpa PTR`, ['NOERROR', `AN 0.1.0.0.${'0.'.repeat(24)}0.0.d.f.ip6.arpa 5 PTR v6.${D}`]],
  // everything else is forwarded
  ['example.com A', ['FORWARD']],
  ['local A', ['FORWARD']],
];

function ask(text: string, v: ClusterView = view, o: ResolverOptions = opts): string[] {
  const [name, type] = text.split(' ') as [string, DnsQuestion['type']];
  return render(resolve({ name, type }, v, o));
}

describe('resolve', () => {
  it.each(cases)('%s', (question, want) => {
    expect(ask(question)).toEqual(want);
  });

  it('answers SERVFAIL rather than NXDOMAIN before the caches have synced', () => {
    const unsynced: ClusterView = { ...view, hasSynced: () => false };
    expect(ask('nope.svc.cluster.local A', unsynced)).toEqual(['SERVFAIL']);
    expect(ask(`web.${D} A`, unsynced)).toEqual(['NOERROR', `AN web.${D} 5 A 10.96.0.20`]);
  });

  it('answers pod names only for running pods in the verified mode, and none when disabled', () => {
    const withPods = snapshotView({ services, namespaces: ['default'], pods: [{ metadata: { namespace: 'default', name: 'p' }, status: { podIP: '10.244.1.5' } }] });
    const verified = { ...opts, podMode: 'verified' as const };
    expect(ask('10-244-1-5.default.pod.cluster.local A', withPods, verified)).toEqual(['NOERROR', 'AN 10-244-1-5.default.pod.cluster.local 5 A 10.244.1.5']);
    expect(ask('10-244-1-6.default.pod.cluster.local A', withPods, verified)[0]).toBe('NXDOMAIN');
    expect(ask('10-244-1-5.default.pod.cluster.local A', withPods, { ...opts, podMode: 'disabled' })[0]).toBe('NXDOMAIN');
  });

  it('serves another cluster domain and TTL', () => {
    expect(ask('web.default.svc.k8ts.test A', view, { zone: 'k8ts.test.', ttl: 30 })).toEqual(['NOERROR', 'AN web.default.svc.k8ts.test 30 A 10.96.0.20']);
    expect(ask(`web.${D} A`, view, { zone: 'k8ts.test', ttl: 30 })).toEqual(['FORWARD']);
  });
});
