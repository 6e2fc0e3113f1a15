// Reading the Status errors that client calls throw: NotFound, AlreadyExists, Conflict and status causes.

interface StatusLike {
  code?: number;
  reason?: string;
  details?: { causes?: { reason?: string }[] };
}

const status = (err: unknown): StatusLike => (typeof err === 'object' && err !== null ? (err as StatusLike) : {});

/** A 404 NotFound. */
export const isNotFound = (err: unknown): boolean => status(err).code === 404;

/** A 409 AlreadyExists (a create of a taken name). */
export const isAlreadyExists = (err: unknown): boolean => status(err).code === 409 && status(err).reason === 'AlreadyExists';

/** A 409 Conflict (a stale resourceVersion or failed precondition). */
export const isConflict = (err: unknown): boolean => status(err).code === 409 && status(err).reason === 'Conflict';

/** True when the error's details carry a cause with this reason (e.g. "NamespaceTerminating"). */
export const hasStatusCause = (err: unknown, cause: string): boolean => (status(err).details?.causes ?? []).some((c) => c.reason === cause);

/** The cause upstream attaches to creates refused in a terminating namespace. */
export const NAMESPACE_TERMINATING_CAUSE = 'NamespaceTerminating';

/** The message of any thrown value. */
export const errorMessage = (err: unknown): string => (err instanceof Error ? err.message : String(err));
