import { describe, expect, it } from 'vitest';
import { crdPrinterFor, customResourcePrinter, hasPrinter, printerFor, toTable } from './index.js';
import type { KObject } from './types.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString().replace('.000Z', 'Z');
const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;
const D = 24 * H;
const meta = (name: string, extra: KObject = {}) => ({ name, namespace: 'default', creationTimestamp: ago(2 * D), ...extra });
const row = (group: string, kind: string, obj: KObject) => printerFor(group, kind).row(obj, NOW);
const names = (group: string, kind: string) => printerFor(group, kind).columns.map((c) => c.name);

describe('deployments and other workloads', () => {
  const deploy = (spec: KObject, status: KObject) => ({
    metadata: meta('web'),
    spec: { selector: { matchLabels: { app: 'web' } }, template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }, { name: 'log', image: 'busybox' }] } }, ...spec },
    status,
  });
  const cases: [string, KObject, unknown[]][] = [
    ['all ready', deploy({ replicas: 3 }, { replicas: 3, readyReplicas: 3, updatedReplicas: 3, availableReplicas: 3 }), ['web', '3/3', 3, 3, '2d', 'nginx,log', 'nginx:1.27,busybox', 'app=web']],
    ['rolling', deploy({ replicas: 3 }, { replicas: 4, readyReplicas: 2, updatedReplicas: 1, availableReplicas: 2 }), ['web', '2/3', 1, 2, '2d', 'nginx,log', 'nginx:1.27,busybox', 'app=web']],
    ['new, no status', deploy({}, {}), ['web', '0/1', 0, 0, '2d', 'nginx,log', 'nginx:1.27,busybox', 'app=web']],
    ['scaled to zero', deploy({ replicas: 0 }, {}), ['web', '0/0', 0, 0, '2d', 'nginx,log', 'nginx:1.27,busybox', 'app=web']],
    ['bad selector', deploy({ selector: { matchExpressions: [{ key: 'a', operator: 'Nope' }] } }, {}), ['web', '0/1', 0, 0, '2d', 'nginx,log', 'nginx:1.27,busybox', '<invalid>']],
  ];
  it.each(cases)('deployment: %s', (_n, obj, want) => {
    expect(row('apps', 'Deployment', obj)).toEqual(want);
  });
  it('deployment columns', () => {
    expect(names('apps', 'Deployment')).toEqual(['Name', 'Ready', 'Up-to-date', 'Available', 'Age', 'Containers', 'Images', 'Selector']);
    expect(printerFor('apps', 'Deployment').columns.map((c) => c.priority)).toEqual([0, 0, 0, 0, 0, 1, 1, 1]);
  });
  it('replica sets, stateful sets, daemon sets, replication controllers', () => {
    const tmpl = { spec: { containers: [{ name: 'c', image: 'i' }], nodeSelector: { 'kubernetes.io/os': 'linux' } } };
    expect(row('apps', 'ReplicaSet', { metadata: meta('rs'), spec: { replicas: 2, selector: { matchLabels: { a: 'b' } }, template: tmpl }, status: { replicas: 2, readyReplicas: 1 } })).toEqual(['rs', 2, 2, 1, '2d', 'c', 'i', 'a=b']);
    expect(row('apps', 'StatefulSet', { metadata: meta('db'), spec: { replicas: 3, template: tmpl }, status: { readyReplicas: 2 } })).toEqual(['db', '2/3', '2d', 'c', 'i']);
    expect(
      row('apps', 'DaemonSet', {
        metadata: meta('ds'),
        spec: { selector: { matchLabels: { a: 'b' } }, template: tmpl },
        status: { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 3, numberAvailable: 2 },
      }),
    ).toEqual(['ds', 3, 3, 2, 3, 2, 'kubernetes.io/os=linux', '2d', 'c', 'i', 'a=b']);
    expect(row('', 'ReplicationController', { metadata: meta('rc'), spec: { replicas: 1, selector: { a: 'b' }, template: tmpl }, status: { replicas: 1 } })).toEqual(['rc', 1, 1, 0, '2d', 'c', 'i', 'a=b']);
  });
  it('controller revisions name their owner', () => {
    const cr = { metadata: { ...meta('web-5d9f'), ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', controller: true }] }, revision: 2 };
    expect(row('apps', 'ControllerRevision', cr)).toEqual(['web-5d9f', 'statefulset.apps/web', 2, '2d']);
    expect(row('apps', 'ControllerRevision', { metadata: meta('x'), revision: 1 })).toEqual(['x', '<none>', 1, '2d']);
  });
});

