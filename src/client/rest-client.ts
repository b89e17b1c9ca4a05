// REST access by group/version/resource (client-go's dynamic and typed clients in one):
// `client.resource(pods).namespace('ns').get('p1')`. Non-2xx answers throw ApiError with the
// server's Status. 429 answers with Retry-After are retried (client-go's default of 10 times).
import type { DeleteOptions as DeleteOptionsBody, Preconditions } from 'kubernetes-types/meta/v1.js';
import type { Status } from '../api/errors.js';
import { ApiError } from './errors.js';
import { realTimerClock, sleep, type TimerClock } from './clock.js';
import { apiVersionOf, gvrString, resourcePath, type GroupVersionResource, type KubeList, type KubeObject, type ResourceType, type UnstructuredObject } from './resource.js';
import { ResourceTable } from './resource-table.js';
import type { Query, Transport, TransportRequest, TransportResponse } from './transport.js';
import { decodeWatch, type Watch } from './watch.js';

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  /** "" (most recent, quorum read), "0" (any, from the watch cache) or a specific version. */
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
  timeoutSeconds?: number;
}

export interface WatchOptions {
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'NotOlderThan';
  allowWatchBookmarks?: boolean;
  sendInitialEvents?: boolean;
  timeoutSeconds?: number;
}

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  fieldValidation?: 'Ignore' | 'Warn' | 'Strict';
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export interface PatchOptions extends WriteOptions {
  /** Default 'merge'. */
  type?: PatchType;
  /** Server-side apply only: take ownership of conflicting fields. */
  force?: boolean;
  subresource?: string;
}

export interface DeleteOptions {
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  gracePeriodSeconds?: number;
  preconditions?: Preconditions;
  dryRun?: boolean;
}

export interface RestClientOptions {
  /** GVR → kind and scope, for resources named by GVR only (default: the built-in table). */
  table?: ResourceTable;
  userAgent?: string;
  /** Time for Retry-After waits. */
  clock?: TimerClock;
  /** How often a 429 with Retry-After is retried (default 10, as client-go). */
  maxRetries?: number;
  /** Client-side rate limit: awaited before every request (see flowcontrol.ts). */
  rateLimiter?: { wait(): Promise<void> };
}

const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

export class RestClient {
  private readonly clock: TimerClock;
  private readonly maxRetries: number;
  private table: ResourceTable | undefined;

  constructor(
    readonly transport: Transport,
    private readonly opts: RestClientOptions = {},
  ) {
    this.clock = opts.clock ?? realTimerClock;
    this.maxRetries = opts.maxRetries ?? 10;
    this.table = opts.table;
  }

  /** A client for one resource; typed when given a ResourceType (see resources.ts). */
  resource<T extends KubeObject = UnstructuredObject>(r: ResourceType<T> | GroupVersionResource): ResourceClient<T> {
    const rt = 'kind' in r && 'namespaced' in r ? (r as ResourceType<T>) : (this.resourceTable().resolve(r) as unknown as ResourceType<T>);
    return new ResourceClient<T>(this, rt, undefined);
  }

  resourceTable(): ResourceTable {
    this.table ??= ResourceTable.builtin();
    return this.table;
  }

  /** Sends a request; returns the response for 2xx, throws ApiError otherwise. */
  async send(req: TransportRequest): Promise<TransportResponse> {
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    if (this.opts.userAgent) headers['user-agent'] = this.opts.userAgent;
    for (let attempt = 0; ; attempt++) {
      await this.opts.rateLimiter?.wait();
      const res = await this.transport.request({ ...req, headers });
      if (res.status >= 200 && res.status < 300) return res;
      const retryAfter = header(res.headers, 'retry-after');
      if (res.status === 429 && retryAfter !== undefined && attempt < this.maxRetries) {
        const secs = Number(retryAfter);
        await sleep(this.clock, (Number.isFinite(secs) && secs > 0 ? secs : 1) * 1000);
        continue;
      }
      throw ApiError.fromResponse(res.status, res.body, retryAfter);
    }
  }

  /** Sends a request and decodes its JSON body. */
  async json<R>(req: TransportRequest): Promise<R> {
    const res = await this.send(req);
    return (res.body.length ? JSON.parse(res.body.toString('utf8')) : undefined) as R;
  }

