// The real kubelet: registers this host as a Node and runs its pods' containers through a CRI runtime (containerd).
import type { Container, Pod, Service } from 'kubernetes-types/core/v1';
import { eventRecorder } from '../../client/events';
import { R } from '../../client/types';
import type { Controller, ControllerDeps } from '../../controllers/types';
import { join } from 'node:path';
import { CriClient } from '../../cri/client';
import { logger } from '../../util/log';
import { NODE_BRIDGE } from '../cri/cni';
import { HostPorts } from '../cri/hostports';
import { LEASE_DURATION_ENV } from '../sim';
import type { NodeStreamingRegistry } from '../streaming';
import { Backoff } from './backoff';
import type { ContainerParts } from './container-config';
import { readHostResolvConf } from './dns';
import { resolveEnv } from './env';
import { readHostInfo } from './host';
import { ImagePuller } from './image-puller';
import { PodManager } from './kubelet';
import { NodeAgent, type NodeCni } from './node';
import { nodeResources } from './node-status';
import { clientLookup } from './object-lookup';
import { sandboxSeccomp } from './pause-seccomp';
import { detectCgroupLayout } from './pod-cgroup';
import { PodWorkers } from './pod-worker';
import { ProbeManager } from './prober';
import { RuntimeReader } from './runtime';
import { CriStreaming } from './streaming';
import { mountMemoryRoot, podMemoryDir, setUpPodVolumes, tearDownPodVolumes } from './volumes';

const log = logger('kubelet');

/** Options of the real kubelet. */
export interface RealKubeletOptions {
  /** The node name; default the host name, lowercased. */
  nodeName?: string;
  /** tugboat's data dir: pod logs go to <dataDir>/pods/logs, pod volumes to <dataDir>/pods/<uid>. */
  dataDir: string;
  /** The CRI socket. */
  endpoint: string;
  /** The network of our own containerd: where it reads CNI configs and where host-local keeps allocations; undefined leaves the runtime's network alone. */
  cni?: NodeCni;
  /** Where the node's streaming side is registered for the API server's log/exec/attach/portforward. */
  streaming: NodeStreamingRegistry;
  /** Cluster DNS servers (--cluster-dns); none: pods use the host's resolver, as upstream falls back. */
  clusterDNS?: string[];
  /** --cluster-domain, default cluster.local. */
  clusterDomain?: string;
  leaseDurationSeconds?: number;
}

/** The node-wide tmpfs for memory-backed volumes, mounted if need be; undefined (volumes on disk) when it cannot be mounted. */
async function nodeMemoryRoot(dataDir: string): Promise<string | undefined> {
  const dir = join(dataDir, 'pod-memory');
  try {
    await mountMemoryRoot(dir);
    return dir;
  } catch (e) {
    log.warn('no tmpfs for secret volumes: they are kept on disk', { obj: dir, err: (e as Error).message });
    return undefined;
  }
}

/** Starts the real kubelet; resolves once the Node is registered (rejects when the runtime cannot be reached). */
export async function startRealKubelet(deps: ControllerDeps, opts: RealKubeletOptions): Promise<Controller> {
  const cri = CriClient.connect(opts.endpoint);
  const host = readHostInfo(opts.dataDir);
  if (opts.nodeName) host.name = opts.nodeName;
  const fromEnv = Number(process.env[LEASE_DURATION_ENV]);
  const leaseDurationSeconds = opts.leaseDurationSeconds ?? (Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : undefined);
  const node = new NodeAgent(deps, cri, { host, cni: opts.cni, leaseDurationSeconds });
  try {
    await node.register();
  } catch (e) {
    cri.close();
    throw e;
  }
  node.start();

  const recorder = eventRecorder(deps.client, 'kubelet', deps.clock, host.name);
  const reader = new RuntimeReader(cri);
  const lookup = clientLookup(deps.client, () => deps.clock.now());
  const services = deps.informers.for<Service & { metadata: { name: string } }>(R.services);
  const { allocatable } = nodeResources(host);
  const memoryRoot = await nodeMemoryRoot(opts.dataDir);
  const parts: ContainerParts = {
    env: (pod: Pod, c: Container, podIPs: string[]) =>
      resolveEnv(pod, c, lookup, { podIPs, hostIPs: [host.internalIP], nodeAllocatable: allocatable, services: services.list() as Service[] }),
    volumes: (pod: Pod, podDir: string) => setUpPodVolumes(pod, podDir, lookup, { nodeAllocatable: allocatable, memoryRoot }),
    tearDown: (uid: string, podDir: string) => tearDownPodVolumes(podDir, memoryRoot && podMemoryDir(memoryRoot, uid)),
  };
  // Probe results queue a sync of their pod (the manager exists before any probe runs).
  const probes = new ProbeManager(cri, deps.clock, recorder, (uid) => manager.enqueue(uid));
  const images = new ImagePuller(cri, deps.clock, recorder, (ns, name) => lookup.getSecret(ns, name));
  const workers = new PodWorkers(
    {
      nodeName: host.name,
      dataDir: opts.dataDir,
      hostIP: host.internalIP,
      memoryCapacityBytes: host.memoryBytes,
      cgroups: detectCgroupLayout(),
      sandboxSeccomp: sandboxSeccomp(opts.dataDir),
      dns: { clusterDNS: opts.clusterDNS ?? [], clusterDomain: opts.clusterDomain ?? 'cluster.local', host: readHostResolvConf() },
    },
    {
      client: deps.client,
      clock: deps.clock,
      recorder,
      cri,
      reader,
      images,
      parts,
      probes,
      backoff: new Backoff(),
      // The network is ours: so are its hostPorts (a runtime we did not start forwards them through its own CNI).
      hostPorts: opts.cni && new HostPorts(node.podCIDR, NODE_BRIDGE),
    },
  );
  const manager = new PodManager(deps, { nodeName: host.name }, workers, reader);
  // Pods start once Services are known, so their service environment variables are complete (as upstream waits).
  services
    .waitForSync()
    .then(() => manager.start())
    .catch((e) => log.error('pod manager failed to start', { obj: host.name, err: (e as Error).message }));
  opts.streaming.register(host.name, new CriStreaming(cri, reader));
  log.info('real kubelet started', { obj: host.name, podCIDR: node.podCIDR, internalIP: host.internalIP });
  return {
    stop() {
      opts.streaming.unregister(host.name);
      manager.stop();
      node.stop();
      probes.stopAll();
      cri.close();
    },
  };
}
