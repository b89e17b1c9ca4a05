// OpenAPI v3, as kube-apiserver serves it: `GET /openapi/v3` lists one document per path
// (`api/v1`, `apis/apps/v1`, `apis/apps`, `api`, `apis`, `version`) with a
// `serverRelativeURL` that names the document's hash; `GET /openapi/v3/<path>` answers an
// OpenAPI 3.0 document with that path's operations and every schema they reach. kubectl
// explain and apply read these. Built once at start; serve the ready JSON.
//
// Serving, as upstream does: answer with `ETag: "<hash>"`; when the request's `?hash=` equals
// the document's hash add `Cache-Control: public, immutable` (and a far Expires), when it
// names an older hash redirect (301) to the current serverRelativeURL.
import { ServedDocument } from '../discovery/served.js';
import type { Registry } from '../registry/index.js';
import type { Schema } from '../schema/index.js';
import { pathGroups, referencedTypes, type PathItem } from './operations.js';
import type { Param } from './parameters.js';
import { bearerToken, info, payloadSchema, renderPaths, type Dialect } from './render.js';
import { schemaSection, type JsonObject } from './schemas.js';

export interface OpenApiV3Discovery {
  paths: Record<string, { serverRelativeURL: string }>;
}

export interface OpenApiV3Documents {
  /** The `/openapi/v3` answer. */
  root: OpenApiV3Discovery;
  /** `root`, serialized. */
  rootDocument: ServedDocument;
  /** Documents by path without the `/openapi/v3/` prefix: `api/v1`, `apis/apps/v1`, `apis/apps`, … */
  documents: Map<string, ServedDocument>;
}

export function buildOpenApiV3(schema: Schema, registry: Registry): OpenApiV3Documents {
  const documents = new Map<string, ServedDocument>();
  const root: OpenApiV3Discovery = { paths: {} };
  const cache = new Map<string, JsonObject>();
  for (const group of pathGroups(registry).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    const doc = ServedDocument.of(openApiV3Document(schema, group.items, cache));
    documents.set(group.key, doc);
    root.paths[group.key] = { serverRelativeURL: `/openapi/v3/${group.key}?hash=${doc.hash}` };
  }
  return { root, rootDocument: ServedDocument.of(root), documents };
}

/** One OpenAPI 3.0 document over the given paths. */
export function openApiV3Document(schema: Schema, items: PathItem[], cache?: Map<string, JsonObject>): JsonObject {
  return {
    openapi: '3.0.0',
    info: info(schema),
    paths: renderPaths(items, OPENAPI3),
    components: {
      schemas: schemaSection(schema, referencedTypes(items), 'v3', cache),
      securitySchemes: { BearerToken: bearerToken() },
    },
  };
}

const OPENAPI3: Dialect = {
  operation(o) {
    const out: JsonObject = {};
    if (o.params.length) out.parameters = o.params.map(parameter);
    if (o.body) {
      const content: JsonObject = {};
      for (const ct of o.body.consumes) content[ct] = { schema: payloadSchema(o.body.payload, 'v3') };
      out.requestBody = o.body.required ? { content, required: true } : { content };
    }
    return out;
  },
  response(o, payload) {
    const content: JsonObject = {};
    for (const ct of o.produces) content[ct] = { schema: payloadSchema(payload, 'v3') };
    return { content };
  },
  parameter,
};

function parameter(p: Param): JsonObject {
  const out: JsonObject = { name: p.name, in: p.in };
  if (p.required) out.required = true;
  out.schema = { type: p.type, uniqueItems: true };
  return out;
}