  /** Opens a watch stream; a non-2xx answer throws ApiError. */
  async watchPath<T extends KubeObject>(path: string, query: Query): Promise<Watch<T>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.opts.userAgent) headers['user-agent'] = this.opts.userAgent;
    await this.opts.rateLimiter?.wait();
    const s = await this.transport.stream({ method: 'GET', path, query, headers });
    if (s.status < 200 || s.status >= 300) {
      const lines: string[] = [];
      try {
        for await (const l of s.lines) lines.push(l);
      } finally {
        s.close();
      }
      throw ApiError.fromResponse(s.status, lines.join('\n'), header(s.headers, 'retry-after'));
    }
    return decodeWatch<T>(s);
  }
}

/**
 * Verbs on one resource, optionally scoped to a namespace. Namespaced single-object verbs need a
 * namespace: the client's, else the object's metadata.namespace.
 */
export class ResourceClient<T extends KubeObject> {
  constructor(
    private readonly rest: RestClient,
    readonly type: ResourceType<T>,
    readonly ns: string | undefined,
  ) {}

  /** The same resource in namespace `ns` (undefined: all namespaces, for list and watch). */
  namespace(ns: string | undefined): ResourceClient<T> {
    return new ResourceClient<T>(this.rest, this.type, this.type.namespaced ? ns : undefined);
  }

  async get(name: string, opts: { resourceVersion?: string } = {}): Promise<T> {
    return this.rest.json<T>({ method: 'GET', path: this.path(this.needNs(), name), query: compact({ resourceVersion: opts.resourceVersion }) });
  }

  async list(opts: ListOptions = {}): Promise<KubeList<T>> {
    const list = await this.rest.json<KubeList<T>>({ method: 'GET', path: this.path(this.ns), query: listQuery(opts) });
    list.items ??= [];
    list.metadata ??= {};
    return list;
  }

  /** Lists every page (limit per page) and returns all items with the last page's metadata. */
  async listAll(opts: ListOptions = {}): Promise<KubeList<T>> {
    const items: T[] = [];
    let cont: string | undefined;
    for (;;) {
      const page = await this.list({ ...opts, continue: cont });
      items.push(...page.items);
      cont = page.metadata.continue;
      if (!cont) return { ...page, items };
    }
  }

  watch(opts: WatchOptions = {}): Promise<Watch<T>> {
    return this.rest.watchPath<T>(this.path(this.ns), watchQuery(opts));
  }

  async create(obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.write('POST', this.path(this.needNs(obj)), obj, opts);
  }

  async update(obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.write('PUT', this.path(this.needNs(obj), nameOf(obj)), obj, opts);
  }

  async updateStatus(obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.write('PUT', this.path(this.needNs(obj), nameOf(obj), 'status'), obj, opts);
  }

  /**
   * Patches `name`. `patch` is an object (json: an array of operations) or its serialized form.
   * Server-side apply (`type: 'apply'`) needs a fieldManager.
   */
  async patch(name: string, patch: unknown, opts: PatchOptions = {}): Promise<T> {
    const type = opts.type ?? 'merge';
    if (type === 'apply' && !opts.fieldManager) throw new Error('server-side apply needs a fieldManager');
    const query = compact({
      dryRun: opts.dryRun ? 'All' : undefined,
      fieldManager: opts.fieldManager,
      fieldValidation: opts.fieldValidation,
      force: type === 'apply' && opts.force !== undefined ? String(opts.force) : undefined,
    });
    return this.rest.json<T>({
      method: 'PATCH',
      path: this.path(this.needNs(), name, opts.subresource),
      query,
      headers: { 'content-type': PATCH_CONTENT_TYPES[type] },
      body: typeof patch === 'string' || Buffer.isBuffer(patch) ? patch : JSON.stringify(patch),
    });
  }

  /** Server-side apply of a (partial) object: PATCH with application/apply-patch+yaml. */
  async apply(obj: T, opts: Omit<PatchOptions, 'type'> & { fieldManager: string }): Promise<T> {
    const withType = { apiVersion: apiVersionOf(this.type), kind: this.type.kind, ...obj };
    return this.namespace(this.ns ?? obj.metadata?.namespace).patch(nameOf(obj), withType, { ...opts, type: 'apply' });
  }

  /**
   * Deletes `name`. Resolves to the object when the server answers with it (deletion pending on
   * finalizers or grace, or kinds that return it), undefined when it answers a success Status.
   */
  async delete(name: string, opts: DeleteOptions = {}): Promise<T | undefined> {
    const res = await this.rest.json<T | Status>({ method: 'DELETE', ...this.deleteRequest(opts), path: this.path(this.needNs(), name) });
    return res && (res as { kind?: string }).kind !== 'Status' ? (res as T) : undefined;
  }

