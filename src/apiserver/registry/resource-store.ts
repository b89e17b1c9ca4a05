// The object layer for one resource (upstream's genericregistry.Store): create, update and
// delete with Kubernetes semantics on top of the MVCC store — metadata filling, optimistic
// concurrency, generation, status/main separation, finalizers, graceful deletion, dry run.
// Reads come from the watch cache, made fresh up to the store's current revision first.
import { randomUUID } from 'node:crypto';
import type { Store } from '../../storage/interface.js';
import { ConflictError, KeyExistsError, NotFoundError } from '../../storage/errors.js';
import type { ResourceInfo } from '../../api/registry/registry.js';
import type { Strategy, KObject } from '../../api/strategies/types.js';
import { errors, StatusError, type FieldError } from '../../api/errors.js';
import { GRACEFUL_KINDS, STATUS_WRITES_ANNOTATIONS, TRACKS_GENERATION } from '../../api/registry/resource-facts.js';
import type { WatchCache, CacheEntry } from '../cache/watch-cache.js';
import { rfc3339, type Clock } from '../../util/clock.js';
import { isDeepStrictEqual } from 'node:util';
import { encodeStored, rememberJson, withResourceVersion } from './stored-json.js';

/** Largest object the store accepts (etcd's default request limit). */
export const MAX_OBJECT_BYTES = 1.5 * 1024 * 1024;

export interface WriteContext {
  dryRun: boolean;
  /** Validating admission, run after validation and before the write. */
  admit?: (obj: KObject, old: KObject | undefined) => Promise<void>;
}

export interface UpdateContext extends WriteContext {
  /** 'status' for a status-subresource write, 'binding' for a pod binding; '' for the main resource. */
  subresource: string;
  /** Create when absent (server-side apply, PUT on kinds that allow it). */
  allowCreate?: boolean;
}

export interface DeleteOptions {
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  orphanDependents?: boolean;
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface DeleteResult {
  obj: KObject;
  /** False when the object stays (finalizers or graceful deletion pending). */
  deleted: boolean;
}

/**
 * Side effects a kind needs around its writes that the store cannot make atomic with the object
 * (upstream's BeginCreate/BeginUpdate and AfterDelete; Services allocate IPs and node ports).
 * begin* runs after validation and before admission and the write, may fill the object, and
 * returns how to finish: `finish(true)` once stored, `finish(false)` when the write fails.
 */
export interface WriteHooks {
  beginCreate?(obj: KObject, dryRun: boolean): Promise<FinishWrite>;
  /** Main-resource updates only (not status or other subresources). */
  beginUpdate?(obj: KObject, old: KObject, dryRun: boolean): Promise<FinishWrite>;
  /** After the object is gone from the store (never for dry runs). */
  afterDelete?(obj: KObject): Promise<void>;
}

export type FinishWrite = (success: boolean) => Promise<void>;

const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

export class ResourceStore {
  constructor(
    readonly info: ResourceInfo,
    private readonly store: Store,
    readonly cache: WatchCache,
    private readonly strategy: Strategy,
    private readonly clock: Clock,
    private readonly hooks: WriteHooks = {},
  ) {}

  key(namespace: string, name: string): string {
    return this.info.namespaced ? `${this.info.keyPrefix}/${namespace}/${name}` : `${this.info.keyPrefix}/${name}`;
  }

  /** Waits until the cache reflects every committed write. */
  async fresh(): Promise<void> {
    const rev = await this.store.currentRevision();
    await this.cache.waitFor(rev, 10_000);
  }

  async get(namespace: string, name: string): Promise<CacheEntry> {
    await this.fresh();
    const e = this.cache.get(this.key(namespace, name));
    if (!e) throw errors.notFound(this.info.group, this.info.resource, name);
    return e;
  }

