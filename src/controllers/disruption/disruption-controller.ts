// The disruption controller (pkg/controller/disruption): keeps each PodDisruptionBudget's status
// true to its pods, so the eviction subresource can decide from the status alone.
//  - handlers turn PDB and pod events into the PDB's `ns/name` key (a pod's PDB is the first
//    whose selector matches it); pods with a stale DisruptionTarget condition get a key of
//    their own in a second queue;
//  - sync(key) is level-triggered: select the pods, work out expectedPods (the pods' controllers'
//    scales, or the pod count for an integer minAvailable), desiredHealthy, currentHealthy (ready
//    pods neither terminating nor recently disrupted), drop disruptedPods entries that are older
//    than DELETION_TIMEOUT, and write the status (with the DisruptionAllowed condition) when it
//    changed. It comes back when the earliest kept disruptedPods entry expires.
//  - a sync that fails for another reason than a conflict writes the fail-safe status
//    (disruptionsAllowed 0, DisruptionAllowed False/SyncFailed), so evictions stop while in doubt.
import type { Deployment, ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { Pod, ReplicationController } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget, PodDisruptionBudgetStatus } from 'kubernetes-types/policy/v1.js';
import { fromLabelSelector } from '../../api/selectors/index.js';
import {
  RateLimitingQueue, deletedObject, isConflict, isNotFound, metaNamespaceKey, resources, splitMetaNamespaceKey,
  type DeletedFinalStateUnknown, type EventRecorder, type Lister, type SharedIndexInformer, type TimerClock,
} from '../../client/index.js';
import { rfc3339 } from '../../util/clock.js';
import type { Controller, ControllerContext } from '../types.js';
import { worker } from '../worker.js';
import {
  STALE_POD_DISRUPTION_TIMEOUT_MS, buildDisruptedPodMap, controllerOf, countHealthyPods, expectedPodCount, failSafeStatus,
  nextStatus, staleDisruptionCondition, type ControllerScale,
} from './disruption-utils.js';

export interface DisruptionControllerOptions {
  /** Seam for tests: how long a DisruptionTarget condition may stay without the pod being deleted. */
  stalePodDisruptionTimeoutMs?: number;
  /** Where unexpected errors go (default: stderr). */
  onError?: (err: unknown) => void;
}

type OwnerRef = NonNullable<ReturnType<typeof controllerOf>>;

export class DisruptionController implements Controller {
  readonly name = 'disruption';
  /** Keys (`ns/name`) of PDBs to sync. */
  readonly queue: RateLimitingQueue<string>;
  /** Keys of pods whose DisruptionTarget condition may have gone stale. */
  readonly stalePodQueue: RateLimitingQueue<string>;
  /** Seam for tests: the function workers call for a PDB key. */
  syncHandler: (key: string) => Promise<void> = (key) => this.sync(key);
  private readonly pdbInformer: SharedIndexInformer<PodDisruptionBudget>;
  private readonly podInformer: SharedIndexInformer<Pod>;
  private readonly informers: Array<SharedIndexInformer<never>>;
  private readonly pdbLister: Lister<PodDisruptionBudget>;
  private readonly podLister: Lister<Pod>;
  private readonly rcLister: Lister<ReplicationController>;
  private readonly rsLister: Lister<ReplicaSet>;
  private readonly dLister: Lister<Deployment>;
  private readonly ssLister: Lister<StatefulSet>;
  private readonly recorder: EventRecorder;
  private readonly clock: TimerClock;
  private readonly staleTimeoutMs: number;
  private readonly onError: (err: unknown) => void;

