// Pure: what to do with a pod's sandbox and containers now (upstream kuberuntime_manager's computePodActions).
import type { Container, Pod } from 'kubernetes-types/core/v1';
import { isRestartableInit } from '../pod-conditions';
import type { Backoff } from './backoff';
import { latestContainer, type PodRuntimeState, type RuntimeContainer, type RuntimeSandbox } from './runtime-state';

/** A container to create and start, with the restart count its new instance gets. */
export interface ContainerToStart {
  container: Container;
  init: boolean;
  restartCount: number;
}

/** A running container to stop, and why (shown in the Killing event). */
export interface ContainerToKill {
  id: string;
  name: string;
  message: string;
}

/** A container that must wait out its crash-loop back-off before it is restarted. */
export interface BackedOffContainer {
  name: string;
  delayMs: number;
  /** When the wait ends. */
  until: number;
}

/** The decision of one pod sync. */
export interface PodActions {
  /** Stop every container and the sandbox (the pod is done, deleted, or its sandbox must be replaced). */
  killPod: boolean;
  createSandbox: boolean;
  /** The sandbox the containers run in (undefined when one is to be created). */
  sandboxId?: string;
  /** Attempt number of the sandbox to create. */
  attempt: number;
  /** In order: init containers first (at most one regular init container), then regular containers. */
  start: ContainerToStart[];
  kill: ContainerToKill[];
  backoff: BackedOffContainer[];
  /**
   * A sidecar is among the starts and what comes after it waits only for it to be running: sync again once it is
   * started. (An init container's exit, or a startup probe's result, wakes the pod on its own; a sidecar that is just
   * running changes nothing the relist would report to a worker that has already seen it.)
   */
  continueAfterStart: boolean;
}

/** What the kubelet knows beside the runtime: crash-loop back-off, probe results. */
export interface PodActionsContext {
  now: number;
  backoff: Backoff;
  /** Containers (by runtime id) that failed their liveness or startup probe, with the kill message. */
  unhealthy: ReadonlyMap<string, string>;
  /** Whether a running container (by id) has passed its startup probe (true for containers without one). */
  started(id: string): boolean;
}

/** The crash-loop back-off key of a container of a pod. */
export function backoffKey(pod: Pod, name: string): string {
  return `${pod.metadata?.uid}/${name}`;
}

/** Whether a container that exited with `exitCode` is restarted under `policy` (upstream ShouldContainerBeRestarted). */
export function shouldRestart(policy: string | undefined, exitCode: number): boolean {
  if (policy === 'Never') return false;
  if (policy === 'OnFailure') return exitCode !== 0;
  return true;
}

// Whether the pod's sandbox must be (re)created, and with which attempt number (upstream podSandboxChanged).
function sandboxChanged(pod: Pod, sandboxes: RuntimeSandbox[]): { create: boolean; attempt: number; sandbox?: RuntimeSandbox } {
  if (sandboxes.length === 0) return { create: true, attempt: 0 };
  const latest = sandboxes[0];
  const readyCount = sandboxes.filter((s) => s.ready).length;
  const next = { create: true, attempt: latest.attempt + 1, sandbox: latest };
  if (readyCount > 1 || !latest.ready) return next;
  if (!pod.spec?.hostNetwork && latest.ips.length === 0) return next;
  return { create: false, attempt: latest.attempt, sandbox: latest };
}

const succeeded = (c: RuntimeContainer | undefined) => c?.state === 'exited' && c.exitCode === 0;

