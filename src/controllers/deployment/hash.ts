// The pod-template-hash: a stable FNV-1a hash of the pod template (plus collisionCount), encoded as upstream's ComputeHash encodes it.
import type { PodTemplateSpec } from 'kubernetes-types/core/v1';

/** The label that keeps each ReplicaSet's pods apart, and the suffix of its name. */
export const DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY = 'pod-template-hash';

// rand.SafeEncodeString's alphabet: no vowels (no words) and no 0, 1, 3 (confusable).
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

// Upstream hashes the Go struct with spew; the same template always gives the same bytes here through key-sorted JSON.
function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** 32-bit FNV-1a over `bytes`, continuing from `h`. */
export function fnv32a(bytes: Uint8Array, h = 0x811c9dc5): number {
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
}

/** rand.SafeEncodeString: each character mapped into an alphabet that cannot spell words. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (const ch of s) out += ALPHANUMS[ch.codePointAt(0)! % ALPHANUMS.length];
  return out;
}

/** Upstream ComputeHash: the template's hash, salted with collisionCount (8 little-endian bytes) when set. */
export function computeHash(template: PodTemplateSpec | undefined, collisionCount?: number): string {
  let h = fnv32a(Buffer.from(canonicalJson(template ?? {}), 'utf8'));
  if (collisionCount !== undefined) {
    const salt = new Uint8Array(8);
    new DataView(salt.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(salt, h);
  }
  return safeEncodeString(String(h));
}