  async deleteCollection(opts: DeleteOptions = {}, listOpts: ListOptions = {}): Promise<void> {
    await this.rest.send({ method: 'DELETE', ...this.deleteRequest(opts), path: this.path(this.ns), query: listQuery(listOpts) });
  }

  /** GET of a subresource (e.g. `scale`). */
  async getSubresource<R = unknown>(name: string, subresource: string): Promise<R> {
    return this.rest.json<R>({ method: 'GET', path: this.path(this.needNs(), name, subresource) });
  }

  /** POST to a subresource (e.g. pods/binding, pods/eviction). */
  async createSubresource<R = unknown>(name: string, subresource: string, body: unknown, opts: WriteOptions = {}): Promise<R> {
    return this.rest.json<R>({ method: 'POST', path: this.path(this.needNs(), name, subresource), query: writeQuery(opts), headers: JSON_CT, body: JSON.stringify(body) });
  }

  /** PUT to a subresource (e.g. `scale`, `finalize`). */
  async updateSubresource<R = unknown>(name: string, subresource: string, body: unknown, opts: WriteOptions = {}): Promise<R> {
    return this.rest.json<R>({ method: 'PUT', path: this.path(this.needNs(), name, subresource), query: writeQuery(opts), headers: JSON_CT, body: JSON.stringify(body) });
  }

  private write(method: 'POST' | 'PUT', path: string, obj: T, opts: WriteOptions): Promise<T> {
    const body = { apiVersion: apiVersionOf(this.type), kind: this.type.kind, ...obj };
    return this.rest.json<T>({ method, path, query: writeQuery(opts), headers: JSON_CT, body: JSON.stringify(body) });
  }

  private deleteRequest(opts: DeleteOptions): Pick<TransportRequest, 'headers' | 'body'> {
    const body: DeleteOptionsBody & { kind: string; apiVersion: string } = { kind: 'DeleteOptions', apiVersion: 'v1' };
    if (opts.propagationPolicy) body.propagationPolicy = opts.propagationPolicy;
    if (opts.gracePeriodSeconds !== undefined) body.gracePeriodSeconds = opts.gracePeriodSeconds;
    if (opts.preconditions) body.preconditions = opts.preconditions;
    if (opts.dryRun) body.dryRun = ['All'];
    return { headers: JSON_CT, body: JSON.stringify(body) };
  }

  private path(ns: string | undefined, name?: string, subresource?: string): string {
    return resourcePath(this.type, ns, name, subresource);
  }

  private needNs(obj?: KubeObject): string | undefined {
    if (!this.type.namespaced) return undefined;
    const ns = this.ns ?? obj?.metadata?.namespace;
    if (!ns) throw new Error(`${gvrString(this.type)} is namespaced: a namespace is required`);
    return ns;
  }
}

const JSON_CT = { 'content-type': 'application/json' };

function nameOf(obj: KubeObject): string {
  const n = obj.metadata?.name;
  if (!n) throw new Error('the object has no metadata.name');
  return n;
}

function header(h: TransportResponse['headers'], name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

function compact(q: Record<string, string | undefined>): Query {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') out[k] = v;
  return out;
}

function listQuery(o: ListOptions): Query {
  return compact({
    labelSelector: o.labelSelector,
    fieldSelector: o.fieldSelector,
    limit: o.limit ? String(o.limit) : undefined,
    continue: o.continue,
    resourceVersion: o.resourceVersion,
    resourceVersionMatch: o.resourceVersionMatch,
    timeoutSeconds: o.timeoutSeconds !== undefined ? String(o.timeoutSeconds) : undefined,
  });
}

function watchQuery(o: WatchOptions): Query {
  return compact({
    watch: 'true',
    labelSelector: o.labelSelector,
    fieldSelector: o.fieldSelector,
    resourceVersion: o.resourceVersion,
    resourceVersionMatch: o.resourceVersionMatch,
    allowWatchBookmarks: o.allowWatchBookmarks ? 'true' : undefined,
    sendInitialEvents: o.sendInitialEvents !== undefined ? String(o.sendInitialEvents) : undefined,
    timeoutSeconds: o.timeoutSeconds !== undefined ? String(o.timeoutSeconds) : undefined,
  });
}

function writeQuery(o: WriteOptions): Query {
  return compact({ dryRun: o.dryRun ? 'All' : undefined, fieldManager: o.fieldManager, fieldValidation: o.fieldValidation });
}
