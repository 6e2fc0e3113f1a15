// Looks up the strategy of a kind; each kind's strategy lives in its own file here.
import type { StorageBinding, Strategy } from '../types';

const strategies: Record<string, Strategy> = {};

/** The strategy for group/kind (empty strategy when the kind needs nothing special). */
export function strategyFor(group: string, kind: string): Strategy {
  return strategies[`${group}/${kind}`] ?? {};
}

/** The storage conversion for a version that is not stored as is (HPA autoscaling/v1, events.k8s.io/v1 Event). */
export function conversionFor(group: string, version: string, kind: string): StorageBinding | undefined {
  void group;
  void version;
  void kind;
  return undefined;
}
