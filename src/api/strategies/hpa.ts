// HorizontalPodAutoscaler (autoscaling/v2, stored) strategy: defaults incl. behavior, upstream validation, REFERENCE/TARGETS table.
import type { HorizontalPodAutoscaler, HPAScalingRules, MetricSpec, MetricStatus, MetricTarget } from 'kubernetes-types/autoscaling/v2';
import { field, type FieldError } from '../../machinery/errors';
import { tryParseQuantity } from '../../machinery/quantity';
import { nameIsDNSSubdomain, nameIsPathSegment, invalidEach, validateObjectMetaFormat, validateLabelSelector } from '../../machinery/validation';
import type { KObject, Strategy } from '../types';
import { hpaV1ToV2, isHPAv1 } from './hpa-conversion';
import { canonicalQuantityField, decodingQuantities } from './quantities';
import { validateContainerResourceName } from './resources';
import { AGE, age, col } from './table-helpers';

type Spec = NonNullable<HorizontalPodAutoscaler['spec']>;

const SCALE_UP: HPAScalingRules = {
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
};
const SCALE_DOWN: HPAScalingRules = { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] };

// upstream copyHPAScalingRules: the user's non-nil fields over the defaults.
function rulesWithDefaults(from: HPAScalingRules | undefined, defaults: HPAScalingRules): HPAScalingRules {
  const to: HPAScalingRules = structuredClone(defaults);
  if (from?.selectPolicy !== undefined) to.selectPolicy = from.selectPolicy;
  if (from?.stabilizationWindowSeconds !== undefined) to.stabilizationWindowSeconds = from.stabilizationWindowSeconds;
  if (from?.policies !== undefined) to.policies = from.policies;
  return to;
}

function canonicalTarget(t: MetricTarget | undefined): void {
  if (!t) return;
  if (t.value !== undefined) t.value = canonicalQuantityField(t.value);
  if (t.averageValue !== undefined) t.averageValue = canonicalQuantityField(t.averageValue);
}

/** SetDefaults_HorizontalPodAutoscaler (v2): minReplicas 1, 80% CPU when no metrics, full behavior when any is given. */
export function defaultHPA(obj: KObject): void {
  const spec = (obj.spec ??= {}) as Spec;
  spec.minReplicas ??= 1;
  if (!spec.metrics?.length) spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
  if (spec.behavior) {
    spec.behavior.scaleUp = rulesWithDefaults(spec.behavior.scaleUp, SCALE_UP);
    spec.behavior.scaleDown = rulesWithDefaults(spec.behavior.scaleDown, SCALE_DOWN);
  }
  for (const m of spec.metrics) canonicalTarget((m.resource ?? m.containerResource ?? m.pods ?? m.object ?? m.external)?.target);
}

/** A scaleTargetRef or describedObject: kind and name present and usable as path segments. */
export function validateCrossVersionRef(ref: { kind?: string; name?: string } | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!ref?.kind) errs.push(field.required(`${path}.kind`));
  else errs.push(...invalidEach(`${path}.kind`, ref.kind, nameIsPathSegment(ref.kind, false)));
  if (!ref?.name) errs.push(field.required(`${path}.name`));
  else errs.push(...invalidEach(`${path}.name`, ref.name, nameIsPathSegment(ref.name, false)));
  return errs;
}

function validateMetricTarget(t: MetricTarget | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!t?.type) errs.push(field.required(`${path}.type`, 'must specify a metric target type'));
  if (!['Utilization', 'Value', 'AverageValue'].includes(t?.type ?? '')) errs.push(field.invalid(`${path}.type`, t?.type ?? '', 'must be either Utilization, Value, or AverageValue'));
  const value = tryParseQuantity(t?.value);
  if (value && value.sign() !== 1) errs.push(field.invalid(`${path}.value`, value.toString(), 'must be positive'));
  const avg = tryParseQuantity(t?.averageValue);
  if (avg && avg.sign() !== 1) errs.push(field.invalid(`${path}.averageValue`, avg.toString(), 'must be positive'));
  if (t?.averageUtilization !== undefined && t.averageUtilization < 1) errs.push(field.invalid(`${path}.averageUtilization`, t.averageUtilization, 'must be greater than 0'));
  return errs;
}

