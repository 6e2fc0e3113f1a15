// Upstream batch validation of a JobSpec (shared by Job and a CronJob's jobTemplate): counts, completion mode, policies, template.
import type { JobSpec } from 'kubernetes-types/batch/v1';
import { field, type FieldError } from '../../machinery/errors';
import { validateNonnegative } from '../../machinery/validation';
import { validatePodTemplateSpec } from './pod-validation';

const MAX_PARALLELISM_INDEXED = 100000;

/** upstream validateJobSpec (without the selector checks Job adds). */
export function validateJobSpecCommon(spec: JobSpec | undefined, path: string): FieldError[] {
  const s = spec ?? ({} as JobSpec);
  const errs: FieldError[] = [];
  for (const k of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished', 'backoffLimitPerIndex'] as const)
    errs.push(...validateNonnegative(s[k], `${path}.${k}`));
  if (s.maxFailedIndexes !== undefined) {
    errs.push(...validateNonnegative(s.maxFailedIndexes, `${path}.maxFailedIndexes`));
    if (s.backoffLimitPerIndex === undefined) errs.push(field.required(`${path}.backoffLimitPerIndex`, 'when maxFailedIndexes is specified'));
  }
  const mode = s.completionMode;
  if (mode !== undefined) {
    if (mode !== 'NonIndexed' && mode !== 'Indexed') errs.push(field.notSupported(`${path}.completionMode`, mode, ['NonIndexed', 'Indexed']));
    if (mode === 'Indexed') {
      if (s.completions === undefined) errs.push(field.required(`${path}.completions`, 'when completion mode is Indexed'));
      if (s.parallelism !== undefined && s.parallelism > MAX_PARALLELISM_INDEXED)
        errs.push(field.invalid(`${path}.parallelism`, s.parallelism, `must be less than or equal to ${MAX_PARALLELISM_INDEXED} when completion mode is Indexed`));
    }
  }
  if (mode === undefined || mode === 'NonIndexed') {
    if (s.backoffLimitPerIndex !== undefined) errs.push(field.invalid(`${path}.backoffLimitPerIndex`, s.backoffLimitPerIndex, 'requires indexed completion mode'));
    if (s.maxFailedIndexes !== undefined) errs.push(field.invalid(`${path}.maxFailedIndexes`, s.maxFailedIndexes, 'requires indexed completion mode'));
  }
  if (s.podReplacementPolicy !== undefined && !['Failed', 'TerminatingOrFailed'].includes(s.podReplacementPolicy))
    errs.push(field.notSupported(`${path}.podReplacementPolicy`, s.podReplacementPolicy, ['Failed', 'TerminatingOrFailed']));
  if (s.podFailurePolicy && s.podReplacementPolicy === 'TerminatingOrFailed')
    errs.push(field.notSupported(`${path}.podReplacementPolicy`, s.podReplacementPolicy, ['Failed']));
  errs.push(...validatePodTemplateSpec(s.template, `${path}.template`));
  const rp = s.template?.spec?.restartPolicy ?? '';
  const rpPath = `${path}.template.spec.restartPolicy`;
  // Templates default restartPolicy to Always, so both Always and empty mean "not chosen".
  if (rp === 'Always' || rp === '') errs.push(field.required(rpPath, 'valid values: "OnFailure", "Never"'));
  else if (rp !== 'OnFailure' && rp !== 'Never') errs.push(field.notSupported(rpPath, rp, ['OnFailure', 'Never']));
  else if (s.podFailurePolicy && rp !== 'Never') errs.push(field.invalid(rpPath, rp, 'only "Never" is supported when podFailurePolicy is specified'));
  return errs;
}
