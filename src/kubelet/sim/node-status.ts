// Pure: what a sim kubelet registers (labels, podCIDR) and reports (capacity, conditions, addresses, nodeInfo) for its Node.
import { createHash } from 'node:crypto';
import { release } from 'node:os';
import type { NodeStatus, NodeSystemInfo } from 'kubernetes-types/core/v1';
import type { KObject } from '../../api/types';
import { canonicalQuantity } from '../../machinery/quantity';
import { semanticEqual } from '../../machinery/validation';
import { HEALTHY_NODE_CONDITIONS, nextNodeReportAt, nodeConditionsChanged, postNodeConditions } from '../node-conditions';
import { simCapacity } from './sim-node';

/** The Kubernetes version sim kubelets report. */
export const SIM_KUBELET_VERSION = 'v1.32.4';
/** What `kubectl get nodes -o wide` shows as CONTAINER-RUNTIME. */
export const SIM_RUNTIME_VERSION = 'sim://1.0.0';

// GOARCH names of Node's architectures.
const ARCH = process.arch === 'x64' ? 'amd64' : process.arch === 'ia32' ? '386' : process.arch;
const KERNEL = release();

/** Labels a kubelet puts on its Node at registration (upstream initialNode); a sim node has no node-role label. */
export function kubeletLabels(name: string): Record<string, string> {
  return {
    'beta.kubernetes.io/arch': ARCH,
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': ARCH,
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
  };
}

const ATTACH_DETACH_ANNOTATION = 'volumes.kubernetes.io/controller-managed-attach-detach';

/** The merge patch that registers a node (missing kubelet labels, the attach/detach annotation, its podCIDR), or undefined when done. */
export function registrationPatch(node: KObject, podCIDR: string): Record<string, unknown> | undefined {
  const patch: Record<string, unknown> = {};
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(kubeletLabels(node.metadata.name!))) if (node.metadata.labels?.[k] === undefined) labels[k] = v;
  const meta: Record<string, unknown> = {};
  if (Object.keys(labels).length) meta.labels = labels;
  if (node.metadata.annotations?.[ATTACH_DETACH_ANNOTATION] === undefined) meta.annotations = { [ATTACH_DETACH_ANNOTATION]: 'true' };
  if (Object.keys(meta).length) patch.metadata = meta;
  if (!node.spec?.podCIDR) patch.spec = { podCIDR, podCIDRs: [podCIDR] };
  return Object.keys(patch).length ? patch : undefined;
}

// A UUID-shaped id derived from `seed`, stable for a node.
function uuidFrom(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

// nodeInfo depends on the name only; remembered because every status pass of thousands of nodes needs it.
const nodeInfos = new Map<string, NodeSystemInfo>();

/** The nodeInfo a sim node reports. */
export function simNodeInfo(name: string): NodeSystemInfo {
  let info = nodeInfos.get(name);
  if (!info) {
    info = {
      machineID: createHash('sha256').update(`machine/${name}`).digest('hex').slice(0, 32),
      systemUUID: uuidFrom(`system/${name}`),
      bootID: uuidFrom(`boot/${name}`),
      kernelVersion: KERNEL,
      osImage: 'Tugboat simulated node',
      containerRuntimeVersion: SIM_RUNTIME_VERSION,
      kubeletVersion: SIM_KUBELET_VERSION,
      kubeProxyVersion: SIM_KUBELET_VERSION,
      operatingSystem: 'linux',
      architecture: ARCH,
    };
    nodeInfos.set(name, info);
  }
  return info;
}

/** The status fields a sim kubelet owns, except the conditions. */
export function simNodeStatusFields(node: KObject, internalIP: string): NodeStatus {
  const name = node.metadata.name!;
  const capacity: Record<string, string> = {};
  for (const [k, v] of Object.entries(simCapacity(node))) capacity[k] = canonicalQuantity(v);
  return {
    capacity,
    allocatable: { ...capacity },
    addresses: [
      { type: 'InternalIP', address: internalIP },
      { type: 'Hostname', address: name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: simNodeInfo(name),
  };
}

/** The decision of one node status pass: the status to post (if any) and when the next pass is due. */
export interface NodeStatusDecision {
  status?: NodeStatus;
  nextReportAt: number;
}

/**
 * A status pass (upstream tryUpdateNodeStatus): post at once when anything but heartbeat times changed,
 * otherwise only when the last heartbeat is older than the report frequency.
 */
export function simNodeStatus(node: KObject, internalIP: string, now: number): NodeStatusDecision {
  const old: NodeStatus = node.status ?? {};
  const fields = simNodeStatusFields(node, internalIP);
  const changed =
    nodeConditionsChanged(old.conditions, HEALTHY_NODE_CONDITIONS) ||
    (Object.keys(fields) as (keyof NodeStatus)[]).some((k) => !semanticEqual(fields[k], old[k]));
  const due = nextNodeReportAt(old.conditions);
  if (!changed && now < due) return { nextReportAt: due };
  const status: NodeStatus = { ...old, ...fields, conditions: postNodeConditions(old.conditions, HEALTHY_NODE_CONDITIONS, now) };
  return { status, nextReportAt: nextNodeReportAt(status.conditions) };
}