describe('services', () => {
  const svc = (spec: KObject, status: KObject = {}) => ({ metadata: meta('s'), spec, status });
  const cases: [string, KObject, unknown[]][] = [
    ['cluster IP', svc({ type: 'ClusterIP', clusterIP: '10.96.0.10', ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }], selector: { k8s: 'dns' } }), ['s', 'ClusterIP', '10.96.0.10', '<none>', '53/UDP,53/TCP', '2d', 'k8s=dns']],
    ['headless, no ports', svc({ type: 'ClusterIP', clusterIP: 'None' }), ['s', 'ClusterIP', 'None', '<none>', '<none>', '2d', '<none>']],
    ['cluster IP with external IPs', svc({ type: 'ClusterIP', clusterIP: '10.96.0.2', externalIPs: ['1.2.3.4', '5.6.7.8'], ports: [{ port: 80, protocol: 'TCP' }] }), ['s', 'ClusterIP', '10.96.0.2', '1.2.3.4,5.6.7.8', '80/TCP', '2d', '<none>']],
    ['node port', svc({ type: 'NodePort', clusterIP: '10.96.0.3', ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }] }), ['s', 'NodePort', '10.96.0.3', '<none>', '80:30080/TCP', '2d', '<none>']],
    ['load balancer pending', svc({ type: 'LoadBalancer', clusterIP: '10.96.0.4', ports: [{ port: 443, nodePort: 31443, protocol: 'TCP' }] }), ['s', 'LoadBalancer', '10.96.0.4', '<pending>', '443:31443/TCP', '2d', '<none>']],
    [
      'load balancer with ingress',
      svc({ type: 'LoadBalancer', clusterIP: '10.96.0.4', ports: [{ port: 80, nodePort: 30001, protocol: 'TCP' }] }, { loadBalancer: { ingress: [{ ip: '203.0.113.9' }, { hostname: 'lb.example.com' }, { ip: '203.0.113.1' }] } }),
      ['s', 'LoadBalancer', '10.96.0.4', '203.0.113.1,203.0.113.9,lb.example.com', '80:30001/TCP', '2d', '<none>'],
    ],
    [
      'load balancer with ingress and external IPs',
      svc({ type: 'LoadBalancer', clusterIP: '10.96.0.4', externalIPs: ['198.51.100.7'] }, { loadBalancer: { ingress: [{ ip: '203.0.113.9' }] } }),
      ['s', 'LoadBalancer', '10.96.0.4', '203.0.113.9,198.51.100.7', '<none>', '2d', '<none>'],
    ],
    ['external name', svc({ type: 'ExternalName', externalName: 'db.example.com' }), ['s', 'ExternalName', '<none>', 'db.example.com', '<none>', '2d', '<none>']],
    ['dual stack: first cluster IP', svc({ type: 'ClusterIP', clusterIPs: ['10.96.0.9', 'fd00::9'], ports: [{ port: 8080, protocol: 'SCTP' }] }), ['s', 'ClusterIP', '10.96.0.9', '<none>', '8080/SCTP', '2d', '<none>']],
  ];
  it.each(cases)('%s', (_n, obj, want) => {
    expect(row('', 'Service', obj)).toEqual(want);
  });

  it('endpoints list up to three addresses', () => {
    const ep = (subsets: KObject[]) => ({ metadata: meta('e'), subsets });
    expect(row('', 'Endpoints', ep([]))).toEqual(['e', '<none>', '2d']);
    expect(row('', 'Endpoints', ep([{ addresses: [{ ip: '10.0.0.1' }, { ip: 'fd00::2' }], ports: [{ port: 80 }] }]))).toEqual(['e', '10.0.0.1:80,[fd00::2]:80', '2d']);
    expect(row('', 'Endpoints', ep([{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [{ port: 80 }, { port: 443 }] }]))).toEqual(['e', '10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 1 more...', '2d']);
    expect(row('', 'Endpoints', ep([{ addresses: [{ ip: '10.0.0.1' }] }]))).toEqual(['e', '10.0.0.1', '2d']);
  });

  it('endpoint slices', () => {
    const es = { metadata: meta('es'), addressType: 'IPv4', ports: [{ port: 80 }, { name: 'http' }, {}], endpoints: [{ addresses: ['10.0.0.1'] }, { addresses: ['10.0.0.2', '10.0.0.3', '10.0.0.4'] }] };
    expect(row('discovery.k8s.io', 'EndpointSlice', es)).toEqual(['es', 'IPv4', '80,http,*', '10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...', '2d']);
    expect(row('discovery.k8s.io', 'EndpointSlice', { metadata: meta('e2'), addressType: 'IPv6' })).toEqual(['e2', 'IPv6', '<unset>', '<unset>', '2d']);
  });

  it('ingresses and ingress classes', () => {
    const ing = { metadata: meta('i'), spec: { ingressClassName: 'nginx', rules: [{ host: 'a.example' }, {}, { host: 'b.example' }], tls: [{ hosts: ['a.example'] }] }, status: { loadBalancer: { ingress: [{ ip: '10.0.0.5' }] } } };
    expect(row('networking.k8s.io', 'Ingress', ing)).toEqual(['i', 'nginx', 'a.example,b.example', '10.0.0.5', '80, 443', '2d']);
    expect(row('networking.k8s.io', 'Ingress', { metadata: meta('j'), spec: {} })).toEqual(['j', '<none>', '*', '', '80', '2d']);
    const many = { metadata: meta('k'), spec: { rules: ['a', 'b', 'c', 'd', 'e'].map((h) => ({ host: `${h}.x` })) } };
    expect(row('networking.k8s.io', 'Ingress', many)[2]).toBe('a.x,b.x,c.x + 2 more...');
    const ic = { metadata: meta('nginx'), spec: { controller: 'k8s.io/ingress-nginx', parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'external-lb' } } };
    expect(row('networking.k8s.io', 'IngressClass', ic)).toEqual(['nginx', 'k8s.io/ingress-nginx', 'IngressParameters.k8s.example.com/external-lb', '2d']);
  });
});