  async create(namespace: string, obj: KObject, ctx: WriteContext): Promise<KObject> {
    const meta = (obj.metadata ??= {});
    if (!meta.name && meta.generateName) meta.name = meta.generateName + randomSuffix();
    if (this.info.namespaced) meta.namespace = namespace;
    else delete meta.namespace;
    meta.uid = randomUUID();
    meta.creationTimestamp = rfc3339(this.clock.now());
    delete meta.resourceVersion;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete meta.selfLink;
    if (TRACKS_GENERATION.has(this.info.kind)) meta.generation = 1;
    else delete meta.generation;
    this.strategy.prepareForCreate?.(obj);
    this.check(obj, this.strategy.validate(obj));
    if (ctx.dryRun && this.cache.get(this.key(namespace, meta.name))) throw errors.alreadyExists(this.info.group, this.info.resource, meta.name);
    const finish = await this.hooks.beginCreate?.(obj, ctx.dryRun);
    let stored = false;
    try {
      await ctx.admit?.(obj, undefined);
      const value = this.serialize(obj);
      if (ctx.dryRun) {
        stored = true;
        return obj;
      }
      const kv = await this.store.create(this.key(namespace, meta.name), value);
      stored = true;
      meta.resourceVersion = String(kv.modRevision);
      rememberJson(obj, withResourceVersion(value, kv.modRevision));
      return obj;
    } catch (e) {
      if (e instanceof KeyExistsError) throw errors.alreadyExists(this.info.group, this.info.resource, meta.name);
      throw e;
    } finally {
      await finish?.(stored);
    }
  }

  /**
   * Reads the current object, lets `tryUpdate` compute the new one, and writes it at the read
   * revision, retrying on a racing write unless the caller pinned a resourceVersion.
   */
  async update(namespace: string, name: string, tryUpdate: (old: KObject | undefined) => Promise<KObject>, ctx: UpdateContext): Promise<{ obj: KObject; created: boolean }> {
    for (let attempt = 0; ; attempt++) {
      await this.fresh();
      const cur = this.cache.get(this.key(namespace, name));
      if (!cur && !ctx.allowCreate) throw errors.notFound(this.info.group, this.info.resource, name);
      const old = cur ? clone(cur.obj) : undefined;
      const next = await tryUpdate(old ? clone(old) : undefined);
      next.metadata ??= {};
      if (next.metadata.name && next.metadata.name !== name) {
        throw errors.badRequest(`the name of the object (${next.metadata.name}) does not match the name on the URL (${name})`);
      }
      next.metadata.name = name;
      if (!cur || !old) {
        const obj = await this.create(namespace, next, ctx);
        return { obj, created: true };
      }
      const pinned = next.metadata.resourceVersion;
      if (pinned && pinned !== String(cur.rv)) {
        throw errors.conflict(this.info.group, this.info.resource, name, 'the object has been modified; please apply your changes to the latest version and try again');
      }
      const obj = this.prepareUpdate(next, old, ctx.subresource);
      const finish = ctx.subresource === '' ? await this.hooks.beginUpdate?.(obj, old, ctx.dryRun) : undefined;
      let stored = false;
      try {
        if (ctx.dryRun) {
          // A dry run goes through admission like a real write; only the store write is skipped.
          await ctx.admit?.(obj, old);
          stored = true;
          return { obj, created: false };
        }
        const written = await this.write(obj, old, cur.rv, ctx);
        stored = true;
        return { obj: written, created: false };
      } catch (e) {
        if (e instanceof ConflictError && !pinned && attempt < 10) continue;
        // Deleted since it was read: the next read answers NotFound (or creates, when allowed).
        if (e instanceof NotFoundError && attempt < 10) continue;
        if (e instanceof ConflictError) throw errors.conflict(this.info.group, this.info.resource, name, 'the object has been modified; please apply your changes to the latest version and try again');
        throw e;
      } finally {
        await finish?.(stored);
      }
    }
  }

