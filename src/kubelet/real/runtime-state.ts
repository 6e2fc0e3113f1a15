// What the runtime has for one pod (its sandboxes and containers), in the kubelet's terms, built from CRI list/status replies.
import type { ContainerStatus as CriContainerStatus, PodSandboxStatus as CriSandboxStatus } from '../../cri/types';

/** Labels the kubelet puts on sandboxes and containers (as upstream's kuberuntime labels), used to find them again. */
export const LABEL_POD_NAME = 'io.kubernetes.pod.name';
export const LABEL_POD_NAMESPACE = 'io.kubernetes.pod.namespace';
export const LABEL_POD_UID = 'io.kubernetes.pod.uid';
export const LABEL_CONTAINER_NAME = 'io.kubernetes.container.name';
/** Annotation holding a container's restart count. */
export const ANNOTATION_RESTART_COUNT = 'io.kubernetes.container.restartCount';
/** Annotations naming where the container's termination message is written and how it is read (upstream's names). */
export const ANNOTATION_TERMINATION_MESSAGE_PATH = 'io.kubernetes.container.terminationMessagePath';
export const ANNOTATION_TERMINATION_MESSAGE_POLICY = 'io.kubernetes.container.terminationMessagePolicy';
/** Annotation holding a container's terminationGracePeriod seconds, for stopping it after a restart of tugboat. */
export const ANNOTATION_TERMINATION_GRACE = 'io.kubernetes.pod.terminationGracePeriod';

/** A container's state, as kuberuntime's ContainerState. */
export type RuntimeContainerState = 'created' | 'running' | 'exited' | 'unknown';

/** One container instance of a pod. Times are ms since the epoch (0: not yet). */
export interface RuntimeContainer {
  id: string;
  name: string;
  sandboxId: string;
  restartCount: number;
  state: RuntimeContainerState;
  createdAt: number;
  startedAt: number;
  finishedAt: number;
  exitCode: number;
  /** The runtime's reason for an exit (Completed, Error, OOMKilled). */
  reason: string;
  message: string;
  image: string;
  imageRef: string;
  logPath: string;
  /** Host path of the file mounted at the container's terminationMessagePath, if any. */
  terminationMessageFile?: string;
  /** FallbackToLogsOnError: an empty message of a failed container is taken from the end of its log. */
  messageFromLogs?: boolean;
}

/** One sandbox of a pod. */
export interface RuntimeSandbox {
  id: string;
  attempt: number;
  ready: boolean;
  ips: string[];
  createdAt: number;
}

/** Everything the runtime has for one pod: sandboxes and containers, newest first. */
export interface PodRuntimeState {
  sandboxes: RuntimeSandbox[];
  containers: RuntimeContainer[];
}

const nsToMs = (ns: number) => (ns > 0 ? Math.floor(ns / 1e6) : 0);

const STATES: Record<string, RuntimeContainerState> = {
  CONTAINER_CREATED: 'created',
  CONTAINER_RUNNING: 'running',
  CONTAINER_EXITED: 'exited',
};

/** A container from its CRI status. */
export function containerFromCri(s: CriContainerStatus, sandboxId: string): RuntimeContainer {
  const rc = Number(s.annotations?.[ANNOTATION_RESTART_COUNT]);
  return {
    id: s.id,
    name: s.metadata?.name ?? s.labels?.[LABEL_CONTAINER_NAME] ?? '',
    sandboxId,
    restartCount: Number.isInteger(rc) ? rc : (s.metadata?.attempt ?? 0),
    state: STATES[s.state] ?? 'unknown',
    createdAt: nsToMs(s.createdAt),
    startedAt: nsToMs(s.startedAt),
    finishedAt: nsToMs(s.finishedAt),
    exitCode: s.exitCode,
    reason: s.reason,
    message: s.message,
    image: s.image?.image ?? '',
    imageRef: s.imageRef,
    logPath: s.logPath,
    terminationMessageFile: s.mounts?.find((m) => m.containerPath === s.annotations?.[ANNOTATION_TERMINATION_MESSAGE_PATH])?.hostPath,
    messageFromLogs: s.annotations?.[ANNOTATION_TERMINATION_MESSAGE_POLICY] === 'FallbackToLogsOnError',
  };
}

/** A sandbox from its CRI status. */
export function sandboxFromCri(s: CriSandboxStatus): RuntimeSandbox {
  const ips: string[] = [];
  if (s.network?.ip) ips.push(s.network.ip);
  for (const a of s.network?.additionalIps ?? []) if (a.ip) ips.push(a.ip);
  return { id: s.id, attempt: s.metadata?.attempt ?? 0, ready: s.state === 'SANDBOX_READY', ips, createdAt: nsToMs(s.createdAt) };
}

/** Sorts newest first (what kuberuntime's status lists do), so [0] is the current instance. */
export function newestFirst<T extends { createdAt: number }>(items: T[]): T[] {
  return [...items].sort((a, b) => b.createdAt - a.createdAt);
}

/** The newest instance of container `name`, optionally only within `sandboxId`. */
export function latestContainer(state: PodRuntimeState, name: string, sandboxId?: string): RuntimeContainer | undefined {
  return state.containers.find((c) => c.name === name && (sandboxId === undefined || c.sandboxId === sandboxId));
}

/** The second-newest instance of container `name` (for lastState and `kubectl logs --previous`). */
export function previousContainer(state: PodRuntimeState, name: string): RuntimeContainer | undefined {
  return state.containers.filter((c) => c.name === name)[1];
}
