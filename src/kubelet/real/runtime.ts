// The kubelet's port to the container runtime (the CRI calls it makes) and reading a pod's runtime state through it.
import { readFile } from 'node:fs/promises';
import type { CriClient } from '../../cri/client';
import { isCriNotFound } from '../../cri/client';
import type { Container as CriContainer, CriRequest, PodSandbox } from '../../cri/types';
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

/** Reads runtime states, remembering what cannot change (exited containers' statuses, a ready sandbox's IPs). */
export class RuntimeReader {
  private readonly exited = new Map<string, RuntimeContainer>();
  private readonly sandboxIPs = new Map<string, string[]>();
  private readonly observed = new Map<string, string>();

  constructor(private readonly cri: CriRuntime) {}

  /** Every sandbox and container that carries a pod uid label (ours). */
  async relist(): Promise<Relist> {
    const [sb, ctrs] = await Promise.all([this.cri.listPodSandbox({}), this.cri.listContainers({})]);
    return {
      sandboxes: sb.items.filter((s) => s.labels?.[LABEL_POD_UID]),
      containers: ctrs.containers.filter((c) => c.labels?.[LABEL_POD_UID]),
    };
  }

  /** The runtime state of the pod with `uid`, read fresh. */
  async podState(uid: string): Promise<PodRuntimeState> {
    const labelSelector = { [LABEL_POD_UID]: uid };
    const [sb, ctrs] = await Promise.all([this.cri.listPodSandbox({ filter: { labelSelector } }), this.cri.listContainers({ filter: { labelSelector } })]);
    const fp = runtimeFingerprints({ sandboxes: sb.items, containers: ctrs.containers }).get(uid);
    if (fp === undefined) this.observed.delete(uid);
    else this.observed.set(uid, fp);
    // The status calls go out together: each is a round trip to the runtime, and a sync reads the state up to three times.
    const sandboxStates = Promise.all(
      sb.items.map(async (s): Promise<RuntimeSandbox | undefined> => {
        const ready = s.state === 'SANDBOX_READY';
        let ips = ready ? this.sandboxIPs.get(s.id) : [];
        if (ips === undefined) {
          try {
            const st = await this.cri.podSandboxStatus({ podSandboxId: s.id });
            ips = st.status ? sandboxFromCri(st.status).ips : [];
            if (ips.length) this.sandboxIPs.set(s.id, ips);
          } catch (e) {
            if (!isCriNotFound(e)) throw e;
            return undefined;
          }
        }
        return { id: s.id, attempt: s.metadata?.attempt ?? 0, ready, ips, createdAt: Math.floor(s.createdAt / 1e6) };
      }),
    );
    const containerStates = Promise.all(
      ctrs.containers.map(async (c): Promise<RuntimeContainer | undefined> => {
        const known = this.exited.get(c.id);
        if (known) return known;
        try {
          const st = await this.cri.containerStatus({ containerId: c.id });
          if (!st.status) return undefined;
          const rc = containerFromCri(st.status, c.podSandboxId);
          if (rc.state === 'exited') {
            rc.message = (await readTerminationMessage(rc)) || rc.message;
            this.exited.set(c.id, rc);
          }
          return rc;
        } catch (e) {
          if (!isCriNotFound(e)) throw e;
          return undefined;
        }
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
      this.sandboxIPs.delete(id);
    }
  }
}

/** A full message (as the response types spell it, with null for unset message fields) used as a request: protobufjs sends null as unset. */
export const asRequest = <T>(message: T) => message as unknown as CriRequest<T>;
