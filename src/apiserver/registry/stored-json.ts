// Stored objects are JSON text whose first keys are apiVersion, kind and metadata. The
// resourceVersion is not stored (it is the revision), and this layout lets it be spliced into
// the text without parsing: the watch cache and write responses serve the spliced text, and
// parse it only when someone needs the object.
import type { KObject } from '../../api/strategies/types.js';

const HEAD = /^\{(?:"apiVersion":"[^"\\]*",)?(?:"kind":"[^"\\]*",)?"metadata":\{/;

/** Serializes an object for the store: apiVersion, kind, metadata (without resourceVersion) first. */
export function encodeStored(obj: KObject): string {
  const { apiVersion, kind, metadata, ...rest } = obj;
  let meta = metadata;
  if (meta && 'resourceVersion' in meta) {
    const { resourceVersion: _rv, ...m } = meta;
    meta = m;
  }
  return JSON.stringify({ apiVersion, kind, metadata: meta ?? {}, ...rest });
}

/** The stored text with metadata.resourceVersion set to rv. */
export function withResourceVersion(value: string, rv: number): string {
  const m = HEAD.exec(value);
  if (!m) {
    // Written by something else (another layout): parse and re-serialize.
    const obj = JSON.parse(value);
    (obj.metadata ??= {}).resourceVersion = String(rv);
    return JSON.stringify(obj);
  }
  const at = m[0].length;
  const field = `"resourceVersion":"${rv}"`;
  return value.slice(0, at) + (value[at] === '}' ? field : `${field},`) + value.slice(at);
}

const texts = new WeakMap<object, string>();

/** Remembers the JSON text of an object just written, so its response need not serialize again. */
export function rememberJson(obj: KObject, json: string): void {
  texts.set(obj, json);
}

/** The JSON text remembered for an object, if it has not changed since. */
export function rememberedJson(obj: KObject): string | undefined {
  return texts.get(obj);
}
