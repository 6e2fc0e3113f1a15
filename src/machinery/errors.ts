// Kubernetes `Status` errors: the one error type that crosses the API boundary, plus field errors for 422s.

/** One cause of an Invalid error, as in metav1.StatusCause. */
export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

/** The body of a metav1.Status failure. */
export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason?: string;
  details?: { name?: string; group?: string; kind?: string; causes?: StatusCause[]; retryAfterSeconds?: number };
  code: number;
}

/** An error that the API server answers with as a Status body and HTTP code. */
export class StatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusBody['details'],
  ) {
    super(message);
  }

  /** The wire form of this error. */
  toStatus(): StatusBody {
    const body: StatusBody = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      code: this.code,
    };
    // Upstream leaves out an empty reason (plain Go errors surfaced as 500s).
    if (this.reason) body.reason = this.reason;
    if (this.details) body.details = this.details;
    return body;
  }
}

/** Identifies a resource in messages: "pods" or "deployments.apps". */
export interface GroupResource {
  group: string;
  resource: string;
}

function qualified(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

export const notFound = (gr: GroupResource, name: string) =>
  new StatusError(404, 'NotFound', `${qualified(gr)} "${name}" not found`, { name, group: gr.group || undefined, kind: gr.resource });

export const alreadyExists = (gr: GroupResource, name: string) =>
  new StatusError(409, 'AlreadyExists', `${qualified(gr)} "${name}" already exists`, { name, group: gr.group || undefined, kind: gr.resource });

export const conflict = (gr: GroupResource, name: string, why: string) =>
  new StatusError(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(gr)} "${name}": ${why}`, {
    name,
    group: gr.group || undefined,
    kind: gr.resource,
  });

/** The message upstream gives for an update with a stale resourceVersion. */
export const STALE_OBJECT = 'the object has been modified; please apply your changes to the latest version and try again';

export const forbidden = (gr: GroupResource, name: string, why: string) =>
  new StatusError(403, 'Forbidden', `${qualified(gr)}${name ? ` "${name}"` : ''} is forbidden: ${why}`, {
    name: name || undefined,
    group: gr.group || undefined,
    kind: gr.resource,
  });

export const badRequest = (message: string) => new StatusError(400, 'BadRequest', message);
export const methodNotAllowed = (message: string) => new StatusError(405, 'MethodNotAllowed', message);
export const notAcceptable = (message: string) => new StatusError(406, 'NotAcceptable', message);
export const unsupportedMediaType = (message: string) => new StatusError(415, 'UnsupportedMediaType', message);
export const tooLarge = (message: string) => new StatusError(413, 'RequestEntityTooLarge', message);
export const gone = (message: string) => new StatusError(410, 'Expired', message);
export const tooManyRequests = (message: string, retryAfterSeconds = 1) =>
  new StatusError(429, 'TooManyRequests', message, { retryAfterSeconds });
export const internalError = (message: string) =>
  new StatusError(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ reason: 'UnexpectedServerResponse', message }] });
export const serverTimeout = (message: string) => new StatusError(504, 'Timeout', message);

/** A field-level validation problem, as upstream's field.Error. */
export interface FieldError {
  type: 'FieldValueRequired' | 'FieldValueInvalid' | 'FieldValueNotSupported' | 'FieldValueDuplicate' | 'FieldValueForbidden' | 'FieldValueTooLong' | 'FieldValueTooMany' | 'FieldValueTypeInvalid' | 'FieldValueNotFound';
  field: string;
  /** What follows "field: " in the message, e.g. `Invalid value: -1: must be greater than or equal to 0`. */
  message: string;
}

/** Formats a bad value the way Go's %#v-ish field errors print it. */
export function formatValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** Builders for field errors; `path` is a dotted path such as `spec.template.spec.containers[0].image`. */
export const field = {
  required: (path: string, detail = ''): FieldError => ({
    type: 'FieldValueRequired',
    field: path,
    message: detail ? `Required value: ${detail}` : 'Required value',
  }),
  invalid: (path: string, value: unknown, detail: string): FieldError => ({
    type: 'FieldValueInvalid',
    field: path,
    message: `Invalid value: ${formatValue(value)}${detail ? `: ${detail}` : ''}`,
  }),
  notSupported: (path: string, value: unknown, valid: string[]): FieldError => ({
    type: 'FieldValueNotSupported',
    field: path,
    message: `Unsupported value: ${formatValue(value)}${valid.length ? `: supported values: ${valid.map((s) => JSON.stringify(s)).join(', ')}` : ''}`,
  }),
  duplicate: (path: string, value: unknown): FieldError => ({
    type: 'FieldValueDuplicate',
    field: path,
    message: `Duplicate value: ${formatValue(value)}`,
  }),
  forbidden: (path: string, detail: string): FieldError => ({ type: 'FieldValueForbidden', field: path, message: `Forbidden: ${detail}` }),
  tooLong: (path: string, max: number): FieldError => ({
    type: 'FieldValueTooLong',
    field: path,
    message: `Too long: may not be more than ${max} bytes`,
  }),
  tooMany: (path: string, actual: number, max: number): FieldError => ({
    type: 'FieldValueTooMany',
    field: path,
    message: `Too many: ${actual}: must have at most ${max} items`,
  }),
  typeInvalid: (path: string, value: unknown, detail: string): FieldError => ({
    type: 'FieldValueTypeInvalid',
    field: path,
    message: `Invalid value: ${formatValue(value)}: ${detail}`,
  }),
  notFound: (path: string, value: unknown): FieldError => ({ type: 'FieldValueNotFound', field: path, message: `Not found: ${formatValue(value)}` }),
};

/** 422 Invalid naming every field error, formatted as upstream: `Kind.group "name" is invalid: [a, b]`. */
export function invalid(kind: string, group: string, name: string, errs: FieldError[]): StatusError {
  const parts = errs.map((e) => `${e.field}: ${e.message}`);
  const list = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
  const qualifiedKind = group ? `${kind}.${group}` : kind;
  return new StatusError(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${list}`, {
    name,
    group: group || undefined,
    kind,
    causes: errs.map((e) => ({ reason: e.type, message: e.message, field: e.field })),
  });
}

/** Narrows unknown errors thrown by lower layers. */
export function isStatusError(e: unknown): e is StatusError {
  return e instanceof StatusError;
}
