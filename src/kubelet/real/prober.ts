// Probe workers (upstream prober manager): one timer loop per container instance and probe kind, driving probes.ts's
// ProbeState, with the results (started, ready, unhealthy) kept per container id for the pod worker.
import type { Pod, Probe } from 'kubernetes-types/core/v1';
import type { KObject } from '../../api/types';
import type { EventRecorder } from '../../client/events';
import type { Clock } from '../../util/clock';
import { isRestartableInit } from '../pod-conditions';
import type { PodProbes } from './pod-worker';
import { ProbeState, probeEvent, probeKillMessage, runProbe, type ProbeKind, type ProbeOutcome, type ProbeTarget } from './probes';
import type { CriRuntime } from './runtime';
import type { PodRuntimeState } from './runtime-state';

// One probe loop of one container.
interface Worker {
  uid: string;
  state: ProbeState;
  timer?: { cancel(): void };
  stopped: boolean;
}

/** Per-container probe results and the loops that keep them (upstream prober.Manager). */
export class ProbeManager implements PodProbes {
  private readonly workers = new Map<string, Worker>();
  /** Container id → result per kind: liveness/startup failures kill, readiness decides `ready`. */
  private readonly startedIds = new Set<string>();
  private readonly readyIds = new Set<string>();
  private readonly unhealthyByPod = new Map<string, Map<string, string>>();
  private readonly withStartup = new Set<string>();
  private readonly withReadiness = new Set<string>();

  constructor(
    private readonly cri: Pick<CriRuntime, 'execSync'>,
    private readonly clock: Clock,
    private readonly recorder: EventRecorder,
    private readonly onChange: (uid: string) => void,
    private readonly run: (probe: Probe, t: ProbeTarget) => Promise<ProbeOutcome> = runProbe,
  ) {}

  unhealthy(uid: string): ReadonlyMap<string, string> {
    return this.unhealthyByPod.get(uid) ?? new Map();
  }

  started(id: string): boolean {
    return !this.withStartup.has(id) || this.startedIds.has(id);
  }

  ready(id: string): boolean {
    return !this.withReadiness.has(id) || this.readyIds.has(id);
  }

  sync(pod: Pod, state: PodRuntimeState): void {
    const uid = pod.metadata!.uid!;
    const podIP = state.sandboxes[0]?.ips[0] ?? '';
    const running = new Set<string>();
    const specs = [...(pod.spec?.initContainers ?? []).filter(isRestartableInit), ...(pod.spec?.containers ?? [])];
    for (const c of specs) {
      const rc = state.containers.find((x) => x.name === c.name);
      if (!rc || rc.state !== 'running' || pod.metadata?.deletionTimestamp) continue;
      running.add(rc.id);
      const probes: [ProbeKind, Probe | undefined][] = [
        ['startup', c.startupProbe],
        ['liveness', c.livenessProbe],
        ['readiness', c.readinessProbe],
      ];
      if (c.startupProbe) this.withStartup.add(rc.id);
      if (c.readinessProbe) this.withReadiness.add(rc.id);
      for (const [kind, probe] of probes) {
        const key = `${rc.id}/${kind}`;
        if (!probe || this.workers.has(key)) continue;
        const w: Worker = { uid, state: new ProbeState(kind, probe, rc.startedAt || this.clock.now()), stopped: false };
        this.workers.set(key, w);
        this.schedule(pod, w, probe, { container: c, containerId: rc.id, podIP, cri: this.cri });
      }
    }
    // Loops of containers no longer running stop; their results go.
    for (const [key, w] of this.workers) {
      const id = key.slice(0, key.lastIndexOf('/'));
      if (w.uid === uid && !running.has(id)) this.stopWorker(key, w, id);
    }
  }

  private stopWorker(key: string, w: Worker, id: string): void {
    w.stopped = true;
    w.timer?.cancel();
    this.workers.delete(key);
    this.startedIds.delete(id);
    this.readyIds.delete(id);
    this.withStartup.delete(id);
    this.withReadiness.delete(id);
    this.unhealthyByPod.get(w.uid)?.delete(id);
  }

  // Waits for the next due probe; a probe waiting for the startup probe looks again after its period.
  private schedule(pod: Pod, w: Worker, probe: Probe, t: ProbeTarget): void {
    if (w.stopped) return;
    const at = w.state.nextProbeAt(this.started(t.containerId));
    const waitsForStartup = at === undefined && w.state.kind !== 'startup' && !this.started(t.containerId);
    if (at === undefined && !waitsForStartup) return;
    const delay = at === undefined ? (probe.periodSeconds || 10) * 1000 : Math.max(0, at - this.clock.now());
    w.timer = this.clock.setTimeout(() => void this.tick(pod, w, probe, t), delay);
  }

  private async tick(pod: Pod, w: Worker, probe: Probe, t: ProbeTarget): Promise<void> {
    if (w.stopped) return;
    if (w.state.due(this.clock.now(), this.started(t.containerId))) {
      const out = await this.run(probe, t);
      if (w.stopped) return;
      this.record(pod, w, t, out);
    }
    this.schedule(pod, w, probe, t);
  }

  private record(pod: Pod, w: Worker, t: ProbeTarget, out: ProbeOutcome): void {
    const id = t.containerId;
    const kind = w.state.kind;
    const ev = probeEvent(kind, out);
    if (ev) this.recorder.event({ apiVersion: 'v1', kind: 'Pod', metadata: pod.metadata as KObject['metadata'] }, ev.type, ev.reason, ev.message);
    const changed = w.state.record(this.clock.now(), out);
    let notify = false;
    if (kind === 'startup' && out.result === 'success' && !out.error && !this.startedIds.has(id)) {
      this.startedIds.add(id);
      notify = true;
    } else if (kind === 'readiness' && changed) {
      if (w.state.result === 'success') this.readyIds.add(id);
      else this.readyIds.delete(id);
      notify = true;
    } else if (kind !== 'readiness' && changed && w.state.result === 'failure') {
      let m = this.unhealthyByPod.get(w.uid);
      if (!m) this.unhealthyByPod.set(w.uid, (m = new Map()));
      m.set(id, probeKillMessage(kind, t.container.name));
      notify = true;
    }
    if (notify) this.onChange(w.uid);
  }

  /** Stops every loop (the kubelet stops). */
  stopAll(): void {
    for (const [key, w] of this.workers) this.stopWorker(key, w, key.slice(0, key.lastIndexOf('/')));
  }

  forget(uid: string): void {
    for (const [key, w] of this.workers) if (w.uid === uid) this.stopWorker(key, w, key.slice(0, key.lastIndexOf('/')));
    this.unhealthyByPod.delete(uid);
  }
}
