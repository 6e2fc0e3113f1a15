// CronJob strategy: batch/v1 defaults, schedule/time-zone/jobTemplate validation as upstream, SCHEDULE…LAST SCHEDULE table.
import type { CronJob } from 'kubernetes-types/batch/v1';
import { field, type FieldError } from '../../machinery/errors';
import { invalidRendered, nameIsDNSSubdomain, validateNonnegative, validateObjectMetaFormat } from '../../machinery/validation';
import type { KObject, Strategy } from '../types';
import { parseCronSchedule } from './cron-schedule';
import { goLabelSelector } from './go-format';
import { validateJobSpecCommon } from './job-validation';
import { defaultPodTemplate } from './pod-defaults';
import { decodingQuantities } from './quantities';
import { AGE, age, col, containerCells, formatLabelSelector, since } from './table-helpers';

type Spec = NonNullable<CronJob['spec']>;

/** SetDefaults_CronJob plus the job template's pod defaults (SetDefaults_Job does not apply to templates). */
export function defaultCronJob(obj: KObject): void {
  const spec = (obj.spec ??= {}) as Spec;
  spec.concurrencyPolicy ||= 'Allow';
  spec.suspend ??= false;
  spec.successfulJobsHistoryLimit ??= 3;
  spec.failedJobsHistoryLimit ??= 1;
  defaultPodTemplate(spec.jobTemplate?.spec?.template);
}

function validateTimeZone(tz: string | undefined): FieldError[] {
  if (tz === undefined) return [];
  const path = 'spec.timeZone';
  if (tz === '') return [field.invalid(path, tz, 'timeZone must be nil or non-empty string')];
  for (const part of tz.split('/')) {
    if (part === '.' || part === '..' || part.startsWith('-') || !/^[A-Za-z.\-_0-9+]{1,14}$/.test(part))
      return [field.invalid(path, tz, `unknown time zone ${tz}`)];
  }
  if (tz.toLowerCase() === 'local') return [field.invalid(path, tz, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones')];
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    return [field.invalid(path, tz, `unknown time zone ${tz}`)];
  }
  return [];
}

/** upstream validateCronJobSpec as on create (TZ= in the schedule is rejected; upstream tolerates it only on objects that already had it). */
export function validateCronJobSpec(spec: Spec | undefined): FieldError[] {
  const s = spec ?? ({} as Spec);
  const errs: FieldError[] = [];
  if (!s.schedule) errs.push(field.required('spec.schedule'));
  else {
    try {
      parseCronSchedule(s.schedule);
    } catch (e) {
      errs.push(field.invalid('spec.schedule', s.schedule, (e as Error).message));
    }
    if (s.schedule.includes('TZ'))
      errs.push(field.invalid('spec.schedule', s.schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
  }
  errs.push(...validateNonnegative(s.startingDeadlineSeconds, 'spec.startingDeadlineSeconds'));
  errs.push(...validateTimeZone(s.timeZone));
  const cp = s.concurrencyPolicy ?? '';
  if (!cp) errs.push(field.required('spec.concurrencyPolicy'));
  else if (!['Allow', 'Forbid', 'Replace'].includes(cp)) errs.push(field.notSupported('spec.concurrencyPolicy', cp, ['Allow', 'Forbid', 'Replace']));
  const jt = s.jobTemplate?.spec;
  errs.push(...validateJobSpecCommon(jt, 'spec.jobTemplate.spec'));
  if (jt?.selector) errs.push(invalidRendered('spec.jobTemplate.spec.selector', goLabelSelector(jt.selector), '`selector` will be auto-generated'));
  if (jt?.manualSelector) errs.push(field.notSupported('spec.jobTemplate.spec.manualSelector', true, ['nil', 'false']));
  errs.push(...validateNonnegative(s.successfulJobsHistoryLimit, 'spec.successfulJobsHistoryLimit'));
  errs.push(...validateNonnegative(s.failedJobsHistoryLimit, 'spec.failedJobsHistoryLimit'));
  return errs;
}

/** The CronJob strategy. */
export const cronJobStrategy: Strategy = {
  defaults: (obj) => decodingQuantities('CronJob', 'v1', () => defaultCronJob(obj)),
  validate(obj) {
    const errs = [...validateObjectMetaFormat(obj.metadata, true, nameIsDNSSubdomain), ...validateCronJobSpec(obj.spec)];
    // The controller appends an 11-character suffix to job names, which must stay within 63.
    if ((obj.metadata.name ?? '').length > 52) errs.push(field.invalid('metadata.name', obj.metadata.name, 'must be no more than 52 characters'));
    return errs;
  },
  columns: [
    col('Schedule', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
    col('Timezone', 'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones.'),
    col('Suspend', 'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.', 'boolean'),
    col('Active', 'A list of pointers to currently running jobs.', 'integer'),
    col('Last Schedule', 'Information when was the last time the job was successfully scheduled.'),
    AGE,
    col('Containers', 'Names of each container in the template.', 'string', 1),
    col('Images', 'Images referenced by each container in the template.', 'string', 1),
    col('Selector', 'A label query over pods that should match the pod count.', 'string', 1),
  ],
  row(obj, now) {
    const cj = obj as CronJob;
    const suspend = cj.spec?.suspend === undefined ? '<unset>' : cj.spec.suspend ? 'True' : 'False';
    const last = cj.status?.lastScheduleTime ? since(cj.status.lastScheduleTime, now) : '<none>';
    const [names, images] = containerCells(cj.spec?.jobTemplate?.spec?.template?.spec?.containers);
    return [
      cj.spec?.schedule ?? '',
      cj.spec?.timeZone ?? '<none>',
      suspend,
      cj.status?.active?.length ?? 0,
      last,
      age(obj, now),
      names,
      images,
      formatLabelSelector(cj.spec?.jobTemplate?.spec?.selector),
    ];
  },
};
