// Empties a terminating namespace (upstream deletion/namespaced_resources_deleter.go): marks it
// Terminating, deletes every namespaced resource in it (deletecollection, else one by one,
// always with propagationPolicy Background), reports the NamespaceDeletion* conditions, and
// once nothing remains removes its finalizer token through the finalize subresource — the API
// server then deletes the namespace. While content remains it answers ResourcesRemainingError
// with an estimate, and the caller tries again later.
import type { Namespace, Pod } from 'kubernetes-types/core/v1.js';
import { isConflict, isMethodNotSupported, isNotFound, resources, type KubeList, type RestClient, type UnstructuredObject } from '../../client/index.js';
import { preferredWithVerbs, type DiscoveredResource, type DiscoverFn } from '../garbage-collector/discovery.js';
import { NamespaceConditionUpdater, type ContentTotals } from './status-conditions.js';

/** Content is left; try again in about `estimate` seconds. */
export class ResourcesRemainingError extends Error {
  constructor(readonly estimate: number) {
    super(`some content remains in the namespace, estimate ${estimate} seconds before it is removed`);
    this.name = 'ResourcesRemainingError';
  }
}

/** The default wait for finalizers on remaining items (upstream finalizerEstimateSeconds). */
const FINALIZER_ESTIMATE_SECONDS = 15;

type Operation = 'list' | 'deletecollection';

interface GvrDeletionMetadata {
  finalizerEstimateSeconds: number;
  numRemaining: number;
  finalizersToNumRemaining?: Map<string, number>;
}

export interface NamespacedResourcesDeleterOptions {
  client: RestClient;
  /** Every served resource with its verbs (the namespaced, preferred, deletable ones are used). */
  discover: DiscoverFn;
  /** The token to remove from spec.finalizers (upstream: "kubernetes"). */
  finalizerToken?: string;
  now?: () => number;
}

export class NamespacedResourcesDeleter {
  private readonly client: RestClient;
  private readonly discover: DiscoverFn;
  private readonly finalizerToken: string;
  private readonly now: () => number;
  /** `op/gvr` keys of operations a resource does not support (from discovery, then 405/404s). */
  private notSupported: Set<string> | undefined;

  constructor(opts: NamespacedResourcesDeleterOptions) {
    this.client = opts.client;
    this.discover = opts.discover;
    this.finalizerToken = opts.finalizerToken ?? 'kubernetes';
    this.now = opts.now ?? Date.now;
  }

  private get namespaces() {
    return this.client.resource(resources.namespaces);
  }

