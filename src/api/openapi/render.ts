// What the Swagger 2.0 document (v2.ts) and the OpenAPI 3.0 documents (v3.ts) render alike: the
// paths object, each operation's id, tag, responses (with upstream's descriptions and the 401 every
// operation may answer) and x-kubernetes extensions, payload schemas and the bearer-token security
// scheme. A Dialect supplies what the two versions spell differently: parameters, request bodies
// and media types.
import type { Schema } from '../schema/index.js';
import type { Operation, PathItem, Payload } from './operations.js';
import type { Param } from './parameters.js';
import { gvkObject, refTo, type Flavor, type JsonObject } from './schemas.js';

export interface Dialect {
  /** An operation's own fields, between its tags and its responses. */
  operation(o: Operation): JsonObject;
  /** A response's fields besides its description. */
  response(o: Operation, payload: Payload): JsonObject;
  parameter(p: Param): JsonObject;
}

/** The `info` of a document. */
export function info(schema: Schema): JsonObject {
  return { title: 'Kubernetes', version: schema.version };
}

/** The `BearerToken` security scheme. */
export function bearerToken(): JsonObject {
  return { type: 'apiKey', name: 'authorization', in: 'header', description: 'Bearer token authentication' };
}

/** The `paths` object over the given path items. */
export function renderPaths(items: readonly PathItem[], d: Dialect): JsonObject {
  const paths: JsonObject = {};
  for (const item of items) {
    const out: JsonObject = {};
    for (const o of item.operations) out[o.method] = operation(o, d);
    if (item.params.length) out.parameters = item.params.map((p) => d.parameter(p));
    paths[item.path] = out;
  }
  return paths;
}

const DESCRIPTIONS = { '200': 'OK', '201': 'Created', '202': 'Accepted' } as const;

function operation(o: Operation, d: Dialect): JsonObject {
  const out: JsonObject = { operationId: o.operationId, tags: [o.tag], ...d.operation(o) };
  const responses: JsonObject = {};
  for (const r of o.responses) responses[r.code] = { description: DESCRIPTIONS[r.code], ...d.response(o, r.payload) };
  responses['401'] = { description: 'Unauthorized' };
  out.responses = responses;
  if (o.action) out['x-kubernetes-action'] = o.action;
  if (o.gvk) out['x-kubernetes-group-version-kind'] = gvkObject(o.gvk);
  return out;
}

/** A request or response body's schema: a reference to its type, or a plain string. */
export function payloadSchema(p: Payload, flavor: Flavor): JsonObject {
  return 'ref' in p ? { $ref: refTo(p.ref, flavor) } : { type: 'string' };
}
