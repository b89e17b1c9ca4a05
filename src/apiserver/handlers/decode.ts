// Decoding a create/update body: media type → object, checked against the URL (kind,
// apiVersion, namespace, name) and the schema (fieldValidation), converted to the storage
// version and defaulted. Nothing here writes.
import type { KObject } from '../../api/strategies/types.js';
import { errors, StatusError } from '../../api/errors.js';
import { apiVersionOf } from '../../api/registry/registry.js';
import { decodeJson, decodeYaml } from '../../api/codec/json-decode.js';
import { checkAgainstSchema } from '../../api/codec/schema-check.js';
import { decodeProtobufBody } from '../../api/protobuf/index.js';
import { mediaType } from '../http/negotiate.js';
import { toInternal, type Scope, type WriteOptions } from './scope.js';

export interface Decoded {
  obj: KObject;
  duplicates: string[];
}

/** Parses a body by its content type into a JSON object (no checks beyond syntax). */
export function parseBody(scope: Scope, body: Buffer): Decoded {
  const type = mediaType(scope.req.headers['content-type']);
  if (body.length === 0) throw errors.badRequest('the body of the request was empty');
  let value: unknown;
  let duplicates: string[] = [];
  if (type === 'application/json' || type === '') {
    const d = decodeJson(body.toString('utf8'));
    value = d.value;
    duplicates = d.duplicates;
  } else if (type === 'application/yaml') {
    const d = decodeYaml(body.toString('utf8'));
    value = d.value;
    duplicates = d.duplicates;
  } else if (type === 'application/vnd.kubernetes.protobuf') {
    const d = decodeProtobufBody(body, scope.ctx.schema);
    value = { ...d.object, apiVersion: d.apiVersion, kind: d.kind };
  } else {
    throw errors.unsupportedMediaType(type);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw errors.badRequest(`the body of the request must be a JSON object of kind ${scope.resource.kind}`);
  }
  return { obj: value as KObject, duplicates };
}

/**
 * Full decoding of a main-resource body in the URL's version: kind and apiVersion checked
 * (defaulted when absent), schema check, conversion to storage, defaulting.
 */
export function decodeObject(scope: Scope, body: Buffer, opts: WriteOptions, expectKind = scope.resource.kind): KObject {
  const { obj, duplicates } = parseBody(scope, body);
  return checkDecoded(scope, obj, duplicates, opts, expectKind);
}

export function checkDecoded(scope: Scope, obj: KObject, duplicates: string[], opts: WriteOptions, expectKind = scope.resource.kind): KObject {
  const r = scope.resource;
  const want = apiVersionOf(r.group, r.version);
  if (obj.kind !== undefined && obj.kind !== '' && obj.kind !== expectKind) {
    throw errors.badRequest(`the kind of the object (${obj.kind}) does not match the expected kind (${expectKind}) for ${want}`);
  }
  if (obj.apiVersion !== undefined && obj.apiVersion !== '' && obj.apiVersion !== want) {
    throw errors.badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${want})`);
  }
  obj.apiVersion = want;
  obj.kind = expectKind;
  const typeName = scope.ctx.schema.typeNameFor({ group: r.group, version: r.version, kind: expectKind });
  if (typeName) {
    const { errors: errs, warnings } = checkAgainstSchema(obj, scope.ctx.schema, typeName, opts.fieldValidation, duplicates);
    if (errs.length) throw errors.invalid(r.group, expectKind, obj.metadata?.name ?? scope.info.name, errs);
    scope.warnings.push(...warnings);
  }
  if (obj.metadata !== undefined && (typeof obj.metadata !== 'object' || obj.metadata === null || Array.isArray(obj.metadata))) {
    throw errors.badRequest('metadata must be an object');
  }
  checkNamespaceAndName(scope, obj);
  if (expectKind !== r.kind) return obj;
  const internal = toInternal(scope, obj);
  scope.strategy.default?.(internal);
  return internal;
}

/** The namespace (and, for named requests, the name) in the body must agree with the URL. */
export function checkNamespaceAndName(scope: Scope, obj: KObject): void {
  const meta = obj.metadata;
  const ns = scope.info.namespace;
  if (scope.resource.namespaced && meta?.namespace && ns && meta.namespace !== ns) {
    throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  if (scope.info.name && meta?.name && meta.name !== scope.info.name && scope.info.verb !== 'create') {
    throw errors.badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${scope.info.name})`);
  }
}

/** Maps unexpected decode failures to a 400 so malformed input never surfaces as a 500. */
export function asBadRequest(e: unknown): never {
  if (e instanceof StatusError) throw e;
  throw errors.badRequest(`unable to decode the request body: ${(e as Error).message}`);
}
