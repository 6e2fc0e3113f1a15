// Builders of Deployments and ReplicaSets for the pure tests of this folder.
import type { Deployment, ReplicaSet } from '../shared/types';

/** A RollingUpdate Deployment "web" with `replicas`, surge and unavailable as given (the progress deadline defaulted). */
export function deploymentOf(replicas: number, maxSurge: number | string = 1, maxUnavailable: number | string = 0, extra: Partial<Deployment['spec']> = {}): Deployment {
  return {
    metadata: { name: 'web', namespace: 'ns', uid: 'd-uid', generation: 1 },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } },
      progressDeadlineSeconds: 600,
      ...extra,
    },
  };
}

/** A ReplicaSet of "web" created `createdAt` seconds into 2024, with spec and available replicas and annotations. */
export function replicaSetOf(name: string, replicas: number, available: number, createdAt: number, annotations: Record<string, string> = {}, image = 'nginx:1'): ReplicaSet {
  return {
    metadata: { name, namespace: 'ns', uid: `${name}-uid`, creationTimestamp: new Date(Date.UTC(2024, 0, 1, 0, 0, createdAt)).toISOString(), annotations, generation: 1 },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web', 'pod-template-hash': name } }, spec: { containers: [{ name: 'c', image }] } },
    },
    status: { replicas, readyReplicas: available, availableReplicas: available, observedGeneration: 1 },
  };
}
