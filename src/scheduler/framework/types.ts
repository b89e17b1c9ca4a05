// What the framework hands to plugins: a pod with its parsed scheduling terms (PodInfo), a pod
// as the queue holds it (QueuedPodInfo), and a node with the pods on it and the totals they
// request (NodeInfo) — upstream's framework types.
import type { Node, Pod, PodAffinityTerm, WeightedPodAffinityTerm } from 'kubernetes-types/core/v1.js';
import { fromLabelSelector, LabelSelector, type Labels } from '../../api/selectors/index.js';
import { cloneResource, emptyResource, podRequests, resourceFromList, type Resource, type ResourceList } from './resource.js';

export const MAX_NODE_SCORE = 100;
export const MIN_NODE_SCORE = 0;
export const LABEL_HOSTNAME = 'kubernetes.io/hostname';

/** A pod affinity term made ready to match (upstream's fwk.AffinityTerm). */
export interface AffinityTerm {
  namespaces: Set<string>;
  selector: LabelSelector;
  topologyKey: string;
  /** undefined: no namespace selector (matches no namespace by labels). */
  namespaceSelector: LabelSelector | undefined;
  /** Equal for terms that match the same pods in the same domains (memo and grouping key). */
  key: string;
}

/** A string equal for selectors that select the same labels ("" alone is ambiguous: everything or nothing). */
export function selectorKey(s: LabelSelector): string {
  return s.matchesNothing() ? '\u0001' : s.toString();
}

export interface WeightedAffinityTerm extends AffinityTerm {
  weight: number;
}

/** Whether `term` selects `pod` (whose namespace has labels `nsLabels`). */
export function affinityTermMatches(term: AffinityTerm, pod: Pod, nsLabels: Labels): boolean {
  const ns = pod.metadata?.namespace ?? '';
  if (term.namespaces.has(ns) || (term.namespaceSelector?.matches(nsLabels) ?? false)) return term.selector.matches(pod.metadata?.labels);
  return false;
}

function affinityTerm(pod: Pod, t: PodAffinityTerm): AffinityTerm {
  const namespaces = new Set<string>(t.namespaces?.length || t.namespaceSelector ? (t.namespaces ?? []) : [pod.metadata?.namespace ?? '']);
  const selector = safeSelector(t.labelSelector);
  const namespaceSelector = t.namespaceSelector ? safeSelector(t.namespaceSelector) : undefined;
  const key = [t.topologyKey, [...namespaces].sort().join(','), selectorKey(selector), namespaceSelector ? selectorKey(namespaceSelector) : '\u0002'].join('\0');
  return { namespaces, selector, topologyKey: t.topologyKey, namespaceSelector, key };
}

/** A spec selector; one the API let through invalid selects nothing. */
function safeSelector(s: Parameters<typeof fromLabelSelector>[0]): LabelSelector {
  try {
    return fromLabelSelector(s ?? null);
  } catch {
    return LabelSelector.nothing();
  }
}

function weighted(pod: Pod, ts: WeightedPodAffinityTerm[] | undefined): WeightedAffinityTerm[] {
  return (ts ?? []).map((t) => ({ ...affinityTerm(pod, t.podAffinityTerm), weight: t.weight }));
}

/**
 * PodInfos by pod object, so that the queue, the plugins and the cache parse one pod's terms and
 * requests once. Pods from informers are never changed in place (a change is a new object), so
 * the object is a sound key; a dropped pod takes its entry with it.
 */
const infos = new WeakMap<Pod, PodInfo>();

/** A pod and what the scheduler derives from it once (upstream's PodInfo). */
export class PodInfo {
  readonly requiredAffinityTerms: AffinityTerm[];
  readonly requiredAntiAffinityTerms: AffinityTerm[];
  readonly preferredAffinityTerms: WeightedAffinityTerm[];
  readonly preferredAntiAffinityTerms: WeightedAffinityTerm[];
  private requests?: Resource;
  private nonZero?: Resource;

  /** `like`: a PodInfo of the same pod spec (e.g. before nodeName was set) whose derived data is shared. */
  constructor(readonly pod: Pod, like?: PodInfo) {
    if (like) {
      this.requiredAffinityTerms = like.requiredAffinityTerms;
      this.requiredAntiAffinityTerms = like.requiredAntiAffinityTerms;
      this.preferredAffinityTerms = like.preferredAffinityTerms;
      this.preferredAntiAffinityTerms = like.preferredAntiAffinityTerms;
      this.requests = like.requested;
      this.nonZero = like.nonZeroRequested;
      return;
    }
    const a = pod.spec?.affinity;
    this.requiredAffinityTerms = (a?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => affinityTerm(pod, t));
    this.requiredAntiAffinityTerms = (a?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => affinityTerm(pod, t));
    this.preferredAffinityTerms = weighted(pod, a?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution);
    this.preferredAntiAffinityTerms = weighted(pod, a?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution);
  }

