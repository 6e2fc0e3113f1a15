// PodInfo: what the scheduler derives from a pod once per version (requests, host ports, compiled affinity terms).
import type { Pod, PodAffinityTerm, WeightedPodAffinityTerm } from 'kubernetes-types/core/v1';
import { labelSelectorFromObject, matchesLabels } from '../machinery/labels';
import { keyOf } from '../client/informer';
import type { KObject } from '../api/types';
import { podRequests } from './resources';
import type { AffinityTerm, HostPort, PodAffinityTerms, PodInfo, WeightedAffinityTerm } from './types';

const NO_PORTS: HostPort[] = [];

/** The host ports a pod's containers ask for, with upstream's defaults (IP 0.0.0.0, TCP). */
export function hostPortsOf(pod: Pod): HostPort[] {
  let out: HostPort[] | undefined;
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort || p.hostPort <= 0) continue;
      (out ??= []).push({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', port: p.hostPort });
    }
  }
  return out ?? NO_PORTS;
}

function compileTerm(t: PodAffinityTerm, podNamespace: string): AffinityTerm {
  const namespaces = new Set(t.namespaces ?? []);
  const namespaceSelector = t.namespaceSelector ? labelSelectorFromObject(t.namespaceSelector) : undefined;
  if (namespaces.size === 0 && !namespaceSelector) namespaces.add(podNamespace);
  return { selector: t.labelSelector ? labelSelectorFromObject(t.labelSelector) : undefined, namespaces, namespaceSelector, topologyKey: t.topologyKey };
}

function compileWeighted(ts: WeightedPodAffinityTerm[] | undefined, ns: string): WeightedAffinityTerm[] {
  return (ts ?? []).map((w) => ({ ...compileTerm(w.podAffinityTerm, ns), weight: w.weight }));
}

/** Compiles a pod's pod affinity and anti-affinity; undefined when it has none. */
export function affinityTermsOf(pod: Pod): PodAffinityTerms | undefined {
  const a = pod.spec?.affinity;
  if (!a?.podAffinity && !a?.podAntiAffinity) return undefined;
  const ns = pod.metadata?.namespace ?? '';
  return {
    requiredAffinity: (a.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => compileTerm(t, ns)),
    requiredAntiAffinity: (a.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => compileTerm(t, ns)),
    preferredAffinity: compileWeighted(a.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution, ns),
    preferredAntiAffinity: compileWeighted(a.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution, ns),
  };
}

/** upstream AffinityTerm.Matches: the pod is in one of the term's namespaces and its labels match the selector. */
export function termMatches(term: AffinityTerm, pod: Pod, namespaceLabels: (ns: string) => Record<string, string> | undefined): boolean {
  if (!term.selector) return false;
  const ns = pod.metadata?.namespace ?? '';
  const inNamespace = term.namespaces.has(ns) || (term.namespaceSelector !== undefined && matchesLabels(term.namespaceSelector, namespaceLabels(ns)));
  return inNamespace && matchesLabels(term.selector, pod.metadata?.labels);
}

/** Builds the PodInfo of a pod. */
export function newPodInfo(pod: Pod): PodInfo {
  const r = podRequests(pod.spec);
  return {
    key: keyOf(pod as KObject),
    pod,
    requests: r.requests,
    nonZeroCPU: r.nonZeroCPU,
    nonZeroMemory: r.nonZeroMemory,
    priority: pod.spec?.priority ?? 0,
    hostPorts: hostPortsOf(pod),
    affinity: affinityTermsOf(pod),
  };
}
