// Builders for the StoreErrors every backend raises, so their codes and messages agree.
import { KeyValue, StoreError } from './types';

/** A create hit a key that is present. */
export function keyExists(key: string, current?: KeyValue): StoreError {
  return new StoreError('KeyExists', `key ${JSON.stringify(key)} already exists`, current);
}

/** An update or delete hit a key that is absent. */
export function notFound(key: string): StoreError {
  return new StoreError('NotFound', `key ${JSON.stringify(key)} not found`);
}

/** An update or delete named a revision the key is no longer at. */
export function conflict(key: string, expected: number, current: KeyValue): StoreError {
  return new StoreError(
    'Conflict',
    `key ${JSON.stringify(key)} is at revision ${current.modRevision}, not ${expected}`,
    current,
  );
}

/** A read or watch asked for history that compaction has dropped. */
export function compacted(revision: number, compactedRevision: number): StoreError {
  return new StoreError(
    'Compacted',
    `revision ${revision} has been compacted (oldest readable revision is ${compactedRevision})`,
  );
}

/** The store was closed. */
export function closed(): StoreError {
  return new StoreError('Closed', 'store is closed');
}

/** A list or compaction named a revision that has not happened yet (a caller bug, not a StoreError). */
export function futureRevision(revision: number, current: number): Error {
  return new RangeError(`revision ${revision} is in the future (current revision is ${current})`);
}
