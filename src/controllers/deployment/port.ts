// The Deployment controller's narrow port (ReplicaSet writes, Deployment status writes) and what every sync step is handed.
import type { EventRecorder } from '../../client/events';
import type { Client } from '../../client/types';
import { R } from '../../client/types';
import type { Deployment, ReplicaSet } from '../shared/types';

/** The writes the Deployment controller makes; tests swap in a recording fake. */
export interface DeploymentPort {
  createReplicaSet(rs: ReplicaSet): Promise<ReplicaSet>;
  updateReplicaSet(rs: ReplicaSet): Promise<ReplicaSet>;
  deleteReplicaSet(namespace: string, name: string): Promise<void>;
  updateDeploymentStatus(d: Deployment): Promise<Deployment>;
}

/** The port writing through the API client. */
export function realDeploymentPort(client: Client): DeploymentPort {
  const rss = client.resource<ReplicaSet>(R.replicasets);
  const ds = client.resource<Deployment>(R.deployments);
  return {
    createReplicaSet: (rs) => rss.create(rs.metadata.namespace!, rs),
    updateReplicaSet: (rs) => rss.update(rs.metadata.namespace!, rs),
    deleteReplicaSet: (namespace, name) => rss.delete(namespace, name),
    updateDeploymentStatus: (d) => ds.updateStatus(d.metadata.namespace!, d),
  };
}

/** What the sync steps (sync.ts, rolling.ts, recreate.ts, progress.ts) work with. */
export interface SyncContext {
  port: DeploymentPort;
  recorder: EventRecorder;
  /** The cached ReplicaSet of this name, when a create finds the name taken. */
  cachedReplicaSet(namespace: string, name: string): ReplicaSet | undefined;
  now(): number;
  /** Syncs the Deployment again after `ms` (0: soon, rate limited). */
  requeue(d: Deployment, ms: number): void;
}