  constructor(private readonly ctx: ControllerContext, opts: DisruptionControllerOptions = {}) {
    this.clock = ctx.clock;
    this.staleTimeoutMs = opts.stalePodDisruptionTimeoutMs ?? STALE_POD_DISRUPTION_TIMEOUT_MS;
    this.onError = opts.onError ?? ((e) => console.error('k8ts: disruption controller:', e));
    this.recorder = ctx.recorder('controllermanager');
    this.queue = new RateLimitingQueue<string>({ name: 'disruption', clock: ctx.clock });
    this.stalePodQueue = new RateLimitingQueue<string>({ name: 'stale_pod_disruption', clock: ctx.clock });

    this.pdbInformer = ctx.informers.informerFor(resources.podDisruptionBudgets);
    this.pdbLister = this.pdbInformer.lister();
    this.pdbInformer.addEventHandler({
      onAdd: (pdb) => this.enqueue(pdb),
      onUpdate: (_old, cur) => this.enqueue(cur),
      onDelete: (pdb) => this.enqueue(deletedObject(pdb)),
    });
    this.podInformer = ctx.informers.informerFor(resources.pods);
    this.podLister = this.podInformer.lister();
    this.podInformer.addEventHandler({
      onAdd: (pod) => this.podChanged(pod),
      onUpdate: (_old, cur) => this.podChanged(cur),
      onDelete: (pod) => this.podDeleted(pod),
    });
    const rc = ctx.informers.informerFor(resources.replicationControllers);
    const rs = ctx.informers.informerFor(resources.replicaSets);
    const d = ctx.informers.informerFor(resources.deployments);
    const ss = ctx.informers.informerFor(resources.statefulSets);
    this.rcLister = rc.lister();
    this.rsLister = rs.lister();
    this.dLister = d.lister();
    this.ssLister = ss.lister();
    this.informers = [this.pdbInformer, this.podInformer, rc, rs, d, ss] as unknown as Array<SharedIndexInformer<never>>;
  }

  async run(workers: number): Promise<void> {
    const signal = this.ctx.signal;
    if (signal.aborted) return;
    signal.addEventListener('abort', () => {
      this.queue.shutDown();
      this.stalePodQueue.shutDown();
    }, { once: true });
    const synced = await Promise.all(this.informers.map((i) => i.waitForSync(signal)));
    if (!synced.every(Boolean)) return;
    const n = Math.max(1, workers);
    // Conflicts are retried without being reported.
    const opts = { signal, onError: this.onError, silent: isConflict };
    await Promise.all([
      ...Array.from({ length: n }, () => worker(this.queue, this.syncHandler, opts)),
      worker(this.stalePodQueue, (key) => this.syncStalePodDisruption(key), opts),
    ]);
  }

  // ── event handlers ─────────────────────────────────────────────────────────────────────

  private enqueue(pdb: PodDisruptionBudget): void {
    this.queue.add(metaNamespaceKey(pdb));
  }

  private podChanged(pod: Pod): void {
    const pdb = this.getPdbForPod(pod);
    if (pdb) this.enqueue(pdb);
    const { stale, afterMs } = staleDisruptionCondition(pod, this.clock.now(), this.staleTimeoutMs);
    if (stale) this.stalePodQueue.addAfter(metaNamespaceKey(pod), afterMs);
  }

  private podDeleted(obj: Pod | DeletedFinalStateUnknown<Pod>): void {
    const pdb = this.getPdbForPod(deletedObject(obj));
    if (pdb) this.enqueue(pdb);
  }

  /** The first PDB selecting the pod; several are reported on the pod, as upstream does. */
  private getPdbForPod(pod: Pod): PodDisruptionBudget | undefined {
    const ns = pod.metadata?.namespace ?? '';
    const pdbs = this.pdbLister.namespace(ns).list().filter((pdb) => selects(pdb, pod));
    if (pdbs.length > 1) {
      const msg = `Pod "${ns}"/"${pod.metadata?.name}" matches multiple PodDisruptionBudgets.  Chose "${pdbs[0].metadata?.name}" arbitrarily.`;
      this.recorder.event(withKind(pod, 'v1', 'Pod'), 'Warning', 'MultiplePodDisruptionBudgets', msg);
    }
    return pdbs[0];
  }

  // ── sync ───────────────────────────────────────────────────────────────────────────────

