// One pod's sync against the runtime (upstream kuberuntime SyncPod / KillPod): sandbox, images, containers, hooks, status, deletion.
import { mkdirSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Container, Pod, PodStatus } from 'kubernetes-types/core/v1';
import type { KObject } from '../../api/types';
import type { EventRecorder } from '../../client/events';
import type { Client } from '../../client/types';
import { R } from '../../client/types';
import { isCriNotFound } from '../../cri/client';
import type { HostPorts } from '../cri/hostports';
import type { CriRequest, PodSandboxConfig, SecurityProfile } from '../../cri/types';
import type { Clock } from '../../util/clock';
import { logger } from '../../util/log';
import { isRestartableInit } from '../pod-conditions';
import { goDuration, type Backoff } from './backoff';
import { containerConfig, type ContainerParts } from './container-config';
import { podDNSConfig, type DNSSettings } from './dns';
import { ensureEtcHosts, sandboxHostname, shouldMountHostsFile } from './etc-hosts';
import { runHook } from './hooks';
import type { EnsureImageResult, ImagePuller } from './image-puller';
import { backoffKey, computePodActions, type ContainerToStart } from './pod-actions';
import { ensurePodCgroup, removePodCgroup, swapControllerAvailable, type CgroupLayout } from './pod-cgroup';
import { podCgroupParent, podResourceConfig } from './resources';
import type { CriRuntime, RuntimeReader } from './runtime';
import { LABEL_POD_UID, type PodRuntimeState, type RuntimeContainer } from './runtime-state';
import { podHostPorts, podLogDirectory, podSandboxConfig } from './sandbox-config';
import { formatPod, verifyRunAsNonRoot } from './security';
import { computePodStatus, podStatusChanged, type WaitingReason } from './status';
import { containerMounts, terminationMessageMount, type MountedVolume, type VolumeSetUpResult } from './volumes';

const log = logger('kubelet');

/** The smallest grace a container gets to stop after its preStop hook (upstream minimumGracePeriodInSeconds). */
const MIN_GRACE_SECONDS = 2;
/**
 * How long a pod is looked at again without any other cause: a minute, as upstream's periodic sync. Everything else
 * wakes the pod itself: the relist (exits), probe results, spec changes, changed ConfigMaps and Secrets (kubelet.ts),
 * and the worker's own requeues (back-offs, a kill to restart from, a sidecar that later containers wait for). At 10 s
 * the periodic syncs were most of an idle node's CPU: ~24 of 31 ms/s with 20 pods.
 */
export const RESYNC_MS = 60_000;

/** Probe results the worker acts on (liveness/startup kills, readiness), kept per container id. */
export interface PodProbes {
  unhealthy(uid: string): ReadonlyMap<string, string>;
  started(id: string): boolean;
  ready(id: string): boolean;
  /** Starts or stops probing the pod's running containers. */
  sync(pod: Pod, state: PodRuntimeState): void;
  forget(uid: string): void;
}

/** The node and its settings, fixed for the kubelet's life. */
export interface WorkerConfig {
  nodeName: string;
  dataDir: string;
  hostIP: string;
  memoryCapacityBytes: number;
  dns: DNSSettings;
  cgroups: CgroupLayout;
  /** Every sandbox's seccomp profile (pause-seccomp.ts). */
  sandboxSeccomp: SecurityProfile;
}

/** Ports and shared state a pod worker uses. */
export interface WorkerDeps {
  client: Client;
  clock: Clock;
  recorder: EventRecorder;
  cri: CriRuntime;
  reader: RuntimeReader;
  images: ImagePuller;
  parts: ContainerParts;
  probes: PodProbes;
  backoff: Backoff;
  /** The node's hostPort rules, when the kubelet keeps them (our own network); else the runtime's CNI does. */
  hostPorts?: HostPorts;
}

/** What one sync leaves: when the pod should next be looked at (undefined: only on events). */
export interface SyncResult {
  requeueAfterMs?: number;
}

// The kubelet's memory of one pod between syncs.
interface PodRecord {
  waiting: Map<string, WaitingReason>;
  /** The pod as last written by us, newer than the informer's copy until the watch catches up. */
  written?: Pod;
}

