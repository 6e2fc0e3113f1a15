// Pure: the status a real node's kubelet posts (capacity from the host, nodeInfo, addresses, images, conditions) and when.
import type { ContainerImage, NodeStatus } from 'kubernetes-types/core/v1';
import type { KObject } from '../../api/types';
import type { Image, RuntimeCondition } from '../../cri/types';
import { semanticEqual } from '../../machinery/validation';
import { HEALTHY_NODE_CONDITIONS, nextNodeReportAt, nodeConditionsChanged, postNodeConditions, type NodeConditionSpec } from '../node-conditions';
import type { HostInfo } from './host';

/** The Kubernetes version the kubelet reports. */
export const KUBELET_VERSION = 'v1.32.4';
/** Pods per node (upstream --max-pods default). */
export const MAX_PODS = 110;
/** Images listed in node status at most (upstream --node-status-max-images). */
const MAX_IMAGES = 50;
// Upstream's default hard eviction thresholds, which allocatable leaves out: memory.available<100Mi, nodefs.available<10%.
const EVICTION_MEMORY_BYTES = 100 * 1024 * 1024;

/** What the container runtime says about itself (CRI Version and Status). */
export interface RuntimeInfo {
  /** e.g. "containerd://1.6.20". */
  version: string;
  conditions: RuntimeCondition[];
}

/** Capacity and allocatable from the host's facts. */
export function nodeResources(host: HostInfo): { capacity: Record<string, string>; allocatable: Record<string, string> } {
  const memKi = Math.floor(host.memoryBytes / 1024);
  const capacity: Record<string, string> = { cpu: String(host.cpus), memory: `${memKi}Ki`, pods: String(MAX_PODS) };
  const allocatable: Record<string, string> = {
    cpu: String(host.cpus),
    memory: `${Math.max(0, memKi - EVICTION_MEMORY_BYTES / 1024)}Ki`,
    pods: String(MAX_PODS),
  };
  if (host.ephemeralStorageBytes > 0) {
    capacity['ephemeral-storage'] = `${Math.floor(host.ephemeralStorageBytes / 1024)}Ki`;
    allocatable['ephemeral-storage'] = String(Math.floor(host.ephemeralStorageBytes * 0.9));
  }
  return { capacity, allocatable };
}

/** The images of node status: biggest first, names are digests then tags (upstream setNodeStatusImages). */
export function nodeImages(images: Image[]): ContainerImage[] {
  return [...images]
    .sort((a, b) => b.size - a.size)
    .slice(0, MAX_IMAGES)
    .map((i) => ({ names: [...i.repoDigests, ...i.repoTags], sizeBytes: i.size }))
    .filter((i) => i.names.length > 0);
}

/** The kubelet's conditions: healthy, unless the runtime or its network is not ready (then Ready is False, as upstream). */
export function realNodeConditions(runtime: RuntimeInfo): NodeConditionSpec[] {
  const down = runtime.conditions.filter((c) => !c.status);
  if (!down.length) return HEALTHY_NODE_CONDITIONS;
  const what = down.map((c) => `${c.type}=false reason:${c.reason} message:${c.message}`).join(', ');
  const prefix = down.some((c) => c.type === 'RuntimeReady') ? 'container runtime is down' : 'container runtime network not ready';
  return HEALTHY_NODE_CONDITIONS.map((c) => (c.type === 'Ready' ? { type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: `${prefix}: ${what}` } : c));
}

/** The status fields the kubelet owns, except the conditions. */
export function realNodeStatusFields(host: HostInfo, runtime: RuntimeInfo, images: Image[]): NodeStatus {
  const { capacity, allocatable } = nodeResources(host);
  return {
    capacity,
    allocatable,
    addresses: [
      { type: 'InternalIP', address: host.internalIP },
      { type: 'Hostname', address: host.name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: {
      machineID: host.machineID,
      systemUUID: host.systemUUID,
      bootID: host.bootID,
      kernelVersion: host.kernelVersion,
      osImage: host.osImage,
      containerRuntimeVersion: runtime.version,
      kubeletVersion: KUBELET_VERSION,
      kubeProxyVersion: KUBELET_VERSION,
      operatingSystem: 'linux',
      architecture: host.architecture,
    },
    images: nodeImages(images),
  };
}

/** A status pass: the status to post when anything but heartbeat times changed or a report is due, and when the next is due. */
export function realNodeStatus(node: KObject, fields: NodeStatus, conditions: NodeConditionSpec[], now: number): { status?: NodeStatus; nextReportAt: number } {
  const old: NodeStatus = node.status ?? {};
  const changed = nodeConditionsChanged(old.conditions, conditions) || (Object.keys(fields) as (keyof NodeStatus)[]).some((k) => !semanticEqual(fields[k], old[k]));
  const due = nextNodeReportAt(old.conditions);
  if (!changed && now < due) return { nextReportAt: due };
  const status: NodeStatus = { ...old, ...fields, conditions: postNodeConditions(old.conditions, conditions, now) };
  return { status, nextReportAt: nextNodeReportAt(status.conditions) };
}
