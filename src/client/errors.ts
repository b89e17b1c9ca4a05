// Errors the client throws. ApiError carries the metav1.Status the apiserver answered (or one
// synthesized from the HTTP status when the body was not a Status, as client-go's
// newUnstructuredResponseError does); predicates mirror k8s.io/apimachinery/pkg/api/errors.
import type { Status, StatusDetails } from '../api/errors.js';

export type { Status, StatusDetails };

export class ApiError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly details?: StatusDetails;

  constructor(readonly status: Status) {
    super(status.message || `the server responded with ${status.code} ${status.reason ?? ''}`.trim());
    this.name = 'ApiError';
    this.code = status.code;
    this.reason = status.reason ?? reasonForCode(status.code);
    this.details = status.details;
  }

  /** An ApiError from a response; `body` is used when it is a Status, else summarized. */
  static fromResponse(code: number, body: Buffer | string, retryAfter?: string): ApiError {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    try {
      const s = JSON.parse(text) as Partial<Status>;
      if (s && s.kind === 'Status' && typeof s.code === 'number') return new ApiError(s as Status);
    } catch {
      // not JSON: fall through
    }
    const reason = reasonForCode(code);
    const details: StatusDetails = { causes: [{ reason: 'UnexpectedServerResponse', message: text.slice(0, 1024) }] };
    if (retryAfter && /^\d+$/.test(retryAfter)) details.retryAfterSeconds = Number(retryAfter);
    return new ApiError({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      code,
      reason,
      message: messageForCode(code, text),
      details,
    });
  }

  /** An ApiError from a watch ERROR event's object. */
  static fromWatchStatus(obj: unknown): ApiError {
    const s = (obj ?? {}) as Partial<Status>;
    const code = typeof s.code === 'number' ? s.code : 500;
    return new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code, reason: s.reason ?? reasonForCode(code), message: s.message ?? 'watch error', details: s.details });
  }
}

function reasonForCode(code: number): string {
  switch (code) {
    case 400: return 'BadRequest';
    case 401: return 'Unauthorized';
    case 403: return 'Forbidden';
    case 404: return 'NotFound';
    case 405: return 'MethodNotAllowed';
    case 406: return 'NotAcceptable';
    case 409: return 'Conflict';
    case 410: return 'Gone';
    case 413: return 'RequestEntityTooLarge';
    case 415: return 'UnsupportedMediaType';
    case 422: return 'Invalid';
    case 429: return 'TooManyRequests';
    case 500: return 'InternalError';
    case 503: return 'ServiceUnavailable';
    case 504: return 'Timeout';
    default: return code >= 500 ? 'InternalError' : 'Unknown';
  }
}

function messageForCode(code: number, body: string): string {
  const what =
    code === 404 ? 'the server could not find the requested resource'
    : code === 401 ? 'the server has asked for the client to provide credentials'
    : code === 403 ? 'the server does not allow access to the requested resource'
    : code === 429 ? 'the server has received too many requests and has asked us to try again later'
    : code === 409 ? 'the server reported a conflict'
    : code >= 500 ? 'an error on the server has prevented the request from succeeding'
    : `the server responded with the status code ${code} but did not return more information`;
  return body.trim() ? `${what} (${body.trim().slice(0, 200)})` : what;
}

const reasonIs = (err: unknown, reason: string, code: number): boolean =>
  err instanceof ApiError && (err.reason === reason || (err.reason === 'Unknown' && err.code === code));

export const isNotFound = (err: unknown): boolean => reasonIs(err, 'NotFound', 404);
export const isAlreadyExists = (err: unknown): boolean => err instanceof ApiError && err.reason === 'AlreadyExists';
export const isConflict = (err: unknown): boolean => err instanceof ApiError && err.code === 409 && err.reason !== 'AlreadyExists';
/** 410: `Gone`, or `Expired` (a resourceVersion too old to list or watch from). */
export const isGone = (err: unknown): boolean => err instanceof ApiError && (err.code === 410 || err.reason === 'Expired' || err.reason === 'Gone');
export const isResourceExpired = (err: unknown): boolean => err instanceof ApiError && err.reason === 'Expired';
export const isTooManyRequests = (err: unknown): boolean => reasonIs(err, 'TooManyRequests', 429);
export const isInvalid = (err: unknown): boolean => reasonIs(err, 'Invalid', 422);
export const isForbidden = (err: unknown): boolean => reasonIs(err, 'Forbidden', 403);
export const isUnauthorized = (err: unknown): boolean => reasonIs(err, 'Unauthorized', 401);
export const isBadRequest = (err: unknown): boolean => reasonIs(err, 'BadRequest', 400);
export const isServerTimeout = (err: unknown): boolean => err instanceof ApiError && err.reason === 'ServerTimeout';
export const isTimeout = (err: unknown): boolean => reasonIs(err, 'Timeout', 504);
export const isInternalError = (err: unknown): boolean => err instanceof ApiError && err.reason === 'InternalError';
export const isMethodNotSupported = (err: unknown): boolean => reasonIs(err, 'MethodNotAllowed', 405);

/** True when the Status has a cause of this type (e.g. `NamespaceTerminating`). */
export function hasStatusCause(err: unknown, type: string): boolean {
  return err instanceof ApiError && (err.details?.causes ?? []).some((c) => c.reason === type);
}

/** Seconds the server asked us to wait (Retry-After), if any. */
export function suggestsClientDelay(err: unknown): number | undefined {
  if (!(err instanceof ApiError)) return undefined;
  const s = err.details?.retryAfterSeconds;
  if (s === undefined) return undefined;
  if (err.code === 429 || err.code >= 500 || err.reason === 'ServerTimeout') return s;
  return undefined;
}