  /** One pass over namespace `name`; resolves when it is finalized (or not being deleted). */
  async delete(name: string): Promise<void> {
    let ns: Namespace;
    try {
      ns = await this.namespaces.get(name);
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    if (!ns.metadata?.deletionTimestamp) return;
    try {
      ns = await this.retryOnConflict(ns, (n) => this.updateNamespaceStatus(n));
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    if (!ns.metadata?.deletionTimestamp) return;
    if (!ns.spec?.finalizers?.length) return;
    const estimate = await this.deleteAllContent(ns);
    if (estimate > 0) throw new ResourcesRemainingError(estimate);
    try {
      await this.retryOnConflict(ns, (n) => this.finalizeNamespace(n));
    } catch (e) {
      // Another controller sharing the token may have finished first.
      if (!isNotFound(e)) throw e;
    }
  }

  /** Runs `fn`, re-reading the namespace on conflicts; fails if its uid changes meanwhile. */
  private async retryOnConflict(ns: Namespace, fn: (ns: Namespace) => Promise<Namespace>): Promise<Namespace> {
    let latest = ns;
    for (;;) {
      try {
        return await fn(latest);
      } catch (e) {
        if (!isConflict(e)) throw e;
      }
      const prev = latest;
      latest = await this.namespaces.get(latest.metadata!.name!);
      if (prev.metadata?.uid !== latest.metadata?.uid) throw new Error('namespace uid has changed across retries');
    }
  }

  private async updateNamespaceStatus(ns: Namespace): Promise<Namespace> {
    if (!ns.metadata?.deletionTimestamp || ns.status?.phase === 'Terminating') return ns;
    return this.namespaces.updateStatus({ ...ns, status: { ...ns.status, phase: 'Terminating' } });
  }

  private async finalizeNamespace(ns: Namespace): Promise<Namespace> {
    const finalizers = [...new Set((ns.spec?.finalizers ?? []).filter((f) => f !== this.finalizerToken))].sort();
    const body: Namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: ns.metadata, spec: { ...ns.spec, finalizers } };
    try {
      return await this.namespaces.updateSubresource<Namespace>(ns.metadata!.name!, 'finalize', body);
    } catch (e) {
      if (isNotFound(e)) return ns;
      throw e;
    }
  }

  /** Deletes everything in the namespace; returns seconds to wait (0: nothing left). */
  async deleteAllContent(ns: Namespace): Promise<number> {
    const namespace = ns.metadata!.name!;
    const deletedAt = Date.parse(ns.metadata!.deletionTimestamp!);
    const errs: unknown[] = [];
    const conditions = new NamespaceConditionUpdater(this.now);
    let found: DiscoveredResource[] = [];
    try {
      const { resources: all, error } = await this.discover();
      found = all;
      if (error) {
        // Not fatal: act on the resources that could be discovered.
        errs.push(error);
        conditions.processDiscoverResourcesErr(error);
      }
      this.initOpCache(all);
    } catch (e) {
      errs.push(e);
      conditions.processDiscoverResourcesErr(e);
    }
    const deletable = preferredWithVerbs(found, ['delete']).filter((r) => r.namespaced);
    const gvrs: DiscoveredResource[] = [];
    for (const r of deletable) {
      if (!r.version || r.version.includes('/') || r.group.includes('/')) {
        const err = new Error(`unexpected GroupVersion string: ${r.group ? `${r.group}/${r.version}` : r.version}`);
        errs.push(err);
        conditions.processGroupVersionErr(err);
        continue;
      }
      gvrs.push(r);
    }
    let estimate = 0;
    const totals: ContentTotals = { gvrToNumRemaining: new Map(), finalizersToNumRemaining: new Map() };
    for (const gvr of gvrs) {
      let meta: GvrDeletionMetadata;
      try {
        meta = await this.deleteAllContentForResource(gvr, namespace, deletedAt);
      } catch (e) {
        const failed = e as Error & { meta?: GvrDeletionMetadata };
        errs.push(e);
        conditions.processDeleteContentErr(e);
        meta = failed.meta ?? { finalizerEstimateSeconds: 0, numRemaining: 0 };
      }
      estimate = Math.max(estimate, meta.finalizerEstimateSeconds);
      if (meta.numRemaining > 0) {
        totals.gvrToNumRemaining.set(`${gvr.resource}.${gvr.group}`, meta.numRemaining);
        for (const [f, n] of meta.finalizersToNumRemaining ?? []) {
          if (n > 0) totals.finalizersToNumRemaining.set(f, (totals.finalizersToNumRemaining.get(f) ?? 0) + n);
        }
      }
    }
    conditions.processContentTotals(totals);
    // Always written: a condition that was failing and now is not must say so.
    if (conditions.update(ns)) {
      try {
        await this.namespaces.updateStatus(ns);
      } catch (e) {
        console.error(`k8ts: namespace controller: couldn't update status condition for namespace "${namespace}": ${(e as Error).message}`);
      }
    }
    if (errs.length) throw new AggregateError(errs, errs.map((e) => (e as Error).message ?? String(e)).join(', '));
    return estimate;
  }

  private async deleteAllContentForResource(gvr: DiscoveredResource, namespace: string, deletedAt: number): Promise<GvrDeletionMetadata> {
    const estimate = await this.estimateGracefulTermination(gvr, namespace, deletedAt);
    const fail = (e: unknown, meta: GvrDeletionMetadata) => Object.assign(e instanceof Error ? e : new Error(String(e)), { meta });
    try {
      if (!(await this.deleteCollection(gvr, namespace))) await this.deleteEachItem(gvr, namespace);
    } catch (e) {
      throw fail(e, { finalizerEstimateSeconds: estimate, numRemaining: 0 });
    }
    let list: KubeList<UnstructuredObject> | undefined;
    try {
      list = await this.listCollection(gvr, namespace);
    } catch (e) {
      throw fail(e, { finalizerEstimateSeconds: estimate, numRemaining: 0 });
    }
    if (!list) return { finalizerEstimateSeconds: estimate, numRemaining: 0 };
    if (list.items.length === 0) return { finalizerEstimateSeconds: 0, numRemaining: 0 };
    const byFinalizer = new Map<string, number>();
    for (const item of list.items) for (const f of item.metadata?.finalizers ?? []) byFinalizer.set(f, (byFinalizer.get(f) ?? 0) + 1);
    const numRemaining = list.items.length;
    if (estimate !== 0) return { finalizerEstimateSeconds: estimate, numRemaining, finalizersToNumRemaining: byFinalizer };
    // Finalizers are a normal reason to wait: give the garbage collector and others time.
    if (byFinalizer.size > 0) return { finalizerEstimateSeconds: FINALIZER_ESTIMATE_SECONDS, numRemaining, finalizersToNumRemaining: byFinalizer };
    throw fail(new Error(`unexpected items still remain in namespace: ${namespace} for gvr: ${gvrText(gvr)}`), { finalizerEstimateSeconds: estimate, numRemaining });
  }

  /** True when the collection call was supported (and made). */
  private async deleteCollection(gvr: DiscoveredResource, namespace: string): Promise<boolean> {
    if (!this.isSupported('deletecollection', gvr)) return false;
    try {
      await this.client.resource(gvr).namespace(namespace).deleteCollection({ propagationPolicy: 'Background' });
      return true;
    } catch (e) {
      // A resource served without top-level verbs may answer NotFound rather than 405.
      if (isMethodNotSupported(e) || isNotFound(e)) return false;
      throw e;
    }
  }

  /** The items, or undefined when listing is not supported. */
  private async listCollection(gvr: DiscoveredResource, namespace: string): Promise<KubeList<UnstructuredObject> | undefined> {
    if (!this.isSupported('list', gvr)) return undefined;
    try {
      return await this.client.resource(gvr).namespace(namespace).list();
    } catch (e) {
      if (isMethodNotSupported(e) || isNotFound(e)) return undefined;
      throw e;
    }
  }

  private async deleteEachItem(gvr: DiscoveredResource, namespace: string): Promise<void> {
    const list = await this.listCollection(gvr, namespace);
    for (const item of list?.items ?? []) {
      try {
        await this.client.resource(gvr).namespace(namespace).delete(item.metadata!.name!, { propagationPolicy: 'Background' });
      } catch (e) {
        if (!isNotFound(e) && !isMethodNotSupported(e)) throw e;
      }
    }
  }

  /** Seconds pods may still take to terminate (0 once that much time has passed since deletion). */
  private async estimateGracefulTermination(gvr: DiscoveredResource, namespace: string, deletedAt: number): Promise<number> {
    if (gvr.group !== '' || gvr.resource !== 'pods') return 0;
    const pods = await this.client.resource(resources.pods).namespace(namespace).list();
    let estimate = 0;
    for (const pod of pods.items as Pod[]) {
      const phase = pod.status?.phase;
      if (phase === 'Succeeded' || phase === 'Failed') continue;
      estimate = Math.max(estimate, pod.spec?.terminationGracePeriodSeconds ?? 0);
    }
    return this.now() - deletedAt >= estimate * 1000 ? 0 : estimate;
  }

  /** Fills the cache of unsupported operations from discovery, once. */
  private initOpCache(all: DiscoveredResource[]): void {
    if (this.notSupported) return;
    this.notSupported = new Set();
    for (const r of all) for (const op of ['list', 'deletecollection'] as const) if (!r.verbs.includes(op)) this.notSupported.add(opKey(op, r));
  }

  private isSupported(op: Operation, gvr: DiscoveredResource): boolean {
    return !this.notSupported?.has(opKey(op, gvr));
  }
}

function opKey(op: Operation, r: DiscoveredResource): string {
  return `${op}/${r.resource}.${r.version}.${r.group}`;
}

/** A GroupVersionResource as Go's %v prints it. */
function gvrText(r: DiscoveredResource): string {
  return `{${r.group} ${r.version} ${r.resource}}`;
}
