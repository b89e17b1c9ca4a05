// What every resource handler works with: the server-wide context and the request's scope.
import type { Schema } from '../../api/schema/index.js';
import type { Registry, ResourceInfo } from '../../api/registry/registry.js';
import type { Strategy, KObject } from '../../api/strategies/types.js';
import type { Store } from '../../storage/interface.js';
import type { CacheSet } from '../cache/cache-set.js';
import type { ResourceStore } from '../registry/resource-store.js';
import type { AdmissionChain, Operation } from '../admission/types.js';
import type { Authorizer } from '../auth/authorizer.js';
import type { Clock } from '../../util/clock.js';
import type { RequestInfo } from '../request-info.js';
import type { Req, Res, UserInfo } from '../http/types.js';
import type { ApiMetrics } from '../metrics.js';
import { apiVersionOf } from '../../api/registry/registry.js';
import { convert } from '../../api/conversion/index.js';
import { errors } from '../../api/errors.js';
import { rememberedJson } from '../registry/stored-json.js';

export interface ApiServerContext {
  schema: Schema;
  registry: Registry;
  store: Store;
  caches: CacheSet;
  /** Resource stores by key prefix (versions sharing storage share one). */
  stores: Map<string, ResourceStore>;
  strategies: (group: string, kind: string) => Strategy;
  admission: AdmissionChain;
  authorizer: Authorizer;
  clock: Clock;
  metrics: ApiMetrics;
}

export interface Scope {
  ctx: ApiServerContext;
  req: Req;
  res: Res;
  query: URLSearchParams;
  info: RequestInfo;
  user: UserInfo;
  /** The resource as the URL names it (its version may differ from the stored one). */
  resource: ResourceInfo;
  rstore: ResourceStore;
  strategy: Strategy;
  /** Response warnings (fieldValidation=Warn…). */
  warnings: string[];
}

export function storeFor(ctx: ApiServerContext, r: ResourceInfo): ResourceStore | undefined {
  return ctx.stores.get(r.keyPrefix);
}

/** Whether the URL's version is stored as another version (HPA v1 → v2, events.k8s.io → core). */
export function isConverted(r: ResourceInfo): boolean {
  return r.storageGroup !== r.group || r.storageVersion !== r.version;
}

/** Storage form → the form the request's version shows. */
export function toExternal(scope: Scope, obj: KObject): KObject {
  const r = scope.resource;
  if (isConverted(r)) return convert(obj, apiVersionOf(r.group, r.version)) as KObject;
  obj.apiVersion = apiVersionOf(r.group, r.version);
  obj.kind = r.kind;
  return obj;
}

/**
 * The object in the URL's version without touching `obj`: managed fields are recorded against the
 * request's version (its schema and apiVersion), so a converted resource's storage form is
 * converted back first.
 */
export function asRequested(scope: Scope, obj: KObject): KObject {
  return isConverted(scope.resource) ? toExternal(scope, structuredClone(obj)) : obj;
}

/** The response body for an object just written: its stored text when the URL's version is the stored one. */
export function writtenBody(scope: Scope, obj: KObject): string | KObject {
  if (!isConverted(scope.resource)) {
    const json = rememberedJson(obj);
    if (json) return json;
  }
  return toExternal(scope, obj);
}

/** Request form → storage form. */
export function toInternal(scope: Scope, obj: KObject): KObject {
  const r = scope.resource;
  if (isConverted(r)) return convert(obj, apiVersionOf(r.storageGroup, r.storageVersion)) as KObject;
  return obj;
}

export interface WriteOptions {
  dryRun: boolean;
  fieldManager: string | undefined;
  fieldValidation: 'Strict' | 'Warn' | 'Ignore';
}

/** dryRun, fieldManager and fieldValidation query parameters, validated as upstream does. */
export function writeOptions(query: URLSearchParams): WriteOptions {
  const dry = query.getAll('dryRun');
  for (const d of dry) if (d !== 'All') throw errors.badRequest(`Invalid dry run value: ${d}`);
  const fm = query.get('fieldManager') ?? undefined;
  if (fm !== undefined && fm.length > 128) throw errors.badRequest(`fieldManager: Too long: may not be more than 128 bytes`);
  const fv = query.get('fieldValidation') ?? 'Warn';
  if (fv !== 'Strict' && fv !== 'Warn' && fv !== 'Ignore') {
    throw errors.badRequest(`fieldValidation: Unsupported value: "${fv}": supported values: "Ignore", "Strict", "Warn"`);
  }
  return { dryRun: dry.length > 0, fieldManager: fm, fieldValidation: fv };
}

/** The manager recorded in managedFields: the fieldManager parameter or the user agent's first word. */
export function managerName(scope: Scope, opts: WriteOptions): string {
  if (opts.fieldManager) return opts.fieldManager;
  const ua = String(scope.req.headers['user-agent'] ?? 'unknown');
  return ua.split('/')[0] || 'unknown';
}

/** Runs mutating admission (before validation) for a write. */
export async function admitMutating(scope: Scope, operation: Operation, obj: KObject, old: KObject | undefined, dryRun: boolean): Promise<void> {
  await scope.ctx.admission.admit(admissionAttrs(scope, operation, obj, old, dryRun));
}

/** A validating-admission hook for the object layer. */
export function validatingAdmission(scope: Scope, operation: Operation, dryRun: boolean) {
  return (obj: KObject, old: KObject | undefined) => scope.ctx.admission.validate(admissionAttrs(scope, operation, obj, old, dryRun));
}

function admissionAttrs(scope: Scope, operation: Operation, obj: KObject | undefined, old: KObject | undefined, dryRun: boolean) {
  return {
    operation,
    resource: scope.resource,
    subresource: scope.info.subresource,
    namespace: scope.info.namespace,
    name: obj?.metadata?.name ?? scope.info.name,
    object: obj,
    oldObject: old,
    user: scope.user,
    dryRun,
  };
}
