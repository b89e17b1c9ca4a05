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
import { pathGroups, referencedTypes, type Operation, type PathItem, type Payload } from './operations.js';
import type { Param } from './parameters.js';
import { gvkObject, refTo, schemaSection, type JsonObject } from './schemas.js';

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
  const paths: JsonObject = {};
  for (const item of items) paths[item.path] = pathItem(item);
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: schema.version },
    paths,
    components: {
      schemas: schemaSection(schema, referencedTypes(items), 'v3', cache),
      securitySchemes: { BearerToken: { type: 'apiKey', name: 'authorization', in: 'header', description: 'Bearer token authentication' } },
    },
  };
}

function pathItem(item: PathItem): JsonObject {
  const out: JsonObject = {};
  for (const o of item.operations) out[o.method] = operation(o);
  if (item.params.length) out.parameters = item.params.map(parameter);
  return out;
}

function operation(o: Operation): JsonObject {
  const out: JsonObject = { operationId: o.operationId, tags: [o.tag] };
  if (o.params.length) out.parameters = o.params.map(parameter);
  if (o.body) {
    const content: JsonObject = {};
    for (const ct of o.body.consumes) content[ct] = { schema: payloadSchema(o.body.payload) };
    out.requestBody = o.body.required ? { content, required: true } : { content };
  }
  const responses: JsonObject = {};
  for (const r of o.responses) {
    const content: JsonObject = {};
    for (const ct of o.produces) content[ct] = { schema: payloadSchema(r.payload) };
    responses[r.code] = { description: DESCRIPTIONS[r.code], content };
  }
  responses['401'] = { description: 'Unauthorized' };
  out.responses = responses;
  if (o.action) out['x-kubernetes-action'] = o.action;
  if (o.gvk) out['x-kubernetes-group-version-kind'] = gvkObject(o.gvk);
  return out;
}

const DESCRIPTIONS = { '200': 'OK', '201': 'Created', '202': 'Accepted' } as const;

function parameter(p: Param): JsonObject {
  const out: JsonObject = { name: p.name, in: p.in };
  if (p.required) out.required = true;
  out.schema = { type: p.type, uniqueItems: true };
  return out;
}

function payloadSchema(p: Payload): JsonObject {
  return 'ref' in p ? { $ref: refTo(p.ref, 'v3') } : { type: 'string' };
}