function validateMetricIdentifier(m: { name?: string; selector?: object } | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!m?.name) errs.push(field.required(`${path}.name`, 'must specify a metric name'));
  else errs.push(...invalidEach(`${path}.name`, m.name, nameIsPathSegment(m.name, false)));
  if (m?.selector) errs.push(...validateLabelSelector(m.selector, `${path}.selector`));
  return errs;
}

function validateSource(kind: string, m: MetricSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  switch (kind) {
    case 'resource':
    case 'containerResource': {
      const src = (kind === 'resource' ? m.resource : m.containerResource)!;
      if (!src.name) errs.push(field.required(`${path}.name`, 'must specify a resource name'));
      else errs.push(...validateContainerResourceName(src.name, `${path}.name`));
      if (kind === 'containerResource' && !m.containerResource?.container) errs.push(field.required(`${path}.container`, 'must specify a container'));
      errs.push(...validateMetricTarget(src.target, `${path}.target`));
      if (src.target?.averageUtilization === undefined && src.target?.averageValue === undefined)
        errs.push(field.required(`${path}.target.averageUtilization`, 'must set either a target raw value or a target utilization'));
      if (src.target?.averageUtilization !== undefined && src.target?.averageValue !== undefined)
        errs.push(field.forbidden(`${path}.target.averageValue`, 'may not set both a target raw value and a target utilization'));
      break;
    }
    case 'pods':
      errs.push(...validateMetricIdentifier(m.pods?.metric, `${path}.metric`), ...validateMetricTarget(m.pods?.target, `${path}.target`));
      if (m.pods?.target?.averageValue === undefined) errs.push(field.required(`${path}.target.averageValue`, 'must specify a positive target averageValue'));
      break;
    case 'object':
      errs.push(...validateCrossVersionRef(m.object?.describedObject, `${path}.describedObject`));
      errs.push(...validateMetricIdentifier(m.object?.metric, `${path}.metric`), ...validateMetricTarget(m.object?.target, `${path}.target`));
      if (m.object?.target?.value === undefined && m.object?.target?.averageValue === undefined)
        errs.push(field.required(`${path}.target.averageValue`, 'must set either a target value or averageValue'));
      break;
    case 'external':
      errs.push(...validateMetricIdentifier(m.external?.metric, `${path}.metric`), ...validateMetricTarget(m.external?.target, `${path}.target`));
      if (m.external?.target?.value === undefined && m.external?.target?.averageValue === undefined)
        errs.push(field.required(`${path}.target.averageValue`, 'must set either a target value for metric or a per-pod target'));
      if (m.external?.target?.value !== undefined && m.external?.target?.averageValue !== undefined)
        errs.push(field.forbidden(`${path}.target.value`, 'may not set both a target value for metric and a per-pod target'));
      break;
  }
  return errs;
}

const METRIC_TYPES: Record<string, keyof MetricSpec> = {
  ContainerResource: 'containerResource',
  External: 'external',
  Object: 'object',
  Pods: 'pods',
  Resource: 'resource',
};

function validateMetricSpec(m: MetricSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const valid = Object.keys(METRIC_TYPES);
  if (!m.type) errs.push(field.required(`${path}.type`, 'must specify a metric source type'));
  if (!valid.includes(m.type)) errs.push(field.notSupported(`${path}.type`, m.type ?? '', valid));
  const present = Object.values(METRIC_TYPES).filter((k) => m[k] !== undefined);
  if (present.length) errs.push(...validateSource(present[0], m, `${path}.${present[0]}`));
  const expected = METRIC_TYPES[m.type];
  if (expected && m[expected] === undefined) errs.push(field.required(`${path}.${expected}`, 'must populate information for the given metric source'));
  if (!expected && m.type) errs.push(field.notSupported(`${path}.type`, m.type, valid));
  if (present.length !== 1) for (const k of present.filter((k) => k !== expected)) errs.push(field.forbidden(`${path}.${k}`, 'must populate the given metric source only'));
  return errs;
}