const rv = (p: Pod | undefined) => Number(p?.metadata?.resourceVersion ?? NaN);
const codeOf = (e: unknown) => (e as { code?: number })?.code;
const podKey = (pod: Pod) => `${pod.metadata!.namespace}/${pod.metadata!.name}`;

/** Syncs pods, one call at a time per pod (the caller's queue serializes by pod uid). */
export class PodWorkers {
  private readonly records = new Map<string, PodRecord>();

  constructor(
    private readonly cfg: WorkerConfig,
    private readonly d: WorkerDeps,
  ) {}

  private record(uid: string): PodRecord {
    let r = this.records.get(uid);
    if (!r) this.records.set(uid, (r = { waiting: new Map() }));
    return r;
  }

  // The object events name (informer copies may lack kind).
  private ref(pod: Pod): KObject {
    return { apiVersion: 'v1', kind: 'Pod', metadata: pod.metadata as KObject['metadata'] };
  }

  /** The pod's directory for volumes and the hosts file. */
  podDir(uid: string): string {
    return join(this.cfg.dataDir, 'pods', uid);
  }

  /** The pod's directory, log directory and volumes: containers need them, the sandbox does not. */
  private async setUpVolumes(pod: Pod): Promise<VolumeSetUpResult> {
    const dir = this.podDir(pod.metadata!.uid!);
    const [volumes] = await Promise.all([
      mkdir(dir, { recursive: true }).then(() => this.d.parts.volumes(pod, dir)),
      mkdir(podLogDirectory(this.cfg.dataDir, pod), { recursive: true }),
    ]);
    return volumes;
  }

  /** Brings the runtime in line with `pod` (bound to this node) and posts its status. */
  async syncPod(informerPod: Pod): Promise<SyncResult> {
    const uid = informerPod.metadata!.uid!;
    const firstSync = !this.records.has(uid);
    const rec = this.record(uid);
    const pod = rec.written && rv(rec.written) > rv(informerPod) ? { ...informerPod, status: rec.written.status } : informerPod;
    if (pod.metadata?.deletionTimestamp) return this.terminate(pod, rec);
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') return this.syncLive(pod, rec, firstSync);
    // A pod that has not finished needs its cgroup (with its limits, before any sandbox is made under it) and its
    // volumes whatever the runtime holds, as upstream's syncPod. Volumes are set up while the runtime state is read and
    // the sandbox is made; only containers wait for them.
    ensurePodCgroup(this.cfg.cgroups, podCgroupParent(pod), podResourceConfig(pod));
    const volumes = this.setUpVolumes(pod);
    volumes.catch(() => undefined); // handled where it is awaited
    try {
      return await this.syncLive(pod, rec, firstSync, volumes);
    } finally {
      // Whatever the sync decided, it ends only after the set-up does: a cleanup must never race a late mount.
      await volumes.catch(() => undefined);
    }
  }

