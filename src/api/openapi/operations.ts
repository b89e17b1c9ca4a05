// The REST operations the server offers, described once and rendered by v2.ts (Swagger 2.0)
// and v3.ts (OpenAPI 3.0). Per resource, as kube-apiserver installs them: list, create and
// deletecollection on the collection; get, replace, patch and delete on the item; list across
// namespaces; the (deprecated) /watch/ paths; and each subresource (status, scale, connect
// streams such as exec and proxy, pods/log). Every resource operation carries
// `x-kubernetes-action` and `x-kubernetes-group-version-kind`, which kubectl reads.
import type { GroupVersionKind, Schema } from '../schema/index.js';
import type { Registry, ResourceInfo } from '../registry/index.js';
import {
  CONNECT_PARAMS, DELETE_COLLECTION_PARAMS, DELETE_PARAMS, LIST_PARAMS, LOG_PARAMS, NAME_PARAM, NAMESPACE_PARAM,
  PATCH_PARAMS, PATH_PARAM, PRETTY_PARAM, WRITE_PARAMS, type Param,
} from './parameters.js';

export type Method = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch';
export type Action = 'get' | 'list' | 'post' | 'put' | 'patch' | 'delete' | 'deletecollection' | 'watch' | 'watchlist' | 'connect';

/** What a request or response body carries: a named schema type, or plain text. */
export type Payload = { ref: string } | { text: true };

export interface Operation {
  method: Method;
  operationId: string;
  tag: string;
  /** Absent on discovery GETs, like upstream. */
  action?: Action;
  gvk?: GroupVersionKind;
  params: Param[];
  body?: { payload: Payload; required: boolean; consumes: string[] };
  responses: { code: '200' | '201' | '202'; payload: Payload }[];
  produces: string[];
}

export interface PathItem {
  path: string;
  /** Parameters common to every operation of the path. */
  params: Param[];
  operations: Operation[];
}

/** One OpenAPI v3 document's worth of paths: `api/v1`, `apis/apps/v1`, `apis/apps`, `api`, `apis`, `version`. */
export interface PathGroup {
  key: string;
  items: PathItem[];
}

export const STATUS = 'io.k8s.apimachinery.pkg.apis.meta.v1.Status';
export const DELETE_OPTIONS = 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions';
export const PATCH = 'io.k8s.apimachinery.pkg.apis.meta.v1.Patch';
export const WATCH_EVENT = 'io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';

/** Responses are JSON (protobuf is accepted as a request body only). */
export const PRODUCES = ['application/json'];
export const PRODUCES_LIST = ['application/json', 'application/json;stream=watch'];
export const PATCH_CONSUMES = [
  'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml',
];
const ANY = ['*/*'];

/** Resources whose DELETE answers with the object (kube-apiserver's ReturnDeletedObject) rather than a Status. */
const RETURNS_DELETED_OBJECT = new Set([
  '/pods', '/services', '/serviceaccounts', '/resourcequotas', '/podtemplates', '/persistentvolumes', '/persistentvolumeclaims',
  'storage.k8s.io/storageclasses', 'storage.k8s.io/volumeattachments', 'storage.k8s.io/volumeattributesclasses',
  'storage.k8s.io/csinodes', 'storage.k8s.io/csidrivers',
]);

/** Every document's paths: the group-version ones, then the group, root and version ones. */
export function pathGroups(registry: Registry): PathGroup[] {
  const out: PathGroup[] = [];
  for (const g of registry.groups) {
    for (const v of g.versions) {
      out.push({ key: g.group ? `apis/${g.group}/${v}` : `api/${v}`, items: groupVersionPaths(registry, g.group, v) });
    }
  }
  out.push({ key: 'api', items: [discoveryItem('/api/', 'getCoreAPIVersions', 'core', 'APIVersions')] });
  out.push({ key: 'apis', items: [discoveryItem('/apis/', 'getAPIVersions', 'apis', 'APIGroupList')] });
  for (const g of registry.groups) {
    if (!g.group) continue;
    const name = groupName(g.group);
    out.push({ key: `apis/${g.group}`, items: [discoveryItem(`/apis/${g.group}/`, `get${upper(name)}APIGroup`, name, 'APIGroup')] });
  }
  out.push({ key: 'version', items: [discoveryItem('/version/', 'getCodeVersion', 'version', 'io.k8s.apimachinery.pkg.version.Info')] });
  return out;
}