function validateScalingRules(r: HPAScalingRules, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const w = r.stabilizationWindowSeconds;
  if (w !== undefined && w < 0) errs.push(field.invalid(`${path}.stabilizationWindowSeconds`, w, 'must be greater than or equal to zero'));
  if (w !== undefined && w > 3600) errs.push(field.invalid(`${path}.stabilizationWindowSeconds`, w, 'must be less than or equal to 3600'));
  if (r.selectPolicy !== undefined && !['Disabled', 'Max', 'Min'].includes(r.selectPolicy))
    errs.push(field.notSupported(`${path}.selectPolicy`, r.selectPolicy, ['Disabled', 'Max', 'Min']));
  if (!r.policies?.length) errs.push(field.required(`${path}.policies`, 'must specify at least one Policy'));
  (r.policies ?? []).forEach((p, i) => {
    const pp = `${path}.policies[${i}]`;
    if (p.type !== 'Pods' && p.type !== 'Percent') errs.push(field.notSupported(`${pp}.type`, p.type, ['Percent', 'Pods']));
    if (!(p.value > 0)) errs.push(field.invalid(`${pp}.value`, p.value, 'must be greater than zero'));
    if (!(p.periodSeconds > 0)) errs.push(field.invalid(`${pp}.periodSeconds`, p.periodSeconds, 'must be greater than zero'));
    if (p.periodSeconds > 1800) errs.push(field.invalid(`${pp}.periodSeconds`, p.periodSeconds, 'must be less than or equal to 1800'));
  });
  return errs;
}

/** upstream validateHorizontalPodAutoscalerSpec. */
export function validateHPASpec(spec: Spec | undefined): FieldError[] {
  const s = spec ?? ({} as Spec);
  const errs: FieldError[] = [];
  if (s.minReplicas !== undefined && s.minReplicas < 1) errs.push(field.invalid('spec.minReplicas', s.minReplicas, 'must be greater than or equal to 1'));
  if (!(s.maxReplicas >= 1)) errs.push(field.invalid('spec.maxReplicas', s.maxReplicas ?? 0, 'must be greater than 0'));
  if (s.minReplicas !== undefined && (s.maxReplicas ?? 0) < s.minReplicas)
    errs.push(field.invalid('spec.maxReplicas', s.maxReplicas ?? 0, 'must be greater than or equal to `minReplicas`'));
  // Like upstream, later groups are only checked once the earlier ones pass.
  const refErrs = validateCrossVersionRef(s.scaleTargetRef, 'spec.scaleTargetRef');
  if (refErrs.length) return [...errs, ...refErrs];
  const metricErrs = (s.metrics ?? []).flatMap((m, i) => validateMetricSpec(m, `spec.metrics[${i}]`));
  if (metricErrs.length) return [...errs, ...metricErrs];
  if (s.behavior?.scaleUp) errs.push(...validateScalingRules(s.behavior.scaleUp, 'spec.behavior.scaleUp'));
  if (s.behavior?.scaleDown) errs.push(...validateScalingRules(s.behavior.scaleDown, 'spec.behavior.scaleDown'));
  return errs;
}

