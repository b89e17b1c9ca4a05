// An in-memory API server behind the Transport interface, for unit tests of anything built on
// the client (informers, controllers, leader election, event recorder). It keeps objects per
// resource with one revision counter, answers get/list/watch/create/update/patch/delete with
// Kubernetes Status errors, and records every action for assertions (client-go's fake
// clientset + tracker). Reactors inject answers (errors, throttling) before the default ones.
//
// Simplifications, on purpose: no defaulting or validation; deletion is immediate unless the
// object has finalizers (then deletionTimestamp is set); strategic merge patch is applied as a
// JSON merge patch; server-side apply merges the applied object (creating it when absent); a
// main-resource write keeps the stored status, a status write changes only status.
import { randomUUID } from 'node:crypto';
import jsonpatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { errors, StatusError, type Status } from '../../api/errors.js';
import { parseFieldSelector, parseLabelSelector } from '../../api/selectors/index.js';
import { fieldAttributes } from '../../api/fields/index.js';
import { rfc3339 } from '../../util/clock.js';
import type { Clock } from '../../util/clock.js';
import { apiVersionOf, gvrString, type KubeObject, type ResourceType } from '../resource.js';
import { ResourceTable } from '../resource-table.js';
import type { Query, StreamRequest, Transport, TransportRequest, TransportResponse, TransportStream } from '../transport.js';
import { LineChannel } from './line-channel.js';

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export interface RecordedAction {
  verb: Verb;
  group: string;
  version: string;
  resource: string;
  namespace: string;
  name: string;
  subresource: string;
  query: Query;
  /** Decoded request body (the object, the patch, the DeleteOptions). */
  body?: unknown;
  /** PATCH content type. */
  contentType?: string;
}

/** An injected answer; return undefined to let the next reactor (or the default) answer. */
export type Reactor = (action: RecordedAction) => { status: number; body?: unknown; headers?: Record<string, string> } | undefined;

type Obj = KubeObject & Record<string, any>;

interface LogEntry {
  gvr: string;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  obj: Obj;
  prev?: Obj;
  rv: number;
}

interface Watcher {
  gvr: string;
  namespace: string;
  matches: (o: Obj) => boolean;
  channel: LineChannel;
  bookmarks: boolean;
  kind: string;
  apiVersion: string;
}

export interface FakeApiOptions {
  table?: ResourceTable;
  clock?: Clock;
}

export class FakeApiServer implements Transport {
  /** Every request, in order (watches included). */
  readonly actions: RecordedAction[] = [];
  /** The revision counter (resourceVersion of the last write). */
  rv = 0;
  private readonly table: ResourceTable;
  private readonly clock: Clock;
  /** gvr → key → object. */
  private readonly objects = new Map<string, Map<string, Obj>>();
  private readonly log: LogEntry[] = [];
  /** Revisions at or below this one can no longer be watched from (410 Expired). */
  private compacted = 0;
  private readonly watchers = new Set<Watcher>();
  private readonly reactors: Reactor[] = [];

  constructor(opts: FakeApiOptions = {}) {
    this.table = opts.table ?? ResourceTable.builtin();
    this.clock = opts.clock ?? { now: () => Date.now() };
  }

  // ── test helpers ─────────────────────────────────────────────────────────────────────────

  /** Stores an object as if created (not recorded as an action); returns the stored copy. */
  seed<T extends KubeObject>(r: ResourceType<T>, obj: T): T {
    const ns = r.namespaced ? (obj.metadata?.namespace ?? 'default') : '';
    return this.create(this.resolve(r), ns, structuredClone(obj) as Obj) as T;
  }

  /** The stored object, or undefined. */
  get<T extends KubeObject>(r: ResourceType<T>, namespace: string, name: string): T | undefined {
    const o = this.bucket(gvrString(r)).get(key(r.namespaced ? namespace : '', name));
    return o ? (structuredClone(o) as T) : undefined;
  }

  list<T extends KubeObject>(r: ResourceType<T>, namespace?: string): T[] {
    return [...this.bucket(gvrString(r)).values()].filter((o) => !namespace || o.metadata?.namespace === namespace).map((o) => structuredClone(o) as T);
  }

  /** Answers matching actions before the built-in behaviour (first added, first asked). */
  addReactor(r: Reactor): void {
    this.reactors.push(r);
  }

  clearReactors(): void {
    this.reactors.length = 0;
  }

  /** Actions other than reads (create, update, patch, delete, deletecollection). */
  writes(): RecordedAction[] {
    return this.actions.filter((a) => a.verb !== 'get' && a.verb !== 'list' && a.verb !== 'watch');
  }

