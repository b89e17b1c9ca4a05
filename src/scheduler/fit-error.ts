// Why a pod fits no node, in upstream's words (framework.FitError):
//   "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {k: v}.
//    preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
// Reasons are counted over nodes and sorted as strings; a PreFilter rejection replaces them.
import { NodeToStatus } from './framework/interface.js';

export const NO_NODE_AVAILABLE_MSG = (n: number) => `0/${n} nodes are available`;

export interface Diagnosis {
  nodeToStatus: NodeToStatus;
  /** Plugins that rejected the pod somewhere: only their events re-queue it. */
  unschedulablePlugins: Set<string>;
  pendingPlugins: Set<string>;
  preFilterMsg: string;
  postFilterMsg: string;
}

export function newDiagnosis(): Diagnosis {
  return { nodeToStatus: new NodeToStatus(), unschedulablePlugins: new Set(), pendingPlugins: new Set(), preFilterMsg: '', postFilterMsg: '' };
}

export class FitError extends Error {
  constructor(
    readonly numAllNodes: number,
    readonly diagnosis: Diagnosis,
  ) {
    super();
    this.name = 'FitError';
    // The message depends on the PostFilter outcome, set after construction.
    Object.defineProperty(this, 'message', { get: () => fitErrorMessage(this.numAllNodes, this.diagnosis), enumerable: false, configurable: true });
  }
}

/** upstream's ErrNoNodesAvailable. */
export class NoNodesAvailableError extends Error {
  constructor() {
    super('no nodes available to schedule pods');
    this.name = 'NoNodesAvailableError';
  }
}

export function fitErrorMessage(numAllNodes: number, d: Diagnosis): string {
  let msg = `${NO_NODE_AVAILABLE_MSG(numAllNodes)}:`;
  if (d.preFilterMsg) {
    msg += ` ${d.preFilterMsg}.`;
  } else {
    const reasons = new Map<string, number>();
    const count = (r: string, n: number) => reasons.set(r, (reasons.get(r) ?? 0) + n);
    for (const s of d.nodeToStatus.byNode.values()) for (const r of s.allReasons()) count(r, 1);
    const absentNodes = numAllNodes - d.nodeToStatus.byNode.size;
    if (absentNodes > 0 && d.nodeToStatus.absent) for (const r of d.nodeToStatus.absent.allReasons()) count(r, absentNodes);
    const sorted = [...reasons].map(([r, n]) => `${n} ${r}`).sort(goStringLess);
    if (sorted.length) msg += ` ${sorted.join(', ')}.`;
  }
  if (d.postFilterMsg) msg += ` ${d.postFilterMsg}`;
  return msg;
}

/** sort.Strings order: by UTF-8 bytes (for ASCII, by code unit). */
function goStringLess(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** upstream's truncateMessage: events carry at most 1024 characters. */
export function truncateMessage(message: string, limit = 1024): string {
  if (message.length <= limit) return message;
  const suffix = ' ...';
  return message.slice(0, limit - suffix.length) + suffix;
}
