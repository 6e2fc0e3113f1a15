// The sandbox's DNS config (resolv.conf) from dnsPolicy and dnsConfig, as upstream's kubelet/network/dns.
import { readFileSync } from 'node:fs';
import type { Pod } from 'kubernetes-types/core/v1';
import type { DNSConfig } from '../../cri/types';
import { formatPod } from './security';

/** resolv.conf limits glibc honours (upstream validation.MaxDNSNameservers, MaxDNSSearchPaths, MaxDNSSearchListChars). */
const MAX_NAMESERVERS = 3;
const MAX_SEARCH_PATHS = 32;
const MAX_SEARCH_CHARS = 2048;
/** Options every ClusterFirst pod gets (upstream defaultDNSOptions). */
const DEFAULT_DNS_OPTIONS = ['ndots:5'];

/** The cluster DNS address: the 10th address of the service CIDR (10.96.0.10 for 10.96.0.0/12), as kubeadm picks it. */
export function clusterDNSIP(serviceCIDR: string): string {
  const [base, bits] = serviceCIDR.split('/');
  const size = 2 ** (32 - Number(bits));
  const n = Math.floor(base.split('.').reduce((acc, o) => acc * 256 + Number(o), 0) / size) * size + 10;
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

/** resolv.conf text → servers, searches (trailing dots dropped; the last search line wins) and options (later ones override). */
export function parseResolvConf(text: string): DNSConfig {
  const servers: string[] = [];
  let searches: string[] = [];
  let options: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const fields = line.split(/\s+/).filter(Boolean);
    if (fields.length === 0) continue;
    if (fields[0] === 'nameserver' && fields[1]) servers.push(fields[1]);
    if (fields[0] === 'search') searches = fields.slice(1).filter((s) => s !== '.').map((s) => s.replace(/\.$/, ''));
    if (fields[0] === 'options') options = mergeOptions(options, fields.slice(1).map(splitOption));
  }
  return { servers, searches, options };
}

/** The host's resolv.conf, or an empty config when there is none. */
export function readHostResolvConf(path = '/etc/resolv.conf'): DNSConfig {
  try {
    return parseResolvConf(readFileSync(path, 'utf8'));
  } catch {
    return { servers: [], searches: [], options: [] };
  }
}

const splitOption = (op: string): { name: string; value?: string } => {
  const i = op.indexOf(':');
  return i === -1 ? { name: op } : { name: op.slice(0, i), value: op.slice(i + 1) };
};

// Options keyed by name: a later option of the same name replaces the earlier one in place.
function mergeOptions(existing: string[], add: { name: string; value?: string | null }[]): string[] {
  const m = new Map<string, string>();
  for (const op of existing) {
    const { name, value } = splitOption(op);
    m.set(name, value ?? '');
  }
  for (const op of add) m.set(op.name, op.value ?? '');
  return [...m].map(([k, v]) => (v ? `${k}:${v}` : k));
}

const unique = (xs: string[]) => [...new Set(xs)];

/** The kubelet's DNS settings (--cluster-dns, --cluster-domain) and the host resolver it falls back on. */
export interface DNSSettings {
  /** Cluster DNS servers; empty when the cluster has none. */
  clusterDNS: string[];
  /** e.g. cluster.local */
  clusterDomain: string;
  /** The host's resolv.conf, parsed (readHostResolvConf()). */
  host: DNSConfig;
}

/** An event the kubelet records on the pod while forming its DNS config. */
export interface DNSEvent {
  type: 'Warning';
  reason: 'MissingClusterDNS' | 'DNSConfigForming';
  message: string;
}

type PodDNSType = 'cluster' | 'host' | 'none';

// upstream getPodDNSType: ClusterFirst on the host network means the host's resolver.
function podDNSType(pod: Pod): PodDNSType {
  switch (pod.spec?.dnsPolicy ?? 'ClusterFirst') {
    case 'None':
      return 'none';
    case 'ClusterFirstWithHostNet':
      return 'cluster';
    case 'Default':
      return 'host';
    default:
      return pod.spec?.hostNetwork ? 'host' : 'cluster';
  }
}

/** The sandbox DNS config for the pod (upstream Configurer.GetPodDNS) and the events to record while forming it. */
export function podDNSConfig(pod: Pod, settings: DNSSettings): { config: DNSConfig; events: DNSEvent[] } {
  const events: DNSEvent[] = [];
  let type = podDNSType(pod);
  if (type === 'cluster' && settings.clusterDNS.length === 0) {
    const policy = pod.spec?.dnsPolicy ?? 'ClusterFirst';
    events.push({
      type: 'Warning',
      reason: 'MissingClusterDNS',
      message: `pod: ${JSON.stringify(formatPod(pod))}. kubelet does not have ClusterDNS IP configured and cannot create Pod using "${policy}" policy. Falling back to "Default" policy.`,
    });
    type = 'host';
  }
  let config: DNSConfig;
  if (type === 'cluster') {
    const d = settings.clusterDomain;
    const clusterSearch = d ? [`${pod.metadata?.namespace}.svc.${d}`, `svc.${d}`, d] : [];
    config = { servers: [...settings.clusterDNS], searches: unique([...clusterSearch, ...settings.host.searches]), options: [...DEFAULT_DNS_OPTIONS] };
  } else if (type === 'host') {
    config = { servers: [...settings.host.servers], searches: [...settings.host.searches], options: [...settings.host.options] };
  } else {
    config = { servers: [], searches: [], options: [] };
  }
  const extra = pod.spec?.dnsConfig;
  if (extra) {
    config = {
      servers: unique([...config.servers, ...(extra.nameservers ?? [])]),
      searches: unique([...config.searches, ...(extra.searches ?? [])]),
      options: mergeOptions(config.options, (extra.options ?? []).map((o) => ({ name: o.name ?? '', value: o.value }))),
    };
  }
  return { config: fitLimits(config, events), events };
}

// upstream formDNSConfigFitsLimits: drop what glibc would ignore, and say so.
function fitLimits(config: DNSConfig, events: DNSEvent[]): DNSConfig {
  let { servers, searches } = config;
  if (servers.length > MAX_NAMESERVERS) {
    servers = servers.slice(0, MAX_NAMESERVERS);
    events.push({ type: 'Warning', reason: 'DNSConfigForming', message: `Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: ${servers.join(' ')}` });
  }
  let trimmed = false;
  if (searches.length > MAX_SEARCH_PATHS) {
    searches = searches.slice(0, MAX_SEARCH_PATHS);
    trimmed = true;
  }
  while (searches.join(' ').length > MAX_SEARCH_CHARS) {
    searches = searches.slice(0, -1);
    trimmed = true;
  }
  if (trimmed) {
    events.push({ type: 'Warning', reason: 'DNSConfigForming', message: `Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${searches.join(' ')}` });
  }
  return { servers, searches, options: config.options };
}
