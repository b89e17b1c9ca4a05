// A node-agent stand-in for end-to-end tests only (the real node agent is its own issue).
// It registers Node objects (Ready, allocatable cpu 4 / memory 8Gi / pods 110), keeps their
// Leases in kube-node-lease renewed, and for pods bound to those nodes does what a kubelet
// would be seen doing from the API: a bound Pending pod becomes Running and Ready through
// the pods/status subresource, and a pod with a deletionTimestamp is finally deleted with
// gracePeriodSeconds 0. It talks HTTPS with the admin certificate (see raw.ts).
import https from 'node:https';
import { randomBytes } from 'node:crypto';
import type { ServerHandle } from './harness.js';
import { rawClient, type RawResponse } from './raw.js';

/** A node to register: a name, or a name with labels, taints and allocatable resources. */
export interface NodeSpec {
  name: string;
  /** Added to the kubernetes.io/hostname, os and arch labels. */
  labels?: Record<string, string>;
  taints?: { key: string; value?: string; effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute' }[];
  /** Capacity = allocatable, e.g. `{ cpu: '2' }`; unnamed resources keep cpu 4 / memory 8Gi / pods 110. */
  resources?: Record<string, string>;
}

export interface PodDoubleOptions {
  /** How many nodes to register (named `<prefix>-0` …), or explicit names / specs. Default 3. */
  nodes?: number | (string | NodeSpec)[];
  prefix?: string;
  /** How often the Leases are renewed (the kubelet default is every 10 s). */
  leaseRenewMs?: number;
  /** Full re-list period, a safety net under the watch. */
  resyncMs?: number;
}

export interface PodDouble {
  /** The names of the nodes registered so far. */
  nodes: string[];
  /** Registers one more node (as a kubelet joining later would). */
  addNode(node: string | NodeSpec): Promise<void>;
  /** The node's "kubelet" dies: its Lease is no longer renewed and its pods are left as they are. */
  stopNode(name: string): void;
  /** While false, pods being deleted stay Terminating (the "containers" have not stopped yet). */
  setFinishDeletions(on: boolean): void;
  /** Unexpected responses seen (anything other than the 404/409 races a kubelet shrugs off). */
  errors: string[];
  stop(): Promise<void>;
}

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const microNow = () => new Date().toISOString().replace(/\.(\d+)Z$/, (_m, f: string) => `.${f.padEnd(6, '0')}Z`);

export async function startPodDouble(s: ServerHandle, opts: PodDoubleOptions = {}): Promise<PodDouble> {
  const prefix = opts.prefix ?? 'node';
  const specs: NodeSpec[] = (Array.isArray(opts.nodes) ? opts.nodes : Array.from({ length: opts.nodes ?? 3 }, (_, i) => `${prefix}-${i}`))
    .map((n) => (typeof n === 'string' ? { name: n } : n));
  const nodes: string[] = [];
  const hostIP = new Map<string, string>();
  const nodeIndex = new Map<string, number>();
  const nextIP = new Map<string, number>();
  /** Nodes whose kubelet is "down" (stopNode). */
  const dead = new Set<string>();
  let finishDeletions = true;
  const { request, agent, close } = rawClient(s);
  const errors: string[] = [];
  const inFlight = new Set<string>();
  const pending = new Set<Promise<unknown>>();
  let stopped = false;

  const note = (what: string, r: RawResponse) => {
    if (r.status >= 300 && r.status !== 404 && r.status !== 409) errors.push(`${what}: ${r.status} ${r.body.slice(0, 300)}`);
  };
  const track = <T>(p: Promise<T>): Promise<T> => {
    pending.add(p);
    p.finally(() => pending.delete(p)).catch(() => {});
    return p;
  };

  // --- nodes and leases --------------------------------------------------------------------
  const register = async (spec: NodeSpec) => {
    const name = spec.name;
    const i = nodeIndex.size;
    nodeIndex.set(name, i);
    hostIP.set(name, `192.168.0.${10 + i}`);
    nextIP.set(name, 2);
    const resources = { cpu: '4', memory: '8Gi', pods: '110', 'ephemeral-storage': '100Gi', ...spec.resources };
    const status = {
      capacity: resources,
      allocatable: resources,
      conditions: [
        { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available', lastHeartbeatTime: now(), lastTransitionTime: now() },
        { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure', lastHeartbeatTime: now(), lastTransitionTime: now() },
        { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available', lastHeartbeatTime: now(), lastTransitionTime: now() },
        { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: now(), lastTransitionTime: now() },
      ],
      addresses: [{ type: 'InternalIP', address: hostIP.get(name)! }, { type: 'Hostname', address: name }],
      nodeInfo: {
        machineID: '', systemUUID: '', bootID: '', kernelVersion: '6.0.0', osImage: 'pod-double', containerRuntimeVersion: 'double://1.0',
        kubeletVersion: 'v1.32.0', kubeProxyVersion: 'v1.32.0', operatingSystem: 'linux', architecture: 'amd64',
      },
    };
    const body = {
      apiVersion: 'v1', kind: 'Node',
      metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', ...spec.labels } },
      spec: { podCIDR: `10.244.${i}.0/24`, ...(spec.taints ? { taints: spec.taints } : {}) },
      status,
    };
    const r = await request('POST', '/api/v1/nodes', JSON.stringify(body));
    if (r.status !== 201) throw new Error(`registering node ${name}: ${r.status} ${r.body}`);
    // Status on create is kept by upstream's node strategy; post it through /status as well in
    // case a server resets it, as the kubelet's first status update would.
    const st = await request('PATCH', `/api/v1/nodes/${name}/status`, JSON.stringify({ status }), { 'Content-Type': 'application/merge-patch+json' });
    note(`node ${name} status`, st);
    const uid = r.json().metadata.uid as string;
    const lease = {
      apiVersion: 'coordination.k8s.io/v1', kind: 'Lease',
      metadata: { name, namespace: 'kube-node-lease', ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid }] },
      spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: microNow() },
    };
    const lr = await request('POST', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', JSON.stringify(lease));
    if (lr.status !== 201) throw new Error(`creating the lease of ${name}: ${lr.status} ${lr.body}`);
    nodes.push(name);
  };
  for (const spec of specs) await register(spec);
  const renew = async () => {
    for (const name of [...nodes]) {
      if (stopped) return;
      if (dead.has(name)) continue;
      const r = await request('PATCH', `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${name}`,
        JSON.stringify({ spec: { renewTime: microNow() } }), { 'Content-Type': 'application/merge-patch+json' }).catch((e: Error) => ({ status: 0, body: String(e), headers: {}, json: () => undefined }) as RawResponse);
      if (!stopped) note(`lease ${name}`, r);
    }
  };
  const leaseTimer = setInterval(() => void track(renew()), opts.leaseRenewMs ?? 5_000);

  // --- pods ----------------------------------------------------------------------------------
  const handle = (pod: any) => {
    if (stopped || !pod?.metadata) return;
    const node = pod.spec?.nodeName as string | undefined;
    if (!node || !nodeIndex.has(node) || dead.has(node)) return;
    const { namespace, name, uid } = pod.metadata;
    const key = `${uid}`;
    if (inFlight.has(key)) return;
    let work: Promise<void> | undefined;
    if (pod.metadata.deletionTimestamp) {
      if (!finishDeletions) return;
      // Containers "stopped": finish the deletion as the kubelet's status manager does.
      work = (async () => {
        const r = await request('DELETE', `/api/v1/namespaces/${namespace}/pods/${name}`,
          JSON.stringify({ apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0, preconditions: { uid } }));
        note(`delete pod ${namespace}/${name}`, r);
      })();
    } else if (pod.status?.phase === 'Pending' || !pod.status?.phase) {
      work = (async () => {
        const t = now();
        const ip = `10.244.${nodeIndex.get(node)}.${nextIP.get(node)!}`;
        nextIP.set(node, (nextIP.get(node)! % 250) + 1);
        const prev: any[] = pod.status?.conditions ?? [];
        const scheduled = prev.find((c) => c.type === 'PodScheduled') ?? { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: t };
        const cond = (type: string) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: t });
        const status = {
          ...pod.status,
          phase: 'Running',
          conditions: [cond('PodReadyToStartContainers'), cond('Initialized'), cond('Ready'), cond('ContainersReady'), { ...scheduled, status: 'True' }],
          hostIP: hostIP.get(node),
          hostIPs: [{ ip: hostIP.get(node) }],
          podIP: ip,
          podIPs: [{ ip }],
          startTime: t,
          initContainerStatuses: (pod.spec.initContainers ?? []).map((c: any) => ({
            name: c.name, image: c.image, imageID: `${c.image}@sha256:${randomBytes(32).toString('hex')}`,
            containerID: `double://${randomBytes(32).toString('hex')}`, ready: true, restartCount: 0,
            state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: t, finishedAt: t, containerID: '' } },
          })),
          containerStatuses: (pod.spec.containers ?? []).map((c: any) => ({
            name: c.name, image: c.image, imageID: `${c.image}@sha256:${randomBytes(32).toString('hex')}`,
            containerID: `double://${randomBytes(32).toString('hex')}`, ready: true, started: true, restartCount: 0,
            state: { running: { startedAt: t } },
          })),
        };
        if (status.initContainerStatuses.length === 0) delete (status as { initContainerStatuses?: unknown }).initContainerStatuses;
        const body = { ...pod, status };
        const r = await request('PUT', `/api/v1/namespaces/${namespace}/pods/${name}/status`, JSON.stringify(body));
        if (r.status === 409) {
          // Someone wrote the pod in between: read it again and retry once on the fresh copy.
          const g = await request('GET', `/api/v1/namespaces/${namespace}/pods/${name}`);
          if (g.status === 200) queueMicrotask(() => handle(g.json()));
          return;
        }
        note(`status of pod ${namespace}/${name}`, r);
      })();
    }
    if (!work) return;
    inFlight.add(key);
    void track(work.catch((e: Error) => {
      if (!stopped) errors.push(String(e));
    }).finally(() => inFlight.delete(key)));
  };

  let watchReq: ReturnType<typeof https.request> | undefined;
  let relisting = false;
  const relist = async (): Promise<string | undefined> => {
    const r = await request('GET', '/api/v1/pods');
    if (r.status !== 200) {
      note('list pods', r);
      return undefined;
    }
    const list = r.json();
    for (const p of list.items) handle(p);
    return list.metadata.resourceVersion as string;
  };
  const watchFrom = (rv: string) => {
    if (stopped) return;
    const req = https.request(`${s.url}/api/v1/pods?watch=true&allowWatchBookmarks=true&resourceVersion=${rv}`, { method: 'GET', agent }, (res) => {
      let buf = '';
      let last = rv;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (!line) continue;
          const ev = JSON.parse(line);
          if (ev.type === 'ERROR') {
            last = '';
            continue;
          }
          if (ev.object?.metadata?.resourceVersion) last = ev.object.metadata.resourceVersion;
          if (ev.type === 'ADDED' || ev.type === 'MODIFIED') handle(ev.object);
        }
      });
      res.on('end', () => restart(last));
    });
    req.on('error', () => restart(''));
    req.end();
    watchReq = req;
  };
  const restart = (rv: string) => {
    if (stopped || relisting) return;
    if (rv) return void setTimeout(() => watchFrom(rv), 50);
    relisting = true;
    void track((async () => {
      await new Promise((r) => setTimeout(r, 100));
      const fresh = await relist().catch(() => undefined);
      relisting = false;
      if (fresh) watchFrom(fresh);
      else restart('');
    })());
  };
  const first = await relist();
  if (!first) throw new Error('the pod double could not list pods');
  watchFrom(first);
  const resyncTimer = setInterval(() => void track(relist().catch(() => undefined)), opts.resyncMs ?? 2_000);

  return {
    nodes,
    errors,
    addNode: (node) => register(typeof node === 'string' ? { name: node } : node),
    stopNode: (name) => void dead.add(name),
    setFinishDeletions: (on) => {
      finishDeletions = on;
      if (on) void track(relist().catch(() => undefined));
    },
    async stop() {
      stopped = true;
      clearInterval(leaseTimer);
      clearInterval(resyncTimer);
      watchReq?.destroy();
      await Promise.allSettled([...pending]);
      close();
    },
  };
}
