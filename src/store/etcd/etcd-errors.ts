// Maps etcd client errors to StoreErrors, naming the endpoints when etcd cannot be reached.
import { ClientClosedError, GRPCDeadlineExceededError, GRPCUnavailableError, isRecoverableError } from 'etcd3';
import * as errors from '../errors';
import { StoreError } from '../types';

/** etcd's message when a read or watch asks for compacted history. */
export const compactedMessage = 'required revision has been compacted';
const futureMessage = 'required revision is a future revision';

/**
 * The StoreError (or, for a caller bug such as a future revision, the plain Error) that `err`
 * from an etcd call stands for. Unknown errors pass through unchanged.
 */
export function fromEtcdError(err: unknown, endpoints: string[], revision?: number): Error {
  if (err instanceof StoreError || !(err instanceof Error)) return err as Error;
  if (err instanceof ClientClosedError) return errors.closed();
  if (err.message.includes(compactedMessage)) {
    return new StoreError('Compacted', `revision ${revision ?? '?'} has been compacted in etcd`);
  }
  if (err.message.includes(futureMessage)) return new RangeError(`revision ${revision ?? '?'} is in the future for etcd`);
  if (
    err instanceof GRPCUnavailableError ||
    err instanceof GRPCDeadlineExceededError ||
    'isBrokenCircuitError' in err ||
    isRecoverableError(err)
  ) {
    return unavailable(endpoints, err.message);
  }
  return err;
}

/** A one-line Unavailable error naming the endpoints. */
export function unavailable(endpoints: string[], reason: string): StoreError {
  // gRPC messages can span lines and end in an empty "Resolution note:"; the CLI prints this as one line.
  const oneLine = reason.replace(/\s+/g, ' ').replace(/ ?Resolution note: ?$/, '').trim();
  return new StoreError('Unavailable', `etcd at ${endpoints.join(',')} is unavailable: ${oneLine}`);
}