  clearActions(): void {
    this.actions.length = 0;
  }

  /** Forgets history up to `rv` (default: now): older watches and exact lists answer 410. */
  compact(rv = this.rv): void {
    this.compacted = rv;
    while (this.log.length && this.log[0]!.rv <= rv) this.log.shift();
  }

  /** Ends every open watch stream (as a server timeout or a dropped connection would). */
  closeWatches(): void {
    for (const w of this.watchers) w.channel.end();
    this.watchers.clear();
  }

  /** Sends an ERROR event (default 410 Expired) on every open watch and ends them. */
  failWatches(status: Status = errors.gone('too old resource version').toStatus()): void {
    for (const w of this.watchers) {
      w.channel.push(JSON.stringify({ type: 'ERROR', object: status }));
      w.channel.end();
    }
    this.watchers.clear();
  }

  /** Sends a BOOKMARK at the current revision to watchers that asked for bookmarks. */
  bookmark(): void {
    for (const w of this.watchers) {
      if (w.bookmarks) w.channel.push(JSON.stringify({ type: 'BOOKMARK', object: { kind: w.kind, apiVersion: w.apiVersion, metadata: { resourceVersion: String(this.rv) } } }));
    }
  }

  watcherCount(): number {
    return this.watchers.size;
  }

  // ── Transport ────────────────────────────────────────────────────────────────────────────

  async request(req: TransportRequest): Promise<TransportResponse> {
    let action: RecordedAction | undefined;
    try {
      const { r, action: a } = this.parse(req);
      action = a;
      this.actions.push(a);
      const injected = this.react(a);
      if (injected) return injected;
      const body = this.serve(r, a);
      return json(a.verb === 'create' ? 201 : 200, body);
    } catch (e) {
      if (e instanceof StatusError) return json(e.code, e.toStatus());
      throw e;
    }
  }

  async stream(req: StreamRequest): Promise<TransportStream> {
    try {
      const { r, action } = this.parse({ ...req, method: 'GET' });
      this.actions.push(action);
      const injected = this.react(action);
      if (injected) {
        const text = injected.body.toString();
        return { status: injected.status, headers: injected.headers, lines: (async function* () { yield* text.split('\n').filter(Boolean); })(), close() {} };
      }
      return this.watch(r, action);
    } catch (e) {
      if (e instanceof StatusError) {
        const text = JSON.stringify(e.toStatus());
        return { status: e.code, headers: {}, lines: (async function* () { yield text; })(), close() {} };
      }
      throw e;
    }
  }

  // ── routing ──────────────────────────────────────────────────────────────────────────────

  private parse(req: TransportRequest): { r: ResourceType; action: RecordedAction } {
    const seg = req.path.split('/').filter(Boolean).map(decodeURIComponent);
    let group = '';
    let version: string;
    let rest: string[];
    if (seg[0] === 'api') {
      version = seg[1] ?? '';
      rest = seg.slice(2);
    } else if (seg[0] === 'apis') {
      group = seg[1] ?? '';
      version = seg[2] ?? '';
      rest = seg.slice(3);
    } else throw errors.notFound('', '', req.path);
    let namespace = '';
    if (rest[0] === 'namespaces' && rest.length >= 3 && this.table.get({ group, version, resource: rest[2]! })?.namespaced) {
      namespace = rest[1]!;
      rest = rest.slice(2);
    }
    const [resource = '', name = '', subresource = ''] = rest;
    const r = this.table.get({ group, version, resource });
    if (!r) throw new StatusError(404, 'NotFound', 'the server could not find the requested resource');
    const query = req.query ?? {};
    const contentType = headerOf(req.headers, 'content-type');
    const bodyText = req.body === undefined ? '' : req.body.toString();
    const body = bodyText ? (contentType === 'application/apply-patch+yaml' || bodyText.trim().startsWith('{') || bodyText.trim().startsWith('[') ? JSON.parse(bodyText) : bodyText) : undefined;
    let verb: Verb;
    switch (req.method) {
      case 'GET':
        verb = name ? 'get' : query.watch === 'true' || query.watch === '1' ? 'watch' : 'list';
        break;
      case 'POST':
        verb = 'create';
        break;
      case 'PUT':
        verb = 'update';
        break;
      case 'PATCH':
        verb = 'patch';
        break;
      case 'DELETE':
        verb = name ? 'delete' : 'deletecollection';
        break;
    }
    return { r, action: { verb, group, version, resource, namespace, name, subresource, query, body, contentType } };
  }

