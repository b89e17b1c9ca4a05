// Watch: a chunked stream of newline-delimited JSON events from the watch cache.
//  - resourceVersion unset or "0": the current state first, as ADDED events;
//  - resourceVersion N: every event after N (410 Expired as an ERROR event when too old);
//  - allowWatchBookmarks: BOOKMARK events as the cache's revision moves on;
//  - sendInitialEvents=true: initial state then a BOOKMARK marked initial-events-end;
//  - Table mode: each event's object is a one-row Table (headers only in the first).
// Each object version is serialized once (CacheEntry.json) and shared by all JSON watchers.
import type { EventType, CacheEntry, CacheWatcher } from '../cache/watch-cache.js';
import { TooOldError } from '../cache/watch-cache.js';
import { errors } from '../../api/errors.js';
import { apiVersionOf } from '../../api/registry/registry.js';
import { parseAccept } from '../http/negotiate.js';
import { parseSelection } from './selection.js';
import { parseRv } from './list.js';
import { renderTable, tableOptions } from './table.js';
import { isConverted, toExternal, type Scope } from './scope.js';

const BOOKMARK_INTERVAL_MS = 5_000;
/** A watcher that falls this far behind is closed; the client re-watches from its last revision. */
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

export async function handleWatch(scope: Scope): Promise<void> {
  const q = scope.query;
  const accept = parseAccept(scope.req.headers.accept as string | undefined);
  const table = accept.table ? tableOptions(q) : undefined;
  const sel = parseSelection(scope.resource, q, scope.info.name || undefined);
  const rvParam = q.get('resourceVersion') ?? '';
  const rv = rvParam ? parseRv(rvParam) : 0;
  const bookmarks = q.get('allowWatchBookmarks') === 'true';
  const sendInitial = q.get('sendInitialEvents');
  if (sendInitial !== null && q.get('resourceVersionMatch') !== 'NotOlderThan') {
    throw errors.badRequest('sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless resourceVersionMatch is set to NotOlderThan');
  }
  const timeoutSeconds = q.get('timeoutSeconds') ? Number(q.get('timeoutSeconds')) : 1800 + Math.floor(Math.random() * 1800);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds < 0) throw errors.badRequest('timeoutSeconds must be a non-negative integer');

  const cache = scope.rstore.cache;
  if (!rvParam) await scope.rstore.fresh();
  const initialState = sendInitial === 'true' || (sendInitial === null && rv === 0);
  // sendInitialEvents=false without a revision (or with "0") starts at the most recent revision,
  // not at the beginning of the cache's window.
  const fromRv = !initialState && rv === 0 ? cache.rv : rv;
  const { res, req } = scope;
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
  (res as { flushHeaders?: () => void }).flushHeaders?.();
  const r = scope.resource;
  const external = isConverted(r);
  let first = true;
  let lastSent = initialState ? 0 : fromRv;
  let lastBookmark = Date.now();
  let closed = false;

  const write = (line: string) => {
    if (closed) return;
    (res as NodeJS.WritableStream).write(line);
    if ((res as { writableLength?: number }).writableLength! > MAX_BUFFERED_BYTES) finish();
  };
  const objectJson = (type: EventType, e: CacheEntry): string => {
    if (table) {
      const t = renderTable(scope, [e.obj], { includeObject: table.includeObject, rv: e.rv, noHeaders: !first });
      first = false;
      return JSON.stringify(t);
    }
    return external ? JSON.stringify(toExternal(scope, structuredClone(e.obj))) : e.json;
  };
  const bookmark = (rvNow: number, initialEnd = false) => {
    const meta: Record<string, unknown> = { resourceVersion: String(rvNow) };
    if (initialEnd) meta.annotations = { 'k8s.io/initial-events-end': 'true' };
    write(`{"type":"BOOKMARK","object":${JSON.stringify({ kind: r.kind, apiVersion: apiVersionOf(r.group, r.version), metadata: meta })}}\n`);
    lastBookmark = Date.now();
  };

  const watcher: CacheWatcher = {
    // A cluster-scoped kind has no namespace to filter on (request info names the namespace itself
    // as the namespace of /namespaces/<name>?watch).
    namespace: scope.resource.namespaced ? scope.info.namespace : '',
    filter: sel.filter,
    onEvent(type, e, eventRv) {
      write(`{"type":"${type}","object":${objectJson(type, e)}}\n`);
      lastSent = Math.max(lastSent, eventRv);
    },
    onProgress(rvNow) {
      if (bookmarks && Date.now() - lastBookmark >= BOOKMARK_INTERVAL_MS && rvNow > lastSent) bookmark(rvNow);
    },
  };

  let unregister: (() => void) | undefined;
  try {
    unregister = cache.watch(watcher, fromRv, initialState);
  } catch (e) {
    if (e instanceof TooOldError) {
      const status = errors.gone(`too old resource version: ${e.requested} (${e.oldest})`).toStatus();
      res.end(`{"type":"ERROR","object":${JSON.stringify(status)}}\n`);
      return;
    }
    throw e;
  }
  if (sendInitial === 'true' && bookmarks) bookmark(cache.rv, true);
  scope.ctx.metrics.watchers.inc({ group: r.group, version: r.version, kind: r.kind });

  const timer = setTimeout(finish, timeoutSeconds * 1000);
  const ticker = bookmarks ? setInterval(() => watcher.onProgress!(cache.rv), BOOKMARK_INTERVAL_MS) : undefined;
  function finish(): void {
    if (closed) return;
    closed = true;
    clearTimeout(timer);
    if (ticker) clearInterval(ticker);
    unregister?.();
    scope.ctx.metrics.watchers.dec({ group: r.group, version: r.version, kind: r.kind });
    res.end();
  }
  await new Promise<void>((resolve) => {
    req.on('close', () => {
      finish();
      resolve();
    });
    res.on('finish', () => {
      finish();
      resolve();
    });
    res.on('close', () => {
      finish();
      resolve();
    });
  });
}
