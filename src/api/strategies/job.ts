// Job strategy: batch/v1 defaults, selector generation from the uid at create, upstream validation and update rules, STATUS/COMPLETIONS/DURATION table.
import type { Job } from 'kubernetes-types/batch/v1';
import { field, type FieldError } from '../../machinery/errors';
import { labelSelectorFromObject, matchesLabels } from '../../machinery/labels';
import { invalidRendered, isDNS1123Label, nameIsDNSSubdomain, semanticEqual, validateImmutableField, validateLabelSelector, validateObjectMetaFormat } from '../../machinery/validation';
import type { KObject, Strategy } from '../types';
import { goLabelSelector, goStringMap } from './go-format';
import { validateJobSpecCommon } from './job-validation';
import { defaultPodTemplate } from './pod-defaults';
import { decodingQuantities } from './quantities';
import { AGE, age, col, containerCells, formatLabelSelector, humanDuration } from './table-helpers';
import { selectorImmutable, validateSelectorMatchesTemplate } from './workload-validation';

type Spec = NonNullable<Job['spec']>;

const CONTROLLER_UID = 'batch.kubernetes.io/controller-uid';
const LEGACY_CONTROLLER_UID = 'controller-uid';
const JOB_NAME = 'batch.kubernetes.io/job-name';
const LEGACY_JOB_NAME = 'job-name';

/** SetDefaults_Job plus template defaults. */
export function defaultJob(obj: KObject): void {
  const spec = (obj.spec ??= {}) as Spec;
  if (spec.completions === undefined && spec.parallelism === undefined) spec.completions = 1;
  spec.parallelism ??= 1;
  spec.backoffLimit ??= spec.backoffLimitPerIndex !== undefined ? 2147483647 : 6;
  const tplLabels = spec.template?.metadata?.labels;
  if (tplLabels && Object.keys(obj.metadata.labels ?? {}).length === 0) obj.metadata.labels = { ...tplLabels };
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  for (const rule of spec.podFailurePolicy?.rules ?? []) for (const p of rule.onPodConditions ?? []) p.status ||= 'True';
  spec.podReplacementPolicy ??= spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
  defaultPodTemplate(spec.template);
}

/**
 * Upstream generateSelector: unless spec.manualSelector, label the template with the job name and uid and select on
 * batch.kubernetes.io/controller-uid. Needs metadata.uid, so it runs in prepareForCreate after the registry assigns it.
 */
export function generateJobSelector(obj: KObject): void {
  const spec = (obj.spec ??= {}) as Spec;
  if (spec.manualSelector) return;
  const uid = obj.metadata.uid ?? '';
  const name = obj.metadata.name ?? '';
  const template = (spec.template ??= {});
  const labels = ((template.metadata ??= {}).labels ??= {});
  // Labels the user set are kept; a conflicting value is rejected by validation.
  for (const k of [LEGACY_JOB_NAME, JOB_NAME]) labels[k] ??= name;
  for (const k of [LEGACY_CONTROLLER_UID, CONTROLLER_UID]) labels[k] ??= uid;
  const sel = (spec.selector ??= {});
  (sel.matchLabels ??= {})[CONTROLLER_UID] ??= uid;
}

function validateHasLabel(labels: Record<string, string> | undefined, key: string, expected: string): FieldError[] {
  const path = `spec.template.metadata.labels[${key}]`;
  if (!labels || !(key in labels)) return [field.required(path, expected)];
  return labels[key] === expected ? [] : [invalidRendered(path, goStringMap(labels), `must be '${expected}'`)];
}

/** upstream validateGeneratedSelector: the generated labels are present and the selector picks them. */
export function validateGeneratedSelector(obj: KObject): FieldError[] {
  const spec = (obj.spec ?? {}) as Spec;
  if (spec.manualSelector || !spec.selector) return [];
  const uid = obj.metadata.uid ?? '';
  const name = obj.metadata.name ?? '';
  const labels = spec.template?.metadata?.labels;
  const errs: FieldError[] = [];
  if (!uid) errs.push(field.required('metadata.uid'));
  errs.push(...validateHasLabel(labels, LEGACY_CONTROLLER_UID, uid), ...validateHasLabel(labels, LEGACY_JOB_NAME, name));
  errs.push(...validateHasLabel(labels, CONTROLLER_UID, uid), ...validateHasLabel(labels, JOB_NAME, name));
  const expected = { [CONTROLLER_UID]: uid, [JOB_NAME]: name, [LEGACY_CONTROLLER_UID]: uid, [LEGACY_JOB_NAME]: name };
  if (!matchesLabels(labelSelectorFromObject(spec.selector), expected))
    errs.push(invalidRendered('spec.selector', goLabelSelector(spec.selector), '`selector` not auto-generated'));
  return errs;
}

/** upstream ValidateJobSpec: the common checks plus a required selector that matches the template. */
export function validateJobSpec(spec: Spec | undefined): FieldError[] {
  const errs = validateJobSpecCommon(spec, 'spec');
  if (!spec?.selector) errs.push(field.required('spec.selector'));
  else errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  if (spec?.selector) errs.push(...validateSelectorMatchesTemplate(spec.selector, spec.template, 'spec.template'));
  return errs;
}

