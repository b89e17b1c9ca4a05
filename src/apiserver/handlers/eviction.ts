// pods/eviction (policy/v1 Eviction, as upstream's pkg/registry/core/pod/storage/eviction.go):
// a pod deletion that respects PodDisruptionBudgets.
//  - A pod that is terminal, Pending or already terminating is deleted without looking at PDBs.
//  - Otherwise the PDBs of its namespace whose selector matches it are found: none → delete;
//    more than one → 500 (unsupported); one → the budget must be up to date (observedGeneration)
//    and allow a disruption, which is taken (disruptionsAllowed − 1, the pod recorded in
//    status.disruptedPods, written with optimistic concurrency) before the pod is deleted.
//    When it does not allow one: 429 TooManyRequests with a DisruptionBudget cause.
//  - An unready pod is deleted without taking a disruption when the budget is healthy anyway
//    (or its unhealthyPodEvictionPolicy is AlwaysAllow); the delete is then conditional on the
//    pod's resourceVersion so a pod turning ready in between is not lost silently (→ 429).
//  - Before deleting, the pod gets the DisruptionTarget condition (EvictionByEvictionAPI).
// The Eviction's deleteOptions (gracePeriodSeconds, preconditions, propagationPolicy, dryRun)
// apply to the deletion; dryRun (query or body) writes nothing.
import { errors, StatusError, type Status } from '../../api/errors.js';
import { fromLabelSelector } from '../../api/selectors/index.js';
import type { KObject } from '../../api/strategies/types.js';
import { rfc3339 } from '../../util/clock.js';
import { readBody } from '../http/body.js';
import { writeJson, successStatus } from '../http/respond.js';
import type { DeleteOptions, ResourceStore } from '../registry/resource-store.js';
import { parseBody } from './decode.js';
import { storeFor, writeOptions, type Scope } from './scope.js';

/** Most entries status.disruptedPods may hold before evictions are refused (MaxDisruptedPodSize). */
export const MAX_DISRUPTED_POD_SIZE = 2000;
/** Attempts when the pod changes under an eviction that ignores PDBs (EvictionsRetry steps). */
const EVICTION_RETRIES = 20;

export const VIOLATES_BUDGET = "Cannot evict pod as it would violate the pod's disruption budget.";
export const MULTIPLE_BUDGETS = 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.';

interface EvictionOptions extends DeleteOptions {
  dryRun: boolean;
}

