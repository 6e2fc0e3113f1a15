// securityContext → CRI Linux security contexts for sandboxes and containers, and the runAsNonRoot check (upstream kuberuntime/security_context.go).
import type { Container, Pod, PodSecurityContext, SeccompProfile, SecurityContext } from 'kubernetes-types/core/v1';
import type { Image, LinuxContainerSecurityContext, LinuxPodSandboxConfig, NamespaceOption, SecurityProfile } from '../../cri/types';

/** /proc and /sys paths masked in every unprivileged container unless procMount is Unmasked (upstream defaultMaskedPaths). */
export const DEFAULT_MASKED_PATHS = [
  '/proc/asound',
  '/proc/acpi',
  '/proc/kcore',
  '/proc/keys',
  '/proc/latency_stats',
  '/proc/timer_list',
  '/proc/timer_stats',
  '/proc/sched_debug',
  '/proc/scsi',
  '/sys/firmware',
  '/sys/devices/virtual/powercap',
];
/** /proc paths mounted read-only unless procMount is Unmasked (upstream defaultReadonlyPaths). */
export const DEFAULT_READONLY_PATHS = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

/** The user an image runs as, from CRI ImageStatus: a numeric uid, or a user name that cannot be checked. */
export interface ImageUser {
  uid?: number;
  username: string;
}

/** The image's user as upstream getImageUser reads it: uid if numeric, else the name; an image with neither runs as root (uid 0). */
export function imageUser(image: Pick<Image, 'uid' | 'username'> | null | undefined): ImageUser {
  if (image?.uid) return { uid: image.uid.value, username: '' };
  if (image?.username) return { username: image.username };
  return { uid: 0, username: '' };
}

/** The container's security context with the pod's fields filled in where the container leaves them unset (upstream DetermineEffectiveSecurityContext). */
export function effectiveSecurityContext(pod: Pod, container: Container): SecurityContext {
  const podSc: PodSecurityContext = pod.spec?.securityContext ?? {};
  const sc: SecurityContext = container.securityContext ?? {};
  return {
    ...sc,
    runAsUser: sc.runAsUser ?? podSc.runAsUser,
    runAsGroup: sc.runAsGroup ?? podSc.runAsGroup,
    runAsNonRoot: sc.runAsNonRoot ?? podSc.runAsNonRoot,
    seLinuxOptions: sc.seLinuxOptions ?? podSc.seLinuxOptions,
    seccompProfile: sc.seccompProfile ?? podSc.seccompProfile,
  };
}

// Go's %q for the plain strings pod descriptions hold.
const quote = (s: string) => JSON.stringify(s);

/** upstream format.Pod: name_namespace(uid). */
export function formatPod(pod: Pod): string {
  return `${pod.metadata?.name ?? ''}_${pod.metadata?.namespace ?? ''}(${pod.metadata?.uid ?? ''})`;
}

/** undefined when the container may run, else upstream's message (the kubelet reports it as CreateContainerConfigError). */
export function verifyRunAsNonRoot(pod: Pod, container: Container, image: ImageUser): string | undefined {
  const sc = effectiveSecurityContext(pod, container);
  if (!sc.runAsNonRoot) return undefined;
  const where = `(pod: ${quote(formatPod(pod))}, container: ${container.name})`;
  if (sc.runAsUser !== undefined && sc.runAsUser !== null) {
    return sc.runAsUser === 0 ? `container's runAsUser breaks non-root policy ${where}` : undefined;
  }
  if (image.uid === 0) return `container has runAsNonRoot and image will run as root ${where}`;
  if (image.uid === undefined && image.username) {
    return `container has runAsNonRoot and image has non-numeric user (${image.username}), cannot verify user is non-root ${where}`;
  }
  return undefined;
}

/** The pod's namespaces (upstream NamespacesForPod): host ones when asked, the pid namespace shared only with shareProcessNamespace. */
export function podNamespaceOptions(pod: Pod): NamespaceOption {
  const spec = pod.spec;
  return {
    network: spec?.hostNetwork ? 'NODE' : 'POD',
    pid: spec?.hostPID ? 'NODE' : spec?.shareProcessNamespace ? 'POD' : 'CONTAINER',
    ipc: spec?.hostIPC ? 'NODE' : 'POD',
    targetId: '',
  };
}

/** Thrown for a Localhost seccomp profile without a file name (upstream's error text). */
export class SeccompError extends Error {}

/** A seccomp profile field → CRI profile; Localhost files live under profileRoot (<kubelet root>/seccomp). */
function seccompProfile(p: SeccompProfile, profileRoot: string): SecurityProfile {
  if (p.type === 'RuntimeDefault') return { profileType: 'RuntimeDefault', localhostRef: '' };
  if (p.type === 'Localhost') {
    if (!p.localhostProfile) throw new SeccompError('localhostProfile must be set if seccompProfile type is Localhost.');
    return { profileType: 'Localhost', localhostRef: `${profileRoot.replace(/\/$/, '')}/${p.localhostProfile}` };
  }
  return { profileType: 'Unconfined', localhostRef: '' };
}

