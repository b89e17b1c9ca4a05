// Scoring by how much of a node's allocatable resources would be requested with the pod on it
// (upstream's noderesources resourceAllocationScorer), shared by NodeResourcesFit's strategies
// and NodeResourcesBalancedAllocation.
import type { Pod } from 'kubernetes-types/core/v1.js';
import { isScalarResourceName, type Resource } from './resource.js';
import { MAX_NODE_SCORE, PodInfo, type NodeInfo } from './types.js';

export interface ResourceSpec {
  name: string;
  weight: number;
}

export const DEFAULT_RESOURCES: ResourceSpec[] = [
  { name: 'cpu', weight: 1 },
  { name: 'memory', weight: 1 },
];

/** Scores a node from per-resource requested and allocatable amounts. */
export type ResourceScorer = (requested: number[], allocatable: number[]) => number;

function amount(r: Resource, name: string): number {
  switch (name) {
    case 'cpu': return r.milliCPU;
    case 'memory': return r.memory;
    case 'ephemeral-storage': return r.ephemeralStorage;
    default: return r.scalar.get(name) ?? 0;
  }
}

/** The pod's request of each resource: with the non-zero defaults unless `useRequested`. */
export function podResourceRequests(pod: Pod | PodInfo, resources: ResourceSpec[], useRequested: boolean): number[] {
  const pi = pod instanceof PodInfo ? pod : PodInfo.of(pod);
  const r = useRequested ? pi.requested : pi.nonZeroRequested;
  return resources.map((res) => amount(r, res.name));
}

/**
 * The node's score for the pod: `scorer` over [allocatable, requested-with-the-pod] of each
 * resource; resources the node has none of, and extended resources the pod does not ask for,
 * are left out (as zero allocatable).
 */
export function scoreNode(nodeInfo: NodeInfo, podRequests: number[], resources: ResourceSpec[], useRequested: boolean, scorer: ResourceScorer): number {
  return nodeScorer(resources, useRequested, scorer)(nodeInfo, podRequests);
}

/**
 * scoreNode with what does not change between nodes worked out once: which resources are
 * scalars, and scratch arrays reused from node to node (the score loop runs for hundreds of
 * nodes per pod, so it allocates nothing).
 */
export function nodeScorer(resources: ResourceSpec[], useRequested: boolean, scorer: ResourceScorer): (nodeInfo: NodeInfo, podRequests: number[]) => number {
  const names = resources.map((r) => r.name);
  const scalar = names.map(isScalarResourceName);
  const requested = new Array<number>(resources.length).fill(0);
  const allocatable = new Array<number>(resources.length).fill(0);
  return (nodeInfo, podRequests) => {
    const nodeRequested = useRequested ? nodeInfo.requested : nodeInfo.nonZeroRequested;
    for (let i = 0; i < names.length; i++) {
      requested[i] = 0;
      allocatable[i] = 0;
      if (podRequests[i] === 0 && scalar[i]) continue;
      const alloc = amount(nodeInfo.allocatable, names[i]!);
      if (alloc === 0) continue;
      allocatable[i] = alloc;
      requested[i] = amount(nodeRequested, names[i]!) + podRequests[i]!;
    }
    return scorer(requested, allocatable);
  };
}

function weighted(resources: ResourceSpec[], per: (requested: number, capacity: number) => number): ResourceScorer {
  return (requested, allocatable) => {
    let score = 0;
    let weights = 0;
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue;
      const w = resources[i]!.weight;
      score += per(requested[i]!, allocatable[i]!) * w;
      weights += w;
    }
    return weights === 0 ? 0 : Math.trunc(score / weights);
  };
}

/** LeastAllocated: favours nodes with more room left. */
export function leastAllocatedScorer(resources: ResourceSpec[]): ResourceScorer {
  return weighted(resources, (requested, capacity) => {
    if (capacity === 0 || requested > capacity) return 0;
    return Math.trunc(((capacity - requested) * MAX_NODE_SCORE) / capacity);
  });
}

/** MostAllocated: favours fuller nodes (bin packing). */
export function mostAllocatedScorer(resources: ResourceSpec[]): ResourceScorer {
  return weighted(resources, (requested, capacity) => {
    if (capacity === 0) return 0;
    // Requests above capacity happen through the non-zero defaults.
    return Math.trunc((Math.min(requested, capacity) * MAX_NODE_SCORE) / capacity);
  });
}

/** BalancedAllocation: favours nodes whose resources would be used in equal fractions. */
export function balancedScorer(requested: number[], allocatable: number[]): number {
  // Two passes over the fractions instead of collecting them: no allocation per node.
  let total = 0;
  let n = 0;
  let first = 0;
  let second = 0;
  for (let i = 0; i < requested.length; i++) {
    if (allocatable[i] === 0) continue;
    const f = Math.min(requested[i]! / allocatable[i]!, 1);
    if (n === 0) first = f;
    else if (n === 1) second = f;
    total += f;
    n++;
  }
  let std = 0;
  if (n === 2) std = Math.abs((first - second) / 2);
  else if (n > 2) {
    const mean = total / n;
    let sq = 0;
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue;
      sq += (Math.min(requested[i]! / allocatable[i]!, 1) - mean) ** 2;
    }
    std = Math.sqrt(sq / n);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}