  // The sync of a pod that is not being deleted; `setUp` is its volume set-up under way (none once the pod finished).
  private async syncLive(pod: Pod, rec: PodRecord, firstSync: boolean, setUp?: Promise<VolumeSetUpResult>): Promise<SyncResult> {
    const uid = pod.metadata!.uid!;
    let state: PodRuntimeState;
    // A pod this kubelet has never synced, and the last relist did not see, has nothing in the runtime: only our syncs
    // make sandboxes for it (upstream's syncPod likewise starts from the PLEG's cache, not a fresh read). Everything
    // the runtime has of it after this sync is what this sync makes, so its state is read by status calls alone.
    const fresh = firstSync && this.d.reader.unseen(uid);
    state = fresh ? { sandboxes: [], containers: [] } : await this.d.reader.podState(uid);
    this.d.probes.sync(pod, state);
    const now = this.d.clock.now();
    const actions = computePodActions(pod, state, { now, backoff: this.d.backoff, unhealthy: this.d.probes.unhealthy(uid), started: (id) => this.d.probes.started(id) });
    let retryAt = Infinity;
    let acted = false;
    const grace = pod.spec?.terminationGracePeriodSeconds ?? 30;

    if (actions.killPod) {
      const running = state.containers.filter((c) => c.state === 'running' || c.state === 'created');
      const readySandboxes = state.sandboxes.filter((s) => s.ready);
      if (actions.createSandbox && state.sandboxes.length) this.d.recorder.event(this.ref(pod), 'Normal', 'SandboxChanged', 'Pod sandbox changed, it will be killed and re-created.');
      if (running.length || readySandboxes.length) {
        await this.killPod(pod, state, grace);
        acted = true;
      }
    }
    let sandboxId = actions.sandboxId;
    let podIPs = state.sandboxes[0]?.ips ?? [];
    let sandboxConfig: CriRequest<PodSandboxConfig>;
    try {
      sandboxConfig = this.sandboxConfig(pod, actions.attempt, actions.createSandbox);
    } catch (e) {
      this.d.recorder.event(this.ref(pod), 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${(e as Error).message}`);
      throw e;
    }
    // The first container's image is made present while its sandbox is made (upstream does it right after): nothing in
    // between depends on the sandbox, and a pull overlaps the sandbox instead of following it.
    let firstImage: Promise<EnsureImageResult> | undefined;
    if (actions.createSandbox) {
      const first = actions.start[0];
      const sandbox = this.d.cri.runPodSandbox({ config: sandboxConfig }); // asked for first: it is the long one
      firstImage = first && this.d.images.ensure(pod, this.ref(pod), first.container, sandboxConfig);
      const [made] = await Promise.allSettled([sandbox, firstImage]);
      if (made.status === 'rejected') {
        this.d.recorder.event(this.ref(pod), 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${(made.reason as Error).message}`);
        throw made.reason;
      }
      sandboxId = made.value.podSandboxId;
      log.info('sandbox started', { obj: podKey(pod), sandbox: sandboxId, attempt: actions.attempt });
      acted = true;
      state = await this.d.reader.podState(uid, { sandboxId, complete: fresh });
      podIPs = state.sandboxes[0]?.ips ?? [];
    }
    // Volumes are set up (and their content refreshed) before any container starts; containers wait for all of them.
    let volumes = new Map<string, MountedVolume>();
    if (setUp && (!actions.killPod || actions.createSandbox)) {
      const v = await setUp;
      for (const err of v.errors) this.d.recorder.event(this.ref(pod), 'Warning', 'FailedMount', err.message);
      if (v.errors.length) {
        await this.postStatus(pod, rec, state, false);
        return { requeueAfterMs: 2000 };
      }
      volumes = v.volumes;
    }
    // hostPorts forward to the sandbox's address before any container starts (as portmap did inside RunPodSandbox).
    const hostPorts = this.d.hostPorts && podIPs.length ? podHostPorts(pod, podIPs[0]) : [];
    if (hostPorts.length) await this.d.hostPorts!.set(uid, hostPorts);
    for (const k of actions.kill) {
      const c = state.containers.find((x) => x.id === k.id);
      if (c) await this.killContainer(pod, c, grace, k.message);
      acted = true;
      // The next sync starts it again (through its back-off): look again at once, as upstream restarts in the same sync.
      retryAt = Math.min(retryAt, this.d.clock.now());
    }
    for (const b of actions.backoff) {
      const msg = `back-off ${goDuration(b.delayMs)} restarting failed container=${b.name} pod=${formatPod(pod)}`;
      if (rec.waiting.get(b.name)?.reason !== 'CrashLoopBackOff') {
        this.d.recorder.event(this.ref(pod), 'Warning', 'BackOff', `Back-off restarting failed container ${b.name} in pod ${formatPod(pod)}`);
      }
      rec.waiting.set(b.name, { reason: 'CrashLoopBackOff', message: msg });
      retryAt = Math.min(retryAt, b.until);
    }
    const created: string[] = [];
    if (sandboxId && actions.start.length) {
      for (const s of actions.start) {
        const res = await this.startContainer(pod, rec, s, state, sandboxId, sandboxConfig, podIPs, volumes, s === actions.start[0] ? firstImage : undefined);
        acted = true;
        if (res.id) created.push(res.id);
        if (res.retryAt) retryAt = Math.min(retryAt, res.retryAt);
        // Init containers run one at a time: a failed start holds the rest.
        if (!res.ok && s.init && !isRestartableInit(s.container)) break;
      }
      if (actions.continueAfterStart && created.length) retryAt = Math.min(retryAt, this.d.clock.now());
    }
    if (acted) state = await this.d.reader.podState(uid, fresh ? { sandboxId, containerIds: created, complete: true } : { containerIds: created });
    this.d.probes.sync(pod, state);
    const terminal = actions.killPod && !actions.createSandbox;
    await this.postStatus(pod, rec, state, terminal);
    if (terminal) return {};
    const next = Math.min(retryAt - this.d.clock.now(), RESYNC_MS);
    return { requeueAfterMs: Math.max(100, next) };
  }

  // The sandbox config of this attempt (hostname, DNS, cgroup parent); DNS warnings become events when the sandbox is made.
  private sandboxConfig(pod: Pod, attempt: number, creating: boolean): CriRequest<PodSandboxConfig> {
    const dns = podDNSConfig(pod, this.cfg.dns);
    if (creating) for (const ev of dns.events) this.d.recorder.event(this.ref(pod), ev.type, ev.reason, ev.message);
    return podSandboxConfig(pod, {
      dataDir: this.cfg.dataDir,
      attempt,
      hostname: sandboxHostname(pod, this.cfg.dns.clusterDomain),
      dnsConfig: dns.config,
      cgroupParent: podCgroupParent(pod),
      seccomp: this.cfg.sandboxSeccomp,
    });
  }

  // Pull (unless `ensured` did), config, create, start and postStart of one container; failures become its waiting reason.
  private async startContainer(
    pod: Pod,
    rec: PodRecord,
    s: ContainerToStart,
    state: PodRuntimeState,
    sandboxId: string,
    sandboxConfig: CriRequest<PodSandboxConfig>,
    podIPs: string[],
    volumes: ReadonlyMap<string, MountedVolume>,
    ensured?: Promise<EnsureImageResult>,
  ): Promise<{ ok: boolean; id?: string; retryAt?: number }> {
    const c = s.container;
    const ref = this.ref(pod);
    const fail = (reason: string, message: string) => {
      this.d.recorder.event(ref, 'Warning', 'Failed', `Error: ${message}`);
      rec.waiting.set(c.name, { reason, message });
      log.warn('container not started', { obj: podKey(pod), container: c.name, reason, err: message });
      return { ok: false };
    };
    const image = await (ensured ?? this.d.images.ensure(pod, ref, c, sandboxConfig));
    if ('waiting' in image) {
      rec.waiting.set(c.name, image.waiting);
      return { ok: false, retryAt: image.retryAt };
    }
    const podIP = podIPs[0] ?? '';
    let config;
    try {
      const nonRoot = verifyRunAsNonRoot(pod, c, image.user);
      if (nonRoot) return fail('CreateContainerConfigError', nonRoot);
      const podDir = this.podDir(pod.metadata!.uid!);
      const envs = await this.d.parts.env(pod, c, podIPs);
      // The container's small files are written synchronously (see terminationMessageMount): this is on every container start's path.
      const etcHostsPath = shouldMountHostsFile(pod, podIPs) ? ensureEtcHosts(podDir, pod, podIPs, this.cfg.dns.clusterDomain) : undefined;
      const termination = terminationMessageMount(podDir, c);
      mkdirSync(join(podLogDirectory(this.cfg.dataDir, pod), c.name), { recursive: true });
      const mounts = await containerMounts(pod, c, volumes, { envs, etcHostsPath });
      if (termination) mounts.push(termination.mount);
      config = containerConfig(pod, c, {
        restartCount: s.restartCount,
        imageRef: image.imageRef,
        imageUser: image.user,
        envs,
        mounts,
        memoryCapacityBytes: this.cfg.memoryCapacityBytes,
        cgroupHost: { v2: this.cfg.cgroups.v2, swapControllerAvailable: swapControllerAvailable(this.cfg.cgroups) },
      });
    } catch (e) {
      return fail('CreateContainerConfigError', (e as Error).message);
    }
    let id: string;
    try {
      id = (await this.d.cri.createContainer({ podSandboxId: sandboxId, config, sandboxConfig })).containerId;
    } catch (e) {
      return fail('CreateContainerError', (e as Error).message);
    }
    this.d.recorder.event(ref, 'Normal', 'Created', `Created container: ${c.name}`);
    // A restart of an exited instance counts toward the crash-loop back-off, from when that instance finished.
    const last = state.containers.find((x) => x.name === c.name);
    if (last?.state === 'exited') this.d.backoff.next(backoffKey(pod, c.name), last.finishedAt);
    try {
      await this.d.cri.startContainer({ containerId: id });
    } catch (e) {
      return { ...fail('RunContainerError', (e as Error).message), id };
    }
    this.d.recorder.event(ref, 'Normal', 'Started', `Started container ${c.name}`);
    log.info('container started', { obj: podKey(pod), container: c.name, restartCount: s.restartCount, id });
    rec.waiting.delete(c.name);
    const postStart = c.lifecycle?.postStart;
    if (postStart) {
      const err = await runHook(this.d.cri, postStart, { pod, container: c, containerId: id, podIP }, pod.spec?.terminationGracePeriodSeconds ?? 30);
      if (err) {
        this.d.recorder.event(ref, 'Warning', 'FailedPostStartHook', err);
        await this.stopContainer(pod, c, id, podIP, pod.spec?.terminationGracePeriodSeconds ?? 30, 'FailedPostStartHook', false);
        rec.waiting.set(c.name, { reason: 'PostStartHookError', message: err });
        return { ok: false, id };
      }
    }
    await this.pruneInstances(state, c.name);
    return { ok: true, id };
  }

  // Keeps the newest exited instance of a container (for --previous); older ones go, with their logs.
  private async pruneInstances(state: PodRuntimeState, name: string): Promise<void> {
    const old = state.containers.filter((x) => x.name === name && x.state === 'exited').slice(1);
    for (const c of old) {
      try {
        await this.d.cri.removeContainer({ containerId: c.id });
      } catch (e) {
        if (!isCriNotFound(e)) throw e;
      }
    }
    this.d.reader.forget(old.map((c) => c.id));
  }

  // preStop (within the grace period), then stop: SIGTERM and SIGKILL after what is left of the grace.
  private async stopContainer(pod: Pod, c: Container | undefined, id: string, podIP: string, graceSeconds: number, message: string, preStop = true): Promise<void> {
    let grace = graceSeconds;
    this.d.recorder.event(this.ref(pod), 'Normal', 'Killing', message);
    const hook = c?.lifecycle?.preStop;
    if (preStop && hook && grace > 0) {
      const started = this.d.clock.now();
      const err = await runHook(this.d.cri, hook, { pod, container: c!, containerId: id, podIP }, grace);
      if (err) this.d.recorder.event(this.ref(pod), 'Warning', 'FailedPreStopHook', `PreStopHook failed: ${err}`);
      grace = Math.max(MIN_GRACE_SECONDS, grace - Math.floor((this.d.clock.now() - started) / 1000));
    }
    try {
      await this.d.cri.stopContainer({ containerId: id, timeout: grace });
    } catch (e) {
      if (!isCriNotFound(e)) throw e;
    }
  }

  private async killContainer(pod: Pod, rc: RuntimeContainer, graceSeconds: number, message: string): Promise<void> {
    const spec = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].find((c) => c.name === rc.name);
    await this.stopContainer(pod, spec, rc.id, '', graceSeconds, message, rc.state === 'running');
  }

  /** Stops the pod's containers (regular ones first, then sidecars, as upstream), all within one grace period, and its sandboxes. */
  private async killPod(pod: Pod, state: PodRuntimeState, graceSeconds: number): Promise<void> {
    const running = state.containers.filter((c) => c.state === 'running' || c.state === 'created');
    const podIP = state.sandboxes[0]?.ips[0] ?? '';
    const sidecars = new Set((pod.spec?.initContainers ?? []).filter(isRestartableInit).map((c) => c.name));
    const deadline = this.d.clock.now() + graceSeconds * 1000;
    const stop = (list: RuntimeContainer[]) => {
      // Sidecars get what is left of the pod's grace period after the regular containers stopped.
      const grace = Math.max(list.length && sidecars.has(list[0].name) ? MIN_GRACE_SECONDS : 0, Math.ceil((deadline - this.d.clock.now()) / 1000));
      return Promise.all(
        list.map((rc) => {
          const spec = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].find((c) => c.name === rc.name);
          return this.stopContainer(pod, spec, rc.id, podIP, grace, `Stopping container ${rc.name}`, rc.state === 'running');
        }),
      );
    };
    await stop(running.filter((c) => !sidecars.has(c.name)));
    await stop(running.filter((c) => sidecars.has(c.name)));
    for (const s of state.sandboxes) {
      if (!s.ready) continue;
      try {
        await this.d.cri.stopPodSandbox({ podSandboxId: s.id });
      } catch (e) {
        if (!isCriNotFound(e)) throw e;
      }
    }
    await this.d.hostPorts?.set(pod.metadata!.uid!, []);
    log.info('pod killed', { obj: podKey(pod) });
  }

  // A pod being deleted: stop everything within its grace period, post the final status, then delete it for good.
  private async terminate(pod: Pod, rec: PodRecord): Promise<SyncResult> {
    const uid = pod.metadata!.uid!;
    let state = await this.d.reader.podState(uid);
    const grace = pod.metadata?.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
    if (state.containers.some((c) => c.state === 'running' || c.state === 'created') || state.sandboxes.some((s) => s.ready)) {
      await this.killPod(pod, state, grace);
      state = await this.d.reader.podState(uid);
    }
    this.d.probes.forget(uid);
    await this.postStatus(pod, rec, state, true).catch((e) => {
      if (codeOf(e) !== 404 && codeOf(e) !== 409) throw e;
    });
    try {
      await this.d.client.resource(R.pods).delete(pod.metadata!.namespace!, pod.metadata!.name!, { gracePeriodSeconds: 0, preconditions: { uid } });
      log.info('pod deleted', { obj: podKey(pod) });
    } catch (e) {
      if (codeOf(e) !== 404 && codeOf(e) !== 409) throw e;
    }
    return {};
  }

  // Writes the status computed from the runtime when it differs from the stored one.
  private async postStatus(pod: Pod, rec: PodRecord, state: PodRuntimeState, terminal: boolean): Promise<void> {
    const status: PodStatus = computePodStatus({
      pod,
      state,
      hostIP: this.cfg.hostIP,
      now: this.d.clock.now(),
      waiting: rec.waiting,
      ready: (id) => this.d.probes.ready(id),
      started: (id) => this.d.probes.started(id),
      terminal,
    });
    if (!podStatusChanged(pod.status, status)) return;
    const stored = (await this.d.client.resource(R.pods).updateStatus(pod.metadata!.namespace!, { ...(pod as KObject), status })) as Pod;
    rec.written = stored;
  }

  /** Removes everything the runtime has for a pod that is gone from the API (or was never ours): containers, sandboxes, logs, volumes. */
  async cleanup(uid: string): Promise<void> {
    const state = await this.d.reader.podState(uid);
    const sandboxes = await this.d.cri.listPodSandbox({ filter: { labelSelector: { [LABEL_POD_UID]: uid } } });
    for (const c of state.containers) {
      if (c.state === 'running') {
        try {
          await this.d.cri.stopContainer({ containerId: c.id, timeout: MIN_GRACE_SECONDS });
        } catch (e) {
          if (!isCriNotFound(e)) throw e;
        }
      }
    }
    for (const s of sandboxes.items) {
      try {
        await this.d.cri.stopPodSandbox({ podSandboxId: s.id });
        await this.d.cri.removePodSandbox({ podSandboxId: s.id });
      } catch (e) {
        if (!isCriNotFound(e)) throw e;
      }
      const m = s.metadata;
      if (m) await rm(join(this.cfg.dataDir, 'pods', 'logs', `${m.namespace}_${m.name}_${m.uid}`), { recursive: true, force: true });
    }
    this.d.reader.forget([...state.containers.map((c) => c.id), ...sandboxes.items.map((s) => s.id)]);
    await this.d.hostPorts?.set(uid, []);
    await this.d.parts.tearDown(uid, this.podDir(uid));
    await rm(this.podDir(uid), { recursive: true, force: true });
    // The pod's QoS tier is not known once the pod is gone: try each.
    for (const tier of ['', 'burstable/', 'besteffort/']) await removePodCgroup(this.cfg.cgroups, `/kubepods/${tier}pod${uid}`);
    this.d.probes.forget(uid);
    this.d.images.forgetPod(uid);
    this.d.backoff.gc(this.d.clock.now(), `${uid}/`);
    this.records.delete(uid);
    const m = sandboxes.items[0]?.metadata;
    if (m) log.info('pod cleaned up', { obj: `${m.namespace}/${m.name}`, uid });
  }
}