  private react(a: RecordedAction): TransportResponse | undefined {
    for (const rx of this.reactors) {
      const out = rx(a);
      if (out) return { status: out.status, headers: out.headers ?? {}, body: Buffer.from(typeof out.body === 'string' ? out.body : JSON.stringify(out.body ?? {})) };
    }
    return undefined;
  }

  private serve(r: ResourceType, a: RecordedAction): unknown {
    const gvr = gvrString(r);
    switch (a.verb) {
      case 'get':
        return this.mustGet(r, a.namespace, a.name);
      case 'list':
        return this.listResponse(r, a);
      case 'create': {
        if (a.subresource) return this.createSubresource(r, a);
        const obj = a.body as Obj;
        if (!obj || typeof obj !== 'object') throw errors.badRequest('empty body');
        const bodyNs = obj.metadata?.namespace;
        if (r.namespaced && bodyNs && bodyNs !== a.namespace) throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
        if (a.query.dryRun) return obj;
        return this.create(r, a.namespace, obj);
      }
      case 'update': {
        const obj = a.body as Obj;
        const old = this.mustGet(r, a.namespace, a.name);
        const want = obj.metadata?.resourceVersion;
        if (want && want !== old.metadata!.resourceVersion) throw conflict(r, a.name);
        return this.write(r, a.namespace, a.name, a.subresource, old, obj, a.query);
      }
      case 'patch': {
        const existing = this.bucket(gvr).get(key(a.namespace, a.name));
        if (!existing) {
          if (a.contentType === 'application/apply-patch+yaml') return this.create(r, a.namespace, { ...(a.body as Obj), metadata: { ...(a.body as Obj).metadata, name: a.name } });
          throw errors.notFound(r.group, r.resource, a.name);
        }
        const old = structuredClone(existing);
        const patched = applyPatch(old, a.body, a.contentType ?? '');
        const want = (a.body as Obj | undefined)?.metadata?.resourceVersion;
        if (a.contentType !== 'application/json-patch+json' && want && want !== existing.metadata!.resourceVersion) throw conflict(r, a.name);
        return this.write(r, a.namespace, a.name, a.subresource, existing, patched, a.query);
      }
      case 'delete':
        return this.remove(r, a.namespace, a.name, a.body as Obj | undefined, a.query);
      case 'deletecollection': {
        for (const o of this.matching(r, a)) this.remove(r, o.metadata!.namespace ?? '', o.metadata!.name!, a.body as Obj | undefined, a.query);
        return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' };
      }
      case 'watch':
        throw errors.badRequest('watch needs a stream');
    }
  }

  private createSubresource(r: ResourceType, a: RecordedAction): unknown {
    const body = a.body as Obj;
    if (r.resource === 'pods' && a.subresource === 'binding') {
      const old = this.mustGet(r, a.namespace, a.name);
      if (old.spec?.nodeName) throw conflict(r, a.name, `pod ${a.name} is already assigned to node "${old.spec.nodeName}"`);
      const next = structuredClone(old);
      next.spec = { ...next.spec, nodeName: body?.target?.name };
      this.store(r, 'MODIFIED', next, old);
      return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
    }
    if (r.resource === 'pods' && a.subresource === 'eviction') {
      this.remove(r, a.namespace, a.name, body?.deleteOptions, a.query);
      return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
    }
    return body;
  }

  // ── storage ──────────────────────────────────────────────────────────────────────────────

  private bucket(gvr: string): Map<string, Obj> {
    let b = this.objects.get(gvr);
    if (!b) this.objects.set(gvr, (b = new Map()));
    return b;
  }

  private resolve(r: ResourceType<KubeObject>): ResourceType {
    return this.table.get(r) ?? (r as ResourceType);
  }

  private mustGet(r: ResourceType, ns: string, name: string): Obj {
    const o = this.bucket(gvrString(r)).get(key(ns, name));
    if (!o) throw errors.notFound(r.group, r.resource, name);
    return o;
  }

  private create(r: ResourceType, ns: string, input: Obj): Obj {
    const obj = structuredClone(input);
    const meta = (obj.metadata ??= {}) as Record<string, any>;
    if (!meta.name && meta.generateName) meta.name = meta.generateName + Math.random().toString(36).slice(2, 7);
    if (!meta.name) throw errors.invalid(r.group, r.kind, '', []);
    if (r.namespaced) meta.namespace = ns;
    else delete meta.namespace;
    if (this.bucket(gvrString(r)).has(key(meta.namespace ?? '', meta.name))) throw errors.alreadyExists(r.group, r.resource, meta.name);
    obj.apiVersion = apiVersionOf(r);
    obj.kind = r.kind;
    meta.uid = randomUUID();
    meta.creationTimestamp = rfc3339(this.clock.now());
    meta.generation = 1;
    delete meta.deletionTimestamp;
    this.store(r, 'ADDED', obj);
    return structuredClone(obj);
  }

