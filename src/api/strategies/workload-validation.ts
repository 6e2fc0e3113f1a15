// Validation shared by ReplicaSet, Deployment, StatefulSet and DaemonSet: selectors, template/selector agreement, int-or-percent values.
import type { PodTemplateSpec } from 'kubernetes-types/core/v1';
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import { field, type FieldError } from '../../machinery/errors';
import { labelSelectorFromObject, matchesLabels } from '../../machinery/labels';
import { invalidRendered, isValidPercent, notSupportedRendered, validateImmutableField, validateLabelSelector, validateNonnegative } from '../../machinery/validation';
import { goIntOrString, goLabelSelector, goStringMap } from './go-format';
import { validatePodTemplateSpec } from './pod-validation';

/** An int-or-percent value as Kubernetes writes it (number or "25%"). */
export type IntOrString = number | string;

/** `spec.selector`: required, valid, and non-empty (`empty selector is invalid for <kind>`). */
export function validateWorkloadSelector(sel: LabelSelector | undefined, kindWord: string, path = 'spec.selector'): FieldError[] {
  if (!sel) return [field.required(path)];
  const errs = validateLabelSelector(sel, path);
  if (Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions?.length ?? 0) === 0)
    errs.push(invalidRendered(path, goLabelSelector(sel), `empty selector is invalid for ${kindWord}`));
  return errs;
}

/** The template's labels must satisfy a non-empty selector. */
export function validateSelectorMatchesTemplate(sel: LabelSelector | undefined, tpl: PodTemplateSpec | undefined, path: string): FieldError[] {
  // A missing selector converts to "nothing", which matches no labels; an empty one to "everything".
  const compiled = labelSelectorFromObject(sel);
  if (sel && (compiled.length === 0 || matchesLabels(compiled, tpl?.metadata?.labels))) return [];
  return [invalidRendered(`${path}.metadata.labels`, goStringMap(tpl?.metadata?.labels), '`selector` does not match template `labels`')];
}

/** Template checks for controllers whose pods always restart (upstream ValidatePodTemplateSpecForReplicaSet). */
export function validateTemplateForReplicaSet(sel: LabelSelector | undefined, tpl: PodTemplateSpec | undefined, path: string, kindWord: string): FieldError[] {
  if (!tpl) return [field.required(path)];
  const errs = validateSelectorMatchesTemplate(sel, tpl, path);
  errs.push(...validatePodTemplateSpec(tpl, path));
  errs.push(...restartAlwaysOnly(tpl, path, kindWord));
  return errs;
}

/** restartPolicy must be Always and activeDeadlineSeconds unset in long-running controllers. */
export function restartAlwaysOnly(tpl: PodTemplateSpec | undefined, path: string, kindWord: string): FieldError[] {
  const errs: FieldError[] = [];
  const rp = tpl?.spec?.restartPolicy ?? '';
  if (rp !== 'Always') errs.push(field.notSupported(`${path}.spec.restartPolicy`, rp, ['Always']));
  if (tpl?.spec?.activeDeadlineSeconds !== undefined)
    errs.push(field.forbidden(`${path}.spec.activeDeadlineSeconds`, `activeDeadlineSeconds in ${kindWord} is not Supported`));
  return errs;
}

/** `field is immutable` for a selector, printed as upstream's v1.LabelSelector. */
export function selectorImmutable(sel: LabelSelector | undefined, old: LabelSelector | undefined, path = 'spec.selector'): FieldError[] {
  return validateImmutableField(sel, old, path, goLabelSelector(sel));
}

/** A non-negative count. */
export const validateReplicas = (n: number | undefined, path = 'spec.replicas') => validateNonnegative(n, path);

/** The numeric part of "25%" or an int; isPercent says which. */
export function intOrPercentValue(v: IntOrString | undefined): { value: number; isPercent: boolean } {
  if (typeof v === 'string') {
    const m = /^(\d+)%$/.exec(v);
    return { value: m ? Number(m[1]) : 0, isPercent: !!m };
  }
  return { value: v ?? 0, isPercent: false };
}

/** upstream ValidatePositiveIntOrPercent: a valid percent string or a non-negative int. */
export function validatePositiveIntOrPercent(v: IntOrString | undefined, path: string): FieldError[] {
  if (typeof v === 'string') return isValidPercent(v).map((m) => invalidRendered(path, goIntOrString(v), m));
  return validateNonnegative(v ?? 0, path);
}

/** upstream IsNotMoreThan100Percent. */
export function notMoreThan100Percent(v: IntOrString | undefined, path: string): FieldError[] {
  const { value, isPercent } = intOrPercentValue(v);
  return isPercent && value > 100 ? [invalidRendered(path, goIntOrString(v), 'must not be greater than 100%')] : [];
}

/** maxUnavailable and maxSurge of a rolling update; both may not be zero. */
export function validateRollingUpdate(ru: { maxUnavailable?: IntOrString; maxSurge?: IntOrString }, path: string): FieldError[] {
  const errs = [...validatePositiveIntOrPercent(ru.maxUnavailable, `${path}.maxUnavailable`), ...validatePositiveIntOrPercent(ru.maxSurge, `${path}.maxSurge`)];
  if (intOrPercentValue(ru.maxUnavailable).value === 0 && intOrPercentValue(ru.maxSurge).value === 0)
    errs.push(invalidRendered(`${path}.maxUnavailable`, goIntOrString(ru.maxUnavailable), 'may not be 0 when `maxSurge` is 0'));
  errs.push(...notMoreThan100Percent(ru.maxUnavailable, `${path}.maxUnavailable`));
  return errs;
}

/** An unknown strategy type, printed as upstream's %#v of the strategy struct (e.g. apps.DeploymentStrategy{...}). */
export function unsupportedStrategy(path: string, structType: string, rollingType: string, type: string, hasRollingUpdate: boolean, valid: string[]): FieldError {
  const ru = `(*${rollingType})(${hasRollingUpdate ? '0xc000000000' : 'nil'})`;
  return notSupportedRendered(path, `${structType}{Type:${JSON.stringify(type)}, RollingUpdate:${ru}}`, valid);
}