  /** The PodInfo of this pod object, made once. */
  static of(pod: Pod): PodInfo {
    let pi = infos.get(pod);
    if (!pi) infos.set(pod, (pi = new PodInfo(pod)));
    return pi;
  }

  /** The PodInfo of `pod`, a copy of `like.pod` with only spec.nodeName set (an assumed pod). */
  static assumed(pod: Pod, like: PodInfo): PodInfo {
    const pi = new PodInfo(pod, like);
    infos.set(pod, pi);
    return pi;
  }

  /** The pod's requests (containers, init containers, overhead). */
  get requested(): Resource {
    return (this.requests ??= podRequests(this.pod));
  }

  /** Same, with upstream's defaults for containers that request no cpu or memory. */
  get nonZeroRequested(): Resource {
    return (this.nonZero ??= podRequests(this.pod, { nonZero: true }));
  }
}

/** A pod as the scheduling queue holds it (upstream's QueuedPodInfo). */
export interface QueuedPodInfo {
  podInfo: PodInfo;
  /** When the pod was (re-)added to the queue (clock ms). */
  timestamp: number;
  /** Scheduling attempts so far. */
  attempts: number;
  /** Attempts that ended Unschedulable: what the back-off grows with. */
  unschedulableCount: number;
  /** Attempts that ended in Error, in a row. */
  consecutiveErrorsCount: number;
  initialAttemptTimestamp?: number;
  /** Plugins that rejected the pod in its last attempt: only their events bring it back. */
  unschedulablePlugins: Set<string>;
  pendingPlugins: Set<string>;
}

