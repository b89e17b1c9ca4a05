// GET on a collection: served from the watch cache (most recent / not-older-than), or from the
// store at an exact revision (resourceVersionMatch=Exact, continue tokens from an older state).
import type { KObject } from '../../api/strategies/types.js';
import { errors, StatusError } from '../../api/errors.js';
import { apiVersionOf } from '../../api/registry/registry.js';
import { CompactedError, FutureRevisionError } from '../../storage/errors.js';
import { toEntry } from '../cache/cache-set.js';
import type { CacheEntry } from '../cache/watch-cache.js';
import { writeBody, writeJson } from '../http/respond.js';
import { parseAccept } from '../http/negotiate.js';
import { parseSelection } from './selection.js';
import { renderTableText, tableOptions } from './table.js';
import { isConverted, toExternal, type Scope } from './scope.js';

interface ContinueToken {
  rv: number;
  start: string;
}

export function encodeContinue(t: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: t.rv, start: t.start })).toString('base64url');
}

function decodeContinue(s: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    if (typeof t.rv === 'number' && typeof t.start === 'string') return { rv: t.rv, start: t.start };
  } catch {
    // fall through
  }
  throw errors.badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
}

export interface ListPage {
  entries: CacheEntry[];
  rv: number;
  continue?: string;
  remaining?: number;
}

/** Reads one page of a list with Kubernetes resourceVersion semantics. */
export async function readList(scope: Scope, namespace: string): Promise<ListPage> {
  const q = scope.query;
  const sel = parseSelection(scope.resource, q);
  const limit = parseLimit(q.get('limit'));
  const rvParam = q.get('resourceVersion') ?? '';
  const match = q.get('resourceVersionMatch') ?? '';
  const cont = q.get('continue') ?? '';
  if (match && !rvParam) throw errors.badRequest('resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided');
  if (match && match !== 'Exact' && match !== 'NotOlderThan') throw errors.badRequest(`resourceVersionMatch: Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"`);
  if (cont && rvParam && rvParam !== '0') throw errors.badRequest('specifying resource version is not allowed when using continue');
  const rv = rvParam ? parseRv(rvParam) : 0;
  const cache = scope.rstore.cache;
  const prefix = scope.ctx.registry.prefix(scope.resource, namespace);

  let exactRv = 0;
  let start = '';
  if (cont) {
    const t = decodeContinue(cont);
    start = t.start;
    if (t.rv !== cache.rv) exactRv = t.rv;
  } else if (rvParam && rv !== 0 && (match === 'Exact' || (!match && limit > 0))) {
    exactRv = rv;
  }

  if (exactRv) return readFromStore(scope, prefix, exactRv, start, limit, sel.filter, !!cont);
  if (!rvParam) await scope.rstore.fresh();
  else if (rv > 0) {
    try {
      await cache.waitFor(rv, 3000);
    } catch {
      throw tooLargeResourceVersion(rv, cache.rv);
    }
  }
  const all = cache.list(namespace, start);
  return page(all, cache.rv, limit, sel.filter, sel.everything);
}

function page(all: CacheEntry[], rv: number, limit: number, filter: ((o: KObject) => boolean) | undefined, exactCount: boolean): ListPage {
  const out: CacheEntry[] = [];
  let i = 0;
  for (; i < all.length; i++) {
    const e = all[i];
    if (filter && !filter(e.obj)) continue;
    if (limit > 0 && out.length === limit) break;
    out.push(e);
  }
  if (limit > 0 && out.length === limit && hasMore(all, i, filter)) {
    const last = out[out.length - 1];
    const p: ListPage = { entries: out, rv, continue: encodeContinue({ rv, start: last.key + '\0' }) };
    if (exactCount) p.remaining = all.length - i;
    return p;
  }
  return { entries: out, rv };
}

function hasMore(all: CacheEntry[], from: number, filter?: (o: KObject) => boolean): boolean {
  for (let j = from; j < all.length; j++) if (!filter || filter(all[j].obj)) return true;
  return false;
}

async function readFromStore(scope: Scope, prefix: string, rv: number, start: string, limit: number, filter: ((o: KObject) => boolean) | undefined, fromContinue: boolean): Promise<ListPage> {
  const cache = scope.rstore.cache;
  const entries: CacheEntry[] = [];
  let startKey = start || undefined;
  try {
    for (;;) {
      const r = await scope.ctx.store.range(prefix, { revision: rv, startKey, limit: limit > 0 ? limit + 1 : 0 });
      for (const kv of r.kvs) {
        const e = toEntry(kv, cache);
        if (!filter || filter(e.obj)) entries.push(e);
      }
      if (!r.more || (limit > 0 && entries.length > limit)) break;
      startKey = r.kvs[r.kvs.length - 1].key + '\0';
    }
  } catch (e) {
    if (e instanceof CompactedError) {
      if (fromContinue) {
        throw errors.gone('The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.');
      }
      throw errors.gone(`The resourceVersion for the provided list is too old.`);
    }
    if (e instanceof FutureRevisionError) throw tooLargeResourceVersion(rv, e.currentRevision);
    throw e;
  }
  return page(entries, rv, limit, undefined, false);
}

/**
 * Upstream's NewTooLargeResourceVersionError: 504 Timeout with a ResourceVersionTooLarge cause,
 * which client-go's reflector recognises to relist without a resourceVersion.
 */
function tooLargeResourceVersion(rv: number, current: number): StatusError {
  return new StatusError(504, 'Timeout', `Timeout: Too large resource version: ${rv}, current: ${current}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    retryAfterSeconds: 1,
  });
}

function parseLimit(s: string | null): number {
  if (!s) return 0;
  const n = Number(s);
  if (!Number.isInteger(n) || n < 0) throw errors.badRequest(`limit: Invalid value: "${s}": must be a non-negative integer`);
  return n;
}

export function parseRv(s: string): number {
  const n = Number(s);
  if (!/^\d+$/.test(s) || !Number.isSafeInteger(n)) throw errors.badRequest(`Invalid value: "${s}": resourceVersion must be a non-negative integer`);
  return n;
}

export async function handleList(scope: Scope): Promise<void> {
  const accept = parseAccept(scope.req.headers.accept as string | undefined);
  if (!accept.ok && !accept.table) throw errors.notAcceptable('only the following media types are accepted: application/json, application/yaml, application/json;as=Table;v=v1;g=meta.k8s.io');
  const p = await readList(scope, scope.info.namespace);
  if (accept.table) {
    const table = renderTableText(scope, p.entries, { ...tableOptions(scope.query), rv: p.rv, continue: p.continue, remaining: p.remaining });
    writeBody(scope.req, scope.res, 200, table, 'application/json');
    return;
  }
  const r = scope.resource;
  const meta: Record<string, unknown> = { resourceVersion: String(p.rv) };
  if (p.continue) meta.continue = p.continue;
  if (p.remaining !== undefined) meta.remainingItemCount = p.remaining;
  const items = isConverted(r) ? p.entries.map((e) => JSON.stringify(toExternal(scope, structuredClone(e.obj)))) : p.entries.map((e) => e.json);
  const text = `{"kind":"${r.listKind}","apiVersion":"${apiVersionOf(r.group, r.version)}","metadata":${JSON.stringify(meta)},"items":[${items.join(',')}]}`;
  writeBody(scope.req, scope.res, 200, text, 'application/json');
}
