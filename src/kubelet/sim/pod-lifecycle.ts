// Pure: the next status of a pod on a sim node, given the pod, its addresses and the time (no I/O, no clock).
import { createHash } from 'node:crypto';
import type { Container, ContainerStatus, Pod, PodStatus } from 'kubernetes-types/core/v1';
import { semanticEqual } from '../../machinery/validation';
import { rfc3339 } from '../../util/clock';
import { normalizeImage, imageRepository } from '../images';
import { generatePodConditions, isRestartableInit, mergePodConditions, podPhase } from '../pod-conditions';
import { EXIT_CODE_ANNOTATION, RUN_SECONDS_ANNOTATION } from './sim-node';

/** How long the simulated steps take. */
export interface SimPodTiming {
  /** Sandbox creation (network, pause container): the pod shows ContainerCreating meanwhile. */
  sandboxMs: number;
  /** Run time of each (non-sidecar) init container. */
  initMs: number;
  /** Run time of the containers of Never/OnFailure pods without a run-seconds annotation. */
  defaultRunMs: number;
}

/** Timings of `tugboat up`: brief steps, a short run for job-like pods. */
export const DEFAULT_SIM_TIMING: SimPodTiming = { sandboxMs: 1000, initMs: 1000, defaultRunMs: 1000 };