/** The TARGETS cell (upstream formatHPAMetrics): at most two metrics, "<unknown>" until status reports them. */
export function formatHPAMetrics(specs: MetricSpec[] | undefined, statuses: MetricStatus[] | undefined): string {
  if (!specs?.length) return '<none>';
  const q = (v: unknown) => tryParseQuantity(v)?.toString() ?? '0';
  const list = specs.map((m, i) => {
    const st = statuses?.[i];
    switch (m.type) {
      case 'External':
        if (m.external?.target?.averageValue !== undefined)
          return `${st?.external?.current?.averageValue !== undefined ? q(st.external.current.averageValue) : '<unknown>'}/${q(m.external.target.averageValue)} (avg)`;
        return `${st?.external ? q(st.external.current?.value) : '<unknown>'}/${q(m.external?.target?.value)}`;
      case 'Pods':
        return `${st?.pods ? q(st.pods.current?.averageValue) : '<unknown>'}/${q(m.pods?.target?.averageValue)}`;
      case 'Object':
        if (m.object?.target?.averageValue !== undefined)
          return `${st?.object?.current?.averageValue !== undefined ? q(st.object.current.averageValue) : '<unknown>'}/${q(m.object.target.averageValue)} (avg)`;
        return `${st?.object ? q(st.object.current?.value) : '<unknown>'}/${q(m.object?.target?.value)}`;
      case 'Resource':
      case 'ContainerResource': {
        const src = m.type === 'Resource' ? m.resource : m.containerResource;
        const cur = m.type === 'Resource' ? st?.resource : st?.containerResource;
        if (src?.target?.averageValue !== undefined) return `${src.name}: ${cur ? q(cur.current?.averageValue) : '<unknown>'}/${q(src.target.averageValue)}`;
        const current = cur?.current?.averageUtilization !== undefined ? `${cur.current.averageUtilization}%` : '<unknown>';
        const target = src?.target?.averageUtilization !== undefined ? `${src.target.averageUtilization}%` : '<auto>';
        return `${src?.name ?? ''}: ${current}/${target}`;
      }
      default:
        return '<unknown type>';
    }
  });
  return list.length > 2 ? `${list.slice(0, 2).join(', ')} + ${list.length - 2} more...` : list.join(', ');
}

/** HPA columns as upstream's printer declares them. */
export const hpaColumns = [
  col('Reference', 'scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count.'),
  col('Targets', 'metrics contains the specifications for which to use to calculate the desired replica count.'),
  col('MinPods', 'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.'),
  col('MaxPods', 'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up.'),
  col('Replicas', 'currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.'),
  AGE,
];

/** An HPA row; v1 objects are read through their v2 form, as upstream prints the internal type. */
export function hpaRow(obj: KObject, now: number): unknown[] {
  const hpa = (isHPAv1(obj) ? hpaV1ToV2(obj) : obj) as HorizontalPodAutoscaler;
  const ref = hpa.spec?.scaleTargetRef;
  return [
    `${ref?.kind ?? ''}/${ref?.name ?? ''}`,
    formatHPAMetrics(hpa.spec?.metrics, hpa.status?.currentMetrics),
    hpa.spec?.minReplicas !== undefined ? String(hpa.spec.minReplicas) : '<unset>',
    hpa.spec?.maxReplicas ?? 0,
    hpa.status?.currentReplicas ?? 0,
    age(obj, now),
  ];
}

/**
 * The HorizontalPodAutoscaler strategy for both served versions (kinds.ts looks strategies up by group and kind):
 * hooks accept autoscaling/v2 objects or autoscaling/v1 ones, which are defaulted as v1 and validated through v2.
 */
export const hpaStrategy: Strategy = {
  defaults(obj) {
    if (isHPAv1(obj)) decodingQuantities('HorizontalPodAutoscaler', 'v1', () => ((obj.spec ??= {}).minReplicas ??= 1));
    else decodingQuantities('HorizontalPodAutoscaler', 'v2', () => defaultHPA(obj));
  },
  validate(obj) {
    let v2 = obj;
    if (isHPAv1(obj)) {
      v2 = hpaV1ToV2(obj);
      defaultHPA(v2);
    }
    return [...validateObjectMetaFormat(obj.metadata, true, nameIsDNSSubdomain), ...validateHPASpec(v2.spec)];
  },
  columns: hpaColumns,
  row: hpaRow,
};