  /** Generic update rules, then the kind's own, then validation. */
  private prepareUpdate(next: KObject, old: KObject, subresource: string): KObject {
    let obj: KObject;
    const whole = subresource === 'binding' || subresource === 'finalize';
    if (whole) {
      // The handler built the object from the stored one: a binding sets spec.nodeName and the
      // PodScheduled condition together, finalize sets only spec.finalizers.
      obj = next;
    } else if (subresource === 'status') {
      obj = clone(old);
      obj.status = next.status;
      if (STATUS_WRITES_ANNOTATIONS.has(this.info.kind)) {
        if (next.metadata?.annotations === undefined) delete obj.metadata!.annotations;
        else obj.metadata!.annotations = next.metadata.annotations;
      }
      if (next.metadata?.managedFields) obj.metadata!.managedFields = next.metadata.managedFields;
    } else {
      obj = next;
      if (this.info.hasStatus) {
        if (old.status === undefined) delete obj.status;
        else obj.status = old.status;
      }
    }
    const meta = obj.metadata!;
    const om = old.metadata!;
    for (const k of ['uid', 'creationTimestamp', 'namespace', 'deletionTimestamp', 'deletionGracePeriodSeconds'] as const) {
      if (om[k] === undefined) delete meta[k];
      else meta[k] = om[k];
    }
    delete meta.selfLink;
    if (TRACKS_GENERATION.has(this.info.kind)) {
      meta.generation = om.generation ?? 1;
      if (subresource !== 'status' && specChanged(obj, old)) meta.generation += 1;
    }
    if (subresource === 'status') {
      this.check(obj, this.strategy.validateStatusUpdate?.(obj, old) ?? []);
    } else if (!whole) {
      this.strategy.prepareForUpdate?.(obj, old);
      this.check(obj, this.strategy.validateUpdate(obj, old));
    }
    return obj;
  }

  /** Writes an update; an object being deleted whose last finalizer is gone is deleted instead. */
  private async write(obj: KObject, old: KObject, rv: number, ctx: WriteContext): Promise<KObject> {
    await ctx.admit?.(obj, old);
    const meta = obj.metadata!;
    const key = this.key(meta.namespace ?? '', meta.name);
    if (meta.deletionTimestamp && !(meta.finalizers?.length) && !this.blockers(obj) && !this.gracePending(obj)) {
      const r = await this.store.delete(key, rv);
      meta.resourceVersion = String(r.revision);
      await this.hooks.afterDelete?.(obj);
      return obj;
    }
    const value = this.serialize(obj);
    const kv = await this.store.update(key, value, rv);
    meta.resourceVersion = String(kv.modRevision);
    rememberJson(obj, withResourceVersion(value, kv.modRevision));
    return obj;
  }

