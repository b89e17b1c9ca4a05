// Decoding failures as upstream's apiserver reports them: always 400 BadRequest, with the Go
// decoder's text (`invalid character '}' looking for beginning of object key string`) wrapped
// the way the create/update handlers wrap it (transformDecodeError in
// k8s.io/apiserver/pkg/endpoints/handlers/rest.go).
import { StatusError } from '../errors.js';

/** A 400 whose `goMessage` is the decoder's own message, without the handler's wrapping. */
export class DecodeError extends StatusError {
  constructor(
    message: string,
    /** The Go decoder's error text. */
    readonly goMessage: string,
    /** Byte/char offset of a syntax error, when known. */
    readonly offset?: number,
  ) {
    super(400, 'BadRequest', message);
  }
}

/** upstream's summarizeData: the body start for a message (hex unless it looks like JSON). */
export function summarizeData(body: string | Uint8Array, maxLength = 30): string {
  if (body.length === 0) return '<empty>';
  const bytes = typeof body === 'string' ? Buffer.from(body.slice(0, maxLength * 4), 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (bytes[0] === 0x7b /* { */) {
    const more = bytes.length > maxLength || (typeof body === 'string' && Buffer.byteLength(body) > maxLength);
    return more ? bytes.subarray(0, maxLength).toString('latin1') + ' ...' : bytes.toString('latin1');
  }
  const total = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  const hex = bytes.subarray(0, maxLength).toString('hex');
  return total > maxLength ? `${hex} ...` : hex;
}

export interface DecodeContext {
  /** The kind the endpoint decodes into (`Pod`). */
  into: string;
  /** The group/version/kind read from the body, when it was read before the failure. */
  gvk?: { version: string; kind: string };
  /** The request body, for the summary upstream appends when no kind was read. */
  body?: string | Uint8Array;
}

/** upstream's transformDecodeError: the 400 a create/update answers for an undecodable body. */
export function transformDecodeError(cause: string, ctx: DecodeContext, offset?: number): DecodeError {
  if (ctx.gvk && ctx.gvk.kind) {
    return new DecodeError(`${ctx.gvk.kind} in version ${JSON.stringify(ctx.gvk.version)} cannot be handled as a ${ctx.into}: ${cause}`, cause, offset);
  }
  return new DecodeError(`the object provided is unrecognized (must be of type ${ctx.into}): ${cause} (${summarizeData(ctx.body ?? '')})`, cause, offset);
}

/** `strict decoding error: unknown field "spec.foo", duplicate field "x"` (runtime.strictDecodingError). */
export function strictDecodingMessage(errs: readonly string[]): string {
  return `strict decoding error: ${errs.join(', ')}`;
}

/** runtime.NewMissingKindErr: `Object 'Kind' is missing in '<body>'`. */
export function missingKindError(body: string): DecodeError {
  const cause = `Object 'Kind' is missing in '${body}'`;
  return new DecodeError(cause, cause);
}

/** runtime.NewMissingVersionErr: `Object 'apiVersion' is missing in '<body>'`. */
export function missingVersionError(body: string): DecodeError {
  const cause = `Object 'apiVersion' is missing in '${body}'`;
  return new DecodeError(cause, cause);
}