  /** An update or patch result: keeps identity, applies status rules, bumps generation. */
  private write(r: ResourceType, ns: string, name: string, subresource: string, old: Obj, input: Obj, query: Query): Obj {
    let next: Obj;
    if (subresource === 'status') {
      next = structuredClone(old);
      next.status = structuredClone(input.status);
    } else if (subresource) {
      throw errors.methodNotSupported(r.group, `${r.resource}/${subresource}`, 'update');
    } else {
      next = structuredClone(input);
      if (old.status !== undefined) next.status = structuredClone(old.status);
      next.metadata = { ...next.metadata };
      const m = next.metadata as Record<string, any>;
      const om = old.metadata as Record<string, any>;
      for (const f of ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation']) {
        if (om[f] !== undefined) m[f] = om[f];
        else delete m[f];
      }
      m.name = name;
      if (r.namespaced) m.namespace = ns;
      const strip = (o: Obj) => JSON.stringify({ ...o, metadata: undefined, status: undefined });
      if (strip(old) !== strip(next)) m.generation = (om.generation ?? 0) + 1;
    }
    next.apiVersion = apiVersionOf(r);
    next.kind = r.kind;
    if (query.dryRun) return next;
    const meta = next.metadata as Record<string, any>;
    if (meta.deletionTimestamp && !(meta.finalizers?.length)) {
      this.bucket(gvrString(r)).delete(key(ns, name));
      this.store(r, 'DELETED', next, old, true);
      return structuredClone(next);
    }
    this.store(r, 'MODIFIED', next, old);
    return structuredClone(next);
  }

