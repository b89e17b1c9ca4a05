// Every discovery document, built once at server start and kept serialized with its hash, so
// a request only picks a ready body: `lookup(path, accept)` answers `/api`, `/apis`,
// `/apis/<group>`, `/api/v1` and `/apis/<group>/<version>` in the form the Accept header asks for.
import { apiVersionOf, type Registry } from '../registry/index.js';
import { AGGREGATED_DISCOVERY_CONTENT_TYPE, aggregatedDiscovery, wantsAggregatedDiscovery } from './aggregated.js';
import { apiGroup, apiGroupList, apiResourceList, apiVersions } from './legacy.js';
import { ServedDocument } from './served.js';

export interface DiscoveryOptions {
  /** `host:port` clients use to reach the server (APIVersions.serverAddressByClientCIDRs). */
  serverAddress: string;
}

export interface DiscoveryAnswer {
  document: ServedDocument;
  /** Exactly what to send as Content-Type. */
  contentType: string;
}

export class DiscoveryDocuments {
  /** `GET /api` as APIGroupDiscoveryList. */
  readonly aggregatedCore: ServedDocument;
  /** `GET /apis` as APIGroupDiscoveryList. */
  readonly aggregatedApis: ServedDocument;
  /** Legacy documents by path without trailing slash: `/api`, `/apis`, `/apis/apps`, `/api/v1`, `/apis/apps/v1`. */
  private readonly legacyByPath = new Map<string, ServedDocument>();

  constructor(registry: Registry, options: DiscoveryOptions) {
    this.aggregatedCore = ServedDocument.of(aggregatedDiscovery(registry, 'core'));
    this.aggregatedApis = ServedDocument.of(aggregatedDiscovery(registry, 'apis'));
    this.legacyByPath.set('/api', ServedDocument.of(apiVersions(options.serverAddress)));
    this.legacyByPath.set('/apis', ServedDocument.of(apiGroupList(registry)));
    for (const g of registry.groups) {
      if (g.group !== '') this.legacyByPath.set(`/apis/${g.group}`, ServedDocument.of(apiGroup(registry, g.group)));
      for (const v of g.versions) {
        const list = apiResourceList(registry, g.group, v);
        if (list) this.legacyByPath.set(g.group ? `/apis/${apiVersionOf(g.group, v)}` : `/api/${v}`, ServedDocument.of(list));
      }
    }
  }

  /** The legacy (meta/v1) document at a path, if it is a discovery path. */
  legacy(path: string): ServedDocument | undefined {
    return this.legacyByPath.get(trimSlash(path));
  }

  /** The document to answer a GET of `path` with, given the request's Accept header. */
  lookup(path: string, accept: string | undefined): DiscoveryAnswer | undefined {
    const p = trimSlash(path);
    if ((p === '/api' || p === '/apis') && wantsAggregatedDiscovery(accept)) {
      return { document: p === '/api' ? this.aggregatedCore : this.aggregatedApis, contentType: AGGREGATED_DISCOVERY_CONTENT_TYPE };
    }
    const document = this.legacyByPath.get(p);
    return document && { document, contentType: 'application/json' };
  }

  /** Every legacy path served (for routing tables and tests). */
  legacyPaths(): string[] {
    return [...this.legacyByPath.keys()];
  }
}

export function buildDiscoveryDocuments(registry: Registry, options: DiscoveryOptions): DiscoveryDocuments {
  return new DiscoveryDocuments(registry, options);
}

function trimSlash(path: string): string {
  const q = path.indexOf('?');
  const p = q < 0 ? path : path.slice(0, q);
  return p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p;
}
