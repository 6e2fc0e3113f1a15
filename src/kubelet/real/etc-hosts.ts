// The kubelet-managed /etc/hosts (<podDir>/etc-hosts) and the pod's hostname and domain, as upstream kubelet_pods.go.
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostAlias, Pod } from 'kubernetes-types/core/v1';
import type { Mount } from '../../cri/types';

const HOSTNAME_MAX_LEN = 63;
const MANAGED_HEADER = '# Kubernetes-managed hosts file.\n';
const MANAGED_HEADER_HOST_NETWORK = '# Kubernetes-managed hosts file (host network).\n';

// upstream truncatePodHostnameIfNeeded: 63 characters, never ending in '-' or '.'.
function truncateHostname(hostname: string): string {
  if (hostname.length <= HOSTNAME_MAX_LEN) return hostname;
  return hostname.slice(0, HOSTNAME_MAX_LEN).replace(/[-.]+$/, '');
}

/** The pod's short hostname (spec.hostname or its name, truncated) and domain (<subdomain>.<ns>.svc.<clusterDomain> when it has a subdomain). */
export function podHostnameAndDomain(pod: Pod, clusterDomain: string): { hostname: string; domain: string } {
  const hostname = truncateHostname(pod.spec?.hostname || pod.metadata?.name || '');
  const domain = pod.spec?.subdomain ? `${pod.spec.subdomain}.${pod.metadata?.namespace}.svc.${clusterDomain}` : '';
  return { hostname, domain };
}

/** The sandbox hostname: '' on the host network (the node's is kept), the FQDN with setHostnameAsFQDN; throws when that FQDN is too long. */
export function sandboxHostname(pod: Pod, clusterDomain: string): string {
  if (pod.spec?.hostNetwork) return '';
  const { hostname, domain } = podHostnameAndDomain(pod, clusterDomain);
  if (!pod.spec?.setHostnameAsFQDN || !domain) return hostname;
  const fqdn = `${hostname}.${domain}`;
  if (fqdn.length > HOSTNAME_MAX_LEN) {
    throw new Error(`failed to construct FQDN from pod hostname and cluster domain, FQDN ${fqdn} is too long (${HOSTNAME_MAX_LEN} characters is the max, ${fqdn.length} characters requested)`);
  }
  return fqdn;
}

function hostAliasesSection(aliases: readonly HostAlias[] | undefined): string {
  if (!aliases?.length) return '';
  return '\n# Entries added by HostAliases.\n' + aliases.map((a) => `${a.ip}\t${(a.hostnames ?? []).join('\t')}\n`).join('');
}

/** The hosts file of a pod on the pod network: localhost lines, one line per pod IP naming the pod, then the hostAliases. */
export function managedHostsFileContent(podIPs: readonly string[], hostname: string, domain: string, aliases?: readonly HostAlias[]): string {
  let s = MANAGED_HEADER;
  s += '127.0.0.1\tlocalhost\n';
  s += '::1\tlocalhost ip6-localhost ip6-loopback\n';
  s += 'fe00::0\tip6-localnet\n';
  s += 'fe00::0\tip6-mcastprefix\n';
  s += 'fe00::1\tip6-allnodes\n';
  s += 'fe00::2\tip6-allrouters\n';
  for (const ip of podIPs) s += domain ? `${ip}\t${hostname}.${domain}\t${hostname}\n` : `${ip}\t${hostname}\n`;
  return s + hostAliasesSection(aliases);
}

/** The hosts file of a host-network pod: the node's own file under a header, then the hostAliases. */
export function nodeHostsFileContent(nodeHosts: string, aliases?: readonly HostAlias[]): string {
  return MANAGED_HEADER_HOST_NETWORK + nodeHosts + hostAliasesSection(aliases);
}

/** Whether containers get the managed /etc/hosts: once the pod has an IP, or on the host network (upstream shouldMountHostsFile). */
export function shouldMountHostsFile(pod: Pod, podIPs: readonly string[]): boolean {
  return podIPs.length > 0 || pod.spec?.hostNetwork === true;
}

/** Writes <podDir>/etc-hosts (mode 0644) for the pod and returns its path; synchronous, as terminationMessageMount (volumes.ts) and for the same reason. */
export function ensureEtcHosts(podDir: string, pod: Pod, podIPs: readonly string[], clusterDomain: string, nodeHostsPath = '/etc/hosts'): string {
  const path = join(podDir, 'etc-hosts');
  const content = pod.spec?.hostNetwork
    ? nodeHostsFileContent(readFileSync(nodeHostsPath, 'utf8'), pod.spec.hostAliases)
    : (() => {
        const { hostname, domain } = podHostnameAndDomain(pod, clusterDomain);
        return managedHostsFileContent(podIPs, hostname, domain, pod.spec?.hostAliases);
      })();
  writeFileSync(path, content, { mode: 0o644 });
  chmodSync(path, 0o644); // whatever the umask
  return path;
}

/** The CRI mount of the managed hosts file at /etc/hosts (read-write, as upstream). */
export function etcHostsMount(hostPath: string): Mount {
  return { containerPath: '/etc/hosts', hostPath, readonly: false, selinuxRelabel: false, propagation: 'PROPAGATION_PRIVATE' };
}
