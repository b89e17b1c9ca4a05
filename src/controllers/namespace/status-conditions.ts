// The NamespaceDeletion* conditions a terminating namespace reports (upstream
// status_condition_utils.go): the deleter hands in what went wrong during one pass, and
// update() turns that into the five condition types — True with a reason and message for a
// failure, False with the "ok" reason and message otherwise. Pure; no I/O.
import type { Namespace, NamespaceCondition, NamespaceStatus } from 'kubernetes-types/core/v1.js';
import { GroupDiscoveryFailedError } from '../garbage-collector/discovery.js';

export const NamespaceDeletionDiscoveryFailure = 'NamespaceDeletionDiscoveryFailure';
export const NamespaceDeletionGVParsingFailure = 'NamespaceDeletionGroupVersionParsingFailure';
export const NamespaceDeletionContentFailure = 'NamespaceDeletionContentFailure';
export const NamespaceContentRemaining = 'NamespaceContentRemaining';
export const NamespaceFinalizersRemaining = 'NamespaceFinalizersRemaining';

/** The condition types this controller maintains, in upstream's order. */
export const CONDITION_TYPES = [
  NamespaceDeletionDiscoveryFailure,
  NamespaceDeletionGVParsingFailure,
  NamespaceDeletionContentFailure,
  NamespaceContentRemaining,
  NamespaceFinalizersRemaining,
] as const;

const OK_MESSAGES: Record<string, string> = {
  [NamespaceDeletionDiscoveryFailure]: 'All resources successfully discovered',
  [NamespaceDeletionGVParsingFailure]: 'All legacy kube types successfully parsed',
  [NamespaceDeletionContentFailure]: 'All content successfully deleted, may be waiting on finalization',
  [NamespaceContentRemaining]: 'All content successfully removed',
  [NamespaceFinalizersRemaining]: 'All content successfully removed',
};

const OK_REASONS: Record<string, string> = {
  [NamespaceDeletionDiscoveryFailure]: 'ResourcesDiscovered',
  [NamespaceDeletionGVParsingFailure]: 'ParsedGroupVersions',
  [NamespaceDeletionContentFailure]: 'ContentDeleted',
  [NamespaceContentRemaining]: 'ContentRemoved',
  [NamespaceFinalizersRemaining]: 'ContentRemoved',
};

/** What remains after a pass: instances per resource ("resource.group") and per finalizer. */
export interface ContentTotals {
  gvrToNumRemaining: Map<string, number>;
  finalizersToNumRemaining: Map<string, number>;
}

/** RFC 3339 with seconds, as metav1.Time serializes. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export class NamespaceConditionUpdater {
  private readonly newConditions: NamespaceCondition[] = [];
  private readonly deleteContentErrors: unknown[] = [];

  /** `now` stamps lastTransitionTime (ms since the epoch). */
  constructor(private readonly now: () => number = Date.now) {}

  processGroupVersionErr(err: unknown): void {
    this.push(NamespaceDeletionGVParsingFailure, 'GroupVersionParsingFailed', message(err));
  }

  processDiscoverResourcesErr(err: unknown): void {
    const msg = err instanceof GroupDiscoveryFailedError ? `Discovery failed for some groups, ${err.groups.size} failing: ${err.message}` : message(err);
    this.push(NamespaceDeletionDiscoveryFailure, 'DiscoveryFailed', msg);
  }

  processContentTotals(t: ContentTotals): void {
    const remaining = [...t.gvrToNumRemaining].filter(([, n]) => n > 0).map(([gr, n]) => `${gr} has ${n} resource instances`);
    if (t.gvrToNumRemaining.size) this.push(NamespaceContentRemaining, 'SomeResourcesRemain', `Some resources are remaining: ${sortStrings(remaining).join(', ')}`);
    const byFinalizer = [...t.finalizersToNumRemaining].filter(([, n]) => n > 0).map(([f, n]) => `${f} in ${n} resource instances`);
    if (t.finalizersToNumRemaining.size) this.push(NamespaceFinalizersRemaining, 'SomeFinalizerRemain', `Some finalizers are remaining: ${sortStrings(byFinalizer).join(', ')}`);
  }

  processDeleteContentErr(err: unknown): void {
    this.deleteContentErrors.push(err);
  }

  /** Writes the conditions into `ns.status`; true when anything changed. */
  update(ns: Namespace): boolean {
    if (!getCondition(this.newConditions, NamespaceDeletionContentFailure) && this.deleteContentErrors.length) {
      const msgs = sortStrings(this.deleteContentErrors.map(message));
      this.push(NamespaceDeletionContentFailure, 'ContentDeletionFailed', `Failed to delete all resource types, ${msgs.length} remaining: ${msgs.join(', ')}`);
    }
    ns.status ??= {};
    return this.updateConditions(ns.status);
  }

  private updateConditions(status: NamespaceStatus): boolean {
    let changed = false;
    status.conditions ??= [];
    for (const type of CONDITION_TYPES) {
      const next = getCondition(this.newConditions, type) ?? this.successful(type);
      const old = getCondition(status.conditions, type);
      if (!old) {
        status.conditions.push(next);
        changed = true;
      } else if (old.status !== next.status || old.message !== next.message || old.reason !== next.reason) {
        if (old.status !== next.status) old.lastTransitionTime = rfc3339(this.now());
        old.status = next.status;
        old.reason = next.reason;
        old.message = next.message;
        changed = true;
      }
    }
    return changed;
  }

  private successful(type: string): NamespaceCondition {
    return { type, status: 'False', lastTransitionTime: rfc3339(this.now()), reason: OK_REASONS[type], message: OK_MESSAGES[type] };
  }

  private push(type: string, reason: string, msg: string): void {
    this.newConditions.push({ type, status: 'True', lastTransitionTime: rfc3339(this.now()), reason, message: msg });
  }
}

function getCondition(conditions: NamespaceCondition[], type: string): NamespaceCondition | undefined {
  return conditions.find((c) => c.type === type);
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Go's sort.Strings: byte order, not locale order. */
function sortStrings(xs: string[]): string[] {
  return [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
