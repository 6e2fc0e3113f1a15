// Quota evaluators: which quota resources an object of each kind uses, and which quotas apply to it (upstream quota/v1/evaluator/core).
import type { Container, PodSpec, ResourceQuota, ScopedResourceSelectorRequirement } from 'kubernetes-types/core/v1';
import { isExtendedResourceName, isHugePageResourceName, isNativeResource } from '../strategies/resources';
import { podQOSClass } from '../strategies/pod-qos';
import type { KObject } from '../types';
import { add, ONE, ResourceList, toResourceList } from './resource-list';

/** Measures usage of one kind of object. */
export interface Evaluator {
  group: string;
  resource: string;
  /** True when quota resource `name` is tracked by this evaluator. */
  tracks(name: string): boolean;
  /** Usage of one object; `now` (ms) decides whether a terminating pod still counts. */
  usage(obj: KObject, now: number): ResourceList;
  /** Whether an object matches one scope selector requirement (only pods have scopes). */
  matchesScope?(req: ScopedResourceSelectorRequirement, obj: KObject): boolean;
  /** Per-object requirements a quota imposes (pods must set cpu/memory); returns the error text or undefined. */
  constraints?(required: string[], obj: KObject): string | undefined;
}

/** The object-count quota name of a resource: count/pods, count/deployments.apps. */
export function objectCountName(group: string, resource: string): string {
  return group ? `count/${resource}.${group}` : `count/${resource}`;
}

/** The group and resource an object-count name counts ("count/deployments.apps" → apps, deployments). */
export function parseObjectCountName(name: string): { group: string; resource: string } | undefined {
  if (!name.startsWith('count/')) return undefined;
  const rest = name.slice('count/'.length);
  const dot = rest.indexOf('.');
  return dot < 0 ? { group: '', resource: rest } : { group: rest.slice(dot + 1), resource: rest.slice(0, dot) };
}

// ---- pods ----

const POD_RESOURCES = new Set([
  'count/pods',
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'pods',
]);

// Upstream requires containers to state these when a quota tracks them ("it was a mistake", but it is the behaviour).
const VALIDATION_SET = new Set(['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory']);

const isExtendedForQuota = (name: string) => !isNativeResource(name) && name.startsWith('requests.');

type Requirements = { requests?: Record<string, unknown>; limits?: Record<string, unknown> };

/** upstream podComputeUsageHelper: the quota names a set of requests and limits charges. */
function computeUsage(requests: ResourceList, limits: ResourceList): ResourceList {
  const out: ResourceList = new Map([['pods', ONE]]);
  for (const r of ['cpu', 'memory', 'ephemeral-storage']) {
    const req = requests.get(r);
    if (req) {
      out.set(r, req);
      out.set(`requests.${r}`, req);
    }
    const lim = limits.get(r);
    if (lim) out.set(`limits.${r}`, lim);
  }
  for (const [name, q] of requests) {
    if (isHugePageResourceName(name)) {
      out.set(name, q);
      out.set(`requests.${name}`, q);
    }
    if (isExtendedResourceName(name)) out.set(`requests.${name}`, q);
  }
  return out;
}

function max(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = new Map(a);
  for (const [k, v] of b) {
    const cur = out.get(k);
    if (!cur || v.cmp(cur) > 0) out.set(k, v);
  }
  return out;
}

/** upstream PodRequests/PodLimits: containers plus sidecars, at least the largest init step, plus overhead. */
export function podResources(spec: PodSpec | undefined, which: keyof Requirements): ResourceList {
  const of = (c: Container) => toResourceList((c.resources as Requirements | undefined)?.[which]);
  let total: ResourceList = new Map();
  for (const c of spec?.containers ?? []) total = add(total, of(c));
  let sidecars: ResourceList = new Map();
  let initMax: ResourceList = new Map();
  for (const c of spec?.initContainers ?? []) {
    if (c.restartPolicy === 'Always') {
      total = add(total, of(c));
      sidecars = add(sidecars, of(c));
    } else initMax = max(initMax, add(of(c), sidecars));
  }
  total = max(total, initMax);
  if (spec?.overhead) total = add(total, toResourceList(spec.overhead as Record<string, unknown>));
  return total;
}

