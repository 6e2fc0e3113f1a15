// Service account token claims as upstream's serviceaccount.Claims builds them, and the checks a presented token must pass.
import { randomUUID } from 'node:crypto';
import type { UserInfo } from '../authn';
import type { Claims } from './jwt';

/** The issuer and default audience of tokens, as a cluster with the default --service-account-issuer. */
export const TOKEN_ISSUER = 'https://kubernetes.default.svc.cluster.local';

/** An object a token is bound to (a Pod, Secret or Node), by name and uid. */
export interface BoundRef {
  kind: 'Pod' | 'Secret' | 'Node';
  name: string;
  uid: string;
}

/** What a token is issued for. */
export interface TokenSubject {
  namespace: string;
  serviceAccount: { name: string; uid: string };
  audiences: string[];
  expirationSeconds: number;
  bound?: BoundRef;
  /** The node a bound pod runs on, recorded as upstream does for pod-bound tokens. */
  node?: { name: string; uid: string };
}

/** The claims of a new token issued at `nowSeconds`. */
export function tokenClaims(s: TokenSubject, nowSeconds: number): Claims {
  const k8s: Record<string, unknown> = {
    namespace: s.namespace,
    serviceaccount: { name: s.serviceAccount.name, uid: s.serviceAccount.uid },
  };
  if (s.bound) k8s[s.bound.kind.toLowerCase()] = { name: s.bound.name, uid: s.bound.uid };
  if (s.node && s.bound?.kind === 'Pod') k8s.node = s.node;
  return {
    aud: s.audiences,
    exp: nowSeconds + s.expirationSeconds,
    iat: nowSeconds,
    iss: TOKEN_ISSUER,
    jti: randomUUID(),
    'kubernetes.io': k8s,
    nbf: nowSeconds,
    sub: `system:serviceaccount:${s.namespace}:${s.serviceAccount.name}`,
  };
}

/** The identity a token's claims stand for, as upstream's authenticator names it. */
export function serviceAccountUser(namespace: string, name: string): UserInfo {
  return {
    username: `system:serviceaccount:${namespace}:${name}`,
    groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
  };
}

/** The parts of verified claims the authenticator checks against live objects. */
export interface ClaimedIdentity {
  namespace: string;
  serviceAccount: { name: string; uid: string };
  bound?: BoundRef;
}

/**
 * The identity in `claims` if the token is for this API server (issuer, audience) and current at `nowSeconds`;
 * undefined otherwise. Whether the service account and bound object still exist is the caller's check.
 */
export function claimedIdentity(claims: Claims, nowSeconds: number, audience = TOKEN_ISSUER): ClaimedIdentity | undefined {
  if (claims.iss !== TOKEN_ISSUER) return undefined;
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!aud.includes(audience)) return undefined;
  // upstream allows 60 s of clock skew on both ends.
  if (typeof claims.exp !== 'number' || claims.exp + 60 < nowSeconds) return undefined;
  if (typeof claims.nbf === 'number' && claims.nbf - 60 > nowSeconds) return undefined;
  const k8s = claims['kubernetes.io'] as Record<string, { name?: string; uid?: string } | string> | undefined;
  if (!k8s || typeof k8s.namespace !== 'string') return undefined;
  const sa = k8s.serviceaccount as { name?: string; uid?: string } | undefined;
  if (!sa?.name || !sa.uid) return undefined;
  let bound: BoundRef | undefined;
  for (const kind of ['Pod', 'Secret'] as const) {
    const ref = k8s[kind.toLowerCase()] as { name?: string; uid?: string } | undefined;
    if (ref?.name && ref.uid) bound = { kind, name: ref.name, uid: ref.uid };
  }
  if (claims.sub !== `system:serviceaccount:${k8s.namespace}:${sa.name}`) return undefined;
  return { namespace: k8s.namespace, serviceAccount: { name: sa.name, uid: sa.uid }, bound };
}
