// Taints and tolerations as the node lifecycle and taint eviction controllers see them
// (k8s.io/api core/v1 toleration helpers, pkg/util/taints, pkg/apis/core/v1/helper): pure
// functions, no I/O.
import type { Taint, Toleration } from 'kubernetes-types/core/v1.js';

export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_NODE_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
export const TAINT_NODE_MEMORY_PRESSURE = 'node.kubernetes.io/memory-pressure';
export const TAINT_NODE_DISK_PRESSURE = 'node.kubernetes.io/disk-pressure';
export const TAINT_NODE_NETWORK_UNAVAILABLE = 'node.kubernetes.io/network-unavailable';
export const TAINT_NODE_PID_PRESSURE = 'node.kubernetes.io/pid-pressure';

/** The taint for a node whose kubelet stopped reporting (Ready=Unknown). */
export const UNREACHABLE_TAINT: Readonly<Taint> = { key: TAINT_NODE_UNREACHABLE, effect: 'NoExecute' };
/** The taint for a node that reports Ready=False. */
export const NOT_READY_TAINT: Readonly<Taint> = { key: TAINT_NODE_NOT_READY, effect: 'NoExecute' };

/** Condition type → condition status → the taint key it maps to (TaintNodesByCondition). */
export const NODE_CONDITION_TO_TAINT_KEY: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  Ready: { False: TAINT_NODE_NOT_READY, Unknown: TAINT_NODE_UNREACHABLE },
  MemoryPressure: { True: TAINT_NODE_MEMORY_PRESSURE },
  DiskPressure: { True: TAINT_NODE_DISK_PRESSURE },
  NetworkUnavailable: { True: TAINT_NODE_NETWORK_UNAVAILABLE },
  PIDPressure: { True: TAINT_NODE_PID_PRESSURE },
};

/** Taint keys this controller owns as NoSchedule taints (condition taints + unschedulable). */
export const CONTROLLER_NO_SCHEDULE_KEYS: ReadonlySet<string> = new Set([
  TAINT_NODE_UNSCHEDULABLE,
  ...Object.values(NODE_CONDITION_TO_TAINT_KEY).flatMap((m) => Object.values(m)),
]);

/** Same key and effect (Taint.MatchTaint): value and timeAdded do not count. */
export function matchTaint(a: Taint, b: Taint): boolean {
  return a.key === b.key && a.effect === b.effect;
}

export function taintExists(taints: readonly Taint[] | undefined, t: Taint): boolean {
  return (taints ?? []).some((x) => matchTaint(x, t));
}

/** What to add to `have` and remove from it to reach `want` (TaintSetDiff, by key and effect). */
export function taintSetDiff(want: readonly Taint[], have: readonly Taint[]): { add: Taint[]; remove: Taint[] } {
  return {
    add: want.filter((t) => !taintExists(have, t)),
    remove: have.filter((t) => !taintExists(want, t)),
  };
}

/**
 * `taints` with `add` added (or replacing a taint of the same key and effect) and `remove` removed;
 * undefined when nothing changes. Added taints get `timeAdded` (as SwapNodeControllerTaint does).
 */
export function swapTaints(taints: readonly Taint[] | undefined, add: readonly Taint[], remove: readonly Taint[], timeAdded: string): Taint[] | undefined {
  let out = [...(taints ?? [])];
  let changed = false;
  for (const t of add) {
    if (out.some((x) => matchTaint(x, t) && (x.value ?? '') === (t.value ?? ''))) continue;
    out = out.filter((x) => !matchTaint(x, t));
    out.push({ ...t, timeAdded });
    changed = true;
  }
  for (const t of remove) {
    const kept = out.filter((x) => !matchTaint(x, t));
    if (kept.length !== out.length) changed = true;
    out = kept;
  }
  return changed ? out : undefined;
}

/** The NoExecute taints of a node. */
export function noExecuteTaints(taints: readonly Taint[] | undefined): Taint[] {
  return (taints ?? []).filter((t) => t.effect === 'NoExecute');
}

/** Toleration.ToleratesTaint: effect and key (empty matches all), then Equal (default) or Exists. */
export function toleratesTaint(tol: Toleration, taint: Taint): boolean {
  if (tol.effect && tol.effect !== taint.effect) return false;
  if (tol.key && tol.key !== taint.key) return false;
  switch (tol.operator ?? '') {
    case '':
    case 'Equal':
      return (tol.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

/**
 * Whether every taint is tolerated, and the toleration used for each (the first that matches)
 * (GetMatchingTolerations).
 */
export function getMatchingTolerations(taints: readonly Taint[], tolerations: readonly Toleration[] | undefined): { allTolerated: boolean; used: Toleration[] } {
  const used: Toleration[] = [];
  for (const taint of taints) {
    const tol = (tolerations ?? []).find((t) => toleratesTaint(t, taint));
    if (!tol) return { allTolerated: false, used: [] };
    used.push(tol);
  }
  return { allTolerated: true, used };
}

/**
 * The shortest tolerationSeconds among `tolerations` in ms: 0 when there are none or one is ≤ 0,
 * -1 when all tolerate forever (getMinTolerationTime).
 */
export function getMinTolerationTime(tolerations: readonly Toleration[]): number {
  if (tolerations.length === 0) return 0;
  let min = Infinity;
  for (const t of tolerations) {
    if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) continue;
    if (t.tolerationSeconds <= 0) return 0;
    min = Math.min(min, t.tolerationSeconds);
  }
  return min === Infinity ? -1 : min * 1000;
}