describe('nodes', () => {
  const node = (extra: KObject) => ({
    metadata: { name: 'n1', creationTimestamp: ago(30 * D), labels: { 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/master': '', 'kubernetes.io/role': 'edge' } },
    status: {
      conditions: [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: 'True' }],
      addresses: [{ type: 'Hostname', address: 'n1' }, { type: 'InternalIP', address: '192.168.1.10' }],
      nodeInfo: { kubeletVersion: 'v1.35.0', osImage: 'Debian GNU/Linux 12', kernelVersion: '6.1.0', containerRuntimeVersion: 'k8ts://0.1.0' },
    },
    ...extra,
  });
  const cases: [string, KObject, string][] = [
    ['ready', node({}), 'Ready'],
    ['cordoned', node({ spec: { unschedulable: true } }), 'Ready,SchedulingDisabled'],
    ['not ready', node({ status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } }), 'NotReady'],
    ['no conditions, cordoned', node({ status: {}, spec: { unschedulable: true } }), 'Unknown,SchedulingDisabled'],
  ];
  it.each(cases)('status: %s', (_n, obj, want) => {
    expect(row('', 'Node', obj)[1]).toBe(want);
  });
  it('prints roles, version and wide columns', () => {
    expect(row('', 'Node', node({}))).toEqual(['n1', 'Ready', 'control-plane,edge,master', '30d', 'v1.35.0', '192.168.1.10', '<none>', 'Debian GNU/Linux 12', '6.1.0', 'k8ts://0.1.0']);
    expect(row('', 'Node', { metadata: { name: 'bare' } })).toEqual(['bare', 'Unknown', '<none>', '<unknown>', '', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>']);
    expect(names('', 'Node')).toEqual(['Name', 'Status', 'Roles', 'Age', 'Version', 'Internal-IP', 'External-IP', 'OS-Image', 'Kernel-Version', 'Container-Runtime']);
  });
});

describe('events', () => {
  const base = {
    metadata: { name: 'web-1.17c', namespace: 'default' },
    involvedObject: { kind: 'Pod', name: 'web-1', namespace: 'default', fieldPath: 'spec.containers{nginx}' },
    reason: 'Pulled',
    message: '  Successfully pulled image "nginx"\n',
    type: 'Normal',
    source: { component: 'kubelet', host: 'n1' },
  };
  const cases: [string, KObject, unknown[]][] = [
    ['classic', { ...base, firstTimestamp: ago(10 * MIN), lastTimestamp: ago(2 * MIN), count: 4 }, ['2m', 'Normal', 'Pulled', 'pod/web-1', 'spec.containers{nginx}', 'kubelet, n1', 'Successfully pulled image "nginx"', '10m', 4, 'web-1.17c']],
    ['no last timestamp', { ...base, firstTimestamp: ago(10 * MIN), count: 1 }, ['10m', 'Normal', 'Pulled', 'pod/web-1', 'spec.containers{nginx}', 'kubelet, n1', 'Successfully pulled image "nginx"', '10m', 1, 'web-1.17c']],
    [
      'new API singleton',
      { ...base, source: {}, reportingComponent: 'default-scheduler', reportingInstance: 'sched-1', eventTime: '2024-05-01T11:59:30.000001Z' },
      ['30s', 'Normal', 'Pulled', 'pod/web-1', 'spec.containers{nginx}', 'default-scheduler, sched-1', 'Successfully pulled image "nginx"', '30s', 1, 'web-1.17c'],
    ],
    [
      'series',
      { ...base, eventTime: ago(20 * MIN), series: { count: 7, lastObservedTime: ago(45 * S) } },
      ['45s', 'Normal', 'Pulled', 'pod/web-1', 'spec.containers{nginx}', 'kubelet, n1', 'Successfully pulled image "nginx"', '20m', 7, 'web-1.17c'],
    ],
    ['object without name', { ...base, involvedObject: { kind: 'Node' }, source: { component: 'kubelet' }, firstTimestamp: ago(MIN) }, ['60s', 'Normal', 'Pulled', 'node', '', 'kubelet', 'Successfully pulled image "nginx"', '60s', 1, 'web-1.17c']],
  ];
  it.each(cases)('%s', (_n, obj, want) => {
    expect(row('', 'Event', obj)).toEqual(want);
  });
  it('columns: LAST SEEN TYPE REASON OBJECT MESSAGE, the rest wide', () => {
    const cols = printerFor('', 'Event').columns;
    expect(cols.filter((c) => c.priority === 0).map((c) => c.name)).toEqual(['Last Seen', 'Type', 'Reason', 'Object', 'Message']);
    expect(cols.map((c) => c.name)).toEqual(['Last Seen', 'Type', 'Reason', 'Object', 'Subobject', 'Source', 'Message', 'First Seen', 'Count', 'Name']);
  });
  it('prints events.k8s.io objects the same way', () => {
    const ev = {
      metadata: base.metadata,
      regarding: base.involvedObject,
      reason: 'Scheduled',
      note: 'Successfully assigned default/web-1 to n1',
      type: 'Normal',
      reportingController: 'default-scheduler',
      reportingInstance: 'default-scheduler-n1',
      eventTime: ago(3 * MIN),
    };
    expect(row('events.k8s.io', 'Event', ev)).toEqual(['3m', 'Normal', 'Scheduled', 'pod/web-1', 'spec.containers{nginx}', 'default-scheduler, default-scheduler-n1', 'Successfully assigned default/web-1 to n1', '3m', 1, 'web-1.17c']);
  });
});

describe('config and storage', () => {
  it('secrets and config maps count their keys', () => {
    expect(row('', 'Secret', { metadata: meta('tls'), type: 'kubernetes.io/tls', data: { 'tls.crt': 'x', 'tls.key': 'y' } })).toEqual(['tls', 'kubernetes.io/tls', 2, '2d']);
    expect(row('', 'Secret', { metadata: meta('empty'), type: 'Opaque' })).toEqual(['empty', 'Opaque', 0, '2d']);
    expect(row('', 'ConfigMap', { metadata: meta('cm'), data: { a: '1' }, binaryData: { b: 'AA==' } })).toEqual(['cm', 2, '2d']);
    expect(row('', 'ServiceAccount', { metadata: meta('default') })).toEqual(['default', 0, '2d']);
    expect(row('', 'Namespace', { metadata: meta('kube-system'), status: { phase: 'Active' } })).toEqual(['kube-system', 'Active', '2d']);
  });
  it('resource quotas split requests and limits', () => {
    const rq = { metadata: meta('q'), status: { hard: { 'limits.cpu': '2', pods: '10', 'requests.memory': '1Gi' }, used: { pods: '3', 'limits.cpu': '500m' } } };
    expect(row('', 'ResourceQuota', rq)).toEqual(['q', 'pods: 3/10, requests.memory: 0/1Gi', 'limits.cpu: 500m/2', '2d']);
  });
  it('persistent volumes and claims', () => {
    const pv = {
      metadata: { ...meta('pv1'), namespace: undefined },
      spec: { capacity: { storage: '5Gi' }, accessModes: ['ReadWriteMany', 'ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Retain', claimRef: { namespace: 'default', name: 'data' }, storageClassName: 'local', volumeMode: 'Filesystem' },
      status: { phase: 'Bound' },
    };
    expect(row('', 'PersistentVolume', pv)).toEqual(['pv1', '5Gi', 'RWO,RWX', 'Retain', 'Bound', 'default/data', 'local', '<unset>', '', '2d', 'Filesystem']);
    const pvc = { metadata: meta('data'), spec: { volumeName: 'pv1', storageClassName: 'local', volumeMode: 'Filesystem' }, status: { phase: 'Bound', capacity: { storage: '5Gi' }, accessModes: ['ReadWriteOnce'] } };
    expect(row('', 'PersistentVolumeClaim', pvc)).toEqual(['data', 'Bound', 'pv1', '5Gi', 'RWO', 'local', '<unset>', '2d', 'Filesystem']);
    expect(row('', 'PersistentVolumeClaim', { metadata: { ...meta('p2'), deletionTimestamp: ago(0) }, spec: {}, status: { phase: 'Pending' } })).toEqual(['p2', 'Terminating', '', '', '', '', '<unset>', '2d', '<unset>']);
  });
  it('storage classes mark the default', () => {
    const sc = { metadata: { name: 'local', creationTimestamp: ago(H), annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }, provisioner: 'rancher.io/local-path', volumeBindingMode: 'WaitForFirstConsumer' };
    expect(row('storage.k8s.io', 'StorageClass', sc)).toEqual(['local (default)', 'rancher.io/local-path', 'Delete', 'WaitForFirstConsumer', false, '60m']);
  });
});

describe('batch', () => {
  const job = (spec: KObject, status: KObject, metaExtra: KObject = {}) => ({ metadata: meta('j', metaExtra), spec: { template: { spec: { containers: [{ name: 'pi', image: 'perl' }] } }, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u' } }, ...spec }, status });
  const cases: [string, KObject, unknown[]][] = [
    ['complete', job({ completions: 1 }, { succeeded: 1, startTime: ago(5 * MIN), completionTime: ago(3 * MIN), conditions: [{ type: 'SuccessCriteriaMet', status: 'True' }, { type: 'Complete', status: 'True' }] }), ['j', 'Complete', '1/1', '2m', '2d']],
    ['running, no completions, parallel', job({ parallelism: 3 }, { active: 3, startTime: ago(90 * S) }), ['j', 'Running', '0/1 of 3', '90s', '2d']],
    ['running, completions', job({ completions: 5, parallelism: 2 }, { succeeded: 2, startTime: ago(10 * MIN) }), ['j', 'Running', '2/5', '10m', '2d']],
    ['not started', job({ completions: 1 }, {}), ['j', 'Running', '0/1', '', '2d']],
    ['failed', job({ completions: 1 }, { failed: 6, startTime: ago(H), conditions: [{ type: 'Failed', status: 'True' }] }), ['j', 'Failed', '0/1', '60m', '2d']],
    ['suspended', job({ completions: 1, suspend: true }, { conditions: [{ type: 'Suspended', status: 'True' }] }), ['j', 'Suspended', '0/1', '', '2d']],
    ['terminating', job({ completions: 1 }, { conditions: [{ type: 'Suspended', status: 'True' }] }, { deletionTimestamp: ago(0) }), ['j', 'Terminating', '0/1', '', '2d']],
    ['failure target', job({ completions: 1 }, { startTime: ago(MIN), conditions: [{ type: 'FailureTarget', status: 'True' }] }), ['j', 'FailureTarget', '0/1', '60s', '2d']],
  ];
  it.each(cases)('job: %s', (_n, obj, want) => {
    expect(row('batch', 'Job', obj)).toEqual([...want, 'pi', 'perl', 'batch.kubernetes.io/controller-uid=u']);
  });
  it('job columns', () => {
    expect(names('batch', 'Job')).toEqual(['Name', 'Status', 'Completions', 'Duration', 'Age', 'Containers', 'Images', 'Selector']);
  });
  it('cron jobs', () => {
    const cj = {
      metadata: meta('backup'),
      spec: { schedule: '*/5 * * * *', suspend: false, jobTemplate: { spec: { template: { spec: { containers: [{ name: 'b', image: 'restic' }] } } } } },
      status: { active: [{ name: 'backup-1' }], lastScheduleTime: ago(4 * MIN) },
    };
    expect(row('batch', 'CronJob', cj)).toEqual(['backup', '*/5 * * * *', '<none>', 'False', 1, '4m', '2d', 'b', 'restic', '<none>']);
    const tz = { ...cj, spec: { ...cj.spec, timeZone: 'Europe/Paris', suspend: true }, status: {} };
    expect(row('batch', 'CronJob', tz).slice(1, 6)).toEqual(['*/5 * * * *', 'Europe/Paris', 'True', 0, '<none>']);
  });
});

describe('horizontal pod autoscalers', () => {
  const hpa = (spec: KObject, status: KObject = {}) => ({ metadata: meta('web'), spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 10, ...spec }, status });
  const cpu = (target: KObject) => ({ type: 'Resource', resource: { name: 'cpu', target } });
  const cases: [string, KObject, string][] = [
    ['no metrics', hpa({ metrics: [] }), '<none>'],
    ['utilization, unknown current', hpa({ metrics: [cpu({ type: 'Utilization', averageUtilization: 80 })] }), 'cpu: <unknown>/80%'],
    ['utilization', hpa({ metrics: [cpu({ type: 'Utilization', averageUtilization: 80 })] }, { currentReplicas: 2, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 45, averageValue: '90m' } } }] }), 'cpu: 45%/80%'],
    [
      'average value',
      hpa({ metrics: [{ type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '200Mi' } } }] }, { currentMetrics: [{ type: 'Resource', resource: { name: 'memory', current: { averageValue: '120Mi' } } }] }),
      'memory: 120Mi/200Mi',
    ],
    ['pods metric', hpa({ metrics: [{ type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } } }] }), '<unknown>/10'],
    ['object metric, average', hpa({ metrics: [{ type: 'Object', object: { metric: { name: 'rps' }, describedObject: { kind: 'Service', name: 's' }, target: { type: 'AverageValue', averageValue: '5' } } }] }), '<unknown>/5 (avg)'],
    ['external metric, value', hpa({ metrics: [{ type: 'External', external: { metric: { name: 'queue' }, target: { type: 'Value', value: '30' } } }] }, { currentMetrics: [{ type: 'External', external: { current: { value: '12' } } }] }), '12/30'],
    [
      'more than two',
      hpa({ metrics: [cpu({ type: 'Utilization', averageUtilization: 80 }), cpu({ type: 'Utilization', averageUtilization: 70 }), cpu({ type: 'Utilization', averageUtilization: 60 })] }),
      'cpu: <unknown>/80%, cpu: <unknown>/70% + 1 more...',
    ],
    ['autoscaling/v1 object', hpa({ targetCPUUtilizationPercentage: 50 }, { currentCPUUtilizationPercentage: 20, currentReplicas: 1 }), 'cpu: 20%/50%'],
  ];
  it.each(cases)('TARGETS: %s', (_n, obj, want) => {
    expect(row('autoscaling', 'HorizontalPodAutoscaler', obj)[2]).toBe(want);
  });
  it('whole row', () => {
    expect(row('autoscaling', 'HorizontalPodAutoscaler', hpa({ metrics: [] }, { currentReplicas: 3 }))).toEqual(['web', 'Deployment/web', '<none>', '1', 10, 3, '2d']);
    expect(row('autoscaling', 'HorizontalPodAutoscaler', hpa({ minReplicas: undefined }))[3]).toBe('<unset>');
    expect(names('autoscaling', 'HorizontalPodAutoscaler')).toEqual(['Name', 'Reference', 'Targets', 'MinPods', 'MaxPods', 'Replicas', 'Age']);
  });
});

