// Pure: the CRI PodSandboxConfig of a pod (upstream kuberuntime generatePodSandboxConfig) and where its logs go.
import { join } from 'node:path';
import type { Pod } from 'kubernetes-types/core/v1';
import type { CriRequest, DNSConfig, PodSandboxConfig, PortMapping, SecurityProfile } from '../../cri/types';
import type { HostPortMapping } from '../cri/hostports';
import { asRequest } from './runtime';
import { sandboxLinuxConfig } from './security';
import { LABEL_POD_NAME, LABEL_POD_NAMESPACE, LABEL_POD_UID } from './runtime-state';

/** The pod's log directory under the data dir (as upstream's /var/log/pods/<ns>_<name>_<uid>). */
export function podLogDirectory(dataDir: string, pod: Pod): string {
  const m = pod.metadata!;
  return join(dataDir, 'pods', 'logs', `${m.namespace}_${m.name}_${m.uid}`);
}

/** A container instance's log path relative to the pod's log directory: <container>/<restartCount>.log. */
export function containerLogPath(name: string, restartCount: number): string {
  return join(name, `${restartCount}.log`);
}

/** The labels that mark a sandbox (and, with the container name, a container) as the kubelet's, plus the pod's own. */
export function sandboxLabels(pod: Pod): Record<string, string> {
  const m = pod.metadata!;
  return { ...(m.labels ?? {}), [LABEL_POD_NAME]: m.name!, [LABEL_POD_NAMESPACE]: m.namespace!, [LABEL_POD_UID]: m.uid! };
}

/** hostPorts of the pod's containers, forwarded to `podIP` (the kubelet's own rules, hostports.ts). */
export function podHostPorts(pod: Pod, podIP: string): HostPortMapping[] {
  const name = `${pod.metadata?.namespace}/${pod.metadata?.name}`;
  return portMappings(pod).map((m) => ({ protocol: m.protocol, hostPort: m.hostPort, hostIP: m.hostIp, podIP, containerPort: m.containerPort, pod: name }));
}

/** hostPorts of the pod's containers as CRI port mappings. */
export function portMappings(pod: Pod): PortMapping[] {
  const out: PortMapping[] = [];
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort) continue;
      out.push({ protocol: (p.protocol ?? 'TCP') as PortMapping['protocol'], containerPort: p.containerPort, hostPort: p.hostPort, hostIp: p.hostIP ?? '' });
    }
  }
  return out;
}

/** Inputs beside the pod. */
export interface SandboxConfigOptions {
  dataDir: string;
  attempt: number;
  /** From etc-hosts.ts sandboxHostname: '' on the host network. */
  hostname: string;
  dnsConfig?: DNSConfig;
  cgroupParent: string;
  /** The pause process's seccomp profile (pause-seccomp.ts). */
  seccomp: SecurityProfile;
}

/** The sandbox config of `pod`. */
export function podSandboxConfig(pod: Pod, opts: SandboxConfigOptions): CriRequest<PodSandboxConfig> {
  const m = pod.metadata!;
  return {
    metadata: { name: m.name!, namespace: m.namespace!, uid: m.uid!, attempt: opts.attempt },
    hostname: opts.hostname,
    logDirectory: podLogDirectory(opts.dataDir, pod),
    ...(opts.dnsConfig ? { dnsConfig: opts.dnsConfig } : {}),
    portMappings: portMappings(pod),
    labels: sandboxLabels(pod),
    annotations: { ...(m.annotations ?? {}) },
    linux: asRequest(sandboxLinuxConfig(pod, opts.cgroupParent, opts.seccomp)),
  };
}
