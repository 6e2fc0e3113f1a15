// Compact JWS (ES256) signing and verification for service account tokens, on node:crypto.
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/** The claims of a token, as a plain JSON object. */
export type Claims = Record<string, unknown>;

const b64url = (buf: Buffer) => buf.toString('base64url');

/** A key pair that signs and checks tokens; the key id is derived from the public key as upstream does (sha256 of its DER). */
export interface TokenKeys {
  privateKey: KeyObject;
  publicKey: KeyObject;
  keyId: string;
}

/** Loads the signing keys from a PEM private key (EC P-256). */
export function tokenKeys(privatePem: string): TokenKeys {
  const privateKey = createPrivateKey(privatePem);
  const publicKey = createPublicKey(privateKey);
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const keyId = b64url(createHash('sha256').update(der).digest());
  return { privateKey, publicKey, keyId };
}

/** Signs `claims` as a compact JWS with ES256 (raw r||s signature, as JOSE requires). */
export function signJwt(claims: Claims, keys: TokenKeys): string {
  const header = b64url(Buffer.from(JSON.stringify({ alg: 'ES256', kid: keys.keyId })));
  const payload = b64url(Buffer.from(JSON.stringify(claims)));
  const input = `${header}.${payload}`;
  const sig = sign('sha256', Buffer.from(input), { key: keys.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${b64url(sig)}`;
}

/** The claims of `token` if it is an ES256 JWS signed by `keys`, else undefined (expiry is the caller's check). */
export function verifyJwt(token: string, keys: TokenKeys): Claims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    if (header.alg !== 'ES256') return undefined;
    const ok = verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), { key: keys.publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(parts[2], 'base64url'));
    if (!ok) return undefined;
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    return claims && typeof claims === 'object' && !Array.isArray(claims) ? claims : undefined;
  } catch {
    return undefined;
  }
}
