// Pod strategy: pod defaults, create-time status and priority, spec validation, the narrow set of mutable spec fields, table and field selectors.
import type { Container, Pod, PodSpec, Toleration } from 'kubernetes-types/core/v1';
import { field, type FieldError } from '../../machinery/errors';
import { nameIsDNSSubdomain, semanticEqual, validateObjectMetaFormat } from '../../machinery/validation';
import type { KObject, Strategy } from '../types';
import { defaultPod } from './pod-defaults';
import { podQOSClass } from './pod-qos';
import { podColumns, podRow } from './pod-table';
import { validatePodSpec } from './pod-validation';
import { decodingQuantities } from './quantities';

const UPDATE_FORBIDDEN =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

// What the DefaultTolerationSeconds admission plugin adds so pods leave failed nodes after 5 minutes.
const DEFAULT_TOLERATIONS: Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

/** Adds the not-ready/unreachable NoExecute tolerations unless the pod already tolerates those taints. */
export function addDefaultTolerations(spec: PodSpec): void {
  for (const def of DEFAULT_TOLERATIONS) {
    const tolerated = (spec.tolerations ?? []).some((t) => (t.key === def.key || !t.key) && (t.effect === 'NoExecute' || !t.effect));
    if (!tolerated) (spec.tolerations ??= []).push({ ...def });
  }
}

// Images must not carry whitespace on real pods (templates tolerate it for old clients).
function validateImagesOnlyForPod(containers: Container[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (containers ?? []).forEach((c, i) => {
    if (c.image && c.image !== c.image.trim()) errs.push(field.invalid(`${path}[${i}].image`, c.image, 'must not have leading or trailing whitespace'));
  });
  return errs;
}

// A short "field: old → new" listing standing in for upstream's struct diff after the forbidden message.
function specDiff(next: PodSpec, prev: PodSpec): string {
  const a = next as unknown as Record<string, unknown>;
  const b = prev as unknown as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const lines = keys.filter((k) => !semanticEqual(a[k], b[k])).map((k) => `  \t${k}: ${JSON.stringify(b[k])} -> ${JSON.stringify(a[k])}`);
  return `\n  core.PodSpec{\n${lines.join('\n')}\n  }\n`;
}

function containerUpdates(next: Container[] | undefined, prev: Container[] | undefined, path: string): { errs: FieldError[]; stop: boolean } {
  if ((next ?? []).length !== (prev ?? []).length) return { errs: [field.forbidden(path, 'pod updates may not add or remove containers')], stop: true };
  const errs: FieldError[] = [];
  (next ?? []).forEach((c, i) => {
    if (!c.image) errs.push(field.required(`${path}[${i}].image`));
  });
  return { errs, stop: false };
}

/** upstream ValidatePodUpdate for the spec: only images, activeDeadlineSeconds (shortening), added tolerations and a negative grace period may change. */
export function validatePodSpecUpdate(next: PodSpec, prev: PodSpec): FieldError[] {
  const errs: FieldError[] = [];
  for (const kind of ['containers', 'initContainers'] as const) {
    const r = containerUpdates(next[kind], prev[kind], `spec.${kind}`);
    errs.push(...r.errs);
    if (r.stop) return errs;
  }
  const nd = next.activeDeadlineSeconds;
  const od = prev.activeDeadlineSeconds;
  if (nd !== undefined) {
    if (nd < 0 || nd > 2147483647) return [...errs, field.invalid('spec.activeDeadlineSeconds', nd, 'must be between 0 and 2147483647, inclusive')];
    if (od !== undefined && od < nd) return [...errs, field.invalid('spec.activeDeadlineSeconds', nd, 'must be less than or equal to previous value')];
  } else if (od !== undefined) {
    errs.push(field.invalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'));
  }
  for (const old of prev.tolerations ?? []) {
    const kept = (next.tolerations ?? []).some((t) => semanticEqual({ ...t, tolerationSeconds: undefined }, { ...old, tolerationSeconds: undefined }));
    if (!kept) errs.push(field.forbidden('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds'));
  }
  const munged: PodSpec = {
    ...next,
    containers: (next.containers ?? []).map((c, i) => ({ ...c, image: prev.containers?.[i]?.image ?? c.image })),
    initContainers: next.initContainers?.map((c, i) => ({ ...c, image: prev.initContainers?.[i]?.image ?? c.image })),
    activeDeadlineSeconds: prev.activeDeadlineSeconds,
    tolerations: prev.tolerations,
  };
  if ((prev.terminationGracePeriodSeconds ?? 0) < 0 && next.terminationGracePeriodSeconds === 1) munged.terminationGracePeriodSeconds = prev.terminationGracePeriodSeconds;
  if (!semanticEqual(munged, prev)) errs.push(field.forbidden('spec', UPDATE_FORBIDDEN + specDiff(munged, prev)));
  return errs;
}

/** Field-selector values of a pod (upstream pod ToSelectableFields). */
export function podSelectableFields(obj: KObject): Record<string, string> {
  const pod = obj as Pod;
  return {
    'spec.nodeName': pod.spec?.nodeName ?? '',
    'spec.restartPolicy': pod.spec?.restartPolicy ?? '',
    'spec.schedulerName': pod.spec?.schedulerName ?? '',
    'spec.serviceAccountName': pod.spec?.serviceAccountName ?? '',
    'spec.hostNetwork': String(pod.spec?.hostNetwork ?? false),
    'status.phase': pod.status?.phase ?? '',
    'status.podIP': pod.status?.podIPs?.[0]?.ip ?? pod.status?.podIP ?? '',
    'status.nominatedNodeName': pod.status?.nominatedNodeName ?? '',
  };
}

/** The Pod strategy. */
export const podStrategy: Strategy = {
  defaults: (obj) => decodingQuantities('Pod', 'v1', () => defaultPod(obj)),
  prepareForCreate(obj) {
    const spec = (obj.spec ??= {}) as PodSpec;
    obj.status = { phase: 'Pending', qosClass: podQOSClass(spec) };
    // Without a priorityClassName the Priority admission plugin resolves to the global default of 0.
    if (!spec.priorityClassName) {
      spec.priority ??= 0;
      spec.preemptionPolicy ??= 'PreemptLowerPriority';
    }
    addDefaultTolerations(spec);
  },
  prepareForUpdate(obj, old) {
    // The QoS class is fixed at creation; status writers (kubelets) may not change it.
    if (old.status?.qosClass && obj.status) obj.status.qosClass = old.status.qosClass;
  },
  validate(obj) {
    const spec = obj.spec as PodSpec | undefined;
    return [
      ...validateObjectMetaFormat(obj.metadata, true, nameIsDNSSubdomain),
      ...validatePodSpec(spec, 'spec'),
      ...validateImagesOnlyForPod(spec?.containers, 'spec.containers'),
      ...validateImagesOnlyForPod(spec?.initContainers, 'spec.initContainers'),
    ];
  },
  validateUpdate: (obj, old) => validatePodSpecUpdate((obj.spec ?? {}) as PodSpec, (old.spec ?? {}) as PodSpec),
  columns: podColumns,
  row: podRow,
  selectableFields: podSelectableFields,
};
