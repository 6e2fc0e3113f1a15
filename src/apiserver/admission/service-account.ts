// ServiceAccount admission: a pod without a service account runs as the namespace's "default" one and gets its API token mounted.
import { randomBytes } from 'node:crypto';
import type { Volume } from 'kubernetes-types/core/v1';
import type { KObject } from '../../api/types';
import type { ObjectLister } from './object-lister';
import type { AdmissionPlugin } from './types';

/** The account pods get when they name none. */
export const DEFAULT_SERVICE_ACCOUNT = 'default';

/** Where containers find the token, CA bundle and namespace, as every Kubernetes client library expects. */
export const SERVICE_ACCOUNT_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';

/** The ConfigMap with the cluster CA that the root CA publisher keeps in every namespace. */
export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';

/** Mirror pods (created by a kubelet from a static manifest) are left alone, as upstream. */
const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';

// upstream's generateName alphabet: no vowels or look-alike digits, so names never spell words.
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const randomSuffix = (n: number) => [...randomBytes(n)].map((b) => ALPHABET[b % ALPHABET.length]).join('');

/** The projected volume upstream mounts for API access: a bound token (3607 s, so kubelets refresh it early), the CA and the namespace. */
export function apiAccessVolume(name: string): Volume {
  return {
    name,
    projected: {
      defaultMode: 0o644,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: ROOT_CA_CONFIGMAP, items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    },
  };
}

/** Whether the pod should get a token: the pod's own setting wins, then the account's, then yes. */
function automount(pod: KObject, account: KObject | undefined): boolean {
  if (pod.spec.automountServiceAccountToken !== undefined && pod.spec.automountServiceAccountToken !== null) return pod.spec.automountServiceAccountToken;
  return account?.automountServiceAccountToken !== false;
}

/** Adds the token volume and mounts it in every container that has nothing at the mount path yet. */
function mountToken(pod: KObject): void {
  const spec = pod.spec;
  const existing = (spec.volumes ?? []).find((v: KObject) => v.name?.startsWith('kube-api-access-'));
  const name = existing?.name ?? `kube-api-access-${randomSuffix(5)}`;
  if (!existing) spec.volumes = [...(spec.volumes ?? []), apiAccessVolume(name)];
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    const mounts = (c.volumeMounts ??= []);
    if (mounts.some((m: KObject) => m.mountPath === SERVICE_ACCOUNT_MOUNT_PATH)) continue;
    mounts.push({ name, readOnly: true, mountPath: SERVICE_ACCOUNT_MOUNT_PATH });
  }
}

/** Builds the plugin; `list` finds the pod's ServiceAccount for its automountServiceAccountToken setting. */
export function serviceAccount(list: ObjectLister): AdmissionPlugin {
  return {
    name: 'ServiceAccount',
    admit(a) {
      if (a.operation !== 'CREATE' || a.subresource || a.resource.group !== '' || a.resource.resource !== 'pods') return;
      const pod = a.object!;
      if (pod.metadata.annotations?.[MIRROR_POD_ANNOTATION] !== undefined) return;
      const spec = (pod.spec ??= {});
      if (!spec.serviceAccountName) spec.serviceAccountName = DEFAULT_SERVICE_ACCOUNT;
      // v1 keeps the deprecated field equal to the new one.
      spec.serviceAccount = spec.serviceAccountName;
      const account = list('', 'serviceaccounts', a.namespace).find((sa) => sa.metadata.name === spec.serviceAccountName);
      if (automount(pod, account)) mountToken(pod);
    },
  };
}