describe('cluster objects', () => {
  it('rbac bindings', () => {
    const rb = {
      metadata: meta('rb'),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [
        { kind: 'User', name: 'alice' },
        { kind: 'Group', name: 'devs' },
        { kind: 'ServiceAccount', name: 'ci', namespace: 'tools' },
        { kind: 'User', name: 'bob' },
      ],
    };
    expect(row('rbac.authorization.k8s.io', 'RoleBinding', rb)).toEqual(['rb', 'ClusterRole/view', '2d', 'alice, bob', 'devs', 'tools/ci']);
    expect(row('rbac.authorization.k8s.io', 'ClusterRoleBinding', { ...rb, subjects: undefined })).toEqual(['rb', 'ClusterRole/view', '2d', '', '', '']);
  });
  it('roles, cluster roles, limit ranges and CRDs use the default printer', () => {
    for (const [g, k] of [['rbac.authorization.k8s.io', 'Role'], ['rbac.authorization.k8s.io', 'ClusterRole'], ['', 'LimitRange'], ['apiextensions.k8s.io', 'CustomResourceDefinition']]) {
      expect(hasPrinter(g!, k!)).toBe(false);
      expect(names(g!, k!)).toEqual(['Name', 'Created At']);
    }
    expect(printerFor('apiextensions.k8s.io', 'CustomResourceDefinition').columns[1]).toMatchObject({ type: 'date', format: '' });
    expect(row('apiextensions.k8s.io', 'CustomResourceDefinition', { metadata: { name: 'widgets.example.com', creationTimestamp: '2024-01-02T03:04:05Z' } })).toEqual(['widgets.example.com', '2024-01-02T03:04:05Z']);
  });
  it('leases, priority classes, runtime classes, PDBs', () => {
    expect(row('coordination.k8s.io', 'Lease', { metadata: meta('n1'), spec: { holderIdentity: 'n1' } })).toEqual(['n1', 'n1', '2d']);
    expect(row('scheduling.k8s.io', 'PriorityClass', { metadata: meta('system-node-critical'), value: 2000001000, preemptionPolicy: 'PreemptLowerPriority' })).toEqual(['system-node-critical', 2000001000, false, '2d', 'PreemptLowerPriority']);
    expect(row('node.k8s.io', 'RuntimeClass', { metadata: meta('gvisor'), handler: 'runsc' })).toEqual(['gvisor', 'runsc', '2d']);
    expect(row('policy', 'PodDisruptionBudget', { metadata: meta('pdb'), spec: { minAvailable: '50%' }, status: { disruptionsAllowed: 1 } })).toEqual(['pdb', '50%', 'N/A', 1, '2d']);
    expect(row('policy', 'PodDisruptionBudget', { metadata: meta('pdb'), spec: { maxUnavailable: 1 }, status: {} })).toEqual(['pdb', 'N/A', '1', 0, '2d']);
  });
  it('certificate signing requests', () => {
    const csr = (status: KObject, spec: KObject = {}) => ({ metadata: meta('csr-1'), spec: { signerName: 'kubernetes.io/kube-apiserver-client-kubelet', username: 'system:node:n1', request: '', ...spec }, status });
    expect(row('certificates.k8s.io', 'CertificateSigningRequest', csr({}))).toEqual(['csr-1', '2d', 'kubernetes.io/kube-apiserver-client-kubelet', 'system:node:n1', '<none>', 'Pending']);
    expect(row('certificates.k8s.io', 'CertificateSigningRequest', csr({ conditions: [{ type: 'Approved', status: 'True' }], certificate: 'Y2VydA==' }, { expirationSeconds: 86400 }))).toEqual([
      'csr-1', '2d', 'kubernetes.io/kube-apiserver-client-kubelet', 'system:node:n1', '24h', 'Approved,Issued',
    ]);
    expect(row('certificates.k8s.io', 'CertificateSigningRequest', csr({ conditions: [{ type: 'Approved' }, { type: 'Denied' }, { type: 'Failed' }] }))[5]).toBe('Denied,Failed');
  });
  it('webhooks, network policies, CSI objects, volume attachments', () => {
    expect(row('admissionregistration.k8s.io', 'MutatingWebhookConfiguration', { metadata: meta('m'), webhooks: [{}, {}] })).toEqual(['m', 2, '2d']);
    expect(row('admissionregistration.k8s.io', 'ValidatingWebhookConfiguration', { metadata: meta('v') })).toEqual(['v', 0, '2d']);
    expect(row('networking.k8s.io', 'NetworkPolicy', { metadata: meta('deny'), spec: { podSelector: {} } })).toEqual(['deny', '<none>', '2d']);
    expect(row('networking.k8s.io', 'NetworkPolicy', { metadata: meta('web'), spec: { podSelector: { matchLabels: { app: 'web' } } } })).toEqual(['web', 'app=web', '2d']);
    expect(row('storage.k8s.io', 'CSIDriver', { metadata: meta('d'), spec: { tokenRequests: [{ audience: 'a' }, { audience: 'b' }], volumeLifecycleModes: ['Persistent', 'Ephemeral'] } })).toEqual(['d', true, false, false, 'a,b', false, 'Persistent,Ephemeral', '2d']);
    expect(row('storage.k8s.io', 'CSIDriver', { metadata: meta('d'), spec: {} })).toEqual(['d', true, false, false, '<unset>', false, '<none>', '2d']);
    expect(row('storage.k8s.io', 'CSINode', { metadata: meta('n1'), spec: { drivers: [{ name: 'x' }] } })).toEqual(['n1', 1, '2d']);
    expect(row('storage.k8s.io', 'VolumeAttachment', { metadata: meta('va'), spec: { attacher: 'csi.x', nodeName: 'n1', source: { persistentVolumeName: 'pv1' } }, status: { attached: true } })).toEqual(['va', 'csi.x', 'pv1', 'n1', true, '2d']);
  });
});