/** Options the kubelet passes to every container's security context. */
export interface SecurityOptions {
  /** Where Localhost seccomp profiles live (upstream <root-dir>/seccomp). */
  seccompProfileRoot?: string;
  /** The kubelet's --seccomp-default: RuntimeDefault instead of Unconfined when the pod names no profile. */
  seccompDefault?: boolean;
}

/** The container's CRI security context (upstream determineEffectiveSecurityContext); throws SeccompError on a bad Localhost profile. */
export function containerSecurityContext(pod: Pod, container: Container, image: ImageUser, opts: SecurityOptions = {}): LinuxContainerSecurityContext {
  const sc = effectiveSecurityContext(pod, container);
  const podSc = pod.spec?.securityContext ?? {};
  const unmasked = sc.procMount === 'Unmasked';
  // CRI names capabilities without the CAP_ prefix; containerd adds it (and handles ALL), so they pass through as written.
  const caps = sc.capabilities;
  const runAsUser = sc.runAsUser ?? image.uid;
  const seccomp = sc.seccompProfile
    ? seccompProfile(sc.seccompProfile, opts.seccompProfileRoot ?? '/var/lib/kubelet/seccomp')
    : { profileType: opts.seccompDefault ? ('RuntimeDefault' as const) : ('Unconfined' as const), localhostRef: '' };
  return {
    capabilities: caps ? { addCapabilities: [...(caps.add ?? [])], dropCapabilities: [...(caps.drop ?? [])] } : null,
    privileged: sc.privileged === true,
    namespaceOptions: podNamespaceOptions(pod),
    runAsUser: runAsUser === undefined || runAsUser === null ? null : { value: runAsUser },
    // A user name is only sent when neither the pod nor a numeric image user fixes the uid.
    runAsUsername: sc.runAsUser === undefined || sc.runAsUser === null ? (image.uid === undefined ? image.username : '') : '',
    readonlyRootfs: sc.readOnlyRootFilesystem === true,
    // fsGroup first, then the pod's supplemental groups (upstream order).
    supplementalGroups: [...(podSc.fsGroup !== undefined && podSc.fsGroup !== null ? [podSc.fsGroup] : []), ...(podSc.supplementalGroups ?? [])],
    // Only an explicit allowPrivilegeEscalation: false sets no_new_privs (upstream AddNoNewPrivileges).
    noNewPrivs: sc.allowPrivilegeEscalation === false,
    runAsGroup: sc.runAsGroup === undefined || sc.runAsGroup === null ? null : { value: sc.runAsGroup },
    maskedPaths: unmasked ? [] : [...DEFAULT_MASKED_PATHS],
    readonlyPaths: unmasked ? [] : [...DEFAULT_READONLY_PATHS],
    seccomp,
  };
}

/** Whether any container of the pod (init and ephemeral included) is privileged; the sandbox is then privileged too. */
export function hasPrivilegedContainer(pod: Pod): boolean {
  const spec = pod.spec;
  return [...(spec?.initContainers ?? []), ...(spec?.containers ?? []), ...(spec?.ephemeralContainers ?? [])].some((c) => c.securityContext?.privileged === true);
}

/**
 * The sandbox's Linux config (upstream generatePodSandboxLinuxConfig): cgroup parent, sysctls, pod-level user/groups,
 * namespaces. The pause process never runs under the pod's seccomp profile (upstream #84623) but under `seccomp`, the
 * node's pause profile (pause-seccomp.ts).
 */
export function sandboxLinuxConfig(pod: Pod, cgroupParent: string, seccomp: SecurityProfile): LinuxPodSandboxConfig {
  const sc = pod.spec?.securityContext ?? {};
  const sysctls: Record<string, string> = {};
  for (const s of sc.sysctls ?? []) sysctls[s.name] = s.value;
  return {
    cgroupParent,
    sysctls,
    securityContext: {
      namespaceOptions: podNamespaceOptions(pod),
      runAsUser: sc.runAsUser === undefined || sc.runAsUser === null ? null : { value: sc.runAsUser },
      runAsGroup: sc.runAsGroup === undefined || sc.runAsGroup === null ? null : { value: sc.runAsGroup },
      readonlyRootfs: false,
      supplementalGroups: [...(sc.fsGroup !== undefined && sc.fsGroup !== null ? [sc.fsGroup] : []), ...(sc.supplementalGroups ?? [])],
      privileged: hasPrivilegedContainer(pod),
      seccomp,
    },
  };
}
