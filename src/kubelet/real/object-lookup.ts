// The API objects a pod's env and volumes read (ConfigMaps, Secrets, PVCs, PVs, service account tokens), behind one small port.
import type { ConfigMap, PersistentVolume, PersistentVolumeClaim, Secret } from 'kubernetes-types/core/v1';
import { R, type Client } from '../../client/types';

/** What a bound service account token is asked for (upstream projected serviceAccountToken source). */
export interface TokenRequestSpec {
  namespace: string;
  serviceAccount: string;
  audience?: string;
  expirationSeconds: number;
  podName: string;
  podUid: string;
}

/** Reads objects for a pod; getters resolve undefined when the object does not exist and reject on other errors. */
export interface ObjectLookup {
  getConfigMap(namespace: string, name: string): Promise<ConfigMap | undefined>;
  getSecret(namespace: string, name: string): Promise<Secret | undefined>;
  getPersistentVolumeClaim(namespace: string, name: string): Promise<PersistentVolumeClaim | undefined>;
  getPersistentVolume(name: string): Promise<PersistentVolume | undefined>;
  /** A pod-bound token from serviceaccounts/token; rejects with the API error (e.g. the account does not exist). */
  getServiceAccountToken(spec: TokenRequestSpec): Promise<string>;
}

const isNotFound = (e: unknown) => typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 404;

async function orUndefined<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

const MAX_TOKEN_TTL_MS = 24 * 3600_000;

interface CachedToken {
  token: string;
  issuedAt: number;
  expiresAt: number;
}

/** Whether a cached token is due for renewal: past 80% of its life or older than 24 h (upstream token manager's requiresRefresh). */
export function tokenNeedsRefresh(t: CachedToken, now: number): boolean {
  if (now >= t.issuedAt + MAX_TOKEN_TTL_MS) return true;
  return now >= t.expiresAt - (t.expiresAt - t.issuedAt) * 0.2;
}

/** An ObjectLookup reading through the API client, caching service account tokens until they need renewal. */
export function clientLookup(client: Client, now: () => number): ObjectLookup {
  const tokens = new Map<string, CachedToken>();
  return {
    getConfigMap: (ns, name) => orUndefined(client.resource<ConfigMap & { metadata: object }>(R.configmaps).get(ns, name)) as Promise<ConfigMap | undefined>,
    getSecret: (ns, name) => orUndefined(client.resource<Secret & { metadata: object }>(R.secrets).get(ns, name)) as Promise<Secret | undefined>,
    getPersistentVolumeClaim: (ns, name) =>
      orUndefined(client.resource<PersistentVolumeClaim & { metadata: object }>(R.persistentvolumeclaims).get(ns, name)) as Promise<PersistentVolumeClaim | undefined>,
    getPersistentVolume: (name) => orUndefined(client.resource<PersistentVolume & { metadata: object }>(R.persistentvolumes).get('', name)) as Promise<PersistentVolume | undefined>,
    async getServiceAccountToken(spec) {
      const key = JSON.stringify([spec.namespace, spec.serviceAccount, spec.podUid, spec.audience ?? '', spec.expirationSeconds]);
      const cached = tokens.get(key);
      const t = now();
      if (cached && !tokenNeedsRefresh(cached, t)) return cached.token;
      try {
        const res = await client.resource(R.serviceaccounts).createSubresource(spec.namespace, spec.serviceAccount, 'token', {
          apiVersion: 'authentication.k8s.io/v1',
          kind: 'TokenRequest',
          metadata: {},
          spec: {
            audiences: spec.audience ? [spec.audience] : [],
            expirationSeconds: spec.expirationSeconds,
            boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: spec.podName, uid: spec.podUid },
          },
        });
        const expiresAt = Date.parse(res.status?.expirationTimestamp ?? '') || t + spec.expirationSeconds * 1000;
        tokens.set(key, { token: res.status.token, issuedAt: t, expiresAt });
        // Tokens of pods that are gone are dropped as they expire.
        for (const [k, v] of tokens) if (v.expiresAt <= t) tokens.delete(k);
        return res.status.token;
      } catch (e) {
        // A token that still works is better than none while the API server is away (as upstream).
        if (cached && cached.expiresAt > t) return cached.token;
        throw e;
      }
    },
  };
}
