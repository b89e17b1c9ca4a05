// Request bodies as JSON: the parsed value plus every duplicate field (JSON.parse silently keeps
// the last one; upstream reports `duplicate field "x"` under fieldValidation Strict/Warn).
//
// Fast path: JSON.parse, then one cheap scan counting the keys in the text (every string followed
// by `:`) against the keys in the result; equal counts mean no duplicates. Only a malformed body
// or one with duplicates goes through the slower scanner, which also gives Go's error text.
import { transformDecodeError, DecodeError } from './decode-error.js';
import { makeDuplicates } from './duplicates.js';
import { JsonSyntaxError, scanJson } from './json-scan.js';

export { decodeYaml } from './yaml-decode.js';

export interface DecodeResult {
  value: unknown;
  /** Duplicate fields as sigs.k8s.io/json names them: `metadata.name`, `spec.containers[0].name`. */
  duplicates: string[];
  /**
   * YAML only, when there are duplicates: go-yaml's strict error, the text upstream reports
   * (`yaml: unmarshal errors:\n  line 3: key "a" already set in map`).
   */
  yamlError?: string;
}

export interface DecodeOptions {
  /**
   * The kind the endpoint decodes into. When set, a syntax error reads as upstream's create and
   * update handlers word it: `the object provided is unrecognized (must be of type Pod):
   * couldn't get version/kind; json parse error: … ({"apiVersion":…)`.
   */
  into?: string;
}

/** Parses a JSON body; malformed → DecodeError (400 BadRequest) with Go's message. */
export function decodeJson(text: string, opts: DecodeOptions = {}): DecodeResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return slowPath(text, opts);
  }
  if (typeof value !== 'object' || value === null) return { value, duplicates: [] };
  if (countKeysInText(text) === countKeys(value)) return { value, duplicates: [] };
  return slowPath(text, opts);
}

function slowPath(text: string, opts: DecodeOptions): DecodeResult {
  try {
    const { value, duplicates } = scanJson(text);
    return { value, duplicates: makeDuplicates(duplicates) };
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    const cause = `couldn't get version/kind; json parse error: ${e.message}`;
    if (opts.into) throw transformDecodeError(cause, { into: opts.into, body: text }, e.offset);
    throw new DecodeError(cause, e.message, e.offset);
  }
}

/**
 * Number of object keys in valid JSON text: strings followed (after whitespace) by a colon.
 * Strings are skipped with indexOf; only escaped quotes need a closer look.
 */
export function countKeysInText(s: string): number {
  let n = 0;
  let i = 0;
  for (;;) {
    const q = s.indexOf('"', i);
    if (q < 0) return n;
    let e = s.indexOf('"', q + 1);
    while (s.charCodeAt(e - 1) === 92) {
      let k = e - 1;
      while (s.charCodeAt(k) === 92) k--;
      if ((e - 1 - k) % 2 === 0) break;
      e = s.indexOf('"', e + 1);
    }
    let j = e + 1;
    let c = s.charCodeAt(j);
    while (c === 32 || c === 10 || c === 13 || c === 9) c = s.charCodeAt(++j);
    if (c === 58) n++;
    i = j;
  }
}

/** Number of object keys in a parsed value, at every depth. */
export function countKeys(v: unknown): number {
  if (Array.isArray(v)) {
    let n = 0;
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (typeof x === 'object' && x !== null) n += countKeys(x);
    }
    return n;
  }
  let n = 0;
  const o = v as Record<string, unknown>;
  for (const k in o) {
    n++;
    const x = o[k];
    if (typeof x === 'object' && x !== null) n += countKeys(x);
  }
  return n;
}
