// The kubelet's stats summary (`GET /stats/summary`, upstream's stats/v1alpha1 Summary), the
// contract between node agents and the API server's metrics.k8s.io endpoint. Only the fields
// k8ts fills are listed; names and units are upstream's.

export interface CpuStats {
  /** RFC 3339 time of the sample. */
  time: string;
  /** Average usage over the last sampling window, in nanocores (1e9 = one core). */
  usageNanoCores?: number;
  /** Cumulative CPU time since the object started, in core-nanoseconds. */
  usageCoreNanoSeconds?: number;
}

export interface MemoryStats {
  time: string;
  /** Bytes that cannot be evicted under pressure (what `kubectl top` shows). */
  workingSetBytes?: number;
  rssBytes?: number;
  usageBytes?: number;
  availableBytes?: number;
}

export interface ContainerStatsSummary {
  name: string;
  startTime: string;
  cpu?: CpuStats;
  memory?: MemoryStats;
}

export interface PodStatsSummary {
  podRef: { name: string; namespace: string; uid: string };
  startTime: string;
  containers: ContainerStatsSummary[];
  cpu?: CpuStats;
  memory?: MemoryStats;
}

export interface NodeStatsSummary {
  nodeName: string;
  startTime: string;
  cpu?: CpuStats;
  memory?: MemoryStats;
}

export interface StatsSummary {
  node: NodeStatsSummary;
  pods: PodStatsSummary[];
}
