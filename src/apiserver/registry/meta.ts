// Generic object metadata rules every kind shares: system fields on create, what an update may not change, generation.
import { randomUUID, randomInt } from 'node:crypto';
import type { KObject, ResourceInfo } from '../../api/types';
import { rfc3339 } from '../../util/clock';

/** Kinds whose metadata.generation counts spec changes, as upstream's strategies do. */
const GENERATION_KINDS = new Set([
  'apps/Deployment',
  'apps/ReplicaSet',
  'apps/StatefulSet',
  'apps/DaemonSet',
  'batch/Job',
  'batch/CronJob',
  'autoscaling/HorizontalPodAutoscaler',
  'policy/PodDisruptionBudget',
  'networking.k8s.io/Ingress',
  'networking.k8s.io/NetworkPolicy',
  'networking.k8s.io/IngressClass',
]);

/** True when the kind keeps metadata.generation. */
export function tracksGeneration(r: ResourceInfo): boolean {
  return GENERATION_KINDS.has(`${r.group}/${r.kind}`);
}

// The alphabet upstream's name generator uses: no vowels (no words) and no look-alike digits.
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** generateName + 5 random characters, as upstream's SimpleNameGenerator. */
export function generateName(base: string): string {
  const maxBase = 63 - 5;
  let s = base.length > maxBase ? base.slice(0, maxBase) : base;
  for (let i = 0; i < 5; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s;
}

/** Sets the fields the system owns on a new object (uid, timestamps, generation) and clears what clients may not set. */
export function prepareMetaForCreate(r: ResourceInfo, obj: KObject, now: number): void {
  const m = obj.metadata;
  m.uid = randomUUID();
  m.creationTimestamp = rfc3339(now);
  delete m.deletionTimestamp;
  delete m.deletionGracePeriodSeconds;
  delete m.resourceVersion;
  delete (m as { selfLink?: string }).selfLink;
  if (tracksGeneration(r)) m.generation = 1;
  else delete m.generation;
  // Status is written through the status subresource only; Nodes register with theirs, as upstream allows.
  if (r.status && r.kind !== 'Node') delete obj.status;
}

// Everything but metadata and status: a change here is a spec change.
function specPart(o: KObject): string {
  const { metadata: _m, status: _s, ...rest } = o;
  void _m;
  void _s;
  return JSON.stringify(rest);
}

/** Carries the system-owned metadata of `old` into `obj` and bumps generation on a spec change. */
export function prepareMetaForUpdate(r: ResourceInfo, obj: KObject, old: KObject): void {
  const m = obj.metadata;
  const om = old.metadata;
  m.uid = om.uid;
  m.creationTimestamp = om.creationTimestamp;
  if (om.deletionTimestamp) m.deletionTimestamp = om.deletionTimestamp;
  else delete m.deletionTimestamp;
  if (om.deletionGracePeriodSeconds !== undefined) m.deletionGracePeriodSeconds = om.deletionGracePeriodSeconds;
  else delete m.deletionGracePeriodSeconds;
  delete (m as { selfLink?: string }).selfLink;
  if (tracksGeneration(r)) {
    m.generation = (om.generation ?? 1) + (specPart(obj) !== specPart(old) ? 1 : 0);
  } else delete m.generation;
}

/** The stored form: resourceVersion is not stored, it is the key's revision. */
export function serializeForStore(obj: KObject): string {
  const rv = obj.metadata.resourceVersion;
  delete obj.metadata.resourceVersion;
  const s = JSON.stringify(obj);
  if (rv !== undefined) obj.metadata.resourceVersion = rv;
  return s;
}

/** Deep equality of two JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => jsonEqual(x, bb[i]));
  }
  const ak = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const bk = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ak.length !== bk.length) return false;
  return ak.every((k) => jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