/** upstream QuotaV1Pod: terminal pods and pods past their deletion grace no longer use compute quota. */
export function podChargedForCompute(pod: KObject, now: number): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  const ts = pod.metadata.deletionTimestamp;
  const grace = pod.metadata.deletionGracePeriodSeconds;
  if (ts && grace !== undefined && grace !== null && now > Date.parse(ts) + grace * 1000) return false;
  return true;
}

function podMatchesScope(req: ScopedResourceSelectorRequirement, pod: KObject): boolean {
  const spec = pod.spec as PodSpec | undefined;
  switch (req.scopeName) {
    case 'Terminating':
      return (spec?.activeDeadlineSeconds ?? -1) >= 0;
    case 'NotTerminating':
      return !((spec?.activeDeadlineSeconds ?? -1) >= 0);
    case 'BestEffort':
      return podQOSClass(spec) === 'BestEffort';
    case 'NotBestEffort':
      return podQOSClass(spec) !== 'BestEffort';
    case 'PriorityClass': {
      const pc = spec?.priorityClassName ?? '';
      switch (req.operator) {
        case 'Exists':
          return pc !== '';
        case 'DoesNotExist':
          return pc === '';
        case 'In':
          return pc !== '' && (req.values ?? []).includes(pc);
        case 'NotIn':
          return pc === '' || !(req.values ?? []).includes(pc);
      }
      return false;
    }
    case 'CrossNamespacePodAffinity': {
      const terms = [
        ...(spec?.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
        ...(spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
        ...(spec?.affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w) => w.podAffinityTerm),
        ...(spec?.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w) => w.podAffinityTerm),
      ];
      return terms.some((t) => (t.namespaces?.length ?? 0) > 0 || !!t.namespaceSelector);
    }
  }
  return false;
}

/** upstream podEvaluator.Constraints: "must specify limits.cpu for: app; requests.memory for: app,side". */
function podConstraints(required: string[], pod: KObject): string | undefined {
  const need = required.filter((r) => VALIDATION_SET.has(r));
  if (!need.length) return undefined;
  const missing = new Map<string, Set<string>>();
  const spec = pod.spec as PodSpec | undefined;
  for (const c of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]) {
    const res = c.resources as Requirements | undefined;
    const has = computeUsage(toResourceList(res?.requests), toResourceList(res?.limits));
    for (const r of need) {
      if (has.has(r)) continue;
      if (!missing.has(r)) missing.set(r, new Set());
      missing.get(r)!.add(c.name);
    }
  }
  if (!missing.size) return undefined;
  const parts = [...missing.keys()].sort().map((r) => `${r} for: ${[...missing.get(r)!].sort().join(',')}`);
  return `must specify ${parts.join('; ')}`;
}

const podEvaluator: Evaluator = {
  group: '',
  resource: 'pods',
  tracks: (name) => POD_RESOURCES.has(name) || isHugePageResourceName(name) || name.startsWith('requests.hugepages-') || isExtendedForQuota(name),
  usage(pod, now) {
    // count/pods counts every stored pod; the rest only pods still alive.
    const out: ResourceList = new Map([['count/pods', ONE]]);
    if (!podChargedForCompute(pod, now)) return out;
    const spec = pod.spec as PodSpec | undefined;
    return add(out, computeUsage(podResources(spec, 'requests'), podResources(spec, 'limits')));
  },
  matchesScope: podMatchesScope,
  constraints: podConstraints,
};

// ---- services ----

const SERVICE_RESOURCES = new Set(['count/services', 'services', 'services.nodeports', 'services.loadbalancers']);