describe('custom resources', () => {
  const crd = {
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      names: { kind: 'Widget', plural: 'widgets' },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          additionalPrinterColumns: [
            { name: 'Size', type: 'integer', jsonPath: '.spec.size' },
            { name: 'Phase', type: 'string', jsonPath: '.status.phase', description: 'Where it is.' },
            { name: 'Ready', type: 'boolean', jsonPath: ".status.conditions[0]['ok']", priority: 1 },
            { name: 'Tags', type: 'string', jsonPath: '.spec.tags' },
            { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
          ],
        },
        { name: 'v2', served: true, storage: false },
      ],
    },
  };
  it('follows the version printer columns', () => {
    const p = crdPrinterFor(crd, 'v1');
    expect(p.columns.map((c) => [c.name, c.type, c.priority])).toEqual([
      ['Name', 'string', 0],
      ['Size', 'integer', 0],
      ['Phase', 'string', 0],
      ['Ready', 'boolean', 1],
      ['Tags', 'string', 0],
      ['Age', 'date', 0],
    ]);
    const w = { metadata: { name: 'w1', creationTimestamp: ago(3 * H) }, spec: { size: 3.7, tags: ['a', 'b'] }, status: { phase: 'Running', conditions: [{ ok: true }] } };
    expect(p.row(w, NOW)).toEqual(['w1', 3, 'Running', true, '["a","b"]', '3h']);
    expect(p.row({ metadata: { name: 'w2' } }, NOW)).toEqual(['w2', null, null, null, null, null]);
  });
  it('defaults to an Age column', () => {
    const p = crdPrinterFor(crd, 'v2');
    expect(p.columns.map((c) => c.name)).toEqual(['Name', 'Age']);
    expect(p.row({ metadata: { name: 'w', creationTimestamp: ago(5 * S) } }, NOW)).toEqual(['w', '5s']);
    expect(customResourcePrinter([]).columns.map((c) => c.type)).toEqual(['string', 'date']);
  });
});

