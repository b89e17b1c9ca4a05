// OpenAPI v2 (Swagger 2.0): one document with every operation and definition, served at
// `/openapi/v2` as JSON. kubectl falls back to it when `/openapi/v3` is missing (kubectl asks
// for the protobuf form there; JSON serves @kubernetes/client-node and other tools).
import { ServedDocument } from '../discovery/served.js';
import type { Registry } from '../registry/index.js';
import type { Schema } from '../schema/index.js';
import { pathGroups, referencedTypes, type PathItem } from './operations.js';
import type { Param } from './parameters.js';
import { bearerToken, info, payloadSchema, renderPaths, type Dialect } from './render.js';
import { schemaSection, type JsonObject } from './schemas.js';

/** The Swagger 2.0 document as a plain object (serialize it once; see servedOpenApiV2). */
export function buildOpenApiV2(schema: Schema, registry: Registry): JsonObject {
  const items: PathItem[] = pathGroups(registry).flatMap((g) => g.items);
  items.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    swagger: '2.0',
    info: info(schema),
    paths: renderPaths(items, SWAGGER),
    definitions: schemaSection(schema, referencedTypes(items), 'v2'),
    securityDefinitions: { BearerToken: bearerToken() },
    security: [{ BearerToken: [] }],
  };
}

/** The Swagger 2.0 document, serialized once with its hash and ETag. */
export function servedOpenApiV2(schema: Schema, registry: Registry): ServedDocument {
  return ServedDocument.of(buildOpenApiV2(schema, registry));
}

const SWAGGER: Dialect = {
  operation(o) {
    const params: JsonObject[] = [];
    if (o.body) {
      const body: JsonObject = { name: 'body', in: 'body', schema: payloadSchema(o.body.payload, 'v2') };
      if (o.body.required) body.required = true;
      params.push(body);
    }
    params.push(...o.params.map(parameter));
    const out: JsonObject = { consumes: o.body?.consumes ?? ['*/*'], produces: o.produces, schemes: ['https'] };
    if (params.length) out.parameters = params;
    return out;
  },
  response: (_o, payload) => ({ schema: payloadSchema(payload, 'v2') }),
  parameter,
};

function parameter(p: Param): JsonObject {
  const out: JsonObject = { name: p.name, in: p.in, type: p.type, uniqueItems: true };
  if (p.required) out.required = true;
  return out;
}
