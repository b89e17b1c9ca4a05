// Kubernetes API errors as values: StatusError carries the metav1.Status the apiserver answers,
// and FieldError is one validation cause (field path + reason), formatted as upstream's
// field.Error so kubectl prints `* spec.x: Required value` exactly as it does against upstream.

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

export class StatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
  }

  toStatus(): Status {
    const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason, code: this.code };
    if (this.details) s.details = this.details;
    return s;
  }
}

/** `pods` / `deployments.apps` as upstream names a group-resource in messages. */
export function qualifiedResource(group: string, resource: string): string {
  return group ? `${resource}.${group}` : resource;
}

export const errors = {
  notFound(group: string, resource: string, name: string): StatusError {
    return new StatusError(404, 'NotFound', `${qualifiedResource(group, resource)} "${name}" not found`, { name, group, kind: resource });
  },
  alreadyExists(group: string, resource: string, name: string): StatusError {
    return new StatusError(409, 'AlreadyExists', `${qualifiedResource(group, resource)} "${name}" already exists`, { name, group, kind: resource });
  },
  conflict(group: string, resource: string, name: string, why: string): StatusError {
    return new StatusError(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(group, resource)} "${name}": ${why}`, { name, group, kind: resource });
  },
  badRequest(message: string): StatusError {
    return new StatusError(400, 'BadRequest', message);
  },
  methodNotSupported(group: string, resource: string, action: string): StatusError {
    return new StatusError(405, 'MethodNotAllowed', `${action} is not supported on resources of kind "${qualifiedResource(group, resource)}"`, { group, kind: resource });
  },
  notAcceptable(message: string): StatusError {
    return new StatusError(406, 'NotAcceptable', message);
  },
  unsupportedMediaType(contentType: string): StatusError {
    return new StatusError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf (got ${contentType || 'none'})`);
  },
  tooLarge(message = 'the request is too large'): StatusError {
    return new StatusError(413, 'RequestEntityTooLarge', message);
  },
  gone(message: string): StatusError {
    return new StatusError(410, 'Expired', message);
  },
  tooManyRequests(message: string, retryAfterSeconds: number): StatusError {
    return new StatusError(429, 'TooManyRequests', message, { retryAfterSeconds });
  },
  unauthorized(): StatusError {
    return new StatusError(401, 'Unauthorized', 'Unauthorized');
  },
  forbidden(message: string, details?: StatusDetails): StatusError {
    return new StatusError(403, 'Forbidden', message, details);
  },
  internal(message: string): StatusError {
    return new StatusError(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] });
  },
  timeout(message: string): StatusError {
    return new StatusError(504, 'Timeout', message);
  },
  invalid(group: string, kind: string, name: string, errs: FieldError[]): StatusError {
    const causes = errs.map((e) => ({ reason: e.type, message: e.causeMessage(), field: e.field }));
    const list = errs.map((e) => e.toString());
    const agg = list.length === 1 ? list[0] : `[${list.join(', ')}]`;
    const qk = group ? `${kind}.${group}` : kind;
    return new StatusError(422, 'Invalid', `${qk} "${name}" is invalid: ${agg}`, { name, group, kind, causes });
  },
};

export type FieldErrorType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'InternalError'
  | 'FieldValueTypeInvalid';

const TYPE_TEXT: Record<FieldErrorType, string> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  InternalError: 'Internal error',
  FieldValueTypeInvalid: 'Invalid value',
};

/** Types whose message never shows the offending value. */
const OMIT_VALUE = new Set<FieldErrorType>(['FieldValueRequired', 'FieldValueForbidden', 'FieldValueTooLong', 'InternalError']);

export class FieldError {
  constructor(
    readonly type: FieldErrorType,
    readonly field: string,
    readonly value: unknown,
    readonly detail = '',
  ) {}

  /** The cause message: `Invalid value: "x": detail` (without the field). */
  causeMessage(): string {
    let s = TYPE_TEXT[this.type];
    if (!OMIT_VALUE.has(this.type) && this.value !== undefined) s += `: ${renderValue(this.value)}`;
    if (this.detail) s += `: ${this.detail}`;
    return s;
  }

  toString(): string {
    return this.field ? `${this.field}: ${this.causeMessage()}` : this.causeMessage();
  }
}

function renderValue(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

export const field = {
  required: (path: string, detail = '') => new FieldError('FieldValueRequired', path, undefined, detail),
  invalid: (path: string, value: unknown, detail = '') => new FieldError('FieldValueInvalid', path, value, detail),
  notSupported: (path: string, value: unknown, valid: string[]) =>
    new FieldError('FieldValueNotSupported', path, value, valid.length ? `supported values: ${valid.map((v) => JSON.stringify(v)).join(', ')}` : ''),
  duplicate: (path: string, value: unknown) => new FieldError('FieldValueDuplicate', path, value),
  forbidden: (path: string, detail: string) => new FieldError('FieldValueForbidden', path, undefined, detail),
  tooLong: (path: string, max: number) => new FieldError('FieldValueTooLong', path, undefined, `may not be more than ${max} bytes`),
  tooMany: (path: string, actual: number, max: number) => new FieldError('FieldValueTooMany', path, actual, `must have at most ${max} items`),
  typeInvalid: (path: string, value: unknown, detail: string) => new FieldError('FieldValueTypeInvalid', path, value, detail),
};