export async function handleEviction(scope: Scope): Promise<void> {
  const { dryRun: queryDryRun } = writeOptions(scope.query);
  const eviction = parseBody(scope, await readBody(scope.req)).obj;
  if (eviction.kind && eviction.kind !== 'Eviction') {
    throw errors.badRequest(`the kind of the object (${eviction.kind}) does not match the expected kind (Eviction) for policy/v1`);
  }
  if (eviction.apiVersion && eviction.apiVersion !== 'policy/v1' && eviction.apiVersion !== 'policy/v1beta1') {
    throw errors.badRequest(`the API version in the data (${eviction.apiVersion}) does not match the expected API version (policy/v1)`);
  }
  const ns = scope.info.namespace;
  const name = scope.info.name;
  if (eviction.metadata?.namespace && eviction.metadata.namespace !== ns) {
    throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  if (eviction.metadata?.name !== name) throw errors.badRequest('name in URL does not match name in Eviction object');
  const original = evictionOptions(eviction.deleteOptions, queryDryRun);
  const pods = scope.rstore;
  const pdbs = storeFor(scope.ctx, scope.ctx.registry.get('policy', 'v1', 'poddisruptionbudgets')!)!;
  const now = () => rfc3339(scope.ctx.clock.now());

  // Pods whose disruption has already happened (or is under way) go without a PDB check.
  let pod: KObject;
  let podRv: string;
  for (let attempt = 0; ; attempt++) {
    const entry = await pods.get(ns, name);
    pod = entry.obj;
    podRv = String(entry.rv);
    if (!canIgnorePDB(pod)) break;
    const opts = shouldEnforceResourceVersion(pod) && !original.preconditions?.resourceVersion
      ? withResourceVersion(original, podRv)
      : original;
    try {
      await addConditionAndDeletePod(pods, ns, name, opts, now);
      return succeed(scope);
    } catch (e) {
      const retry = isConflict(e) && !original.preconditions?.resourceVersion && attempt < EVICTION_RETRIES;
      if (!retry) throw e;
    }
  }

  await pdbs.fresh();
  const matching = pdbsFor(pdbs, ns, pod);
  if (matching.length > 1) {
    const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: MULTIPLE_BUDGETS, code: 500 };
    writeJson(scope.req, scope.res, 500, s);
    return;
  }
  const pdb = matching[0];
  let guardDelete = false;
  if (pdb) {
    const st = pdb.status ?? {};
    if (!isPodReady(pod) && (pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow' || (int(st.currentHealthy) >= int(st.desiredHealthy) && int(st.desiredHealthy) > 0))) {
      // The unready pod counts for nothing: deleting it disrupts nobody.
      guardDelete = true;
    } else {
      await checkAndDecrement(pdbs, pdb, name, original.dryRun, now);
    }
  }
  const opts = guardDelete ? withResourceVersion(original, podRv) : original;
  try {
    await addConditionAndDeletePod(pods, ns, name, opts, now);
  } catch (e) {
    // The pod changed since the budget was judged (it may be ready now): let the client retry.
    if (isConflict(e) && guardDelete && !original.preconditions?.resourceVersion) throw stillProcessing(pdb!.metadata?.name ?? '');
    throw e;
  }
  succeed(scope);
}

function succeed(scope: Scope): void {
  writeJson(scope.req, scope.res, 201, { ...successStatus(), code: 201 });
}

/** The Eviction's deleteOptions, with the request's dryRun pushed into them (propagateDryRun). */
export function evictionOptions(raw: unknown, queryDryRun: boolean): EvictionOptions {
  const o = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const bodyDry = Array.isArray(o.dryRun) ? (o.dryRun as unknown[]) : [];
  for (const d of bodyDry) if (d !== 'All') throw errors.badRequest(`Invalid dry run value: ${String(d)}`);
  const opts: EvictionOptions = { dryRun: queryDryRun || bodyDry.length > 0 };
  const grace = o.gracePeriodSeconds;
  if (grace !== undefined && grace !== null) {
    if (typeof grace !== 'number' || !Number.isInteger(grace)) throw errors.badRequest('gracePeriodSeconds must be an integer');
    opts.gracePeriodSeconds = grace;
  }
  const policy = o.propagationPolicy;
  if (policy !== undefined && policy !== null) {
    if (policy !== 'Orphan' && policy !== 'Background' && policy !== 'Foreground') {
      throw errors.badRequest(`propagationPolicy: Unsupported value: "${String(policy)}": supported values: "Foreground", "Background", "Orphan"`);
    }
    opts.propagationPolicy = policy;
  }
  if (typeof o.orphanDependents === 'boolean') opts.orphanDependents = o.orphanDependents;
  const pre = o.preconditions as { uid?: unknown; resourceVersion?: unknown } | undefined;
  if (pre && typeof pre === 'object') {
    opts.preconditions = {};
    if (typeof pre.uid === 'string' && pre.uid) opts.preconditions.uid = pre.uid;
    if (typeof pre.resourceVersion === 'string' && pre.resourceVersion) opts.preconditions.resourceVersion = pre.resourceVersion;
  }
  return opts;
}

function withResourceVersion(opts: EvictionOptions, rv: string): EvictionOptions {
  return { ...opts, preconditions: { ...opts.preconditions, resourceVersion: rv } };
}

/** Terminal, Pending or terminating pods: the disruption is not the eviction's doing. */
export function canIgnorePDB(pod: KObject): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || !!pod.metadata?.deletionTimestamp;
}

/** Everything but terminal or terminating pods is deleted only at the version judged. */
function shouldEnforceResourceVersion(pod: KObject): boolean {
  const phase = pod.status?.phase;
  return !(phase === 'Succeeded' || phase === 'Failed' || pod.metadata?.deletionTimestamp);
}

export function isPodReady(pod: KObject): boolean {
  return (pod.status?.conditions ?? []).some((c: { type?: string; status?: string }) => c.type === 'Ready' && c.status === 'True');
}

/** The namespace's PDBs whose selector matches the pod (an empty selector matches all, as in policy/v1). */
function pdbsFor(pdbs: ResourceStore, ns: string, pod: KObject): KObject[] {
  const out: KObject[] = [];
  for (const e of pdbs.cache.list(ns)) {
    let matches = false;
    try {
      matches = fromLabelSelector(e.obj.spec?.selector).matches(pod.metadata?.labels ?? {});
    } catch {
      // An invalid selector matches nothing.
    }
    if (matches) out.push(e.obj);
  }
  return out;
}

/**
 * Takes one disruption from the budget (status write at the read version; a racing write
 * makes the store read again and re-check). Throws 429 when the budget forbids it.
 */
