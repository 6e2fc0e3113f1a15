// What the API server's pods/log, exec, attach and portforward subresources need from the kubelet of a pod's node.
import type { Pod } from 'kubernetes-types/core/v1';

/** Which streams an exec or attach session carries (from the request's stdin/stdout/stderr/tty query). */
export interface StreamOptions {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** A kubelet's streaming side: where a container's logs are, and the runtime's streaming URLs for a session. */
export interface KubeletStreaming {
  /** The CRI log file of the container's current instance (or the previous one), or undefined if it has none. */
  logPath(pod: Pod, container: string, previous: boolean): Promise<string | undefined>;
  /** A one-time streaming URL for running `command` in the container (CRI Exec). */
  exec(pod: Pod, container: string, command: string[], streams: StreamOptions): Promise<string>;
  /** A one-time streaming URL for attaching to the container's main process (CRI Attach). */
  attach(pod: Pod, container: string, streams: StreamOptions): Promise<string>;
  /** A one-time streaming URL for forwarding to the pod's ports (CRI PortForward). */
  portForward(pod: Pod, ports: number[]): Promise<string>;
}

/** The streaming side of each node's kubelet, by node name: real kubelets register here when they start. */
export class NodeStreamingRegistry {
  private readonly byNode = new Map<string, KubeletStreaming>();

  register(nodeName: string, streaming: KubeletStreaming): void {
    this.byNode.set(nodeName, streaming);
  }

  unregister(nodeName: string): void {
    this.byNode.delete(nodeName);
  }

  /** The kubelet of `nodeName`, or undefined for nodes without one here (sim nodes, unknown nodes). */
  get(nodeName: string): KubeletStreaming | undefined {
    return this.byNode.get(nodeName);
  }
}
