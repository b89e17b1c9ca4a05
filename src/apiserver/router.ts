// The request pipeline: authenticate → non-resource paths → resource lookup → in-flight limit →
// authorize → the verb's handler. Every failure becomes a Kubernetes Status; nothing thrown
// by a handler reaches Node.
import { errors, StatusError } from '../api/errors.js';
import type { ResourceInfo } from '../api/registry/registry.js';
import { parseRequestInfo, type RequestInfo } from './request-info.js';
import { authenticate } from './auth/authenticator.js';
import type { Req, Res, UserInfo } from './http/types.js';
import { writeStatusError } from './http/respond.js';
import { mediaType } from './http/negotiate.js';
import { InflightLimiter } from './limits.js';
import { NonResourceDocs, notFoundPath, serveHealth, serveMetrics, type Health } from './non-resource.js';
import { storeFor, type ApiServerContext, type Scope } from './handlers/scope.js';
import { handleGet } from './handlers/get.js';
import { handleList } from './handlers/list.js';
import { handleWatch } from './handlers/watch.js';
import { handleCreate } from './handlers/create.js';
import { handleUpdate } from './handlers/update.js';
import { handlePatch } from './handlers/patch.js';
import { handleDelete, handleDeleteCollection } from './handlers/delete.js';
import { handleScale } from './handlers/scale.js';
import { handleBinding } from './handlers/binding.js';
import { handleEviction } from './handlers/eviction.js';
import { handleReview, isReview } from './handlers/reviews.js';
import { handleNamespaceFinalize } from './handlers/namespace-finalize.js';

/** Paths anyone may read, as upstream's system:public-info-viewer role allows. */
const PUBLIC_PATHS = /^\/(version|healthz|livez|readyz)(\/.*)?$/;

/** Subresources no handler serves (yet); answered with a clear error. */
const NOT_BUILT: Record<string, string> = {
  log: 'container logs are served through the node agent, and this server has no kubelet client configured',
  exec: 'exec is served through the node agent, and this server has no kubelet client configured',
  attach: 'attach is served through the node agent, and this server has no kubelet client configured',
  portforward: 'port-forward is served through the node agent, and this server has no kubelet client configured',
  proxy: 'proxying to pods, services and nodes is not available yet',
  ephemeralcontainers: 'ephemeral containers are not supported yet',
  resize: 'in-place pod resize is not supported yet',
  token: 'service account tokens are not issued yet',
  approval: 'certificate signing request approval is not supported yet',
};

/** Upstream's long-running requests: exempt from the in-flight limit (they hold a connection open). */
const LONG_RUNNING_SUBRESOURCES = new Set(['attach', 'exec', 'proxy', 'log', 'portforward']);

export type ScopeHandler = (scope: Scope) => Promise<void>;

/** Handlers the server plugs in beside the built-in verbs. */
export interface RouterExtensions {
  /** By subresource name (pods/log, pods/exec … through the node's kubelet). */
  subresources?: Record<string, ScopeHandler>;
  /** By API group, for groups served without storage (metrics.k8s.io). */
  groups?: Record<string, ScopeHandler>;
  /** Non-resource paths that authenticate requests themselves (the agents' join-token endpoint). */
  selfAuthenticated?: Record<string, (req: Req, res: Res) => Promise<void>>;
}

export class Router {
  private readonly limiter = new InflightLimiter();

  constructor(
    private readonly ctx: ApiServerContext,
    private readonly docs: NonResourceDocs,
    private readonly health: Health,
    private readonly ext: RouterExtensions = {},
  ) {}

