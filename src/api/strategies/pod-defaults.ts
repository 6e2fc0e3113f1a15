// Upstream defaulting of PodSpec (every pod template) and of Pod itself (core/v1 defaults.go plus generated nested defaults).
import type { Container, PodSpec, PodTemplateSpec, Probe, Volume, LifecycleHandler, EnvVar } from 'kubernetes-types/core/v1';
import type { KObject } from '../types';
import { canonicalizeResourceList, canonicalQuantityField } from './quantities';

/** Upstream parsers.ParseImageName's tag rule: Always for ":latest" or no tag (and no digest), else IfNotPresent. */
export function defaultPullPolicy(image: string | undefined): 'Always' | 'IfNotPresent' {
  const ref = image ?? '';
  // Unparsable references (empty, spaces) have no tag upstream, hence IfNotPresent.
  if (!ref.trim() || /\s/.test(ref) || ref.includes('@')) return 'IfNotPresent';
  const lastSlash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  const tag = colon > lastSlash ? ref.slice(colon + 1) : '';
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultHandler(h: LifecycleHandler | Probe | undefined): void {
  if (!h) return;
  if (h.httpGet) {
    h.httpGet.path ||= '/';
    h.httpGet.scheme ||= 'HTTP';
  }
}

function defaultProbe(p: Probe | undefined): void {
  if (!p) return;
  p.timeoutSeconds ||= 1;
  p.periodSeconds ||= 10;
  p.successThreshold ||= 1;
  p.failureThreshold ||= 3;
  defaultHandler(p);
  if (p.grpc && p.grpc.service === undefined) p.grpc.service = '';
}

function defaultEnv(env: EnvVar[] | undefined): void {
  for (const e of env ?? []) {
    if (e.valueFrom?.fieldRef) e.valueFrom.fieldRef.apiVersion ||= 'v1';
  }
}

/** SetDefaults_Container plus its nested generated defaults (ports, probes, lifecycle, env, resources). */
export function defaultContainer(c: Container): void {
  c.imagePullPolicy ||= defaultPullPolicy(c.image);
  c.terminationMessagePath ||= '/dev/termination-log';
  c.terminationMessagePolicy ||= 'File';
  for (const p of c.ports ?? []) p.protocol ||= 'TCP';
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  defaultHandler(c.lifecycle?.postStart);
  defaultHandler(c.lifecycle?.preStop);
  defaultEnv(c.env);
  if (c.resources) {
    canonicalizeResourceList(c.resources.limits as Record<string, unknown>);
    canonicalizeResourceList(c.resources.requests as Record<string, unknown>);
  }
}

const MODE_0644 = 420;

/** SetDefaults_Volume and the defaults of each volume source. */
export function defaultVolume(v: Volume): void {
  const sources = Object.keys(v).filter((k) => k !== 'name');
  if (sources.length === 0) v.emptyDir = {};
  if (v.emptyDir?.sizeLimit !== undefined) v.emptyDir.sizeLimit = canonicalQuantityField(v.emptyDir.sizeLimit);
  if (v.hostPath && v.hostPath.type === undefined) v.hostPath.type = '';
  if (v.secret && v.secret.defaultMode === undefined) v.secret.defaultMode = MODE_0644;
  if (v.configMap && v.configMap.defaultMode === undefined) v.configMap.defaultMode = MODE_0644;
  if (v.downwardAPI) {
    if (v.downwardAPI.defaultMode === undefined) v.downwardAPI.defaultMode = MODE_0644;
    for (const item of v.downwardAPI.items ?? []) if (item.fieldRef) item.fieldRef.apiVersion ||= 'v1';
  }
  if (v.projected) {
    if (v.projected.defaultMode === undefined) v.projected.defaultMode = MODE_0644;
    for (const s of v.projected.sources ?? []) {
      for (const item of s.downwardAPI?.items ?? []) if (item.fieldRef) item.fieldRef.apiVersion ||= 'v1';
      if (s.serviceAccountToken && s.serviceAccountToken.expirationSeconds === undefined) s.serviceAccountToken.expirationSeconds = 3600;
    }
  }
  if (v.iscsi) v.iscsi.iscsiInterface ||= 'default';
  const claimSpec = v.ephemeral?.volumeClaimTemplate?.spec;
  if (claimSpec) claimSpec.volumeMode ||= 'Filesystem';
}

/** SetDefaults_PodSpec and the nested defaults; applies to pods and to every pod template. */
export function defaultPodSpec(spec: PodSpec | undefined): void {
  if (!spec) return;
  spec.dnsPolicy ||= 'ClusterFirst';
  spec.restartPolicy ||= 'Always';
  spec.securityContext ??= {};
  spec.terminationGracePeriodSeconds ??= 30;
  spec.schedulerName ||= 'default-scheduler';
  // v1 conversion keeps the deprecated serviceAccount field in step with serviceAccountName.
  if (!spec.serviceAccountName && spec.serviceAccount) spec.serviceAccountName = spec.serviceAccount;
  if (spec.serviceAccountName) spec.serviceAccount = spec.serviceAccountName;
  for (const v of spec.volumes ?? []) defaultVolume(v);
  for (const c of spec.initContainers ?? []) defaultContainer(c);
  for (const c of spec.containers ?? []) defaultContainer(c);
  for (const c of spec.ephemeralContainers ?? []) defaultContainer(c as Container);
  canonicalizeResourceList(spec.overhead as Record<string, unknown>);
}

/** Defaults of a pod template as found in workloads. */
export function defaultPodTemplate(template: PodTemplateSpec | undefined): void {
  defaultPodSpec(template?.spec);
}

// Requests default to limits only on Pods, never on templates (upstream SetDefaults_Pod).
function requestsFromLimits(containers: Container[] | undefined): void {
  for (const c of containers ?? []) {
    const limits = c.resources?.limits;
    if (!limits) continue;
    c.resources!.requests ??= {};
    for (const [k, v] of Object.entries(limits)) if (!(k in c.resources!.requests)) c.resources!.requests[k] = v;
  }
}

/** SetDefaults_Pod on top of the PodSpec defaults, plus v1 conversion of podIP/hostIP into their list forms. */
export function defaultPod(pod: KObject): void {
  const spec = (pod.spec ??= {}) as PodSpec;
  defaultPodSpec(spec);
  requestsFromLimits(spec.initContainers);
  requestsFromLimits(spec.containers);
  spec.enableServiceLinks ??= true;
  if (spec.hostNetwork) {
    for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])])
      for (const p of c.ports ?? []) if (!p.hostPort) p.hostPort = p.containerPort;
  }
  const status = pod.status;
  if (status) {
    if (!status.podIPs?.length && status.podIP) status.podIPs = [{ ip: status.podIP }];
    if (status.podIPs?.length) status.podIP = status.podIPs[0].ip;
    if (!status.hostIPs?.length && status.hostIP) status.hostIPs = [{ ip: status.hostIP }];
    if (status.hostIPs?.length) status.hostIP = status.hostIPs[0].ip;
  }
}
