// The node heartbeat Lease in kube-node-lease, as the kubelet's lease controller keeps it.
import type { KObject } from '../api/types';
import { rfc3339Micro } from '../util/clock';

/** Namespace of node leases. */
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
/** leaseDurationSeconds the kubelet writes (upstream --node-lease-duration-seconds, 40). */
export const NODE_LEASE_DURATION_SECONDS = 40;

/** Renewal period: a quarter of the duration (upstream renewIntervalFraction 0.25), 10 s by default. */
export function leaseRenewMs(durationSeconds: number): number {
  return durationSeconds * 250;
}

/** The Lease of `node` renewed at `now`, owned by the Node so it goes when the node goes. */
export function nodeLease(node: KObject, now: number, durationSeconds = NODE_LEASE_DURATION_SECONDS): KObject {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: node.metadata.name,
      namespace: NODE_LEASE_NAMESPACE,
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node.metadata.name!, uid: node.metadata.uid! }],
    },
    spec: {
      holderIdentity: node.metadata.name,
      leaseDurationSeconds: durationSeconds,
      renewTime: rfc3339Micro(now),
    },
  };
}