/** Computes the actions of one sync of `pod` against what the runtime has. */
export function computePodActions(pod: Pod, state: PodRuntimeState, ctx: PodActionsContext): PodActions {
  const spec = pod.spec!;
  const policy = spec.restartPolicy ?? 'Always';
  const inits = spec.initContainers ?? [];
  const actions: PodActions = { killPod: false, createSandbox: false, attempt: 0, start: [], kill: [], backoff: [], continueAfterStart: false };
  const restartCountOf = (name: string) => {
    const last = latestContainer(state, name);
    return last ? last.restartCount + 1 : 0;
  };
  const toStart = (c: Container, init: boolean): ContainerToStart => ({ container: c, init, restartCount: restartCountOf(c.name) });

  // A deleted or finished pod only stops.
  if (pod.metadata?.deletionTimestamp || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') {
    actions.killPod = true;
    return actions;
  }

  const sandbox = sandboxChanged(pod, state.sandboxes);
  actions.attempt = sandbox.attempt;
  if (sandbox.create) {
    // The old sandbox (if any) and everything in it goes first.
    actions.killPod = state.sandboxes.length > 0;
    const ranBefore = state.containers.length > 0;
    if (policy === 'Never' && sandbox.attempt !== 0 && ranBefore) {
      actions.killPod = true;
      return actions;
    }
    const regular = spec.containers.filter((c) => !(policy === 'OnFailure' && succeeded(latestContainer(state, c.name))));
    if (regular.length === 0) {
      // Everything already succeeded: nothing to run a new sandbox for.
      actions.killPod = true;
      return actions;
    }
    actions.createSandbox = true;
    actions.start = inits.length ? [toStart(inits[0], true)] : regular.map((c) => toStart(c, false));
    actions.continueAfterStart = inits.length > 0 && isRestartableInit(inits[0]);
    return actions;
  }
  actions.sandboxId = sandbox.sandbox!.id;
  const sandboxId = actions.sandboxId;

  // Queues a restart of an exited container unless it is still in its crash-loop back-off.
  const restart = (c: Container, last: RuntimeContainer, init: boolean) => {
    const key = backoffKey(pod, c.name);
    if (last.state === 'exited' && ctx.backoff.inBackoffSince(key, last.finishedAt, ctx.now)) {
      const delayMs = ctx.backoff.get(key);
      actions.backoff.push({ name: c.name, delayMs, until: last.finishedAt + delayMs });
      return;
    }
    if (last.state === 'created' || last.state === 'unknown') actions.kill.push({ id: last.id, name: c.name, message: `Container ${c.name} is in an unknown state, will be restarted` });
    actions.start.push(toStart(c, init));
  };
  // A running container whose liveness or startup probe failed is stopped; the next sync restarts it (if the policy
  // allows) through the crash-loop back-off, so a container that keeps failing its probe backs off like a crashing one.
  const killUnhealthy = (c: Container, cur: RuntimeContainer): boolean => {
    const msg = ctx.unhealthy.get(cur.id);
    if (msg === undefined) return false;
    actions.kill.push({ id: cur.id, name: c.name, message: msg });
    return true;
  };

  // Init containers run in order in this sandbox; once a regular container has run here, they are done (sidecars aside).
  const regularStarted = spec.containers.some((c) => latestContainer(state, c.name, sandboxId));
  let initialized = true;
  for (const c of inits) {
    const cur = latestContainer(state, c.name, sandboxId);
    if (isRestartableInit(c)) {
      if (!cur) {
        // Started one at a time: the next init container waits for this sidecar to start.
        actions.start.push(toStart(c, true));
        actions.continueAfterStart = true;
        initialized = false;
        break;
      }
      if (cur.state === 'running') {
        if (killUnhealthy(c, cur)) continue;
        if (!ctx.started(cur.id) && !regularStarted) {
          initialized = false;
          break;
        }
        continue;
      }
      // An exited sidecar is restarted (after its back-off) without holding up the others.
      restart(c, latestContainer(state, c.name)!, true);
      continue;
    }
    if (regularStarted) continue;
    if (!cur) {
      actions.start.push(toStart(c, true));
      initialized = false;
      break;
    }
    if (cur.state === 'running') {
      initialized = false;
      break;
    }
    if (succeeded(cur)) continue;
    initialized = false;
    if (cur.state === 'exited' && policy === 'Never') {
      // A failed init container fails a Never pod.
      actions.killPod = true;
      return actions;
    }
    restart(c, cur, true);
    break;
  }
  if (!initialized) return actions;

  // Regular containers: keep the running ones, restart exited ones the policy allows, after their back-off.
  let keep = 0;
  const startsBefore = actions.start.length;
  for (const c of spec.containers) {
    const last = latestContainer(state, c.name);
    if (!last) {
      actions.start.push(toStart(c, false));
      continue;
    }
    if (last.state === 'running' && last.sandboxId === sandboxId) {
      if (!killUnhealthy(c, last) || policy !== 'Never') keep++;
      continue;
    }
    const exitCode = last.state === 'exited' ? last.exitCode : 1;
    if (!shouldRestart(policy, exitCode)) continue;
    const before = actions.backoff.length;
    restart(c, last, false);
    if (actions.backoff.length > before) keep++;
  }
  if (keep === 0 && actions.start.length === startsBefore) {
    // The regular containers are done for good: the pod is finished; its sidecars are not restarted.
    actions.killPod = true;
    actions.start = [];
    actions.backoff = [];
  }
  return actions;
}