  async delete(namespace: string, name: string, opts: DeleteOptions, ctx: WriteContext): Promise<DeleteResult> {
    for (let attempt = 0; ; attempt++) {
      await this.fresh();
      const cur = this.cache.get(this.key(namespace, name));
      if (!cur) throw errors.notFound(this.info.group, this.info.resource, name);
      const old = clone(cur.obj);
      checkPreconditions(this.info, name, old, opts.preconditions);
      const obj = clone(old);
      const meta = obj.metadata!;
      const finalizers: string[] = meta.finalizers ? [...meta.finalizers] : [];
      const policy = opts.propagationPolicy ?? (opts.orphanDependents ? 'Orphan' : undefined);
      const addFinalizer = policy === 'Orphan' ? 'orphan' : policy === 'Foreground' ? 'foregroundDeletion' : undefined;
      if (addFinalizer && !finalizers.includes(addFinalizer)) finalizers.push(addFinalizer);
      if (policy === 'Background' || policy === 'Foreground') removeItem(finalizers, 'orphan');
      if (policy === 'Background' || policy === 'Orphan') removeItem(finalizers, 'foregroundDeletion');
      const grace = this.gracePeriod(obj, opts.gracePeriodSeconds);
      const now = this.clock.now();
      let pending = false;
      if (grace > 0) {
        const due = now + grace * 1000;
        if (!meta.deletionTimestamp || Date.parse(meta.deletionTimestamp) > due) meta.deletionTimestamp = rfc3339(due);
        meta.deletionGracePeriodSeconds = Math.min(meta.deletionGracePeriodSeconds ?? grace, grace);
        pending = true;
      }
      if (finalizers.length || this.blockers(obj)) {
        meta.deletionTimestamp ??= rfc3339(now);
        meta.deletionGracePeriodSeconds ??= 0;
        pending = true;
      }
      if (pending) this.strategy.prepareForDelete?.(obj);
      if (finalizers.length || meta.finalizers) meta.finalizers = finalizers.length ? finalizers : undefined;
      if (meta.finalizers === undefined) delete meta.finalizers;
      // A dry run goes through admission like a real deletion; only the store write is skipped.
      await ctx.admit?.(obj, old);
      if (ctx.dryRun) return { obj, deleted: !pending };
      try {
        if (pending) {
          if (isDeepStrictEqual(obj, old)) return { obj, deleted: false };
          const kv = await this.store.update(cur.key, this.serialize(obj), cur.rv);
          meta.resourceVersion = String(kv.modRevision);
          return { obj, deleted: false };
        }
        const r = await this.store.delete(cur.key, cur.rv);
        meta.resourceVersion = String(r.revision);
        await this.hooks.afterDelete?.(obj);
        return { obj, deleted: true };
      } catch (e) {
        if ((e instanceof ConflictError || e instanceof NotFoundError) && attempt < 10) continue;
        throw e;
      }
    }
  }

  /** Grace period for graceful kinds: pods not yet on a node or already finished go at once. */
  private gracePeriod(obj: KObject, requested: number | undefined): number {
    if (!GRACEFUL_KINDS.has(this.info.kind)) return 0;
    if (!obj.spec?.nodeName) return 0;
    const phase = obj.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') return 0;
    const g = requested ?? obj.spec?.terminationGracePeriodSeconds ?? 30;
    return Math.max(0, g);
  }

  private blockers(obj: KObject): boolean {
    return (this.strategy.deletionBlockers?.(obj).length ?? 0) > 0;
  }

  private gracePending(obj: KObject): boolean {
    return GRACEFUL_KINDS.has(this.info.kind) && (obj.metadata?.deletionGracePeriodSeconds ?? 0) > 0;
  }

  private check(obj: KObject, errs: FieldError[]): void {
    if (errs.length) throw errors.invalid(this.info.group, this.info.kind, obj.metadata?.name ?? '', errs);
  }

  private serialize(obj: KObject): string {
    const value = encodeStored(obj);
    if (value.length > MAX_OBJECT_BYTES) throw new StatusError(413, 'RequestEntityTooLarge', 'etcdserver: request is too large');
    return value;
  }
}

function checkPreconditions(info: ResourceInfo, name: string, obj: KObject, pre: DeleteOptions['preconditions']): void {
  if (!pre) return;
  if (pre.uid && pre.uid !== obj.metadata?.uid) {
    throw errors.conflict(info.group, info.resource, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.metadata?.uid}`);
  }
  if (pre.resourceVersion && pre.resourceVersion !== obj.metadata?.resourceVersion) {
    throw errors.conflict(info.group, info.resource, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${obj.metadata?.resourceVersion}`);
  }
}

/** Anything outside metadata and status changed. */
function specChanged(a: KObject, b: KObject): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    if (k === 'metadata' || k === 'status' || k === 'apiVersion' || k === 'kind') continue;
    if (!isDeepStrictEqual(a[k], b[k])) return true;
  }
  return false;
}

function removeItem(list: string[], item: string): void {
  const i = list.indexOf(item);
  if (i >= 0) list.splice(i, 1);
}

function randomSuffix(): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += NAME_CHARS[Math.floor(Math.random() * NAME_CHARS.length)];
  return s;
}

export function clone<T>(v: T): T {
  return structuredClone(v);
}