/** upstream ValidateJob. */
export function validateJob(obj: KObject): FieldError[] {
  const spec = obj.spec as Spec | undefined;
  const errs = [...validateObjectMetaFormat(obj.metadata, true, nameIsDNSSubdomain), ...validateGeneratedSelector(obj), ...validateJobSpec(spec)];
  if (spec?.completionMode === 'Indexed' && (spec.completions ?? 0) > 0) {
    const host = `${obj.metadata.name}-${(spec.completions ?? 1) - 1}`;
    if (isDNS1123Label(host).length)
      errs.push(field.invalid('metadata.name', obj.metadata.name ?? '', `will not able to create pod with invalid DNS label: ${host}`));
  }
  return errs;
}

// Scheduling directives of a suspended job that never started may change (upstream AllowMutableSchedulingDirectives).
function schedulingMutable(old: KObject): boolean {
  return old.spec?.suspend === true && !old.status?.startTime;
}

/** upstream ValidateJobSpecUpdate's immutability rules. */
export function validateJobUpdate(obj: KObject, old: KObject): FieldError[] {
  const spec = (obj.spec ?? {}) as Spec;
  const prev = (old.spec ?? {}) as Spec;
  const errs: FieldError[] = [];
  if (spec.completionMode === 'Indexed') {
    if (!semanticEqual(spec.completions, prev.completions) && spec.completions !== undefined && spec.completions !== spec.parallelism)
      errs.push(field.invalid('spec.completions', spec.completions, 'can only be modified in tandem with spec.parallelism'));
  } else errs.push(...validateImmutableField(spec.completions, prev.completions, 'spec.completions'));
  errs.push(...selectorImmutable(spec.selector, prev.selector));
  let oldTemplate = prev.template;
  if (schedulingMutable(old) && oldTemplate) {
    const t = spec.template;
    oldTemplate = {
      ...oldTemplate,
      metadata: { ...oldTemplate.metadata, labels: t?.metadata?.labels, annotations: t?.metadata?.annotations },
      spec: {
        ...oldTemplate.spec!,
        nodeSelector: t?.spec?.nodeSelector,
        tolerations: t?.spec?.tolerations,
        schedulingGates: t?.spec?.schedulingGates,
        affinity: t?.spec?.affinity?.nodeAffinity || oldTemplate.spec?.affinity ? { ...oldTemplate.spec?.affinity, nodeAffinity: t?.spec?.affinity?.nodeAffinity } : undefined,
      },
    };
  }
  if (!semanticEqual(spec.template, oldTemplate)) errs.push(invalidRendered('spec.template', 'core.PodTemplateSpec{...}', 'field is immutable'));
  for (const k of ['completionMode', 'podFailurePolicy', 'backoffLimitPerIndex', 'managedBy', 'successPolicy'] as const)
    errs.push(...validateImmutableField(spec[k], prev[k], `spec.${k}`));
  return errs;
}

// True when the condition of that type is present and True (upstream hasJobCondition stops at the first of that type).
function hasCondition(job: Job, type: string): boolean {
  const c = job.status?.conditions?.find((x) => x.type === type);
  return c?.status === 'True';
}

/** The STATUS column of a job (upstream printJob). */
export function jobStatusText(job: Job): string {
  if (hasCondition(job, 'Complete')) return 'Complete';
  if (hasCondition(job, 'Failed')) return 'Failed';
  if (job.metadata?.deletionTimestamp) return 'Terminating';
  if (hasCondition(job, 'Suspended')) return 'Suspended';
  if (hasCondition(job, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

/** The Job strategy; prepareForCreate needs metadata.uid already assigned. */
export const jobStrategy: Strategy = {
  defaults: (obj) => decodingQuantities('Job', 'v1', () => defaultJob(obj)),
  prepareForCreate(obj) {
    generateJobSelector(obj);
    // Upstream re-runs defaulting when it reads the object back, so jobs pick up the generated template labels.
    const tplLabels = obj.spec?.template?.metadata?.labels;
    if (tplLabels && Object.keys(obj.metadata.labels ?? {}).length === 0) obj.metadata.labels = { ...tplLabels };
  },
  validate: validateJob,
  validateUpdate: validateJobUpdate,
  columns: [
    col('Status', 'Status of the job.'),
    col('Completions', 'The number of pods which reached phase Succeeded.'),
    col('Duration', 'Time required to complete the job.'),
    AGE,
    col('Containers', 'Names of each container in the template.', 'string', 1),
    col('Images', 'Images referenced by each container in the template.', 'string', 1),
    col('Selector', 'A label query over pods that should match the pod count.', 'string', 1),
  ],
  row(obj, now) {
    const job = obj as Job;
    const succeeded = job.status?.succeeded ?? 0;
    let completions: string;
    if (job.spec?.completions !== undefined) completions = `${succeeded}/${job.spec.completions}`;
    else completions = (job.spec?.parallelism ?? 0) > 1 ? `${succeeded}/1 of ${job.spec?.parallelism}` : `${succeeded}/1`;
    const start = job.status?.startTime ? Date.parse(job.status.startTime) : undefined;
    const end = job.status?.completionTime ? Date.parse(job.status.completionTime) : undefined;
    const duration = start === undefined ? '' : humanDuration((end ?? now) - start);
    const [names, images] = containerCells(job.spec?.template?.spec?.containers);
    return [jobStatusText(job), completions, duration, age(obj, now), names, images, formatLabelSelector(job.spec?.selector)];
  },
  selectableFields: (obj) => ({ 'status.successful': String((obj as Job).status?.succeeded ?? 0) }),
};