async function checkAndDecrement(pdbs: ResourceStore, listed: KObject, podName: string, dryRun: boolean, now: () => string): Promise<void> {
  const ns = listed.metadata?.namespace ?? '';
  const pdbName = listed.metadata?.name ?? '';
  const take = (pdb: KObject): KObject => {
    const st = (pdb.status ??= {});
    if (int(st.observedGeneration) < int(pdb.metadata?.generation)) throw stillProcessing(pdbName);
    if (int(st.disruptionsAllowed) < 0) throw errors.forbidden(`poddisruptionbudget.policy "${pdbName}" is forbidden: pdb disruptions allowed is negative`, { name: pdbName, group: 'policy', kind: 'poddisruptionbudget' });
    if (Object.keys(st.disruptedPods ?? {}).length > MAX_DISRUPTED_POD_SIZE) {
      throw errors.forbidden(`poddisruptionbudget.policy "${pdbName}" is forbidden: DisruptedPods map too big - too many evictions not confirmed by PDB controller`, { name: pdbName, group: 'policy', kind: 'poddisruptionbudget' });
    }
    if (int(st.disruptionsAllowed) === 0) {
      throw new StatusError(429, 'TooManyRequests', VIOLATES_BUDGET, {
        causes: [{ reason: 'DisruptionBudget', message: `The disruption budget ${pdbName} needs ${int(st.desiredHealthy)} healthy pods and has ${int(st.currentHealthy)} currently` }],
      });
    }
    st.disruptionsAllowed = int(st.disruptionsAllowed) - 1;
    if (st.disruptionsAllowed === 0) setDisruptionAllowedCondition(pdb, now());
    st.disruptedPods = { ...(st.disruptedPods ?? {}), [podName]: now() };
    return pdb;
  };
  if (dryRun) {
    take(structuredClone(listed));
    return;
  }
  try {
    await pdbs.update(ns, pdbName, async (cur) => take(cur!), { dryRun: false, subresource: 'status' });
  } catch (e) {
    if (isConflict(e)) throw new StatusError(504, 'Timeout', `couldn't update PodDisruptionBudget "${pdbName}" due to conflicts`, { retryAfterSeconds: 10 });
    throw e;
  }
}

/** DisruptionAllowed False/InsufficientPods once no disruption is left (pdbhelper's update). */
function setDisruptionAllowedCondition(pdb: KObject, now: string): void {
  const st = pdb.status;
  const allowed = int(st.disruptionsAllowed) > 0;
  const want = { type: 'DisruptionAllowed', status: allowed ? 'True' : 'False', reason: allowed ? 'SufficientPods' : 'InsufficientPods' };
  const conds: Record<string, unknown>[] = Array.isArray(st.conditions) ? st.conditions : [];
  const old = conds.find((c) => c.type === 'DisruptionAllowed');
  const next = {
    ...want, message: old?.message ?? '', observedGeneration: st.observedGeneration,
    lastTransitionTime: old && old.status === want.status && old.lastTransitionTime ? old.lastTransitionTime : now,
  };
  st.conditions = old ? conds.map((c) => (c === old ? next : c)) : [...conds, next];
}

function stillProcessing(pdbName: string): StatusError {
  return new StatusError(429, 'TooManyRequests', VIOLATES_BUDGET, {
    retryAfterSeconds: 10,
    causes: [{ reason: 'DisruptionBudget', message: `The disruption budget ${pdbName} is still being processed by the server.` }],
  });
}

/**
 * Marks the pod DisruptionTarget=True (EvictionByEvictionAPI) at its latest version — checking
 * the preconditions against it — then deletes it; a dry run only deletes (dry).
 */
async function addConditionAndDeletePod(pods: ResourceStore, ns: string, name: string, opts: EvictionOptions, now: () => string): Promise<void> {
  let options: DeleteOptions = opts;
  if (!opts.dryRun) {
    const { obj } = await pods.update(ns, name, async (old) => {
      const pod = old!;
      const uid = opts.preconditions?.uid;
      if (uid && uid !== pod.metadata?.uid) {
        throw errors.conflict('', 'Pod', name, `the UID in the precondition (${uid}) does not match the UID in record (${pod.metadata?.uid}). The object might have been deleted and then recreated`);
      }
      const rv = opts.preconditions?.resourceVersion;
      if (rv && rv !== pod.metadata?.resourceVersion) {
        throw errors.conflict('', 'Pod', name, `the ResourceVersion in the precondition (${rv}) does not match the ResourceVersion in record (${pod.metadata?.resourceVersion}). The object might have been modified`);
      }
      setPodCondition(pod, { type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' }, now());
      return pod;
    }, { dryRun: false, subresource: 'status' });
    // We made the latest version: a resourceVersion precondition now names ours.
    if (opts.preconditions?.resourceVersion) options = withResourceVersion(opts, String(obj.metadata?.resourceVersion));
  }
  const { dryRun, ...deleteOpts } = options as EvictionOptions;
  await pods.delete(ns, name, deleteOpts, { dryRun });
}

/** UpdatePodCondition: a changed status moves lastTransitionTime; the rest is overwritten. */
function setPodCondition(pod: KObject, cond: { type: string; status: string; reason: string; message: string }, now: string): void {
  const status = (pod.status ??= {});
  const conds: Record<string, unknown>[] = Array.isArray(status.conditions) ? status.conditions : [];
  const old = conds.find((c) => c.type === cond.type);
  const next = { ...cond, lastProbeTime: null, lastTransitionTime: old && old.status === cond.status ? old.lastTransitionTime : now };
  status.conditions = old ? conds.map((c) => (c === old ? { ...old, ...next } : c)) : [...conds, next];
}

function isConflict(e: unknown): boolean {
  return e instanceof StatusError && e.code === 409;
}

function int(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}
