// The ServiceAccounts controller (pkg/controller/serviceaccount/serviceaccounts_controller.go):
// every active namespace holds the ServiceAccounts to ensure (by default one, `default`).
//  - handlers only turn events into namespace names: a namespace added or updated (re-lists
//    included), or a ServiceAccount deleted (so a deleted `default` comes back);
//  - sync(namespace) is level-triggered: nothing for an absent or non-Active (Terminating)
//    namespace; otherwise create each ensured ServiceAccount the cache does not hold.
//    AlreadyExists (the cache lags) and NamespaceTerminating (the namespace went away meanwhile)
//    are not failures.
import type { Namespace, ServiceAccount } from 'kubernetes-types/core/v1.js';
import {
  RateLimitingQueue, deletedObject, hasStatusCause, isAlreadyExists, resources,
  type DeletedFinalStateUnknown, type Lister, type SharedIndexInformer,
} from '../../client/index.js';
import type { Controller, ControllerContext } from '../types.js';
import { runWorkers } from '../worker.js';

/** The status cause the API server gives when creating in a namespace being deleted. */
export const NAMESPACE_TERMINATING_CAUSE = 'NamespaceTerminating';

export interface ServiceAccountsControllerOptions {
  /** The ServiceAccounts every namespace gets (default: one named `default`). Only metadata.name and the content are used. */
  serviceAccounts?: ServiceAccount[];
  /** Where unexpected errors go (default: stderr). */
  onError?: (err: unknown) => void;
}

/** DefaultServiceAccountsControllerOptions: one `default` ServiceAccount. */
export function defaultServiceAccounts(): ServiceAccount[] {
  return [{ metadata: { name: 'default' } }];
}

export class ServiceAccountsController implements Controller {
  readonly name = 'serviceaccount';
  /** Namespace names to sync; a name is never synced by two workers at once. */
  readonly queue: RateLimitingQueue<string>;
  /** Seam for tests: the function workers call for a namespace name. */
  syncHandler: (namespace: string) => Promise<void> = (ns) => this.sync(ns);
  /** What every active namespace must hold; never mutated (copies are written). */
  private readonly toEnsure: readonly ServiceAccount[];
  private readonly saInformer: SharedIndexInformer<ServiceAccount>;
  private readonly nsInformer: SharedIndexInformer<Namespace>;
  private readonly saLister: Lister<ServiceAccount>;
  private readonly nsLister: Lister<Namespace>;
  private readonly onError: (err: unknown) => void;

  constructor(
    private readonly ctx: ControllerContext,
    opts: ServiceAccountsControllerOptions = {},
  ) {
    this.toEnsure = opts.serviceAccounts ?? defaultServiceAccounts();
    this.onError = opts.onError ?? ((e) => console.error('k8ts: serviceaccount controller:', e));
    this.queue = new RateLimitingQueue<string>({ name: 'serviceaccount', clock: ctx.clock });

    this.saInformer = ctx.informers.informerFor(resources.serviceAccounts);
    this.saLister = this.saInformer.lister();
    this.saInformer.addEventHandler({ onDelete: (sa) => this.serviceAccountDeleted(sa) });
    this.nsInformer = ctx.informers.informerFor(resources.namespaces);
    this.nsLister = this.nsInformer.lister();
    this.nsInformer.addEventHandler({
      onAdd: (ns) => this.enqueueNamespace(ns),
      onUpdate: (_old, cur) => this.enqueueNamespace(cur),
    });
  }

  /** Runs `workers` workers until the context aborts. */
  async run(workers: number): Promise<void> {
    await runWorkers(this.queue, (key) => this.syncHandler(key), workers, {
      signal: this.ctx.signal,
      informers: [this.saInformer, this.nsInformer],
      onError: this.onError,
      describe: (key, e) => `${key} failed with: ${(e as Error).message ?? e}`,
    });
  }

  // ── event handlers ─────────────────────────────────────────────────────────────────────

  private serviceAccountDeleted(obj: ServiceAccount | DeletedFinalStateUnknown<ServiceAccount>): void {
    const ns = deletedObject(obj).metadata?.namespace;
    if (ns) this.queue.add(ns);
  }

  private enqueueNamespace(ns: Namespace): void {
    const name = ns.metadata?.name;
    if (name) this.queue.add(name);
  }

  // ── sync ───────────────────────────────────────────────────────────────────────────────

  /** Creates the ensured ServiceAccounts missing from an active namespace. Idempotent. */
  async sync(namespace: string): Promise<void> {
    const ns = this.nsLister.get(namespace);
    if (!ns) return;
    // Only an Active namespace gets anything; a Terminating one is being emptied.
    if (ns.status?.phase !== 'Active') return;
    const failures: unknown[] = [];
    for (const sa of this.toEnsure) {
      const name = sa.metadata?.name ?? '';
      if (this.saLister.namespace(namespace).get(name)) continue;
      const obj: ServiceAccount = { ...structuredClone(sa), metadata: { ...structuredClone(sa.metadata), namespace } };
      try {
        await this.ctx.client.resource(resources.serviceAccounts).namespace(namespace).create(obj);
      } catch (e) {
        if (isAlreadyExists(e) || hasStatusCause(e, NAMESPACE_TERMINATING_CAUSE)) continue;
        failures.push(e);
      }
    }
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) throw new Error(`[${failures.map((f) => (f as Error).message ?? String(f)).join(', ')}]`);
  }
}