const serviceEvaluator: Evaluator = {
  group: '',
  resource: 'services',
  tracks: (name) => SERVICE_RESOURCES.has(name),
  usage(svc) {
    const out: ResourceList = new Map([
      ['count/services', ONE],
      ['services', ONE],
    ]);
    const type = svc.spec?.type ?? 'ClusterIP';
    const ports = (svc.spec?.ports ?? []).length;
    if (type === 'NodePort' || type === 'LoadBalancer') out.set('services.nodeports', ONE.withNano(BigInt(ports) * ONE.nano));
    if (type === 'LoadBalancer') out.set('services.loadbalancers', ONE);
    return out;
  },
};

// ---- persistent volume claims ----

const STORAGE_CLASS_SUFFIX = '.storageclass.storage.k8s.io/';

const pvcEvaluator: Evaluator = {
  group: '',
  resource: 'persistentvolumeclaims',
  tracks: (name) =>
    ['count/persistentvolumeclaims', 'persistentvolumeclaims', 'requests.storage'].includes(name) ||
    (name.includes(STORAGE_CLASS_SUFFIX) && (name.endsWith('/requests.storage') || name.endsWith('/persistentvolumeclaims'))),
  usage(pvc) {
    const out: ResourceList = new Map([
      ['count/persistentvolumeclaims', ONE],
      ['persistentvolumeclaims', ONE],
    ]);
    const sc: string | undefined = pvc.spec?.storageClassName;
    if (sc) out.set(`${sc}${STORAGE_CLASS_SUFFIX}persistentvolumeclaims`, ONE);
    const storage = toResourceList(pvc.spec?.resources?.requests).get('storage');
    if (storage) {
      out.set('requests.storage', storage);
      if (sc) out.set(`${sc}${STORAGE_CLASS_SUFFIX}requests.storage`, storage);
    }
    return out;
  },
};

// ---- object counts ----

// Core resources whose count also goes by a bare legacy name.
const LEGACY_COUNT = new Set(['configmaps', 'secrets', 'resourcequotas', 'replicationcontrollers']);

/** upstream NewObjectCountEvaluator: count/<resource>[.group], plus the legacy bare name for a few core kinds. */
function objectCountEvaluator(group: string, resource: string): Evaluator {
  const names = new Set([objectCountName(group, resource)]);
  if (!group && LEGACY_COUNT.has(resource)) names.add(resource);
  return {
    group,
    resource,
    tracks: (name) => names.has(name),
    usage: () => new Map([...names].map((n) => [n, ONE])),
  };
}

const SPECIFIC = [podEvaluator, serviceEvaluator, pvcEvaluator];

/** The evaluator of a group/resource (an object counter for kinds without a specific one). */
export function evaluatorFor(group: string, resource: string): Evaluator {
  return SPECIFIC.find((e) => e.group === group && e.resource === resource) ?? objectCountEvaluator(group, resource);
}

/** The resources (group/resource) whose objects the names of a quota's hard list measure. */
export function resourcesTrackedBy(names: string[]): { group: string; resource: string }[] {
  const out = new Map<string, { group: string; resource: string }>();
  for (const name of names) {
    const specific = SPECIFIC.find((e) => e.tracks(name));
    const gr = specific ?? parseObjectCountName(name) ?? (LEGACY_COUNT.has(name) ? { group: '', resource: name } : undefined);
    if (gr) out.set(`${gr.group}/${gr.resource}`, { group: gr.group, resource: gr.resource });
  }
  return [...out.values()];
}

/** The scope requirements of a quota: spec.scopes as Exists requirements plus spec.scopeSelector. */
export function quotaScopes(quota: ResourceQuota): ScopedResourceSelectorRequirement[] {
  return [
    ...(quota.spec?.scopes ?? []).map((s) => ({ scopeName: s, operator: 'Exists' })),
    ...(quota.spec?.scopeSelector?.matchExpressions ?? []),
  ];
}

/** upstream generic.Matches: the quota tracks something the evaluator measures, and the object is in every scope. */
export function quotaMatches(quota: ResourceQuota, ev: Evaluator, obj: KObject): boolean {
  const hard = Object.keys(quota.spec?.hard ?? {});
  if (!hard.some((n) => ev.tracks(n))) return false;
  for (const req of quotaScopes(quota)) {
    if (!ev.matchesScope?.(req, obj)) return false;
  }
  return true;
}
