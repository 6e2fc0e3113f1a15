// The real node's KubeletStreaming: log paths from container statuses, exec/attach/port-forward URLs from CRI.
import type { Pod } from 'kubernetes-types/core/v1';
import type { KubeletStreaming, StreamOptions } from '../streaming';
import type { CriRuntime, RuntimeReader } from './runtime';
import { latestContainer, previousContainer } from './runtime-state';

/** Streaming over the node's CRI runtime. */
export class CriStreaming implements KubeletStreaming {
  constructor(
    private readonly cri: Pick<CriRuntime, 'exec' | 'attach' | 'portForward'>,
    private readonly reader: Pick<RuntimeReader, 'podState'>,
  ) {}

  // The container's running instance, or upstream's error for a container that is not running.
  private async runningId(pod: Pod, container: string): Promise<string> {
    const state = await this.reader.podState(pod.metadata!.uid!);
    const c = latestContainer(state, container);
    if (!c) throw new Error(`container not found ("${container}")`);
    if (c.state !== 'running') throw new Error(`container ${container} is not running`);
    return c.id;
  }

  async logPath(pod: Pod, container: string, previous: boolean): Promise<string | undefined> {
    const state = await this.reader.podState(pod.metadata!.uid!);
    const c = previous ? previousContainer(state, container) : latestContainer(state, container);
    return c?.logPath || undefined;
  }

  async exec(pod: Pod, container: string, command: string[], streams: StreamOptions): Promise<string> {
    const containerId = await this.runningId(pod, container);
    return (await this.cri.exec({ containerId, cmd: command, ...streams })).url;
  }

  async attach(pod: Pod, container: string, streams: StreamOptions): Promise<string> {
    const containerId = await this.runningId(pod, container);
    return (await this.cri.attach({ containerId, ...streams })).url;
  }

  async portForward(pod: Pod, ports: number[]): Promise<string> {
    const state = await this.reader.podState(pod.metadata!.uid!);
    const sandbox = state.sandboxes.find((s) => s.ready);
    if (!sandbox) throw new Error(`pod ${pod.metadata?.name} has no running sandbox`);
    return (await this.cri.portForward({ podSandboxId: sandbox.id, port: ports })).url;
  }
}
