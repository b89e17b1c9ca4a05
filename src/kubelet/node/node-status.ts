// The Node object this agent owns (upstream's kubelet node status): registration, then status
// every 10 s when something changed, or every 5 min regardless (nodeStatusReportFrequency);
// liveness itself is the Lease (node-lease.ts).
import type { Node, NodeCondition, NodeStatus, Taint } from 'kubernetes-types/core/v1.js';
import { isConflict, isNotFound, resources, type RestClient, type TimerClock } from '../../client/index.js';
import type { MachineInfo } from './machine-info.js';

export interface NodeConfig {
  nodeName: string;
  nodeIP: string;
  hostname: string;
  kubeletPort: number;
  labels: Record<string, string>;
  taints: Taint[];
  /** Reserved for the system and kube daemons (kube-reserved + system-reserved), plus eviction. */
  reserved: { cpuMilli: number; memoryBytes: number; ephemeralStorageBytes: number };
  maxPods: number;
  runtimeVersion: string;
  kubeletVersion: string;
}

export const REPORT_FREQUENCY_MS = 5 * 60_000;
/** upstream's default hard eviction threshold memory.available<100Mi is subtracted too. */
export const EVICTION_MEMORY_BYTES = 100 * 1024 * 1024;

const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

export function capacityOf(m: MachineInfo, cfg: NodeConfig) {
  const capacity = {
    cpu: String(m.cpuCores),
    'ephemeral-storage': `${Math.floor(m.ephemeralStorageBytes / 1024)}Ki`,
    memory: `${Math.floor(m.memoryBytes / 1024)}Ki`,
    pods: String(cfg.maxPods),
  };
  const cpuMilli = Math.max(0, m.cpuCores * 1000 - cfg.reserved.cpuMilli);
  const allocatable = {
    cpu: cpuMilli % 1000 === 0 ? String(cpuMilli / 1000) : `${cpuMilli}m`,
    'ephemeral-storage': String(Math.max(0, m.ephemeralStorageBytes - cfg.reserved.ephemeralStorageBytes)),
    memory: `${Math.floor(Math.max(0, m.memoryBytes - cfg.reserved.memoryBytes - EVICTION_MEMORY_BYTES) / 1024)}Ki`,
    pods: String(cfg.maxPods),
  };
  return { capacity, allocatable };
}

export function desiredStatus(m: MachineInfo, cfg: NodeConfig, old: NodeStatus | undefined, now: number, ready: { ok: boolean; message: string }): NodeStatus {
  const { capacity, allocatable } = capacityOf(m, cfg);
  const cond = (type: string, status: 'True' | 'False', reason: string, message: string): NodeCondition => {
    const prev = old?.conditions?.find((c) => c.type === type);
    return {
      type, status, reason, message,
      lastHeartbeatTime: rfc3339(now),
      lastTransitionTime: prev && prev.status === status && prev.lastTransitionTime ? prev.lastTransitionTime : rfc3339(now),
    };
  };
  return {
    ...old,
    capacity,
    allocatable,
    conditions: [
      cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
      cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
      cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
      ready.ok ? cond('Ready', 'True', 'KubeletReady', ready.message) : cond('Ready', 'False', 'KubeletNotReady', ready.message),
    ],
    addresses: [{ type: 'InternalIP', address: cfg.nodeIP }, { type: 'Hostname', address: cfg.hostname }],
    daemonEndpoints: { kubeletEndpoint: { Port: cfg.kubeletPort } },
    nodeInfo: {
      machineID: m.machineID, systemUUID: m.systemUUID, bootID: m.bootID, kernelVersion: m.kernelVersion, osImage: m.osImage,
      containerRuntimeVersion: cfg.runtimeVersion, kubeletVersion: cfg.kubeletVersion, kubeProxyVersion: '',
      operatingSystem: m.operatingSystem, architecture: m.architecture,
    },
  };
}

/** The Node to register: labels as upstream's kubelet sets them, plus --node-label/--node-taint. */
export function initialNode(m: MachineInfo, cfg: NodeConfig): Node {
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: {
      name: cfg.nodeName,
      labels: {
        'kubernetes.io/hostname': cfg.hostname, 'kubernetes.io/os': m.operatingSystem, 'kubernetes.io/arch': m.architecture,
        'beta.kubernetes.io/os': m.operatingSystem, 'beta.kubernetes.io/arch': m.architecture,
        ...cfg.labels,
      },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec: cfg.taints.length ? { taints: cfg.taints } : {},
  };
}

/** Keeps the node's status current; returns a stop function. */
export class NodeStatusReporter {
  private lastReported = 0;
  private lastStatusJson = '';

  constructor(
    private readonly client: RestClient,
    private readonly clock: TimerClock,
    private readonly machine: () => MachineInfo,
    private readonly cfg: NodeConfig,
    private readonly readiness: () => { ok: boolean; message: string },
  ) {}

  /** Creates the Node, or adopts an existing one (labels merged, status refreshed). */
  async register(): Promise<Node> {
    const nodes = this.client.resource(resources.nodes);
    const want = initialNode(this.machine(), this.cfg);
    try {
      return await nodes.create(want);
    } catch (e) {
      if ((e as { code?: number }).code !== 409) throw e;
      const existing = await nodes.get(this.cfg.nodeName);
      const missing = Object.entries(want.metadata!.labels!).filter(([k, v]) => existing.metadata?.labels?.[k] !== v);
      if (missing.length) return nodes.patch(this.cfg.nodeName, { metadata: { labels: Object.fromEntries(missing) } });
      return existing;
    }
  }

  /** One update round: writes status when it changed or the report period passed. */
  async update(force = false): Promise<void> {
    const nodes = this.client.resource(resources.nodes);
    for (let attempt = 0; attempt < 5; attempt++) {
      let node: Node;
      try {
        node = await nodes.get(this.cfg.nodeName);
      } catch (e) {
        if (isNotFound(e)) {
          await this.register();
          continue;
        }
        throw e;
      }
      const now = this.clock.now();
      const status = desiredStatus(this.machine(), this.cfg, node.status, now, this.readiness());
      const key = JSON.stringify({ ...status, conditions: status.conditions?.map((c) => ({ ...c, lastHeartbeatTime: '' })) });
      if (!force && key === this.lastStatusJson && now - this.lastReported < REPORT_FREQUENCY_MS) return;
      try {
        await nodes.updateStatus({ ...node, status });
        this.lastStatusJson = key;
        this.lastReported = now;
        return;
      } catch (e) {
        if (!isConflict(e)) throw e;
      }
    }
  }
}