  /** Brings one PDB's status in line with its pods. Idempotent. */
  async sync(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const pdb = this.pdbLister.namespace(namespace).get(name);
    if (!pdb) return;
    try {
      await this.trySync(key, pdb);
    } catch (e) {
      // A conflict only means our copy is old: retry without the fail-safe.
      if (isConflict(e)) throw e;
      this.onError(new Error(`failed to sync PDB ${key}: ${(e as Error).message ?? e}`));
      await this.writeStatus(pdb, failSafeStatus(pdb, (e as Error).message ?? String(e), rfc3339(this.clock.now())));
    }
  }

  private async trySync(key: string, pdb: PodDisruptionBudget): Promise<void> {
    const ref = withKind(pdb, 'policy/v1', 'PodDisruptionBudget');
    let pods: Pod[];
    try {
      pods = this.podLister.namespace(pdb.metadata?.namespace ?? '').list(fromLabelSelector(pdb.spec?.selector));
    } catch (e) {
      this.recorder.event(ref, 'Warning', 'NoPods', `Failed to get pods: ${(e as Error).message}`);
      throw e;
    }
    if (!pods.length) this.recorder.event(ref, 'Normal', 'NoPods', 'No matching pods found');

    let counts;
    try {
      counts = await expectedPodCount(pdb, pods, (pod) => this.findScale(pod));
    } catch (e) {
      this.recorder.event(ref, 'Warning', 'CalculateExpectedPodCountFailed', `Failed to calculate the number of expected pods: ${(e as Error).message}`);
      throw e;
    }
    if (counts.unmanagedPods.length) {
      this.recorder.event(ref, 'Warning', 'UnmanagedPods',
        `Pods selected by this PodDisruptionBudget (selector: ${JSON.stringify(pdb.spec?.selector ?? null)}) were found to be unmanaged. ` +
        'As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. ' +
        'To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.');
    }

    const now = this.clock.now();
    const { disruptedPods, recheckAt, expired } = buildDisruptedPodMap(pods, pdb, now);
    for (const pod of expired) {
      this.recorder.event(withKind(pod, 'v1', 'Pod'), 'Warning', 'NotDeleted', `Pod was expected by PDB ${pdb.metadata?.namespace}/${pdb.metadata?.name} to be deleted but it wasn't`);
    }
    const currentHealthy = countHealthyPods(pods, disruptedPods, now);
    const status = nextStatus(pdb, { currentHealthy, desiredHealthy: counts.desiredHealthy, expectedPods: counts.expectedCount, disruptedPods }, rfc3339(now));
    if (status) await this.writeStatus(pdb, status);
    if (recheckAt !== undefined) this.queue.addAfter(key, Math.max(0, recheckAt - now));
  }

  /** One status write at the cached version; a conflict is left to the queue's retry. */
  private async writeStatus(pdb: PodDisruptionBudget, status: PodDisruptionBudgetStatus): Promise<void> {
    await this.ctx.client.resource(resources.podDisruptionBudgets).namespace(pdb.metadata?.namespace).updateStatus({ ...pdb, status });
  }

  // ── controllers and their scale ────────────────────────────────────────────────────────

  /**
   * The scale of the pod's controller (the finders, in upstream's order): an RC, a Deployment
   * through its ReplicaSet, a ReplicaSet of no Deployment, a StatefulSet from the listers;
   * anything else through its scale subresource.
   */
  private async findScale(pod: Pod): Promise<ControllerScale | undefined> {
    const ref = controllerOf(pod);
    if (!ref) return undefined;
    const ns = pod.metadata?.namespace ?? '';
    const fromLister = this.replicationController(ref, ns) ?? this.deployment(ref, ns) ?? this.replicaSet(ref, ns) ?? this.statefulSet(ref, ns);
    return fromLister ?? this.scaleController(ref, ns);
  }

  private replicationController(ref: OwnerRef, ns: string): ControllerScale | undefined {
    if (!isKind(ref, 'ReplicationController', [''])) return undefined;
    const rc = this.rcLister.namespace(ns).get(ref.name);
    return rc?.metadata?.uid === ref.uid ? { uid: ref.uid, scale: rc.spec?.replicas ?? 1 } : undefined;
  }

