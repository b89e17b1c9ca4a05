// The node lifecycle controller's decisions, without I/O: how fresh a node's health signal is
// (its Ready condition heartbeat or its Lease in kube-node-lease), when it has gone stale
// (→ conditions Unknown), and how healthy a zone is. Time is passed in (ms since the epoch).
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { Node, NodeCondition, NodeStatus } from 'kubernetes-types/core/v1.js';
import { rfc3339 } from '../../util/clock.js';

/** What the controller last saw of a node, stamped with its own clock (not the kubelet's). */
export interface NodeHealth {
  /** When a fresh signal (a new heartbeat or lease renewal) was last seen. */
  probeTimestamp: number;
  /** When the Ready condition was last seen changing. */
  readyTransitionTimestamp: number;
  status: NodeStatus;
  lease?: Lease;
}

export interface GracePeriods {
  /** Since the last signal, before a node with a Ready condition is marked Unknown. */
  monitorGraceMs: number;
  /** Same, for a node that never posted a Ready condition. */
  startupGraceMs: number;
}

export interface HealthDecision {
  /** The health to remember (before any status write). */
  health: NodeHealth;
  /** The Ready condition as found (a fake Unknown one when the node has none). */
  observedReady: NodeCondition;
  /** The Ready condition after this decision (undefined when the node has none and none was added). */
  currentReady: NodeCondition | undefined;
  /** Status to write through nodes/status when the signal went stale and Ready changed. */
  statusUpdate?: NodeStatus;
}

/** Conditions turned Unknown when the signal is stale (NetworkUnavailable is the control plane's). */
export const STALE_CONDITION_TYPES = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'] as const;

export const NODE_STATUS_UNKNOWN_REASON = 'NodeStatusUnknown';
export const NODE_STATUS_UNKNOWN_MESSAGE = 'Kubelet stopped posting node status.';
export const NODE_STATUS_NEVER_UPDATED_REASON = 'NodeStatusNeverUpdated';
export const NODE_STATUS_NEVER_UPDATED_MESSAGE = 'Kubelet never posted node status.';

export function getNodeCondition(status: NodeStatus | undefined, type: string): NodeCondition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

function time(s: string | undefined): number {
  const t = s ? Date.parse(s) : NaN;
  return Number.isNaN(t) ? 0 : t;
}

/**
 * tryUpdateNodeHealth without the write: folds the node's current status and lease into the saved
 * health, and when no fresh signal came for the grace period, sets Ready, MemoryPressure,
 * DiskPressure and PIDPressure to Unknown (statusUpdate, when Ready changes).
 */
export function decideNodeHealth(node: Node, lease: Lease | undefined, saved: NodeHealth | undefined, now: number, grace: GracePeriods): HealthDecision {
  const created = time(node.metadata?.creationTimestamp);
  const status: NodeStatus = structuredClone(node.status ?? {});
  const currentReady = getNodeCondition(status, 'Ready');
  let observedReady: NodeCondition;
  let gracePeriod: number;
  let health = saved;
  if (!currentReady) {
    // Never posted: pretend an Unknown condition from the node's creation.
    const at = node.metadata?.creationTimestamp;
    observedReady = { type: 'Ready', status: 'Unknown', lastHeartbeatTime: at, lastTransitionTime: at };
    gracePeriod = grace.startupGraceMs;
    health = health ? { ...health, status } : { status, probeTimestamp: created, readyTransitionTimestamp: created };
  } else {
    observedReady = structuredClone(currentReady);
    gracePeriod = grace.monitorGraceMs;
  }

  const savedReady = health ? getNodeCondition(health.status, 'Ready') : undefined;
  if (!health) {
    health = { status, probeTimestamp: now, readyTransitionTimestamp: now };
  } else if (!savedReady && currentReady) {
    // First Ready condition seen (or the controller restarted with the node already there).
    health = { status, probeTimestamp: now, readyTransitionTimestamp: now };
  } else if (savedReady && !currentReady) {
    health = { status, probeTimestamp: now, readyTransitionTimestamp: now };
  } else if (savedReady && currentReady && savedReady.lastHeartbeatTime !== currentReady.lastHeartbeatTime) {
    const transition = savedReady.lastTransitionTime !== currentReady.lastTransitionTime ? now : health.readyTransitionTimestamp;
    health = { status, probeTimestamp: now, readyTransitionTimestamp: transition };
  }
  // A renewed lease is a fresh signal too (even when the kubelet never posted a status).
  if (lease && (!health.lease || time(health.lease.spec?.renewTime) < time(lease.spec?.renewTime))) {
    health = { ...health, lease, probeTimestamp: now };
  }

  if (now <= health.probeTimestamp + gracePeriod) return { health, observedReady, currentReady };

  const nowStr = rfc3339(now);
  const conditions = (status.conditions ??= []);
  for (const type of STALE_CONDITION_TYPES) {
    const c = conditions.find((x) => x.type === type);
    if (!c) {
      conditions.push({
        type, status: 'Unknown', reason: NODE_STATUS_NEVER_UPDATED_REASON, message: NODE_STATUS_NEVER_UPDATED_MESSAGE,
        lastHeartbeatTime: node.metadata?.creationTimestamp, lastTransitionTime: nowStr,
      });
    } else if (c.status !== 'Unknown') {
      c.status = 'Unknown';
      c.reason = NODE_STATUS_UNKNOWN_REASON;
      c.message = NODE_STATUS_UNKNOWN_MESSAGE;
      c.lastTransitionTime = nowStr;
    }
  }
  const readyNow = getNodeCondition(status, 'Ready');
  if (JSON.stringify(readyNow) === JSON.stringify(observedReady)) return { health, observedReady, currentReady };
  return { health, observedReady, currentReady: readyNow, statusUpdate: status };
}

// ── zones ──────────────────────────────────────────────────────────────────────────────────

export type ZoneState = 'Initial' | 'Normal' | 'PartialDisruption' | 'FullDisruption';

/** Label that keeps a node out of zone disruption checks. */
export const LABEL_EXCLUDE_DISRUPTION = 'node.kubernetes.io/exclude-disruption';

/** The node's zone key (topology.GetZoneKey): region and zone labels, "" when neither is set. */
export function zoneKey(node: Node): string {
  const l = node.metadata?.labels ?? {};
  const region = l['topology.kubernetes.io/region'] ?? l['failure-domain.beta.kubernetes.io/region'] ?? '';
  const zone = l['topology.kubernetes.io/zone'] ?? l['failure-domain.beta.kubernetes.io/zone'] ?? '';
  return region === '' && zone === '' ? '' : `${region}:\x00:${zone}`;
}

/**
 * How many nodes of a zone are not Ready, and the zone's state: FullDisruption when none is
 * Ready, PartialDisruption when more than 2 and at least `unhealthyThreshold` of them are not.
 */
export function computeZoneState(readyConditions: readonly (NodeCondition | undefined)[], unhealthyThreshold: number): { notReady: number; state: ZoneState } {
  let ready = 0;
  let notReady = 0;
  for (const c of readyConditions) {
    if (c?.status === 'True') ready++;
    else notReady++;
  }
  if (ready === 0 && notReady > 0) return { notReady, state: 'FullDisruption' };
  if (notReady > 2 && notReady / (notReady + ready) >= unhealthyThreshold) return { notReady, state: 'PartialDisruption' };
  return { notReady, state: 'Normal' };
}