  async handle(req: Req, res: Res): Promise<void> {
    const started = process.hrtime.bigint();
    const url = new URL(req.url ?? '/', 'https://localhost');
    const path = url.pathname;
    const query = url.searchParams;
    const info = parseRequestInfo(req.method ?? 'GET', path, query);
    let resource: ResourceInfo | undefined;
    try {
      const user = authenticate(req);
      if (PUBLIC_PATHS.test(path) && (req.method === 'GET' || req.method === 'HEAD')) {
        if (path === '/version' || path.startsWith('/version/')) this.docs.serve(req, res, '/version');
        else serveHealth(req, res, path, query, this.health);
        return;
      }
      const own = this.ext.selfAuthenticated?.[path];
      if (own) {
        await own(req, res);
        return;
      }
      if (user.name === 'system:anonymous') throw errors.unauthorized();
      if (!info.isResourceRequest) {
        await this.authorize(user, info);
        if (path === '/metrics') await serveMetrics(req, res, this.ctx.metrics);
        else if (req.method !== 'GET' || !this.docs.serve(req, res, path)) notFoundPath(req, res);
        return;
      }
      resource = this.ctx.registry.get(info.group, info.version, info.resource);
      if (!resource) {
        notFoundPath(req, res);
        return;
      }
      await this.serveResource(req, res, query, info, user, resource);
    } catch (e) {
      const err = e instanceof StatusError ? e : errors.internal((e as Error)?.message ?? String(e));
      if (!(e instanceof StatusError)) console.error(`k8ts: ${req.method} ${path}:`, e);
      if (!res.headersSent) writeStatusError(req, res, err);
      else res.end();
    } finally {
      this.record(req, res, info, resource, started);
    }
  }

  private async serveResource(req: Req, res: Res, query: URLSearchParams, info: RequestInfo, user: UserInfo, resource: ResourceInfo): Promise<void> {
    const sub = info.subresource;
    if (sub && !resource.subresources.some((s) => s.name === sub)) {
      throw new StatusError(404, 'NotFound', `the server could not find the requested resource (${info.verb} ${resource.resource}/${sub})`);
    }
    if (resource.namespaced && !info.namespace && !['list', 'watch'].includes(info.verb) && resource.resource !== 'namespaces') {
      throw new StatusError(404, 'NotFound', 'the server could not find the requested resource');
    }
    if (!resource.namespaced && info.namespace && resource.resource !== 'namespaces') {
      throw new StatusError(404, 'NotFound', 'the server could not find the requested resource');
    }
    const verbs = sub ? resource.subresources.find((s) => s.name === sub)!.verbs : resource.verbs;
    const verbForCheck = info.verb === 'watch' && !verbs.includes('watch') ? 'watch' : info.verb;
    if (!verbs.includes(verbForCheck) && !(sub && NOT_BUILT[sub])) {
      throw errors.methodNotSupported(resource.group, resource.resource, verbName(info.verb));
    }
    if (info.verb === 'patch' && !sub && !['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'].includes(mediaType(req.headers['content-type']))) {
      throw errors.unsupportedMediaType(mediaType(req.headers['content-type']));
    }
    const longRunning = info.verb === 'watch' || LONG_RUNNING_SUBRESOURCES.has(sub);
    const release = longRunning ? () => {} : this.limiter.acquire(isMutating(info.verb) ? 'mutating' : 'readOnly');
    if (!release) {
      this.ctx.metrics.rejected.inc({ request_kind: isMutating(info.verb) ? 'mutating' : 'readOnly' });
      throw errors.tooManyRequests('Too many requests, please try again later.', 1);
    }
    const kind = isMutating(info.verb) ? 'mutating' : 'readOnly';
    if (!longRunning) this.ctx.metrics.inflight.inc({ request_kind: kind });
    try {
      await this.authorize(user, info);
      const rstore = storeFor(this.ctx, resource);
      const scope: Scope = {
        ctx: this.ctx, req, res, query, info, user, resource, warnings: [],
        rstore: rstore!, strategy: this.ctx.strategies(resource.storageGroup, resource.kind),
      };
      await this.dispatch(scope);
    } finally {
      release();
      if (!longRunning) this.ctx.metrics.inflight.dec({ request_kind: kind });
    }
  }