/** A kubelet event about the pod (Pulled, Created, Started, Killing, BackOff). */
export interface PodEventSpec {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

/** What the sim kubelet does with a pod now; `requeueAfterMs` is when the pod next needs a look. */
export type SimPodDecision =
  | { action: 'none'; requeueAfterMs?: number }
  | { action: 'updateStatus'; status: PodStatus; events: PodEventSpec[]; requeueAfterMs?: number }
  | { action: 'delete' };

/** Inputs of nextSimPodState. */
export interface SimPodInput {
  pod: Pod;
  /** The node's InternalIP. */
  hostIP: string;
  /** The address reserved for the pod (ignored with hostNetwork); undefined when the node's range is full. */
  podIP: string | undefined;
  now: number;
  timing?: SimPodTiming;
}

const MAX_BACKOFF_MS = 300_000;
const IP_RETRY_MS = 10_000;

/** Crash-loop delay before restart number n+1 (the first restart is immediate, then 10 s doubling to 5 min). */
export function restartDelayMs(restartCount: number): number {
  return restartCount === 0 ? 0 : Math.min(10_000 * 2 ** (restartCount - 1), MAX_BACKOFF_MS);
}

/** How long the pod's containers run: the annotation, else a short run for Never/OnFailure pods, else forever. */
export function simRunMs(pod: Pod, timing: SimPodTiming): number | undefined {
  const ann = Number(pod.metadata?.annotations?.[RUN_SECONDS_ANNOTATION]);
  if (pod.metadata?.annotations?.[RUN_SECONDS_ANNOTATION] !== undefined && Number.isFinite(ann) && ann >= 0) return ann * 1000;
  const policy = pod.spec?.restartPolicy ?? 'Always';
  return policy === 'Always' ? undefined : timing.defaultRunMs;
}

/** The exit code of a simulated container stopped by pod deletion. */
export const KILLED_EXIT_CODE = 143;

/** The exit code the pod's containers exit with (annotation, default 0). */
export function simExitCode(pod: Pod): number {
  const n = Number(pod.metadata?.annotations?.[EXIT_CODE_ANNOTATION] ?? 0);
  return Number.isInteger(n) && n >= 0 && n <= 255 ? n : 0;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const parseTime = (t: string | undefined) => (t ? Date.parse(t) : NaN);

/** Works out one pod's transitions; collects events and the earliest future moment something is due. */
class PodStepper {
  readonly events: PodEventSpec[] = [];
  private dueAt = Infinity;
  private readonly policy: string;
  private readonly podRef: string;

  constructor(
    private readonly pod: Pod,
    private readonly now: number,
    private readonly timing: SimPodTiming,
  ) {
    this.policy = pod.spec?.restartPolicy ?? 'Always';
    this.podRef = `${pod.metadata?.name}_${pod.metadata?.namespace}(${pod.metadata?.uid})`;
  }

  /** Notes a future moment at which the pod must be looked at again. */
  due(at: number): void {
    if (at > this.now && at < this.dueAt) this.dueAt = at;
  }

  requeueAfter(): number | undefined {
    return this.dueAt === Infinity ? undefined : this.dueAt - this.now;
  }

  /** A container not started yet. */
  waiting(c: Container, reason: string, old?: ContainerStatus): ContainerStatus {
    return {
      name: c.name,
      state: { waiting: { reason } },
      lastState: old?.lastState ?? {},
      ready: false,
      restartCount: old?.restartCount ?? 0,
      image: old?.image ?? c.image ?? '',
      imageID: old?.imageID ?? '',
      started: false,
      ...(old?.containerID ? { containerID: old.containerID } : {}),
    };
  }

  /** Starts (or restarts) a container now. */
  start(c: Container, restartCount: number, lastState: ContainerStatus['lastState'] = {}): ContainerStatus {
    const image = normalizeImage(c.image ?? '');
    const s: ContainerStatus = {
      name: c.name,
      state: { running: { startedAt: rfc3339(this.now) } },
      lastState,
      ready: false,
      restartCount,
      image,
      imageID: `${imageRepository(image)}@sha256:${sha256(image)}`,
      containerID: `sim://${sha256(`${this.pod.metadata?.uid}/${c.name}/${restartCount}`)}`,
      started: false,
    };
    if (restartCount === 0) this.events.push({ type: 'Normal', reason: 'Pulled', message: `Container image "${c.image}" already present on machine` });
    this.events.push({ type: 'Normal', reason: 'Created', message: `Created container: ${c.name}` });
    this.events.push({ type: 'Normal', reason: 'Started', message: `Started container ${c.name}` });
    return this.probe(c, s);
  }

  /** started/ready of a running container from its probes' initial delays (probes always succeed here). */
  probe(c: Container, s: ContainerStatus): ContainerStatus {
    const startedAt = parseTime(s.state?.running?.startedAt);
    if (Number.isNaN(startedAt)) return s;
    const startupAt = c.startupProbe ? startedAt + (c.startupProbe.initialDelaySeconds ?? 0) * 1000 : startedAt;
    const readyAt = Math.max(startupAt, c.readinessProbe ? startedAt + (c.readinessProbe.initialDelaySeconds ?? 0) * 1000 : startedAt);
    const started = this.now >= startupAt;
    const ready = this.now >= readyAt;
    if (!started) this.due(startupAt);
    if (!ready) this.due(readyAt);
    return { ...s, started, ready };
  }

  /** Stops a running container with `exitCode`. */
  terminate(s: ContainerStatus, exitCode: number): ContainerStatus {
    return {
      ...s,
      state: {
        terminated: {
          exitCode,
          reason: exitCode === 0 ? 'Completed' : 'Error',
          startedAt: s.state?.running?.startedAt,
          finishedAt: rfc3339(this.now),
          containerID: s.containerID,
        },
      },
      ready: false,
      started: false,
    };
  }

  /** A regular container one step on: start, probe, exit after its run time, restart per the restart policy. */
  advanceMain(c: Container, old: ContainerStatus | undefined): ContainerStatus {
    let s = !old || (old.state?.waiting && !old.lastState?.terminated) ? this.start(c, old?.restartCount ?? 0) : old;
    if (s.state?.running) {
      s = this.probe(c, s);
      const run = simRunMs(this.pod, this.timing);
      if (run === undefined) return s;
      const end = parseTime(s.state!.running!.startedAt) + run;
      if (this.now < end) {
        this.due(end);
        return s;
      }
      s = this.terminate(s, simExitCode(this.pod));
    }
    const last = s.state?.terminated ?? s.lastState?.terminated;
    if (!last) return s;
    const restart = this.policy === 'Always' || (this.policy === 'OnFailure' && last.exitCode !== 0);
    if (!restart) return s;
    const at = parseTime(last.finishedAt) + restartDelayMs(s.restartCount);
    if (this.now >= at) return this.advanceMain(c, this.start(c, s.restartCount + 1, { terminated: last }));
    this.due(at);
    if (s.state?.waiting?.reason === 'CrashLoopBackOff') return s;
    const backoffS = restartDelayMs(s.restartCount) / 1000;
    this.events.push({ type: 'Warning', reason: 'BackOff', message: `Back-off restarting failed container ${c.name} in pod ${this.podRef}` });
    return {
      ...s,
      state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${backoffS}s restarting failed container=${c.name} pod=${this.podRef}` } },
      lastState: { terminated: last },
      ready: false,
      started: false,
    };
  }

  /** Init containers in order: each regular one runs `initMs` and completes; a sidecar only has to start. Returns whether all are done. */
  advanceInits(inits: Container[], old: ContainerStatus[], out: ContainerStatus[]): boolean {
    let done = true;
    for (const c of inits) {
      const prev = old.find((s) => s.name === c.name);
      if (!done) {
        out.push(prev ?? this.waiting(c, 'PodInitializing'));
        continue;
      }
      if (isRestartableInit(c)) {
        const s = prev?.state?.running ? this.probe(c, prev) : this.start(c, prev?.restartCount ?? 0);
        out.push(s);
        if (!s.started) done = false;
        continue;
      }
      if (prev?.state?.terminated) {
        out.push(prev);
        continue;
      }
      // A running init container is not ready; a completed one is.
      let s: ContainerStatus = { ...(prev?.state?.running ? prev : this.start(c, prev?.restartCount ?? 0)), ready: false, started: true };
      const end = parseTime(s.state!.running!.startedAt) + this.timing.initMs;
      if (this.now >= end) s = { ...this.terminate(s, 0), ready: true };
      else {
        this.due(end);
        done = false;
      }
      out.push(s);
    }
    return done;
  }
}

// When the pod was bound to its node: its PodScheduled transition, else its creation (nodeName set by its author).
function boundAt(pod: Pod, fallback: number): number {
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'True')?.lastTransitionTime;
  const t = parseTime(scheduled ?? pod.metadata?.creationTimestamp);
  return Number.isNaN(t) ? fallback : Math.min(t, fallback);
}

/** The next step of a pod bound to a sim node. */
export function nextSimPodState(input: SimPodInput): SimPodDecision {
  const { pod, now } = input;
  const timing = input.timing ?? DEFAULT_SIM_TIMING;
  const old: PodStatus = pod.status ?? {};
  const step = new PodStepper(pod, now, timing);
  const spec = pod.spec ?? { containers: [] };
  const inits = spec.initContainers ?? [];
  const defaultWaiting = inits.length ? 'PodInitializing' : 'ContainerCreating';

  if (pod.metadata?.deletionTimestamp) return terminating(input, step);
  if (old.phase === 'Succeeded' || old.phase === 'Failed') return { action: 'none' };

  const status: PodStatus = { ...old, hostIP: input.hostIP, hostIPs: [{ ip: input.hostIP }] };
  status.startTime ??= rfc3339(now);
  let sandboxReady = old.conditions?.some((c) => c.type === 'PodReadyToStartContainers' && c.status === 'True') ?? false;
  if (!sandboxReady) {
    // The sandbox is counted from when the pod was bound, so a kubelet that sees a pod late (under load) starts it in one step.
    const readyAt = boundAt(pod, parseTime(status.startTime)) + timing.sandboxMs;
    const ip = spec.hostNetwork ? input.hostIP : input.podIP;
    if (now < readyAt) step.due(readyAt);
    else if (!ip) step.due(now + IP_RETRY_MS);
    else {
      sandboxReady = true;
      status.podIP = ip;
      status.podIPs = [{ ip }];
    }
  }

  const initStatuses: ContainerStatus[] = [];
  const statuses: ContainerStatus[] = [];
  const oldInits = old.initContainerStatuses ?? [];
  const oldMain = old.containerStatuses ?? [];
  if (!sandboxReady) {
    for (const c of inits) initStatuses.push(step.waiting(c, defaultWaiting, oldInits.find((s) => s.name === c.name)));
    for (const c of spec.containers ?? []) statuses.push(step.waiting(c, defaultWaiting, oldMain.find((s) => s.name === c.name)));
  } else {
    const initialized = step.advanceInits(inits, oldInits, initStatuses);
    for (const c of spec.containers ?? []) {
      const prev = oldMain.find((s) => s.name === c.name);
      statuses.push(initialized ? step.advanceMain(c, prev) : (prev ?? step.waiting(c, 'PodInitializing')));
    }
    // Sidecars stop once the regular containers have finished for good.
    const policy = spec.restartPolicy ?? 'Always';
    const finished =
      statuses.every((s) => s.state?.terminated) && (policy === 'Never' || (policy === 'OnFailure' && statuses.every((s) => s.state?.terminated?.exitCode === 0)));
    if (initialized && finished) {
      inits.forEach((c, i) => {
        if (isRestartableInit(c) && initStatuses[i].state?.running) initStatuses[i] = step.terminate(initStatuses[i], 0);
      });
    }
  }

  const phase = podPhase(pod, statuses, initStatuses);
  // A finished pod's sandbox is torn down.
  if (phase === 'Succeeded' || phase === 'Failed') sandboxReady = false;
  status.phase = phase;
  if (inits.length) status.initContainerStatuses = initStatuses;
  else delete status.initContainerStatuses;
  status.containerStatuses = statuses;
  status.conditions = mergePodConditions(old.conditions, generatePodConditions(pod, statuses, initStatuses, phase, sandboxReady), now);
  return decide(old, status, step);
}

// A pod being deleted: its containers stop now; the object goes (grace 0) once deletionTimestamp has passed.
function terminating(input: SimPodInput, step: PodStepper): SimPodDecision {
  const { pod, now } = input;
  const old: PodStatus = pod.status ?? {};
  if (!old.startTime) return { action: 'delete' };
  const deadline = parseTime(pod.metadata!.deletionTimestamp);
  const stop = (s: ContainerStatus) => {
    if (!s.state?.running) return s;
    step.events.push({ type: 'Normal', reason: 'Killing', message: `Stopping container ${s.name}` });
    // A simulated process dies of SIGTERM's default action: 128 + 15, as a real one that does not handle it.
    return step.terminate(s, KILLED_EXIT_CODE);
  };
  const statuses = (old.containerStatuses ?? []).map(stop);
  const initStatuses = (old.initContainerStatuses ?? []).map(stop);
  const terminal = old.phase === 'Succeeded' || old.phase === 'Failed';
  if (now >= deadline && terminal) return { action: 'delete' };
  if (now < deadline) step.due(deadline);
  // During the grace period the phase stays as it was (the pod shows Terminating). When it has passed, the pod first
  // gets its terminal phase, as kubelets since 1.27 report it, so that controllers waiting for Failed or Succeeded
  // (Jobs with a pod failure policy, pods held by finalizers) see it end; the delete follows on the next step.
  // A terminal pod whose containers did not all succeed (some never started) is Failed, as upstream's getPhase has it.
  const final = podPhase(pod, statuses, initStatuses, true);
  const phase = now >= deadline ? (final === 'Succeeded' ? 'Succeeded' : 'Failed') : ((old.phase ?? 'Pending') as 'Pending' | 'Running' | 'Succeeded' | 'Failed');
  if (now >= deadline) step.due(now);
  const sandboxReady = old.conditions?.some((c) => c.type === 'PodReadyToStartContainers' && c.status === 'True') ?? false;
  const status: PodStatus = { ...old, phase, containerStatuses: statuses };
  if (old.initContainerStatuses) status.initContainerStatuses = initStatuses;
  status.conditions = mergePodConditions(old.conditions, generatePodConditions(pod, statuses, initStatuses, phase, sandboxReady), now);
  return decide(old, status, step);
}

function decide(old: PodStatus, status: PodStatus, step: PodStepper): SimPodDecision {
  const requeueAfterMs = step.requeueAfter();
  if (semanticEqual(old, status)) return { action: 'none', requeueAfterMs };
  return { action: 'updateStatus', status, events: step.events, requeueAfterMs };
}
