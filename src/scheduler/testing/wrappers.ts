// Test builders for pods and nodes (upstream's st.MakePod()/st.MakeNode() in spirit): terse
// objects with only what a test cares about.
import type { Affinity, Container, Node, Pod, Taint, Toleration } from 'kubernetes-types/core/v1.js';
import { CycleState } from '../framework/cycle-state.js';
import { isFilter, isPreFilter, isPreScore, isScore, type NodeScore, type Plugin } from '../framework/interface.js';
import { Code, isSkip, isSuccess, type MaybeStatus } from '../framework/status.js';
import { NodeInfo } from '../framework/types.js';

export interface PodOptions {
  ns?: string;
  uid?: string;
  /** Requests of one container each, e.g. [{ cpu: '1', memory: '1Gi' }]. */
  containers?: Array<Record<string, string>>;
  initContainers?: Array<Record<string, string>>;
  overhead?: Record<string, string>;
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  labels?: Record<string, string>;
  tolerations?: Toleration[];
  hostPorts?: Array<{ port: number; protocol?: string; hostIP?: string }>;
  priority?: number;
  affinity?: Affinity;
  schedulerName?: string;
}

export function makePod(name: string, o: PodOptions = {}): Pod {
  const container = (i: number, req: Record<string, string> | undefined, prefix = 'c'): Container => ({
    name: `${prefix}${i}`,
    image: 'busybox',
    ...(req && Object.keys(req).length ? { resources: { requests: req } } : {}),
  });
  const containers = (o.containers ?? [{}]).map((r, i) => container(i, r));
  if (o.hostPorts?.length) containers[0]!.ports = o.hostPorts.map((p) => ({ containerPort: p.port, hostPort: p.port, protocol: p.protocol, hostIP: p.hostIP }));
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: o.ns ?? 'default', uid: o.uid ?? `uid-${name}`, labels: o.labels },
    spec: {
      containers,
      ...(o.initContainers ? { initContainers: o.initContainers.map((r, i) => container(i, r, 'init')) } : {}),
      ...(o.overhead ? { overhead: o.overhead } : {}),
      ...(o.nodeName ? { nodeName: o.nodeName } : {}),
      ...(o.nodeSelector ? { nodeSelector: o.nodeSelector } : {}),
      ...(o.tolerations ? { tolerations: o.tolerations } : {}),
      ...(o.priority !== undefined ? { priority: o.priority } : {}),
      ...(o.affinity ? { affinity: o.affinity } : {}),
      schedulerName: o.schedulerName ?? 'default-scheduler',
    },
  };
}

export interface NodeOptions {
  /** Allocatable (and capacity), e.g. { cpu: '4', memory: '8Gi', pods: '110' }. */
  allocatable?: Record<string, string>;
  labels?: Record<string, string>;
  taints?: Taint[];
  unschedulable?: boolean;
}

export function makeNode(name: string, o: NodeOptions = {}): Node {
  const allocatable = o.allocatable ?? { cpu: '4', memory: '8Gi', pods: '110' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...o.labels } },
    spec: { ...(o.taints ? { taints: o.taints } : {}), ...(o.unschedulable ? { unschedulable: true } : {}) },
    status: {
      capacity: allocatable,
      allocatable,
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
    },
  };
}

// ---- running single plugins in tests ------------------------------------------------------------


/** A NodeInfo with pods on it. */
export function nodeInfo(node: Node, pods: Pod[] = []): NodeInfo {
  return new NodeInfo(node, pods);
}

/** PreFilter (if any) then Filter of one plugin on one node: the status code and reasons. */
export function runFilter(p: Plugin, pod: Pod, ni: NodeInfo): { code: Code; reasons: string[] } {
  const state = new CycleState();
  if (isPreFilter(p)) {
    const s = p.preFilter(state, pod, [ni]);
    if (isSkip(s as MaybeStatus)) return { code: Code.Success, reasons: [] };
    if (s && 'code' in s && !isSuccess(s)) return { code: s.code, reasons: [...s.reasons] };
  }
  if (!isFilter(p)) throw new Error(`${p.name} is no Filter plugin`);
  const s = p.filter(state, pod, ni);
  return { code: s?.code ?? Code.Success, reasons: s ? [...s.allReasons()] : [] };
}

/** PreScore (if any), Score over the nodes and NormalizeScore: final scores by node name. */
export function runScore(p: Plugin, pod: Pod, nodes: NodeInfo[]): Record<string, number> {
  const state = new CycleState();
  if (isPreScore(p)) {
    const s = p.preScore(state, pod, nodes);
    if (isSkip(s)) return Object.fromEntries(nodes.map((n) => [n.name, 0]));
    if (!isSuccess(s)) throw new Error(s!.message());
  }
  if (!isScore(p)) throw new Error(`${p.name} is no Score plugin`);
  const scores: NodeScore[] = nodes.map((n) => {
    const v = p.score(state, pod, n);
    if (typeof v !== 'number') throw new Error(v.message());
    return { name: n.name, score: v };
  });
  p.scoreExtensions?.()?.normalizeScore(state, pod, scores);
  return Object.fromEntries(scores.map((s) => [s.name, s.score]));
}
