// OpenAPI v2 (Swagger 2.0): one document with every operation and definition, served at
// `/openapi/v2` as JSON. kubectl falls back to it when `/openapi/v3` is missing (kubectl asks
// for the protobuf form there; JSON serves @kubernetes/client-node and other tools).
import { ServedDocument } from '../discovery/served.js';
import type { Registry } from '../registry/index.js';
import type { Schema } from '../schema/index.js';
import { pathGroups, referencedTypes, type Operation, type PathItem, type Payload } from './operations.js';
import type { Param } from './parameters.js';
import { gvkObject, refTo, schemaSection, type JsonObject } from './schemas.js';

/** The Swagger 2.0 document as a plain object (serialize it once; see servedOpenApiV2). */
export function buildOpenApiV2(schema: Schema, registry: Registry): JsonObject {
  const items: PathItem[] = pathGroups(registry).flatMap((g) => g.items);
  items.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const paths: JsonObject = {};
  for (const item of items) paths[item.path] = pathItem(item);
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: schema.version },
    paths,
    definitions: schemaSection(schema, referencedTypes(items), 'v2'),
    securityDefinitions: { BearerToken: { type: 'apiKey', name: 'authorization', in: 'header', description: 'Bearer token authentication' } },
    security: [{ BearerToken: [] }],
  };
}

/** The Swagger 2.0 document, serialized once with its hash and ETag. */
export function servedOpenApiV2(schema: Schema, registry: Registry): ServedDocument {
  return ServedDocument.of(buildOpenApiV2(schema, registry));
}

function pathItem(item: PathItem): JsonObject {
  const out: JsonObject = {};
  for (const o of item.operations) out[o.method] = operation(o);
  if (item.params.length) out.parameters = item.params.map(parameter);
  return out;
}

function operation(o: Operation): JsonObject {
  const params: JsonObject[] = [];
  if (o.body) {
    const body: JsonObject = { name: 'body', in: 'body', schema: payloadSchema(o.body.payload) };
    if (o.body.required) body.required = true;
    params.push(body);
  }
  params.push(...o.params.map(parameter));
  const out: JsonObject = {
    operationId: o.operationId,
    tags: [o.tag],
    consumes: o.body?.consumes ?? ['*/*'],
    produces: o.produces,
    schemes: ['https'],
  };
  if (params.length) out.parameters = params;
  const responses: JsonObject = {};
  for (const r of o.responses) responses[r.code] = { description: DESCRIPTIONS[r.code], schema: payloadSchema(r.payload) };
  responses['401'] = { description: 'Unauthorized' };
  out.responses = responses;
  if (o.action) out['x-kubernetes-action'] = o.action;
  if (o.gvk) out['x-kubernetes-group-version-kind'] = gvkObject(o.gvk);
  return out;
}

const DESCRIPTIONS = { '200': 'OK', '201': 'Created', '202': 'Accepted' } as const;

function parameter(p: Param): JsonObject {
  const out: JsonObject = { name: p.name, in: p.in, type: p.type, uniqueItems: true };
  if (p.required) out.required = true;
  return out;
}

function payloadSchema(p: Payload): JsonObject {
  return 'ref' in p ? { $ref: refTo(p.ref, 'v2') } : { type: 'string' };
}
