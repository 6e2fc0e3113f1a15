// Revision hashes of pod templates (upstream controller.ComputeHash and history.HashControllerRevision): FNV-1a 32 of key-sorted JSON, safely encoded.
import type { PodTemplateSpec } from 'kubernetes-types/core/v1';

// rand.SafeEncodeString's alphabet: no vowels (no words) and no 0, 1, 3 (confusable).
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** JSON with object keys sorted: upstream hashes the Go struct with spew, here the same value always gives the same bytes. */
export function canonicalJson(v: unknown): string {
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
  for (let i = 0; i < s.length; i++) out += ALPHANUMS[s.charCodeAt(i) % ALPHANUMS.length];
  return out;
}

const hashOf = (value: unknown) => fnv32a(Buffer.from(canonicalJson(value ?? {}), 'utf8'));

/**
 * upstream controller.ComputeHash, the pod-template-hash of Deployments and the revision hash of DaemonSets: the
 * template's hash, salted with collisionCount (8 little-endian bytes) when set.
 */
export function computeHash(template: PodTemplateSpec | undefined, collisionCount?: number): string {
  let h = hashOf(template);
  if (collisionCount !== undefined) {
    const salt = new Uint8Array(8);
    new DataView(salt.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(salt, h);
  }
  return safeEncodeString(String(h));
}

/** upstream history.HashControllerRevision, the StatefulSet's revision hash: the revision data's hash, the probe (collisionCount) appended in decimal. */
export function hashControllerRevision(data: unknown, probe?: number): string {
  let h = hashOf(data);
  if (probe !== undefined) h = fnv32a(Buffer.from(String(probe), 'utf8'), h);
  return safeEncodeString(String(h));
}
