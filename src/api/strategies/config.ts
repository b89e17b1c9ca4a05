// ConfigMaps, Secrets and ServiceAccounts: valid keys, the 1 MiB size limit, Secret type rules
// (and stringData folded into data, as upstream's conversion does), and `immutable: true`.
import type { FieldError } from '../errors.js';
import { field } from '../errors.js';
import { isObj, keysOf, semanticEqual, validateImmutableField, type Obj } from '../validation/field.js';
import { isConfigMapKey } from '../validation/names.js';
import { makeStrategy } from './strategy.js';
import type { KObject, Strategy } from './types.js';

export const MAX_SECRET_SIZE = 1024 * 1024;
const IMMUTABLE_MSG = 'field is immutable when `immutable` is set';

function decodedLength(b64: unknown): number {
  if (typeof b64 !== 'string') return 0;
  return Buffer.from(b64, 'base64').length;
}

/** The error encoding/json reports for a document that is not a JSON object. */
function goJSONObjectError(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return 'unexpected end of JSON input';
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    const c = trimmed[0]!;
    return /[{["0-9tfn-]/.test(c) ? 'unexpected end of JSON input' : `invalid character '${c}' looking for beginning of value`;
  }
  if (isObj(v) || v === null) return undefined;
  const kind = Array.isArray(v) ? 'array' : typeof v === 'string' ? 'string' : typeof v === 'number' ? 'number' : 'bool';
  return `json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`;
}

function validateSecretData(obj: KObject): FieldError[] {
  const data: Obj = isObj(obj.data) ? obj.data : {};
  const errs: FieldError[] = [];
  let total = 0;
  for (const key of keysOf(data)) {
    errs.push(...isConfigMapKey(key).map((m) => field.invalid(`data[${key}]`, key, m)));
    total += decodedLength(data[key]);
  }
  if (total > MAX_SECRET_SIZE) errs.push(field.tooLong('data', MAX_SECRET_SIZE));
  const requireJSON = (key: string) => {
    if (!(key in data)) return void errs.push(field.required(`data[${key}]`));
    const msg = goJSONObjectError(Buffer.from(String(data[key]), 'base64').toString('utf8'));
    if (msg) errs.push(field.invalid(`data[${key}]`, '<secret contents redacted>', msg));
  };
  switch (obj.type) {
    case 'kubernetes.io/service-account-token':
      if (!obj.metadata?.annotations?.['kubernetes.io/service-account.name']) {
        errs.push(field.required('metadata.annotations[kubernetes.io/service-account.name]'));
      }
      break;
    case 'kubernetes.io/dockercfg':
      requireJSON('.dockercfg');
      break;
    case 'kubernetes.io/dockerconfigjson':
      requireJSON('.dockerconfigjson');
      break;
    case 'kubernetes.io/basic-auth':
      if (!('username' in data) && !('password' in data)) errs.push(field.required('data[username]'), field.required('data[password]'));
      break;
    case 'kubernetes.io/ssh-auth':
      if (decodedLength(data['ssh-privatekey']) === 0) errs.push(field.required('data[ssh-privatekey]'));
      break;
    case 'kubernetes.io/tls':
      if (!('tls.crt' in data)) errs.push(field.required('data[tls.crt]'));
      if (!('tls.key' in data)) errs.push(field.required('data[tls.key]'));
      break;
  }
  return errs;
}

function immutableContents(obj: KObject, old: KObject, keys: string[]): FieldError[] {
  if (old.immutable !== true) return [];
  const errs: FieldError[] = [];
  if (obj.immutable !== true) errs.push(field.forbidden('immutable', IMMUTABLE_MSG));
  for (const k of keys) if (!semanticEqual(obj[k] ?? {}, old[k] ?? {})) errs.push(field.forbidden(k, IMMUTABLE_MSG));
  return errs;
}

/** Secret defaults: type Opaque, and stringData merged into data (base64) then dropped. */
export function defaultSecret(obj: KObject): void {
  if (!obj.type) obj.type = 'Opaque';
  if (isObj(obj.stringData)) {
    const data: Obj = isObj(obj.data) ? obj.data : {};
    for (const [k, v] of Object.entries(obj.stringData)) data[k] = Buffer.from(String(v ?? ''), 'utf8').toString('base64');
    obj.data = data;
  }
  delete obj.stringData;
}

export const secretStrategy: Strategy = makeStrategy({
  namespaced: true,
  default: defaultSecret,
  validateSpec: validateSecretData,
  revalidateOnUpdate: false,
  validateSpecUpdate: (obj, old) => [
    ...validateImmutableField(obj.type, old.type, 'type'),
    ...immutableContents(obj, old, ['data']),
    ...validateSecretData(obj),
  ],
});

function validateConfigMapData(obj: KObject): FieldError[] {
  const data: Obj = isObj(obj.data) ? obj.data : {};
  const binary: Obj = isObj(obj.binaryData) ? obj.binaryData : {};
  const errs: FieldError[] = [];
  let total = 0;
  for (const key of keysOf(data)) {
    errs.push(...isConfigMapKey(key).map((m) => field.invalid(`data[${key}]`, key, m)));
    if (key in binary) errs.push(field.invalid(`data[${key}]`, key, 'duplicate of key present in binaryData'));
    total += Buffer.byteLength(String(data[key] ?? ''), 'utf8');
  }
  for (const key of keysOf(binary)) {
    errs.push(...isConfigMapKey(key).map((m) => field.invalid(`binaryData[${key}]`, key, m)));
    total += decodedLength(binary[key]);
  }
  if (total > MAX_SECRET_SIZE) errs.push(field.tooLong('', MAX_SECRET_SIZE));
  return errs;
}

export const configMapStrategy: Strategy = makeStrategy({
  namespaced: true,
  validateSpec: validateConfigMapData,
  revalidateOnUpdate: false,
  validateSpecUpdate: (obj, old) => [...immutableContents(obj, old, ['data', 'binaryData']), ...validateConfigMapData(obj)],
});

export const serviceAccountStrategy: Strategy = makeStrategy({ namespaced: true });