describe('toTable', () => {
  const pods = [
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', namespace: 'ns', labels: { app: 'x' }, creationTimestamp: ago(MIN) }, spec: { containers: [{ name: 'c' }] }, status: { phase: 'Succeeded' } },
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'b', namespace: 'ns', creationTimestamp: ago(MIN) }, spec: { containers: [{ name: 'c' }] }, status: { phase: 'Running' } },
  ];
  it('builds a meta.k8s.io/v1 Table with PartialObjectMetadata rows', () => {
    const t = toTable(printerFor('', 'Pod'), pods, { now: NOW, resourceVersion: '42', continue: 'tok' });
    expect(t.kind).toBe('Table');
    expect(t.apiVersion).toBe('meta.k8s.io/v1');
    expect(t.metadata).toEqual({ resourceVersion: '42', continue: 'tok' });
    expect(t.columnDefinitions.length).toBe(9);
    expect(t.columnDefinitions[0]).toEqual({ name: 'Name', type: 'string', format: 'name', description: expect.any(String), priority: 0 });
    expect(t.rows.length).toBe(2);
    expect(t.rows[0]!.cells[0]).toBe('a');
    expect(t.rows[0]!.object).toEqual({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: pods[0]!.metadata });
    expect(t.rows[0]!.conditions?.[0]?.type).toBe('Completed');
    expect(t.rows[1]!.conditions).toBeUndefined();
    expect(JSON.parse(JSON.stringify(t)).rows[1]).toEqual({ cells: ['b', '0/1', 'Running', '0', '60s', '<none>', '<none>', '<none>', '<none>'], object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: pods[1]!.metadata } });
  });
  it('includes the whole object, or none', () => {
    const full = toTable(printerFor('', 'Pod'), pods, { now: NOW, includeObject: 'Object' });
    expect(full.rows[1]!.object).toBe(pods[1]);
    expect(full.metadata).toEqual({});
    const none = toTable(printerFor('', 'Pod'), pods, { now: NOW, includeObject: 'None', remainingItemCount: 5 });
    expect('object' in none.rows[0]!).toBe(false);
    expect(none.metadata).toEqual({ remainingItemCount: 5 });
  });
  it('supports noHeaders and an empty list', () => {
    const t = toTable(printerFor('', 'ConfigMap'), [], { now: NOW, resourceVersion: '7', noHeaders: true });
    expect(t).toEqual({ kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: '7' }, columnDefinitions: [], rows: [] });
  });
});
