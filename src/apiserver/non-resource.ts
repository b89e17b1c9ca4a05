// Non-resource endpoints: version, health, metrics, discovery and OpenAPI. Documents are built
// once at start and served as prepared strings with ETags.
import { createHash } from 'node:crypto';
import type { Registry } from '../api/registry/registry.js';
import type { Schema } from '../api/schema/index.js';
import { aggregatedDiscovery, AGGREGATED_DISCOVERY_CONTENT_TYPE, apiVersions, apiGroupList, apiGroup, apiResourceList } from '../api/discovery/index.js';
import { buildOpenApiV2, buildOpenApiV3 } from '../api/openapi/index.js';
import { errors } from '../api/errors.js';
import type { Req, Res } from './http/types.js';
import { writeBody, writeJson } from './http/respond.js';
import type { ApiMetrics } from './metrics.js';

export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

interface Doc {
  text: string;
  etag: string;
  contentType: string;
}

function doc(value: unknown, contentType = 'application/json'): Doc {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return { text, etag: `"${createHash('sha256').update(text).digest('hex').slice(0, 32)}"`, contentType };
}

export class NonResourceDocs {
  private readonly docs = new Map<string, Doc>();
  private readonly aggregated = new Map<string, Doc>();

  constructor(registry: Registry, schema: Schema, readonly version: VersionInfo, serverAddress: string) {
    this.docs.set('/version', doc(version));
    this.docs.set('/api', doc(apiVersions(serverAddress)));
    this.docs.set('/apis', doc(apiGroupList(registry)));
    for (const g of registry.groups) {
      if (g.group) this.docs.set(`/apis/${g.group}`, doc(apiGroup(registry, g.group)));
      for (const v of g.versions) {
        const path = g.group ? `/apis/${g.group}/${v}` : `/api/${v}`;
        this.docs.set(path, doc(apiResourceList(registry, g.group, v)));
      }
    }
    this.aggregated.set('/api', doc(aggregatedDiscovery(registry, 'core'), AGGREGATED_DISCOVERY_CONTENT_TYPE));
    this.aggregated.set('/apis', doc(aggregatedDiscovery(registry, 'apis'), AGGREGATED_DISCOVERY_CONTENT_TYPE));
    const v3 = buildOpenApiV3(schema, registry);
    this.docs.set('/openapi/v3', doc(v3.root));
    for (const [path, d] of v3.documents) {
      this.docs.set(`/openapi/v3/${path}`, { text: d.json, etag: `"${d.hash}"`, contentType: 'application/json' });
    }
    this.docs.set('/openapi/v2', doc(buildOpenApiV2(schema, registry)));
  }

  /** Serves a document path; false when the path is not one of ours. */
  serve(req: Req, res: Res, path: string): boolean {
    const accept = String(req.headers.accept ?? '');
    const d = (accept.includes('as=APIGroupDiscoveryList') && this.aggregated.get(path)) || this.docs.get(path);
    if (!d) return false;
    res.setHeader('ETag', d.etag);
    if (req.headers['if-none-match'] === d.etag) {
      res.writeHead(304);
      res.end();
      return true;
    }
    if (path.startsWith('/openapi/v3/')) res.setHeader('Cache-Control', 'public, immutable');
    writeBody(req, res, 200, d.text, d.contentType);
    return true;
  }
}

export type Health = () => { ok: boolean; checks: { name: string; ok: boolean }[] };

/** /healthz, /livez, /readyz and their /<check> forms, with ?verbose. */
export function serveHealth(req: Req, res: Res, path: string, query: URLSearchParams, health: Health): boolean {
  const m = /^\/(healthz|livez|readyz)(?:\/(.+))?$/.exec(path);
  if (!m) return false;
  const h = health();
  const only = m[2];
  if (only) {
    const c = only === 'ping' ? { name: 'ping', ok: true } : h.checks.find((x) => x.name === only);
    if (!c) throw errors.notFound('', '', path);
    writeBody(req, res, c.ok ? 200 : 500, c.ok ? 'ok' : `[-]${c.name} failed: reason withheld\n`, 'text/plain; charset=utf-8');
    return true;
  }
  if (query.has('verbose') || !h.ok) {
    const lines = [{ name: 'ping', ok: true }, ...h.checks].map((c) => (c.ok ? `[+]${c.name} ok` : `[-]${c.name} failed: reason withheld`));
    lines.push(h.ok ? `${m[1]} check passed` : `${m[1]} check failed`);
    writeBody(req, res, h.ok ? 200 : 500, lines.join('\n') + '\n', 'text/plain; charset=utf-8');
    return true;
  }
  writeBody(req, res, 200, 'ok', 'text/plain; charset=utf-8');
  return true;
}

export async function serveMetrics(req: Req, res: Res, metrics: ApiMetrics): Promise<void> {
  const text = await metrics.registry.metrics();
  writeBody(req, res, 200, text, metrics.registry.contentType);
}

export function notFoundPath(req: Req, res: Res): void {
  writeJson(req, res, 404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', details: {}, code: 404 });
}
