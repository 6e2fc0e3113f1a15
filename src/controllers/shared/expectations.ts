// Expectations: how many creates and which deletes a controller still waits to see through its informer, so that it does not act twice.
import type { Clock } from '../../util/clock';

/** Upstream ExpectationsTimeout: expectations older than this are considered satisfied (a lost watch event must not wedge a controller). */
export const EXPECTATIONS_TIMEOUT_MS = 5 * 60_000;

interface Expectation {
  add: number;
  del: number;
  /** Keys ("ns/name") of pods whose deletion is awaited. */
  deleting: Set<string>;
  at: number;
}

/** Per-controller-key expectations, as upstream's UIDTrackingControllerExpectations. */
export class ControllerExpectations {
  private readonly records = new Map<string, Expectation>();

  constructor(private readonly clock: Clock) {}

  /** True when nothing is awaited for `key` (or the record expired): the controller may act. */
  satisfied(key: string): boolean {
    const e = this.records.get(key);
    if (!e) return true;
    if (e.add <= 0 && e.del <= 0) return true;
    return this.clock.now() - e.at > EXPECTATIONS_TIMEOUT_MS;
  }

  /** upstream SetExpectations: awaits `adds` pod creations and the deletion of the pods keyed `podKeys` ("ns/name") for `key`. */
  expect(key: string, adds: number, podKeys: string[]): void {
    this.records.set(key, { add: adds, del: podKeys.length, deleting: new Set(podKeys), at: this.clock.now() });
  }

  /** Awaits `count` pod creations for `key` (and no deletion). */
  expectCreations(key: string, count: number): void {
    this.expect(key, count, []);
  }

  /** Awaits the deletion of these pods for `key` (and no creation). */
  expectDeletions(key: string, podKeys: string[]): void {
    this.expect(key, 0, podKeys);
  }

  /** One awaited creation was seen (or will never happen). */
  creationObserved(key: string): void {
    const e = this.records.get(key);
    if (e) e.add--;
  }

  /** A pod's deletion was seen (or will never happen); only awaited pods count. */
  deletionObserved(key: string, podKey: string): void {
    const e = this.records.get(key);
    if (e?.deleting.delete(podKey)) e.del--;
  }

  /** Forgets `key` (its controller is gone). */
  delete(key: string): void {
    this.records.delete(key);
  }
}
