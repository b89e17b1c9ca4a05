// The Kubernetes protobuf envelope (application/vnd.kubernetes.protobuf): the 4-byte magic
// `k8s\0`, then a runtime.Unknown {typeMeta {apiVersion, kind}, raw, contentEncoding,
// contentType} whose raw is the object's own message. kubectl create/autoscale/auth can-i send
// their bodies this way.
import type { Schema } from '../schema/index.js';
import { DecodeError, transformDecodeError } from '../codec/decode-error.js';
import { decodeMessage, PROTOBUF_MAGIC } from './decode.js';
import { encodeMessage } from './encode.js';
import { ProtobufError, Reader, Writer } from './wire.js';

export { decodeMessage, PROTOBUF_MAGIC } from './decode.js';
export { encodeMessage } from './encode.js';
export { ProtobufError } from './wire.js';

export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';

export interface DecodedBody {
  apiVersion: string;
  kind: string;
  /** The object as JSON, apiVersion and kind first. */
  object: Record<string, unknown>;
}

export interface ProtobufDecodeOptions {
  /** The kind the endpoint decodes into: errors are worded as upstream's create handler does. */
  into?: string;
}


function groupVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

/** Decodes a protobuf request body; malformed or unknown kind → DecodeError (400 BadRequest). */
export function decodeProtobufBody(buf: Uint8Array, schema: Schema, opts: ProtobufDecodeOptions = {}): DecodedBody {
  const fail = (cause: string, gvk?: { version: string; kind: string }): DecodeError =>
    opts.into ? transformDecodeError(cause, { into: opts.into, gvk, body: buf }) : new DecodeError(cause, cause);
  if (buf.length === 0) throw fail('empty data');
  if (buf.length < 4 || !PROTOBUF_MAGIC.every((b, i) => buf[i] === b)) {
    throw fail(`provided data does not appear to be a protobuf message, expected prefix [${[...PROTOBUF_MAGIC].join(' ')}]`);
  }
  if (buf.length === 4) throw fail('empty body');

  let apiVersion = '';
  let kind = '';
  let raw: [number, number] = [0, 0];
  try {
    const r = new Reader(buf, 4, buf.length);
    while (r.pos < r.end) {
      const tag = r.varint();
      const n = Math.floor(tag / 8);
      const wire = tag & 7;
      if (n <= 0) throw new ProtobufError(`proto: Unknown: illegal tag ${n} (wire type ${tag})`);
      if (wire !== 2) {
        if (n <= 4) throw new ProtobufError(`proto: wrong wireType = ${wire} for field ${['', 'TypeMeta', 'Raw', 'ContentEncoding', 'ContentType'][n]}`);
        r.skip(wire, 'Unknown');
        continue;
      }
      const [s, e] = r.length();
      if (n === 1) {
        const tm = decodeMessage(schema, 'io.k8s.apimachinery.pkg.runtime.TypeMeta', buf, s, e);
        apiVersion = typeof tm.apiVersion === 'string' ? tm.apiVersion : '';
        kind = typeof tm.kind === 'string' ? tm.kind : '';
      } else if (n === 2) raw = [s, e];
    }
  } catch (e) {
    if (e instanceof ProtobufError) throw fail(e.message);
    throw e;
  }

  const typeMeta = `runtime.TypeMeta{APIVersion:${JSON.stringify(apiVersion)}, Kind:${JSON.stringify(kind)}}`;
  if (!kind) throw fail(`Object 'Kind' is missing in '${typeMeta}'`);
  const { group, version } = groupVersion(apiVersion);
  if (!version) throw fail(`Object 'apiVersion' is missing in '${typeMeta}'`);
  const gvk = { version, kind };
  const typeName = schema.typeNameFor({ group, version, kind });
  if (!typeName || !schema.types[typeName]?.proto) {
    throw fail(`no kind ${JSON.stringify(kind)} is registered for version ${JSON.stringify(apiVersion)} in scheme "pkg/api/legacyscheme/scheme.go:30"`, gvk);
  }
  let body: Record<string, unknown>;
  try {
    body = decodeMessage(schema, typeName, buf, raw[0], raw[1], { envelope: (b) => envelopeObject(b, schema) });
  } catch (e) {
    if (e instanceof ProtobufError) throw fail(e.message, gvk);
    if (e instanceof DecodeError) throw fail(e.goMessage, gvk);
    throw e;
  }
  delete body.apiVersion;
  delete body.kind;
  return { apiVersion, kind, object: { apiVersion, kind, ...body } };
}

/** A nested envelope (inside a RawExtension) as a JSON object. */
function envelopeObject(buf: Uint8Array, schema: Schema): Record<string, unknown> {
  return decodeProtobufBody(buf, schema).object;
}

/** Encodes an object (with apiVersion and kind) as a protobuf request body, as Go clients do. */
export function encodeProtobufBody(object: Record<string, unknown>, schema: Schema): Buffer {
  const apiVersion = String(object.apiVersion ?? '');
  const kind = String(object.kind ?? '');
  const typeName = schema.typeNameFor({ ...groupVersion(apiVersion), kind });
  if (!typeName || !schema.types[typeName]?.proto) throw new ProtobufError(`no protobuf message is known for ${apiVersion}, Kind=${kind}`);
  const raw = encodeMessage(schema, typeName, object, { envelope: (o) => encodeProtobufBody(o, schema) });
  const typeMeta = encodeMessage(schema, 'io.k8s.apimachinery.pkg.runtime.TypeMeta', { apiVersion, kind });
  const w = new Writer();
  for (const b of PROTOBUF_MAGIC) w.byte(b);
  w.tag(1, 2);
  w.bytes(typeMeta);
  w.tag(2, 2);
  w.bytes(raw);
  w.tag(3, 2);
  w.string('');
  w.tag(4, 2);
  w.string('');
  return Buffer.from(w.finish());
}
