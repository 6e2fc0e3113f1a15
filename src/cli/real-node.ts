// `tugboat up`'s real node: our own containerd (or the one given), the built-in test images, and the real kubelet.
import { hostname } from 'node:os';
import type { ApiServer } from '../apiserver/server';
import { eventRecorder } from '../client/events';
import { SharedInformers } from '../client/shared-informers';
import type { Controller, ControllerDeps } from '../controllers/types';
import type { NodeStreamingRegistry } from '../kubelet/streaming';
import type { Clock } from '../util/clock';
import { logger } from '../util/log';

const log = logger('real-node');

/** Options of the real node. */
export interface RealNodeOptions {
  dataDir: string;
  clock: Clock;
  streaming: NodeStreamingRegistry;
  /** An existing CRI socket (--container-runtime-endpoint); without it we start our own containerd. */
  endpoint?: string;
}

/** A running real node. */
export interface RealNode extends Controller {
  nodeName: string;
  /** The runtime's name and version, e.g. containerd 1.6.20. */
  runtime: string;
  /** Stops the kubelet, then our containerd (containers keep running in their shims, for the next start to adopt). */
  shutdown(): Promise<void>;
}

/** Why this host cannot run a real node, or undefined when it can. */
export function realNodeUnavailable(endpoint: string | undefined): string | undefined {
  if (endpoint) return undefined;
  // Loaded here, not at the top: sim-only clusters should not pay for the CRI and gRPC modules at start.
  const { containerdAvailable } = require('../kubelet/cri/containerd') as typeof import('../kubelet/cri/containerd');
  return containerdAvailable();
}

/** Starts the runtime and the kubelet of this host; resolves once the Node is registered. */
export async function startRealNode(api: ApiServer, opts: RealNodeOptions): Promise<RealNode> {
  const { connectRuntime, startContainerd } = require('../kubelet/cri/containerd') as typeof import('../kubelet/cri/containerd');
  const { ensureTestImages } = require('../images/import') as typeof import('../images/import');
  const { startRealKubelet } = require('../kubelet/real') as typeof import('../kubelet/real');
  const own = opts.endpoint ? undefined : await startContainerd({ dataDir: opts.dataDir });
  const runtime = own ?? (await connectRuntime(opts.endpoint!));
  const cni = own && { confDir: own.cniConfDir, ipamDir: own.cniIpamDir };
  try {
    await ensureTestImages(runtime.endpoint);
    const nodeName = hostname().toLowerCase();
    const client = api.client({ username: `system:node:${nodeName}`, groups: ['system:nodes'] }, 'kubelet');
    const informers = new SharedInformers(client, opts.clock);
    const deps: ControllerDeps = { client, informers, clock: opts.clock, recorder: (component) => eventRecorder(client, component, opts.clock) };
    const kubelet = await startRealKubelet(deps, { nodeName, dataDir: opts.dataDir, endpoint: runtime.endpoint, cni, streaming: opts.streaming });
    const name = `${runtime.version.runtimeName} ${runtime.version.runtimeVersion}`;
    log.info('real node started', { obj: nodeName, runtime: name, endpoint: runtime.endpoint });
    const stop = () => {
      kubelet.stop();
      informers.stop();
    };
    return {
      nodeName,
      runtime: name,
      stop,
      async shutdown() {
        stop();
        await runtime.stop();
      },
    };
  } catch (e) {
    await runtime.stop();
    throw e;
  }
}