/** The paths of one group-version: its discovery document and every resource's operations. */
export function groupVersionPaths(registry: Registry, group: string, version: string): PathItem[] {
  const prefix = group ? `/apis/${group}/${version}` : `/api/${version}`;
  const name = groupName(group);
  const items = [discoveryItem(`${prefix}/`, `get${upper(name)}${upper(version)}APIResources`, `${name}_${version}`, 'APIResourceList')];
  for (const r of registry.inGroupVersion(group, version)) items.push(...resourcePaths(registry.schema, r));
  return items.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function discoveryItem(path: string, operationId: string, tag: string, type: string): PathItem {
  const ref = type.includes('.') ? type : META + type;
  const op: Operation = {
    method: 'get', operationId, tag, params: [], produces: PRODUCES, responses: [{ code: '200', payload: { ref } }],
  };
  return { path, params: [], operations: [op] };
}

/** Naming for operation ids and tags: `core`, `apps`, `rbacAuthorization`, `networking`. */
export function groupName(group: string): string {
  if (!group) return 'core';
  const parts = group.replace(/\.k8s\.io$/, '').split(/[.-]/).filter(Boolean);
  return parts.map((p, i) => (i ? upper(p) : p)).join('');
}

function upper(s: string): string {
  return s ? s[0]!.toUpperCase() + s.slice(1) : s;
}

function resourcePaths(schema: Schema, r: ResourceInfo): PathItem[] {
  const { group, version, kind } = r;
  const prefix = group ? `/apis/${group}/${version}` : `/api/${version}`;
  const scope = r.namespaced ? '/namespaces/{namespace}' : '';
  const nsParams = r.namespaced ? [NAMESPACE_PARAM] : [];
  const gvk = { group, version, kind };
  const tag = `${groupName(group)}_${version}`;
  const id = (verb: string, infix = '') => `${verb}${upper(groupName(group))}${upper(version)}${infix}${r.namespaced ? 'Namespaced' : ''}${kind}`;
  const has = (verb: string) => r.verbs.includes(verb);
  const self = { ref: r.typeName };
  const listType = schema.typeNameFor({ group, version, kind: r.listKind });
  const op = (o: Draft): Operation => ({ produces: PRODUCES, ...o, tag, gvk });
  const items: PathItem[] = [];

  // The collection: list, create, deletecollection.
  const collection: Operation[] = [];
  if (has('list') && listType) {
    collection.push(op({ method: 'get', operationId: id('list'), action: 'list', params: LIST_PARAMS, produces: PRODUCES_LIST, responses: [ok({ ref: listType })] }));
  }
  if (has('create')) collection.push(op(create(id('create'), self)));
  if (has('deletecollection')) {
    collection.push(op({
      method: 'delete', operationId: id('delete', 'Collection'), action: 'deletecollection', params: DELETE_COLLECTION_PARAMS,
      body: { payload: { ref: DELETE_OPTIONS }, required: false, consumes: ANY }, responses: [ok({ ref: STATUS })],
    }));
  }
  if (collection.length) items.push({ path: `${prefix}${scope}/${r.resource}`, params: [...nsParams, PRETTY_PARAM], operations: collection });

  // The item: get, replace, patch, delete.
  const item: Operation[] = [];
  if (has('get')) item.push(op(read(id('read'), self)));
  if (has('update')) item.push(op(replace(id('replace'), self)));
  if (has('patch')) item.push(op(patch(id('patch'), self)));
  if (has('delete')) {
    const deleted = RETURNS_DELETED_OBJECT.has(`${group}/${r.resource}`) ? self : { ref: STATUS };
    item.push(op({
      method: 'delete', operationId: id('delete'), action: 'delete', params: DELETE_PARAMS,
      body: { payload: { ref: DELETE_OPTIONS }, required: false, consumes: ANY },
      responses: [ok(deleted), { code: '202', payload: deleted }],
    }));
  }
  const itemPath = `${prefix}${scope}/${r.resource}/{name}`;
  const itemParams = [NAME_PARAM, ...nsParams, PRETTY_PARAM];
  if (item.length) items.push({ path: itemPath, params: itemParams, operations: item });

  // Across namespaces, and the deprecated watch paths.
  const unscoped = `${upper(groupName(group))}${upper(version)}${kind}`;
  if (r.namespaced && has('list') && listType) {
    items.push({
      path: `${prefix}/${r.resource}`, params: [...LIST_PARAMS, PRETTY_PARAM],
      operations: [op({ method: 'get', operationId: `list${unscoped}ForAllNamespaces`, action: 'list', params: [], produces: PRODUCES_LIST, responses: [ok({ ref: listType })] })],
    });
  }
  if (has('watch')) {
    const watch = (path: string, operationId: string, action: Action, extra: Param[]): PathItem => ({
      path, params: [...LIST_PARAMS, ...extra, PRETTY_PARAM],
      operations: [op({ method: 'get', operationId, action, params: [], produces: PRODUCES_LIST, responses: [ok({ ref: WATCH_EVENT })] })],
    });
    items.push(watch(`${prefix}/watch${scope}/${r.resource}`, `${id('watch')}List`, 'watchlist', nsParams));
    items.push(watch(`${prefix}/watch${scope}/${r.resource}/{name}`, id('watch'), 'watch', [NAME_PARAM, ...nsParams]));
    if (r.namespaced) items.push(watch(`${prefix}/watch/${r.resource}`, `watch${unscoped}ListForAllNamespaces`, 'watchlist', []));
  }

  // Subresources.
  for (const s of r.subresources) {
    const subGvk = { group: s.group, version: s.version, kind: s.kind };
    const subId = (verb: string) => id(verb) + upper(s.name);
    const subOp = (o: Draft): Operation => ({ produces: PRODUCES, ...o, tag, gvk: subGvk });
    const path = `${itemPath}/${s.name}`;
    const connectParams = CONNECT_PARAMS[s.kind];
    if (connectParams) {
      const methods = connectMethods(s.verbs, s.name === 'proxy');
      const connect = (suffix: string) => methods.map((m) => subOp({
        method: m, operationId: `connect${upper(groupName(group))}${upper(version)}${upper(m)}${r.namespaced ? 'Namespaced' : ''}${kind}${upper(s.name)}${suffix}`,
        action: 'connect', params: [], produces: ANY, responses: [ok({ text: true })],
      }));
      items.push({ path, params: [...connectParams, NAME_PARAM, ...nsParams], operations: connect('') });
      if (s.name === 'proxy') {
        items.push({ path: `${path}/{path}`, params: [...connectParams, NAME_PARAM, ...nsParams, PATH_PARAM], operations: connect('WithPath') });
      }
      continue;
    }
    if (s.name === 'log') {
      items.push({
        path, params: [...LOG_PARAMS, NAME_PARAM, ...nsParams, PRETTY_PARAM],
        operations: [subOp({ method: 'get', operationId: subId('read'), action: 'get', params: [], produces: ['text/plain', ...PRODUCES], responses: [ok({ text: true })] })],
      });
      continue;
    }
    const subType = schema.typeNameFor(subGvk);
    if (!subType) continue;
    const payload = { ref: subType };
    const ops: Operation[] = [];
    if (s.verbs.includes('get')) ops.push(subOp(read(subId('read'), payload)));
    if (s.verbs.includes('create')) ops.push(subOp(create(subId('create'), payload)));
    if (s.verbs.includes('update')) ops.push(subOp(replace(subId('replace'), payload)));
    if (s.verbs.includes('patch')) ops.push(subOp(patch(subId('patch'), payload)));
    if (ops.length) items.push({ path, params: itemParams, operations: ops });
  }
  return items;
}

/** An operation before the resource's tag and GVK are added (JSON responses unless it says otherwise). */
type Draft = Omit<Operation, 'tag' | 'gvk' | 'produces'> & { produces?: string[] };

function ok(payload: Payload): Operation['responses'][number] {
  return { code: '200', payload };
}

function read(operationId: string, payload: Payload): Draft {
  return { method: 'get', operationId, action: 'get', params: [], responses: [ok(payload)] };
}

function create(operationId: string, payload: Payload): Draft {
  return {
    method: 'post', operationId, action: 'post', params: WRITE_PARAMS, body: { payload, required: true, consumes: ANY },
    responses: [ok(payload), { code: '201', payload }, { code: '202', payload }],
  };
}

function replace(operationId: string, payload: Payload): Draft {
  return {
    method: 'put', operationId, action: 'put', params: WRITE_PARAMS, body: { payload, required: true, consumes: ANY },
    responses: [ok(payload), { code: '201', payload }],
  };
}

function patch(operationId: string, payload: Payload): Draft {
  return {
    method: 'patch', operationId, action: 'patch', params: PATCH_PARAMS, body: { payload: { ref: PATCH }, required: true, consumes: PATCH_CONSUMES },
    responses: [ok(payload), { code: '201', payload }],
  };
}

/** HTTP methods of a connect subresource from its verbs (proxies also answer HEAD and OPTIONS). */
function connectMethods(verbs: string[], proxy: boolean): Method[] {
  const out: Method[] = [];
  if (verbs.includes('delete')) out.push('delete');
  if (verbs.includes('get')) out.push('get', ...(proxy ? (['head', 'options'] as Method[]) : []));
  if (verbs.includes('patch')) out.push('patch');
  if (verbs.includes('create')) out.push('post');
  if (verbs.includes('update')) out.push('put');
  return out;
}

/** Every named type an operation's bodies and responses refer to (the roots of a document's schemas). */
export function referencedTypes(items: PathItem[]): Set<string> {
  const out = new Set<string>();
  const add = (p: Payload) => {
    if ('ref' in p) out.add(p.ref);
  };
  for (const item of items) {
    for (const o of item.operations) {
      if (o.body) add(o.body.payload);
      for (const r of o.responses) add(r.payload);
    }
  }
  return out;
}
