// DaemonSet strategy: apps/v1 defaults, template-generation annotation, upstream validation, DESIRED…NODE SELECTOR table.
import type { DaemonSet } from 'kubernetes-types/apps/v1';
import { field, type FieldError } from '../../machinery/errors';
import { invalidRendered, nameIsDNSSubdomain, semanticEqual, validateNonnegative, validateObjectMetaFormat } from '../../machinery/validation';
import type { KObject, Strategy } from '../types';
import { goIntOrString } from './go-format';
import { defaultPodTemplate } from './pod-defaults';
import { decodingQuantities } from './quantities';
import { AGE, age, col, containerCells, formatLabelSelector, formatLabels } from './table-helpers';
import {
  intOrPercentValue,
  notMoreThan100Percent,
  selectorImmutable,
  unsupportedStrategy,
  validatePositiveIntOrPercent,
  validateTemplateForReplicaSet,
  validateWorkloadSelector,
} from './workload-validation';

type Spec = NonNullable<DaemonSet['spec']>;

/** The annotation apps/v1 uses to carry the internal templateGeneration. */
export const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

/** SetDefaults_DaemonSet plus template defaults. */
export function defaultDaemonSet(obj: KObject): void {
  const spec = (obj.spec ??= {}) as Spec;
  const us = (spec.updateStrategy ??= {});
  us.type ||= 'RollingUpdate';
  if (us.type === 'RollingUpdate') {
    const ru = (us.rollingUpdate ??= {});
    ru.maxUnavailable ??= 1;
    ru.maxSurge ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
  defaultPodTemplate(spec.template);
}

/** upstream ValidateDaemonSetSpec. */
export function validateDaemonSetSpec(spec: Spec | undefined): FieldError[] {
  const s = spec ?? ({} as Spec);
  const errs = validateWorkloadSelector(s.selector, 'daemonset');
  errs.push(...validateTemplateForReplicaSet(s.selector, s.template, 'spec.template', 'ReplicaSet'));
  errs.push(...validateNonnegative(s.minReadySeconds, 'spec.minReadySeconds'));
  const us = s.updateStrategy ?? {};
  const p = 'spec.updateStrategy';
  switch (us.type) {
    case 'OnDelete':
      break;
    case 'RollingUpdate': {
      const ru = us.rollingUpdate;
      if (!ru) {
        errs.push(field.required(`${p}.rollingUpdate`));
        break;
      }
      const rp = `${p}.rollingUpdate`;
      errs.push(...validatePositiveIntOrPercent(ru.maxUnavailable, `${rp}.maxUnavailable`), ...validatePositiveIntOrPercent(ru.maxSurge, `${rp}.maxSurge`));
      errs.push(...notMoreThan100Percent(ru.maxUnavailable, `${rp}.maxUnavailable`), ...notMoreThan100Percent(ru.maxSurge, `${rp}.maxSurge`));
      const hasUnavailable = intOrPercentValue(ru.maxUnavailable).value !== 0;
      const hasSurge = intOrPercentValue(ru.maxSurge).value !== 0;
      if (hasUnavailable && hasSurge) errs.push(invalidRendered(`${rp}.maxSurge`, goIntOrString(ru.maxSurge), 'may not be set when maxUnavailable is non-zero'));
      else if (!hasUnavailable && !hasSurge) errs.push(field.required(`${rp}.maxUnavailable`, 'cannot be 0 when maxSurge is 0'));
      break;
    }
    default:
      errs.push(unsupportedStrategy(p, 'apps.DaemonSetUpdateStrategy', 'apps.RollingUpdateDaemonSet', us.type ?? '', !!us.rollingUpdate, ['RollingUpdate', 'OnDelete']));
  }
  errs.push(...validateNonnegative(s.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  return errs;
}

/** The DaemonSet strategy. */
export const daemonSetStrategy: Strategy = {
  defaults: (obj) => decodingQuantities('DaemonSet', 'v1', () => defaultDaemonSet(obj)),
  prepareForCreate(obj) {
    (obj.metadata.annotations ??= {})[TEMPLATE_GENERATION_ANNOTATION] = '1';
  },
  prepareForUpdate(obj, old) {
    const prev = Number(old.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION] ?? '0');
    const changed = !semanticEqual(obj.spec?.template, old.spec?.template);
    (obj.metadata.annotations ??= {})[TEMPLATE_GENERATION_ANNOTATION] = String(changed ? prev + 1 : prev);
  },
  validate: (obj) => [...validateObjectMetaFormat(obj.metadata, true, nameIsDNSSubdomain), ...validateDaemonSetSpec(obj.spec)],
  validateUpdate: (obj, old) => selectorImmutable(obj.spec?.selector, old.spec?.selector),
  columns: [
    col('Desired', 'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod).', 'integer'),
    col('Current', 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.', 'integer'),
    col('Ready', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.', 'integer'),
    col('Up-to-date', 'The total number of nodes that are running updated daemon pod', 'integer'),
    col('Available', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.', 'integer'),
    col('Node Selector', "NodeSelector is a selector which must be true for the pod to fit on a node.", 'string'),
    AGE,
    col('Containers', 'Names of each container in the template.', 'string', 1),
    col('Images', 'Images referenced by each container in the template.', 'string', 1),
    col('Selector', 'A label query over pods that are managed by the daemon set.', 'string', 1),
  ],
  row(obj, now) {
    const ds = obj as DaemonSet;
    const st = ds.status;
    const [names, images] = containerCells(ds.spec?.template?.spec?.containers);
    return [
      st?.desiredNumberScheduled ?? 0,
      st?.currentNumberScheduled ?? 0,
      st?.numberReady ?? 0,
      st?.updatedNumberScheduled ?? 0,
      st?.numberAvailable ?? 0,
      formatLabels(ds.spec?.template?.spec?.nodeSelector),
      age(obj, now),
      names,
      images,
      formatLabelSelector(ds.spec?.selector),
    ];
  },
};