  private deployment(ref: OwnerRef, ns: string): ControllerScale | undefined {
    if (!isKind(ref, 'ReplicaSet', ['apps', 'extensions'])) return undefined;
    const rs = this.rsLister.namespace(ns).get(ref.name);
    if (rs?.metadata?.uid !== ref.uid) return undefined;
    const dref = controllerOf(rs);
    if (!dref || !isKind(dref, 'Deployment', ['apps', 'extensions'])) return undefined;
    const d = this.dLister.namespace(ns).get(dref.name);
    return d?.metadata?.uid === dref.uid ? { uid: dref.uid, scale: d.spec?.replicas ?? 1 } : undefined;
  }

  private replicaSet(ref: OwnerRef, ns: string): ControllerScale | undefined {
    if (!isKind(ref, 'ReplicaSet', ['apps', 'extensions'])) return undefined;
    const rs = this.rsLister.namespace(ns).get(ref.name);
    if (rs?.metadata?.uid !== ref.uid) return undefined;
    if (controllerOf(rs)?.kind === 'Deployment') return undefined; // counted through its Deployment
    return { uid: ref.uid, scale: rs.spec?.replicas ?? 1 };
  }

  private statefulSet(ref: OwnerRef, ns: string): ControllerScale | undefined {
    if (!isKind(ref, 'StatefulSet', ['apps'])) return undefined;
    const ss = this.ssLister.namespace(ns).get(ref.name);
    return ss?.metadata?.uid === ref.uid ? { uid: ref.uid, scale: ss.spec?.replicas ?? 1 } : undefined;
  }

  /** Any other controller: GET its scale subresource (a missing one means "not found"). */
  private async scaleController(ref: OwnerRef, ns: string): Promise<ControllerScale | undefined> {
    const [group, version] = ref.apiVersion.includes('/') ? ref.apiVersion.split('/', 2) : ['', ref.apiVersion];
    const type = this.ctx.client.resourceTable().forKind(group, version, ref.kind);
    if (!type) throw new Error(`no matches for kind "${ref.kind}" in version "${ref.apiVersion}"`);
    let scale: { metadata?: { uid?: string }; spec?: { replicas?: number } };
    try {
      scale = await this.ctx.client.resource(type).namespace(ns).getSubresource(ref.name, 'scale');
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
    return scale.metadata?.uid === ref.uid ? { uid: ref.uid, scale: scale.spec?.replicas ?? 0 } : undefined;
  }

  // ── stale DisruptionTarget conditions ──────────────────────────────────────────────────

  /** A pod marked for disruption that was not deleted in time gets DisruptionTarget=False. */
  async syncStalePodDisruption(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const pod = this.podLister.namespace(namespace).get(name);
    if (!pod) return;
    const { stale, afterMs } = staleDisruptionCondition(pod, this.clock.now(), this.staleTimeoutMs);
    if (!stale) return;
    if (afterMs > 0) {
      this.stalePodQueue.addAfter(key, afterMs);
      return;
    }
    const now = rfc3339(this.clock.now());
    const conditions = (pod.status?.conditions ?? []).map((c) => (c.type === 'DisruptionTarget' ? { type: c.type, status: 'False', lastTransitionTime: now } : c));
    await this.ctx.client.resource(resources.pods).namespace(namespace).updateStatus({ ...pod, status: { ...pod.status, conditions } });
  }
}

/** The PDB's selector matches the pod (policy/v1: an empty selector matches every pod). */
function selects(pdb: PodDisruptionBudget, pod: Pod): boolean {
  try {
    return fromLabelSelector(pdb.spec?.selector).matches(pod.metadata?.labels ?? {});
  } catch {
    return false; // an invalid selector matches nothing
  }
}

function isKind(ref: OwnerRef, kind: string, groups: string[]): boolean {
  const group = ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0] : '';
  return ref.kind === kind && groups.includes(group);
}

function withKind<T extends object>(obj: T, apiVersion: string, kind: string): T & { apiVersion: string; kind: string } {
  return { ...obj, apiVersion, kind };
}
