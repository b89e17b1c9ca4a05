// Query parameters decoded into option fields as upstream's url.Values conversions do
// (runtime.Convert_Slice_string_To_*): the first value counts; a boolean is false only for "0"
// and "false" (any case); integers are parsed strictly.
import { errors } from '../../api/errors.js';

export function queryBool(query: URLSearchParams, name: string): boolean {
  const v = query.get(name);
  if (v === null) return false;
  return !(v === '0' || v.toLowerCase() === 'false');
}

/** An int64 parameter, undefined when absent; 400 with Go's strconv text when malformed. */
export function queryInt(query: URLSearchParams, name: string): number | undefined {
  const v = query.get(name);
  if (v === null) return undefined;
  if (!/^[+-]?\d+$/.test(v)) throw errors.badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw errors.badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: value out of range`);
  return n;
}
