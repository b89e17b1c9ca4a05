// Non-resource endpoints: version, health, metrics, discovery and OpenAPI. Documents are built
// once (OpenAPI v2 on first request: kubectl only falls back to it) and served as prepared
// bodies with ETags.
import type { Registry } from '../api/registry/registry.js';
import type { Schema } from '../api/schema/index.js';
import { buildDiscoveryDocuments, ServedDocument, type DiscoveryDocuments } from '../api/discovery/index.js';
import { buildOpenApiV3, servedOpenApiV2 } from '../api/openapi/index.js';
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

export class NonResourceDocs {
  private readonly discovery: DiscoveryDocuments;
  private readonly version: ServedDocument;
  private readonly openapiRoot: ServedDocument;
  private readonly openapi: Map<string, ServedDocument>;
  private v2?: ServedDocument;

  constructor(private readonly registry: Registry, private readonly schema: Schema, version: VersionInfo, serverAddress: string) {
    this.version = ServedDocument.of(version);
    this.discovery = buildDiscoveryDocuments(registry, { serverAddress });
    const v3 = buildOpenApiV3(schema, registry);
    this.openapiRoot = v3.rootDocument;
    this.openapi = v3.documents;
  }

  /** Serves a document path; false when the path is not one of ours. */
  serve(req: Req, res: Res, path: string): boolean {
    let d: ServedDocument | undefined;
    let contentType = 'application/json';
    if (path === '/version') d = this.version;
    else if (path === '/openapi/v3') d = this.openapiRoot;
    else if (path.startsWith('/openapi/v3/')) d = this.openapi.get(path.slice('/openapi/v3/'.length));
    else if (path === '/openapi/v2') d = this.v2 ??= servedOpenApiV2(this.schema, this.registry);
    else {
      const a = this.discovery.lookup(path, req.headers.accept as string | undefined);
      if (a) {
        d = a.document;
        contentType = a.contentType;
      }
    }
    if (!d) return false;
    res.setHeader('ETag', d.etag);
    res.setHeader('Vary', 'Accept');
    if (d.matches(req.headers['if-none-match'] as string | undefined)) {
      res.writeHead(304);
      res.end();
      return true;
    }
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')) && d.bytes.length > 1024;
    const body = gzip ? d.gzip : d.bytes;
    res.writeHead(200, {
      'Content-Type': contentType,
      'Content-Length': body.length,
      'Cache-Control': path.startsWith('/openapi/v3/') ? 'public, immutable' : 'no-cache, private',
      ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
    });
    res.end(body);
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
