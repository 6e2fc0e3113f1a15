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

/** Reads runtime states, remembering what cannot change (exited containers' statuses, a ready sandbox's IPs). */
export class RuntimeReader {
  private readonly exited = new Map<string, RuntimeContainer>();
  private readonly sandboxIPs = new Map<string, string[]>();

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
    const sandboxes: RuntimeSandbox[] = [];
    for (const s of sb.items) {
      const ready = s.state === 'SANDBOX_READY';
      let ips = ready ? this.sandboxIPs.get(s.id) : [];
      if (ips === undefined) {
        try {
          const st = await this.cri.podSandboxStatus({ podSandboxId: s.id });
          ips = st.status ? sandboxFromCri(st.status).ips : [];
          if (ips.length) this.sandboxIPs.set(s.id, ips);
        } catch (e) {
          if (!isCriNotFound(e)) throw e;
          continue;
        }
      }
      sandboxes.push({ id: s.id, attempt: s.metadata?.attempt ?? 0, ready, ips, createdAt: Math.floor(s.createdAt / 1e6) });
    }
    const containers: RuntimeContainer[] = [];
    for (const c of ctrs.containers) {
      const known = this.exited.get(c.id);
      if (known) {
        containers.push(known);
        continue;
      }
      try {
        const st = await this.cri.containerStatus({ containerId: c.id });
        if (!st.status) continue;
        const rc = containerFromCri(st.status, c.podSandboxId);
        if (rc.state === 'exited') {
          rc.message = (await readTerminationMessage(rc)) || rc.message;
          this.exited.set(c.id, rc);
        }
        containers.push(rc);
      } catch (e) {
        if (!isCriNotFound(e)) throw e;
      }
    }
    return { sandboxes: newestFirst(sandboxes), containers: newestFirst(containers) };
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