  private async dispatch(scope: Scope): Promise<void> {
    const { info, resource } = scope;
    const sub = info.subresource;
    const group = this.ext.groups?.[resource.group];
    if (group) return group(scope);
    const subHandler = sub ? this.ext.subresources?.[sub] : undefined;
    if (subHandler) return subHandler(scope);
    if (sub && NOT_BUILT[sub]) throw new StatusError(501, 'NotImplemented', `${resource.resource}/${sub}: ${NOT_BUILT[sub]}`);
    if (isReview(resource.kind)) return handleReview(scope);
    if (resource.resource === 'bindings' || sub === 'binding') {
      if (info.verb !== 'create') throw errors.methodNotSupported(resource.group, resource.resource, info.verb);
      return handleBinding(scope);
    }
    if (sub === 'eviction') {
      if (info.verb !== 'create') throw errors.methodNotSupported(resource.group, `${resource.resource}/${sub}`, info.verb);
      return handleEviction(scope);
    }
    if (sub === 'scale') return handleScale(scope);
    if (sub === 'finalize') return handleNamespaceFinalize(scope);
    if (!scope.rstore) throw errors.methodNotSupported(resource.group, resource.resource, info.verb);
    switch (info.verb) {
      case 'get':
        return handleGet(scope);
      case 'list':
        return handleList(scope);
      case 'watch':
        return handleWatch(scope);
      case 'create':
        if (sub) throw errors.methodNotSupported(resource.group, `${resource.resource}/${sub}`, 'create');
        return handleCreate(scope);
      case 'update':
        return handleUpdate(scope);
      case 'patch':
        return handlePatch(scope);
      case 'delete':
        if (sub) throw errors.methodNotSupported(resource.group, `${resource.resource}/${sub}`, 'delete');
        return handleDelete(scope);
      case 'deletecollection':
        return handleDeleteCollection(scope);
      default:
        throw errors.methodNotSupported(resource.group, resource.resource, info.verb);
    }
  }

  private async authorize(user: UserInfo, info: RequestInfo): Promise<void> {
    const d = await this.ctx.authorizer.authorize({
      user, verb: info.verb, isResourceRequest: info.isResourceRequest, path: info.path, apiGroup: info.group,
      apiVersion: info.version, namespace: info.namespace, resource: info.resource, subresource: info.subresource, name: info.name,
    });
    if (d.decision === 'allow') return;
    const what = info.isResourceRequest
      ? `${info.resource}${info.group ? '.' + info.group : ''}${info.name ? ` "${info.name}"` : ''} is forbidden: User "${user.name}" cannot ${info.verb} resource "${info.resource}" in API group "${info.group}"${info.namespace ? ` in the namespace "${info.namespace}"` : ' at the cluster scope'}`
      : `forbidden: User "${user.name}" cannot ${info.verb} path "${info.path}"`;
    throw errors.forbidden(d.reason ? `${what}: ${d.reason}` : what, { name: info.name, group: info.group, kind: info.resource });
  }

  private record(req: Req, res: Res, info: RequestInfo, resource: ResourceInfo | undefined, started: bigint): void {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const labels = {
      verb: reportVerb(info, req),
      dry_run: new URL(req.url ?? '/', 'https://x').searchParams.has('dryRun') ? 'All' : '',
      group: resource?.group ?? '',
      version: resource?.version ?? '',
      resource: resource?.resource ?? '',
      subresource: info.subresource,
      scope: !info.isResourceRequest ? '' : info.name ? 'resource' : info.namespace ? 'namespace' : 'cluster',
      component: 'apiserver',
    };
    this.ctx.metrics.requests.inc({ ...labels, code: String(res.statusCode) });
    if (info.verb !== 'watch') this.ctx.metrics.duration.observe(labels, seconds);
  }
}

function isMutating(verb: string): boolean {
  return verb === 'create' || verb === 'update' || verb === 'patch' || verb === 'delete' || verb === 'deletecollection';
}

function verbName(verb: string): string {
  return verb;
}

/** Upstream's report verb: LIST/WATCH/GET/POST/PUT/PATCH/APPLY/DELETE/DELETECOLLECTION. */
function reportVerb(info: RequestInfo, req: Req): string {
  if (!info.isResourceRequest) return (req.method ?? 'GET').toUpperCase();
  if (info.verb === 'patch' && mediaType(req.headers['content-type']) === 'application/apply-patch+yaml') return 'APPLY';
  return ({ list: 'LIST', watch: 'WATCH', get: 'GET', create: 'POST', update: 'PUT', patch: 'PATCH', delete: 'DELETE', deletecollection: 'DELETECOLLECTION' } as Record<string, string>)[info.verb] ?? info.verb.toUpperCase();
}
