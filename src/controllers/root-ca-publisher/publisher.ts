// The root CA certificate publisher (pkg/controller/certificates/rootcacertpublisher): every
// namespace holds a ConfigMap `kube-root-ca.crt` whose `ca.crt` is the cluster CA bundle, so pods
// can verify the API server at kubernetes.default.svc.
//  - handlers only turn events into namespace names: a namespace added, or updated while Active;
//    our ConfigMap updated or deleted (any other ConfigMap is ignored);
//  - sync(namespace) is level-triggered: create the ConfigMap when the cache has none (a namespace
//    that is gone or Terminating is not a failure), else restore `data` and the description
//    annotation when they differ — other annotations and labels a user added are kept.
import type { ConfigMap, Namespace } from 'kubernetes-types/core/v1.js';
import { isDeepStrictEqual } from 'node:util';
import {
  RateLimitingQueue, deletedObject, hasStatusCause, isNotFound, resources,
  type DeletedFinalStateUnknown, type Lister, type SharedIndexInformer,
} from '../../client/index.js';
import type { Controller, ControllerContext } from '../types.js';
import { runWorkers } from '../worker.js';

export const ROOT_CA_CONFIGMAP_NAME = 'kube-root-ca.crt';
export const DESCRIPTION_ANNOTATION = 'kubernetes.io/description';
export const DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. ' +
  'No other usage is guaranteed across distributions of Kubernetes clusters.';
/** The status cause the API server gives when creating in a namespace being deleted. */
export const NAMESPACE_TERMINATING_CAUSE = 'NamespaceTerminating';

export interface PublisherOptions {
  /** Where unexpected errors go (default: stderr). */
  onError?: (err: unknown) => void;
}

/** The ConfigMap's data for a CA bundle. */
export function rootCAData(caPem: string): Record<string, string> {
  return { 'ca.crt': caPem };
}

/**
 * What to write to bring `cm` (the cached ConfigMap, or undefined) in line with the CA:
 * a whole new ConfigMap to create, a corrected copy to update, or nothing.
 */
export function desiredConfigMap(namespace: string, caPem: string, cm: ConfigMap | undefined): { create: ConfigMap } | { update: ConfigMap } | undefined {
  const data = rootCAData(caPem);
  if (!cm) {
    return {
      create: {
        apiVersion: 'v1', kind: 'ConfigMap',
        metadata: { name: ROOT_CA_CONFIGMAP_NAME, namespace, annotations: { [DESCRIPTION_ANNOTATION]: DESCRIPTION } },
        data,
      },
    };
  }
  // Only the data and the one annotation describing its use are ours to keep.
  if (isDeepStrictEqual(cm.data ?? {}, data) && (cm.metadata?.annotations?.[DESCRIPTION_ANNOTATION] ?? '').length > 0) return undefined;
  const next = structuredClone(cm);
  next.data = data;
  next.metadata = { ...next.metadata, annotations: { ...next.metadata?.annotations, [DESCRIPTION_ANNOTATION]: DESCRIPTION } };
  return { update: next };
}

export class RootCACertPublisher implements Controller {
  readonly name = 'root-ca-cert-publisher';
  /** Namespace names to sync; a name is never synced by two workers at once. */
  readonly queue: RateLimitingQueue<string>;
  /** Seam for tests: the function workers call for a namespace name. */
  syncHandler: (namespace: string) => Promise<void> = (ns) => this.sync(ns);
  private readonly cmInformer: SharedIndexInformer<ConfigMap>;
  private readonly nsInformer: SharedIndexInformer<Namespace>;
  private readonly cmLister: Lister<ConfigMap>;
  private readonly onError: (err: unknown) => void;

  constructor(
    private readonly ctx: ControllerContext,
    /** The cluster CA bundle (PEM) every namespace gets. */
    private readonly caPem: string,
    opts: PublisherOptions = {},
  ) {
    this.onError = opts.onError ?? ((e) => console.error('k8ts: root-ca-cert-publisher:', e));
    this.queue = new RateLimitingQueue<string>({ name: 'root_ca_cert_publisher', clock: ctx.clock });

    this.cmInformer = ctx.informers.informerFor(resources.configMaps);
    this.cmLister = this.cmInformer.lister();
    this.cmInformer.addEventHandler({
      onUpdate: (_old, cur) => this.configMapChanged(cur),
      onDelete: (cm) => this.configMapChanged(cm),
    });
    this.nsInformer = ctx.informers.informerFor(resources.namespaces);
    this.nsInformer.addEventHandler({
      onAdd: (ns) => this.enqueueNamespace(ns),
      onUpdate: (_old, cur) => {
        if (cur.status?.phase === 'Active') this.enqueueNamespace(cur);
      },
    });
  }

  /** Runs `workers` workers until the context aborts. */
  async run(workers: number): Promise<void> {
    await runWorkers(this.queue, (key) => this.syncHandler(key), workers, {
      signal: this.ctx.signal,
      informers: [this.cmInformer, this.nsInformer],
      onError: this.onError,
      describe: (key, e) => `syncing "${key}" failed: ${(e as Error).message ?? e}`,
    });
  }

  // ── event handlers ─────────────────────────────────────────────────────────────────────

  private configMapChanged(obj: ConfigMap | DeletedFinalStateUnknown<ConfigMap>): void {
    const cm = deletedObject(obj);
    if (cm.metadata?.name !== ROOT_CA_CONFIGMAP_NAME) return;
    const ns = cm.metadata?.namespace;
    if (ns) this.queue.add(ns);
  }

  private enqueueNamespace(ns: Namespace): void {
    const name = ns.metadata?.name;
    if (name) this.queue.add(name);
  }

  // ── sync ───────────────────────────────────────────────────────────────────────────────

  /** Makes the namespace's `kube-root-ca.crt` hold the CA. Idempotent. */
  async sync(namespace: string): Promise<void> {
    const cm = this.cmLister.namespace(namespace).get(ROOT_CA_CONFIGMAP_NAME);
    const want = desiredConfigMap(namespace, this.caPem, cm);
    if (!want) return;
    const client = this.ctx.client.resource(resources.configMaps).namespace(namespace);
    if ('create' in want) {
      try {
        await client.create(want.create);
      } catch (e) {
        // Don't retry a create when the namespace is gone or terminating.
        if (isNotFound(e) || hasStatusCause(e, NAMESPACE_TERMINATING_CAUSE)) return;
        throw e;
      }
      return;
    }
    await client.update(want.update);
  }
}
