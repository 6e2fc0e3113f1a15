// Pure: a pod's status from what the runtime has and what the kubelet knows (upstream generateAPIPodStatus + convertToAPIContainerStatuses).
import type { Container, ContainerState, ContainerStatus, Pod, PodStatus } from 'kubernetes-types/core/v1';
import { semanticEqual } from '../../machinery/validation';
import { rfc3339 } from '../../util/clock';
import { normalizeImage } from '../images';
import { generatePodConditions, isRestartableInit, mergePodConditions, podPhase } from '../pod-conditions';
import { latestContainer, type PodRuntimeState, type RuntimeContainer } from './runtime-state';

/** Why a container is not running, as the worker last saw it (ErrImagePull, CrashLoopBackOff, CreateContainerConfigError…). */
export interface WaitingReason {
  reason: string;
  message?: string;
}

/** Inputs of computePodStatus. */
export interface PodStatusInput {
  pod: Pod;
  state: PodRuntimeState;
  /** The node's InternalIP. */
  hostIP: string;
  now: number;
  /** Waiting reasons by container name, cleared by the worker when the container starts. */
  waiting: ReadonlyMap<string, WaitingReason>;
  /** Readiness of a running container by id (true without a readiness probe once started). */
  ready(id: string): boolean;
  /** Whether a running container (by id) has passed its startup probe (true without one). */
  started(id: string): boolean;
  /** The pod's containers were stopped for good (finished or deleted): the phase becomes Succeeded or Failed. */
  terminal: boolean;
}

/** The CRI container id as the API shows it. */
export const containerID = (id: string) => `containerd://${id}`;

const time = (ms: number) => (ms > 0 ? rfc3339(ms) : undefined);

function terminated(c: RuntimeContainer): ContainerState {
  const t: NonNullable<ContainerState['terminated']> = {
    exitCode: c.exitCode,
    reason: c.reason || (c.exitCode === 0 ? 'Completed' : 'Error'),
    containerID: containerID(c.id),
  };
  if (c.message) t.message = c.message;
  const started = time(c.startedAt);
  const finished = time(c.finishedAt);
  if (started) t.startedAt = started;
  if (finished) t.finishedAt = finished;
  return { terminated: t };
}

// One container's status: the newest instance's state, the one before as lastState.
function containerStatus(c: Container, input: PodStatusInput, init: boolean, defaultReason: string): ContainerStatus {
  const { state } = input;
  const instances = state.containers.filter((x) => x.name === c.name);
  const cur = instances[0];
  const waiting = input.waiting.get(c.name);
  const s: ContainerStatus = {
    name: c.name,
    state: {},
    lastState: {},
    ready: false,
    restartCount: cur?.restartCount ?? 0,
    image: cur?.image || normalizeImage(c.image ?? ''),
    imageID: cur?.imageRef ?? '',
    started: false,
  };
  if (cur) s.containerID = containerID(cur.id);
  const waitingState = (reason: WaitingReason): ContainerState => ({ waiting: reason.message ? { reason: reason.reason, message: reason.message } : { reason: reason.reason } });
  if (cur?.state === 'running') {
    s.state = { running: { startedAt: time(cur.startedAt) ?? time(cur.createdAt) } };
    if (instances[1]?.state === 'exited') s.lastState = terminated(instances[1]);
    s.started = input.started(cur.id);
    // A regular init container is ready only once it has completed.
    s.ready = s.started && input.ready(cur.id) && !(init && !isRestartableInit(c));
  } else if (cur?.state === 'exited') {
    if (waiting) {
      // Waiting to be restarted (back-off, pull error): the instance that ended is the last state.
      s.state = waitingState(waiting);
      s.lastState = terminated(cur);
    } else {
      s.state = terminated(cur);
      if (instances[1]?.state === 'exited') s.lastState = terminated(instances[1]);
      // A completed init container counts as ready (upstream marks it so).
      s.ready = init && !isRestartableInit(c) && cur.exitCode === 0;
    }
  } else {
    s.state = waitingState(waiting ?? { reason: defaultReason });
    if (instances[1]?.state === 'exited') s.lastState = terminated(instances[1]);
  }
  return s;
}

/** The status the kubelet posts for `pod` now. */
export function computePodStatus(input: PodStatusInput): PodStatus {
  const { pod, state, now } = input;
  const old: PodStatus = pod.status ?? {};
  const spec = pod.spec!;
  const inits = spec.initContainers ?? [];
  const sandbox = state.sandboxes[0];
  const sandboxReady = !!sandbox?.ready && !input.terminal;
  // Regular containers show PodInitializing until the init containers are done; all start out as ContainerCreating.
  const initDone = inits.every((c) => {
    const cur = latestContainer(state, c.name);
    return isRestartableInit(c) ? cur?.state === 'running' : cur?.state === 'exited' && cur.exitCode === 0;
  });
  const initStatuses = inits.map((c) => containerStatus(c, input, true, 'PodInitializing'));
  const statuses = spec.containers.map((c) => containerStatus(c, input, false, inits.length && !initDone ? 'PodInitializing' : 'ContainerCreating'));
  const phase = podPhase(pod, statuses, initStatuses, input.terminal);

  const status: PodStatus = { ...old, phase, hostIP: input.hostIP, hostIPs: [{ ip: input.hostIP }] };
  status.startTime = old.startTime ?? rfc3339(now);
  const ips = spec.hostNetwork ? [input.hostIP] : (sandbox?.ips ?? []);
  if (ips.length) {
    status.podIP = ips[0];
    status.podIPs = ips.map((ip) => ({ ip }));
  }
  if (inits.length) status.initContainerStatuses = initStatuses;
  else delete status.initContainerStatuses;
  status.containerStatuses = statuses;
  status.conditions = mergePodConditions(old.conditions, generatePodConditions(pod, statuses, initStatuses, phase, sandboxReady), now);
  return status;
}

/** Whether `next` differs from the stored status (times of unchanged conditions are kept, so equal means nothing to write). */
export function podStatusChanged(old: PodStatus | undefined, next: PodStatus): boolean {
  return !semanticEqual(old ?? {}, next);
}