export function podKey(pod: Pod): string {
  return `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
}

/** The cache key of a pod: its UID (its namespace/name when it has none, as in tests). */
export function podUid(pod: Pod): string {
  return pod.metadata?.uid || podKey(pod);
}

export function podPriority(pod: Pod): number {
  return pod.spec?.priority ?? 0;
}

/** Host ports in use on a node: IP → "protocol/port". */
export class HostPortInfo {
  private readonly byIp = new Map<string, Map<string, number>>();

  add(ip: string | undefined, protocol: string | undefined, port: number): void {
    if (port <= 0) return;
    const [i, pp] = sanitize(ip, protocol, port);
    let m = this.byIp.get(i);
    if (!m) this.byIp.set(i, (m = new Map()));
    m.set(pp, (m.get(pp) ?? 0) + 1);
  }

  remove(ip: string | undefined, protocol: string | undefined, port: number): void {
    if (port <= 0) return;
    const [i, pp] = sanitize(ip, protocol, port);
    const m = this.byIp.get(i);
    const n = m?.get(pp);
    if (!m || n === undefined) return;
    if (n > 1) m.set(pp, n - 1);
    else m.delete(pp);
    if (m.size === 0) this.byIp.delete(i);
  }

  /** Whether ip/protocol/port collides with a used port; 0.0.0.0 collides with every IP. */
  checkConflict(ip: string | undefined, protocol: string | undefined, port: number): boolean {
    if (port <= 0) return false;
    const [i, pp] = sanitize(ip, protocol, port);
    if (i === '0.0.0.0') {
      for (const m of this.byIp.values()) if (m.has(pp)) return true;
      return false;
    }
    return (this.byIp.get('0.0.0.0')?.has(pp) ?? false) || (this.byIp.get(i)?.has(pp) ?? false);
  }

  get size(): number {
    let n = 0;
    for (const m of this.byIp.values()) n += m.size;
    return n;
  }

  clone(): HostPortInfo {
    const c = new HostPortInfo();
    for (const [ip, m] of this.byIp) c.byIp.set(ip, new Map(m));
    return c;
  }
}

function sanitize(ip: string | undefined, protocol: string | undefined, port: number): [string, string] {
  return [ip || '0.0.0.0', `${protocol || 'TCP'}/${port}`];
}

/** The host ports a pod asks for (util.GetHostPorts). */
export function hostPorts(pod: Pod): Array<{ hostIP?: string; protocol?: string; hostPort: number }> {
  const out: Array<{ hostIP?: string; protocol?: string; hostPort: number }> = [];
  for (const c of [...(pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always'), ...(pod.spec?.containers ?? [])]) {
    for (const p of c.ports ?? []) if (p.hostPort && p.hostPort > 0) out.push({ hostIP: p.hostIP, protocol: p.protocol, hostPort: p.hostPort });
  }
  return out;
}

/**
 * Slots of NodeInfo.memoize: each memo key string is given a small number once, so that the
 * per-node lookup is an array index, not a string hash. Past MAX_MEMO_SLOTS distinct keys the
 * numbering starts over (a new epoch), which drops every node's memo.
 */
const MAX_MEMO_SLOTS = 4096;
const memoSlots = new Map<string, number>();
let memoEpoch = 0;

/** The memo slot of a key (call once per cycle, not per node). */
export function memoSlot(key: string): number {
  let slot = memoSlots.get(key);
  if (slot === undefined) {
    if (memoSlots.size >= MAX_MEMO_SLOTS) {
      memoSlots.clear();
      memoEpoch++;
    }
    memoSlots.set(key, (slot = memoSlots.size));
  }
  return slot;
}

let generation = 0;
function nextGeneration(): number {
  return ++generation;
}

/** A node and the pods on it, with the totals they request (upstream's NodeInfo). */
export class NodeInfo {
  node: Node | undefined;
  pods: PodInfo[] = [];
  podsWithAffinity: PodInfo[] = [];
  podsWithRequiredAntiAffinity: PodInfo[] = [];
  usedPorts = new HostPortInfo();
  /** Requests of every pod here, assumed ones included. */
  requested: Resource = emptyResource();
  /** Same, with the non-zero defaults: what scoring spreads by. */
  nonZeroRequested: Resource = emptyResource();
  allocatable: Resource = emptyResource();
  /** Bumped on every change; snapshots copy only nodes whose generation moved. */
  generation = nextGeneration();
  /**
   * Aggregates over this node's pods computed by plugins (e.g. how many match a selector), by a
   * key that fully determines them; dropped whenever the node or its pods change. Most nodes do
   * not change between two cycles, so a per-cycle count over all nodes costs a lookup per node.
   */
  private memo: unknown[] | undefined = undefined;
  private memoEpoch = 0;

  constructor(node?: Node, pods: Pod[] = []) {
    if (node) this.setNode(node);
    for (const p of pods) this.addPod(p);
  }

  get name(): string {
    return this.node?.metadata?.name ?? '';
  }

  setNode(node: Node): void {
    this.node = node;
    this.allocatable = resourceFromList(node.status?.allocatable as ResourceList);
    this.changed();
  }

  removeNode(): void {
    this.node = undefined;
    this.changed();
  }

  /**
   * `compute(this)`, remembered in `slot` (from memoSlot(key), where the key fully determines
   * the value) until the node or its pods change. Values must not be undefined.
   */
  memoize<T>(slot: number, compute: (ni: NodeInfo) => T): T {
    let m = this.memo;
    if (!m || this.memoEpoch !== memoEpoch) {
      m = this.memo = [];
      this.memoEpoch = memoEpoch;
    }
    let v = m[slot] as T | undefined;
    if (v === undefined) m[slot] = v = compute(this);
    return v;
  }

  private changed(): void {
    this.generation = nextGeneration();
    this.memo = undefined;
  }

  addPod(pod: Pod): void {
    this.addPodInfo(PodInfo.of(pod));
  }

  addPodInfo(pi: PodInfo): void {
    this.pods.push(pi);
    const a = pi.pod.spec?.affinity;
    if (a?.podAffinity || a?.podAntiAffinity) this.podsWithAffinity.push(pi);
    if (pi.requiredAntiAffinityTerms.length) this.podsWithRequiredAntiAffinity.push(pi);
    this.update(pi, 1);
  }

  /** Removes a pod by UID; false when it was not here. */
  removePod(pod: Pod): boolean {
    const uid = podUid(pod);
    const i = this.pods.findIndex((p) => podUid(p.pod) === uid);
    if (i < 0) return false;
    const [pi] = this.pods.splice(i, 1);
    this.podsWithAffinity = this.podsWithAffinity.filter((p) => p !== pi);
    this.podsWithRequiredAntiAffinity = this.podsWithRequiredAntiAffinity.filter((p) => p !== pi);
    this.update(pi!, -1);
    return true;
  }

  private update(pi: PodInfo, sign: 1 | -1): void {
    const r = pi.requested;
    this.requested.milliCPU += sign * r.milliCPU;
    this.requested.memory += sign * r.memory;
    this.requested.ephemeralStorage += sign * r.ephemeralStorage;
    for (const [k, v] of r.scalar) this.requested.scalar.set(k, (this.requested.scalar.get(k) ?? 0) + sign * v);
    const nz = pi.nonZeroRequested;
    this.nonZeroRequested.milliCPU += sign * nz.milliCPU;
    this.nonZeroRequested.memory += sign * nz.memory;
    for (const p of hostPorts(pi.pod)) {
      if (sign > 0) this.usedPorts.add(p.hostIP, p.protocol, p.hostPort);
      else this.usedPorts.remove(p.hostIP, p.protocol, p.hostPort);
    }
    this.changed();
  }

  /** A copy that can be changed without touching this one (pods are shared, not copied). */
  snapshot(): NodeInfo {
    const c = new NodeInfo();
    c.node = this.node;
    c.pods = [...this.pods];
    c.podsWithAffinity = [...this.podsWithAffinity];
    c.podsWithRequiredAntiAffinity = [...this.podsWithRequiredAntiAffinity];
    c.usedPorts = this.usedPorts.clone();
    c.requested = cloneResource(this.requested);
    c.nonZeroRequested = cloneResource(this.nonZeroRequested);
    c.allocatable = cloneResource(this.allocatable);
    c.generation = this.generation;
    return c;
  }
}