  private remove(r: ResourceType, ns: string, name: string, opts: Obj | undefined, query: Query): unknown {
    const old = this.mustGet(r, ns, name);
    const pre = (opts as { preconditions?: { uid?: string; resourceVersion?: string } } | undefined)?.preconditions;
    if (pre?.uid && pre.uid !== old.metadata!.uid) {
      throw errors.conflict(r.group, r.resource, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${old.metadata!.uid}`);
    }
    if (pre?.resourceVersion && pre.resourceVersion !== old.metadata!.resourceVersion) {
      throw errors.conflict(r.group, r.resource, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${old.metadata!.resourceVersion}`);
    }
    if (query.dryRun) return old;
    if (old.metadata!.finalizers?.length) {
      if (old.metadata!.deletionTimestamp) return structuredClone(old);
      const next = structuredClone(old);
      (next.metadata as Record<string, any>).deletionTimestamp = rfc3339(this.clock.now());
      (next.metadata as Record<string, any>).deletionGracePeriodSeconds = 0;
      this.store(r, 'MODIFIED', next, old);
      return structuredClone(next);
    }
    this.bucket(gvrString(r)).delete(key(ns, name));
    const gone = structuredClone(old);
    this.store(r, 'DELETED', gone, old, true);
    return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name, group: r.group, kind: r.resource, uid: old.metadata!.uid } };
  }

  /** Assigns the next revision, saves (unless deleted), logs and fans the event out. */
  private store(r: ResourceType, type: LogEntry['type'], obj: Obj, prev?: Obj, deleted = false): void {
    const gvr = gvrString(r);
    const rv = ++this.rv;
    (obj.metadata as Record<string, any>).resourceVersion = String(rv);
    if (!deleted) this.bucket(gvr).set(key(obj.metadata!.namespace ?? '', obj.metadata!.name!), obj);
    const entry: LogEntry = { gvr, type, obj: structuredClone(obj), prev: prev && structuredClone(prev), rv };
    this.log.push(entry);
    for (const w of this.watchers) this.send(w, entry);
  }

  private send(w: Watcher, e: LogEntry): void {
    if (w.gvr !== e.gvr) return;
    if (w.namespace && e.obj.metadata?.namespace !== w.namespace) return;
    const now = w.matches(e.obj);
    const before = e.prev ? w.matches(e.prev) : false;
    let type: string = e.type;
    let obj = e.obj;
    if (e.type === 'MODIFIED') {
      if (now && !before) type = 'ADDED';
      else if (!now && before) {
        type = 'DELETED';
        obj = { ...e.prev!, metadata: { ...e.prev!.metadata, resourceVersion: String(e.rv) } };
      } else if (!now) return;
    } else if (!now) return;
    w.channel.push(JSON.stringify({ type, object: obj }));
  }

  // ── list and watch ───────────────────────────────────────────────────────────────────────

  private matcher(r: ResourceType, q: Query): (o: Obj) => boolean {
    const ls = parseLabelSelector(q.labelSelector ?? '');
    const fs = parseFieldSelector(q.fieldSelector ?? '');
    return (o) => ls.matches(o.metadata?.labels) && fs.matches(fieldAttributes(r.group, r.kind, o as Record<string, any>));
  }

  private matching(r: ResourceType, a: RecordedAction): Obj[] {
    const m = this.matcher(r, a.query);
    return [...this.bucket(gvrString(r)).entries()]
      .filter(([, o]) => !a.namespace || o.metadata?.namespace === a.namespace)
      .filter(([, o]) => m(o))
      .sort(([k1], [k2]) => (k1 < k2 ? -1 : k1 > k2 ? 1 : 0))
      .map(([, o]) => o);
  }

  private listResponse(r: ResourceType, a: RecordedAction): unknown {
    const q = a.query;
    const limit = q.limit ? Number(q.limit) : 0;
    const rvParam = q.resourceVersion ?? '';
    if (rvParam && rvParam !== '0' && (q.resourceVersionMatch === 'Exact' || (!q.resourceVersionMatch && limit > 0)) && Number(rvParam) < this.compacted) {
      throw errors.gone('The resourceVersion for the provided list is too old.');
    }
    let items = this.matching(r, a);
    let cont: string | undefined;
    if (q.continue) {
      const after = Buffer.from(q.continue, 'base64').toString();
      items = items.filter((o) => key(o.metadata!.namespace ?? '', o.metadata!.name!) > after);
    }
    if (limit > 0 && items.length > limit) {
      items = items.slice(0, limit);
      const last = items[items.length - 1]!;
      cont = Buffer.from(key(last.metadata!.namespace ?? '', last.metadata!.name!)).toString('base64');
    }
    const metadata: Record<string, string> = { resourceVersion: String(this.rv) };
    if (cont) metadata.continue = cont;
    return { kind: `${r.kind}List`, apiVersion: apiVersionOf(r), metadata, items: items.map((o) => structuredClone(o)) };
  }

  private watch(r: ResourceType, a: RecordedAction): TransportStream {
    const gvr = gvrString(r);
    const channel = new LineChannel();
    const w: Watcher = { gvr, namespace: a.namespace, matches: this.matcher(r, a.query), channel, bookmarks: a.query.allowWatchBookmarks === 'true', kind: r.kind, apiVersion: apiVersionOf(r) };
    const rvParam = a.query.resourceVersion ?? '';
    const from = rvParam ? Number(rvParam) : 0;
    if (from === 0) {
      for (const o of this.matching(r, a)) channel.push(JSON.stringify({ type: 'ADDED', object: o }));
    } else if (from < this.compacted) {
      channel.push(JSON.stringify({ type: 'ERROR', object: errors.gone(`too old resource version: ${from} (${this.compacted + 1})`).toStatus() }));
      channel.end();
      return { status: 200, headers: {}, lines: channel, close: () => channel.end() };
    } else {
      for (const e of this.log) if (e.rv > from) this.send(w, e);
    }
    this.watchers.add(w);
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      lines: channel,
      close: () => {
        this.watchers.delete(w);
        channel.end();
      },
    };
  }
}

function key(ns: string, name: string): string {
  return ns ? `${ns}/${name}` : name;
}

function headerOf(h: Record<string, string> | undefined, name: string): string | undefined {
  for (const [k, v] of Object.entries(h ?? {})) if (k.toLowerCase() === name) return v.split(';')[0]!.trim();
  return undefined;
}

function json(status: number, body: unknown): TransportResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(body)) };
}

function conflict(r: ResourceType, name: string, why = 'the object has been modified; please apply your changes to the latest version and try again'): StatusError {
  return errors.conflict(r.group, r.resource, name, why);
}

function applyPatch(old: Obj, patch: unknown, contentType: string): Obj {
  if (contentType === 'application/json-patch+json') {
    try {
      return jsonpatch.applyPatch(old, patch as Operation[], true, false).newDocument as Obj;
    } catch (e) {
      throw new StatusError(422, 'Invalid', `the server rejected our request due to an error in our request: ${(e as Error).message}`);
    }
  }
  // merge, strategic (approximated), apply
  return mergePatch(old, patch) as Obj;
}

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}
