// The kubelet's port to the container runtime (the CRI calls it makes) and reading a pod's runtime state through it.
import { readFile } from 'node:fs/promises';
import type { CriClient } from '../../cri/client';
import { isCriNotFound } from '../../cri/client';
import type { Container as CriContainer, ContainerStatus as CriContainerStatus, CriRequest, PodSandbox, PodSandboxStatus as CriSandboxStatus } from '../../cri/types';
import {
  LABEL_POD_UID,
  containerFromCri,
  newestFirst,
  sandboxFromCri,
  type PodRuntimeState,
  type RuntimeContainer,
  type RuntimeSandbox,
} from './runtime-state';

/** The CRI calls the kubelet uses (CriClient has them all; tests pass fakes). */
export type CriRuntime = Pick<
  CriClient,
  | 'version'
  | 'status'
  | 'runPodSandbox'
  | 'stopPodSandbox'
  | 'removePodSandbox'
  | 'podSandboxStatus'
  | 'listPodSandbox'
  | 'createContainer'
  | 'startContainer'
  | 'stopContainer'
  | 'removeContainer'
  | 'listContainers'
  | 'containerStatus'
  | 'execSync'
  | 'exec'
  | 'attach'
  | 'portForward'
  | 'pullImage'
  | 'imageStatus'
  | 'listImages'
>;

/** Longest termination message read from the file, and from the log tail (upstream's limits). */
const MAX_MESSAGE_BYTES = 4096;
const MAX_LOG_MESSAGE_BYTES = 2048;
const MAX_LOG_MESSAGE_LINES = 80;

/** The text of CRI log lines ("TIMESTAMP STREAM P|F text"), partial lines joined. */
export function criLogText(log: string): string {
  let out = '';
  for (const line of log.split('\n')) {
    const m = /^\S+ (?:stdout|stderr) ([PF]) (.*)$/.exec(line);
    if (m) out += m[1] === 'F' ? `${m[2]}\n` : m[2];
  }
  return out;
}

/** An exited container's termination message: its message file, or with FallbackToLogsOnError after a failure the end of its log. */
export async function readTerminationMessage(c: RuntimeContainer): Promise<string> {
  const read = async (path: string | undefined) => (path ? await readFile(path, 'utf8').catch(() => '') : '');
  const text = (await read(c.terminationMessageFile)).slice(0, MAX_MESSAGE_BYTES);
  if (text || !c.messageFromLogs || c.exitCode === 0) return text;
  const lines = criLogText(await read(c.logPath)).split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const tail = lines.slice(-MAX_LOG_MESSAGE_LINES).join('\n');
  return tail.slice(-MAX_LOG_MESSAGE_BYTES);
}

/** What one relist saw: every sandbox and container of the kubelet's pods, by pod uid. */
export interface Relist {
  sandboxes: PodSandbox[];
  containers: CriContainer[];
}

/** A fingerprint per pod uid of what a listing saw: its sandbox and container ids with their states. */
export function runtimeFingerprints(r: Relist): Map<string, string> {
  const out = new Map<string, string[]>();
  const add = (uid: string, s: string) => {
    let l = out.get(uid);
    if (!l) out.set(uid, (l = []));
    l.push(s);
  };
  for (const s of r.sandboxes) add(s.labels[LABEL_POD_UID], `${s.id}=${s.state}`);
  for (const c of r.containers) add(c.labels[LABEL_POD_UID], `${c.id}=${c.state}`);
  return new Map([...out].map(([uid, l]) => [uid, l.sort().join(',')]));
}

// A status reply's status; undefined when the runtime no longer has the object.
const statusOf = <T>(call: () => Promise<{ status?: T | null }>): Promise<T | undefined> =>
  call().then(
    (r) => r.status ?? undefined,
    (e) => (isCriNotFound(e) ? undefined : Promise.reject(e)),
  );

/** What a listing of the pod would show, built from the statuses of `changed` (all the pod has). */
async function listingFrom(uid: string, changed: JustChanged, early: ReadonlyMap<string, Promise<unknown>>): Promise<Relist> {
  const labels = { [LABEL_POD_UID]: uid };
  const sandbox = changed.sandboxId ? ((await early.get(changed.sandboxId)) as CriSandboxStatus | undefined) : undefined;
  const containers = await Promise.all((changed.containerIds ?? []).map(async (id) => (await early.get(id)) as CriContainerStatus | undefined));
  return {
    sandboxes: sandbox
      ? [{ id: sandbox.id, state: sandbox.state, metadata: sandbox.metadata, createdAt: sandbox.createdAt, labels, annotations: sandbox.annotations, runtimeHandler: sandbox.runtimeHandler }]
      : [],
    containers: containers
      .filter((c): c is CriContainerStatus => c !== undefined)
      .map((c) => ({
        id: c.id,
        podSandboxId: changed.sandboxId ?? '',
        metadata: c.metadata,
        image: c.image,
        imageRef: c.imageRef,
        state: c.state,
        createdAt: c.createdAt,
        labels,
        annotations: c.annotations,
      })),
  };
}

/** Ids a caller has just changed (created a sandbox, started containers): their statuses are asked for alongside the listing. */
export interface JustChanged {
  sandboxId?: string;
  containerIds?: readonly string[];
  /**
   * These ids are everything the runtime has of the pod (the caller made each of them, in this pod's first sync):
   * their statuses alone are the state, without listing the runtime.
   */
  complete?: boolean;
}

