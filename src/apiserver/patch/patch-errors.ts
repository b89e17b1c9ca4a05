// The Status errors the patch engines answer with, shaped as kube-apiserver's patch handler
// shapes them (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go).
import { StatusError, errors } from '../../api/errors.js';

export const PATCH_TYPES = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
} as const;

export type PatchType = (typeof PATCH_TYPES)[keyof typeof PATCH_TYPES];

/** 400 BadRequest with the message as given. */
export function badRequest(message: string): StatusError {
  return errors.badRequest(message);
}

/**
 * Upstream turns a JSON patch that fails to apply into a generic 422 whose message drops the
 * cause ("the server rejected our request due to an error in our request"). We answer the same,
 * keeping the cause on `Error.cause` for server logs only.
 */
export function rejected(cause: string): StatusError {
  const err = new StatusError(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
  err.cause = new Error(cause);
  return err;
}

/** A plain Go error reaching the handler: 500 with reason StatusReasonUnknown (""). */
export function unknownError(message: string): StatusError {
  return new StatusError(500, '', message);
}

/** 415 listing the patch types the resource accepts, in upstream's order. */
export function unsupportedPatchType(accepted: readonly string[]): StatusError {
  return new StatusError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
  );
}

/** Thrown by the strategic merge engine; mapped to a StatusError at the engine's edge. */
export class MergeError extends Error {
  constructor(
    message: string,
    readonly code: 400 | 422 = 400,
  ) {
    super(message);
  }

  toStatusError(): StatusError {
    return this.code === 422 ? rejected(this.message) : badRequest(this.message);
  }
}