/**
 * Reads runtime states, remembering what cannot change: exited containers' statuses, a ready sandbox's IPs, and a
 * running container's status for as long as the listing still shows it running (nothing the kubelet reads of it
 * changes before it exits).
 */
export class RuntimeReader {
  private readonly exited = new Map<string, RuntimeContainer>();
  private readonly running = new Map<string, RuntimeContainer>();
  private readonly sandboxIPs = new Map<string, string[]>();
  private readonly observed = new Map<string, string>();
  /** The pod uids the last relist found, once there has been one. */
  private relisted?: Set<string>;

  constructor(private readonly cri: CriRuntime) {}

  /** Every sandbox and container that carries a pod uid label (ours). */
  async relist(): Promise<Relist> {
    const all = await this.list();
    const r = {
      sandboxes: all.sandboxes.filter((s) => s.labels?.[LABEL_POD_UID]),
      containers: all.containers.filter((c) => c.labels?.[LABEL_POD_UID]),
    };
    this.relisted = new Set([...r.sandboxes, ...r.containers].map((x) => x.labels[LABEL_POD_UID]));
    return r;
  }

  // The runtime's sandboxes and containers: all of them, or those with `labelSelector`.
  private async list(labelSelector?: Record<string, string>): Promise<Relist> {
    const req = labelSelector ? { filter: { labelSelector } } : {};
    const [sb, ctrs] = await Promise.all([this.cri.listPodSandbox(req), this.cri.listContainers(req)]);
    return { sandboxes: sb.items, containers: ctrs.containers };
  }

  /** Whether a relist has been done and found nothing of the pod with `uid`. */
  unseen(uid: string): boolean {
    return this.relisted !== undefined && !this.relisted.has(uid);
  }

  /**
   * The runtime state of the pod with `uid`, read fresh. The statuses of `changed` are requested together with the
   * listing, so a read right after a change costs one round trip to the runtime instead of two.
   */
  async podState(uid: string, changed: JustChanged = {}): Promise<PodRuntimeState> {
    const early = new Map<string, Promise<unknown>>();
    if (changed.sandboxId) early.set(changed.sandboxId, statusOf(() => this.cri.podSandboxStatus({ podSandboxId: changed.sandboxId! })));
    for (const id of changed.containerIds ?? []) early.set(id, statusOf(() => this.cri.containerStatus({ containerId: id })));
    // Awaited below if the listing still has the id; otherwise dropped, without an unhandled rejection.
    for (const p of early.values()) p.catch(() => undefined);
    const status = <T>(id: string, call: () => Promise<{ status?: T | null }>) => (early.get(id) as Promise<T | undefined> | undefined) ?? statusOf(call);

    const listing = changed.complete ? await listingFrom(uid, changed, early) : await this.list({ [LABEL_POD_UID]: uid });
    const fp = runtimeFingerprints(listing).get(uid);
    if (fp === undefined) this.observed.delete(uid);
    else this.observed.set(uid, fp);
    // The status calls go out together: each is a round trip to the runtime.
    const sandboxStates = Promise.all(
      listing.sandboxes.map(async (s): Promise<RuntimeSandbox | undefined> => {
        const ready = s.state === 'SANDBOX_READY';
        let ips = ready ? this.sandboxIPs.get(s.id) : [];
        if (ips === undefined) {
          const st = await status<CriSandboxStatus>(s.id, () => this.cri.podSandboxStatus({ podSandboxId: s.id }));
          if (!st) return undefined;
          ips = sandboxFromCri(st).ips;
          if (ips.length) this.sandboxIPs.set(s.id, ips);
        }
        return { id: s.id, attempt: s.metadata?.attempt ?? 0, ready, ips, createdAt: Math.floor(s.createdAt / 1e6) };
      }),
    );
    const containerStates = Promise.all(
      listing.containers.map(async (c): Promise<RuntimeContainer | undefined> => {
        const known = this.exited.get(c.id) ?? (c.state === 'CONTAINER_RUNNING' && !early.has(c.id) ? this.running.get(c.id) : undefined);
        if (known) return known;
        this.running.delete(c.id);
        const st = await status<CriContainerStatus>(c.id, () => this.cri.containerStatus({ containerId: c.id }));
        if (!st) return undefined;
        const rc = containerFromCri(st, c.podSandboxId);
        if (rc.state === 'exited') {
          rc.message = (await readTerminationMessage(rc)) || rc.message;
          this.exited.set(c.id, rc);
        } else if (rc.state === 'running') this.running.set(c.id, rc);
        return rc;
      }),
    );
    const [sandboxes, containers] = await Promise.all([sandboxStates, containerStates]);
    const present = <X>(xs: (X | undefined)[]) => xs.filter((x): x is X => x !== undefined);
    return { sandboxes: newestFirst(present(sandboxes)), containers: newestFirst(present(containers)) };
  }

  /** The fingerprint (as runtimeFingerprints) of the pod's runtime state the last podState(uid) read, if it found anything. */
  lastObserved(uid: string): string | undefined {
    return this.observed.get(uid);
  }

  /** Forgets what was remembered about removed containers and sandboxes. */
  forget(ids: Iterable<string>): void {
    for (const id of ids) {
      this.exited.delete(id);
      this.running.delete(id);
      this.sandboxIPs.delete(id);
    }
  }
}

/** A full message (as the response types spell it, with null for unset message fields) used as a request: protobufjs sends null as unset. */
export const asRequest = <T>(message: T) => message as unknown as CriRequest<T>;
