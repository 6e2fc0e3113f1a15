// Tests for Job and CronJob strategies and the cron parser: defaults, selector generation, validation messages, rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../types';
import { parseCronSchedule } from './cron-schedule';
import { cronJobStrategy } from './cronjob';
import { jobStrategy } from './job';

const msgs = (errs: { field: string; message: string }[] = []) => errs.map((e) => `${e.field}: ${e.message}`);
const NOW = Date.parse('2024-01-01T12:00:00Z');

function job(spec: object): KObject {
  return { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'pi', namespace: 'default', creationTimestamp: '2024-01-01T11:00:00Z' }, spec };
}
const tpl = (restartPolicy?: string) => ({ spec: { containers: [{ name: 'pi', image: 'perl' }], ...(restartPolicy ? { restartPolicy } : {}) } });

function created(j: KObject): KObject {
  jobStrategy.defaults!(j);
  j.metadata.uid = 'u-1';
  jobStrategy.prepareForCreate!(j);
  return j;
}

test('job defaults and generated selector', () => {
  const j = created(job({ template: tpl('Never') }));
  assert.equal(j.spec.completions, 1);
  assert.equal(j.spec.parallelism, 1);
  assert.equal(j.spec.backoffLimit, 6);
  assert.equal(j.spec.completionMode, 'NonIndexed');
  assert.equal(j.spec.suspend, false);
  assert.equal(j.spec.podReplacementPolicy, 'TerminatingOrFailed');
  assert.deepEqual(j.spec.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-1' } });
  assert.deepEqual(j.spec.template.metadata.labels, {
    'job-name': 'pi',
    'batch.kubernetes.io/job-name': 'pi',
    'controller-uid': 'u-1',
    'batch.kubernetes.io/controller-uid': 'u-1',
  });
  assert.deepEqual(j.metadata.labels, j.spec.template.metadata.labels);
  assert.deepEqual(jobStrategy.validate!(j), []);
});

test('job restartPolicy must be chosen', () => {
  const j = created(job({ template: tpl() }));
  assert.deepEqual(msgs(jobStrategy.validate!(j)), ['spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"']);
  const k = created(job({ template: tpl('Sometimes') }));
  assert.deepEqual(msgs(jobStrategy.validate!(k)), [
    'spec.template.spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    'spec.template.spec.restartPolicy: Unsupported value: "Sometimes": supported values: "OnFailure", "Never"',
  ]);
});

test('manual selectors are kept and must match the template', () => {
  const j = created(job({ manualSelector: true, selector: { matchLabels: { a: 'b' } }, template: { ...tpl('Never'), metadata: { labels: { a: 'c' } } } }));
  assert.deepEqual(msgs(jobStrategy.validate!(j)), ['spec.template.metadata.labels: Invalid value: map[string]string{"a":"c"}: `selector` does not match template `labels`']);
});

test('job template and selector are immutable', () => {
  const old = created(job({ template: tpl('Never') }));
  const next = structuredClone(old);
  next.spec.template.spec.containers[0].image = 'perl:2';
  assert.deepEqual(msgs(jobStrategy.validateUpdate!(next, old)), ['spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable']);
  const suspended = structuredClone(old);
  suspended.spec.suspend = true;
  const moved = structuredClone(suspended);
  moved.spec.template.spec.nodeSelector = { zone: 'a' };
  assert.deepEqual(jobStrategy.validateUpdate!(moved, suspended), []);
});

test('job row: status, completions, duration', () => {
  const j = created(job({ template: tpl('Never') }));
  j.status = { succeeded: 1, startTime: '2024-01-01T11:00:00Z', completionTime: '2024-01-01T11:00:42Z', conditions: [{ type: 'Complete', status: 'True' }] };
  assert.deepEqual(jobStrategy.row!(j, NOW).slice(0, 4), ['Complete', '1/1', '42s', '60m']);
  const running = created(job({ parallelism: 3, completions: undefined, template: tpl('Never') }));
  delete running.spec.completions;
  running.status = { startTime: '2024-01-01T11:57:00Z' };
  assert.deepEqual(jobStrategy.row!(running, NOW).slice(0, 3), ['Running', '0/1 of 3', '3m']);
  assert.deepEqual(jobStrategy.selectableFields!(j), { 'status.successful': '1' });
});

test('cron parser accepts standard specs and reports robfig errors', () => {
  assert.equal(parseCronSchedule('*/15 * * * *').minute, (1n << 0n) | (1n << 15n) | (1n << 30n) | (1n << 45n));
  assert.ok(parseCronSchedule('@daily'));
  assert.equal(parseCronSchedule('@every 1h30m').everyMs, 5_400_000);
  assert.ok(parseCronSchedule('0 9 * jan-mar mon-fri'));
  const err = (s: string) => {
    try {
      parseCronSchedule(s);
      return '';
    } catch (e) {
      return (e as Error).message;
    }
  };
  assert.equal(err('foo'), 'expected exactly 5 fields, found 1: [foo]');
  assert.equal(err('61 * * * *'), 'end of range (61) above maximum (59): 61');
  assert.equal(err('x * * * *'), 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax');
  assert.equal(err('@weekdays'), 'unrecognized descriptor: @weekdays');
});

test('cronjob defaults, validation and row', () => {
  const cj: KObject = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'hello', namespace: 'default', creationTimestamp: '2024-01-01T11:00:00Z' },
    spec: { schedule: '*/1 * * * *', jobTemplate: { spec: { template: tpl('OnFailure') } } },
  };
  cronJobStrategy.defaults!(cj);
  assert.equal(cj.spec.concurrencyPolicy, 'Allow');
  assert.equal(cj.spec.suspend, false);
  assert.equal(cj.spec.successfulJobsHistoryLimit, 3);
  assert.equal(cj.spec.failedJobsHistoryLimit, 1);
  assert.equal(cj.spec.jobTemplate.spec.backoffLimit, undefined, 'job defaults do not apply to templates');
  assert.deepEqual(cronJobStrategy.validate!(cj), []);
  cj.status = { active: [{ name: 'x' }], lastScheduleTime: '2024-01-01T11:59:00Z' };
  assert.deepEqual(cronJobStrategy.row!(cj, NOW), ['*/1 * * * *', '<none>', 'False', 1, '60s', '60m', 'pi', 'perl', '<none>']);
  const bad = structuredClone(cj);
  bad.spec.schedule = 'every minute';
  bad.spec.timeZone = 'Mars/Olympus';
  bad.spec.jobTemplate.spec.selector = { matchLabels: { a: 'b' } };
  assert.deepEqual(msgs(cronJobStrategy.validate!(bad)), [
    'spec.schedule: Invalid value: "every minute": expected exactly 5 fields, found 2: [every minute]',
    'spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus',
    'spec.jobTemplate.spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"a":"b"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: `selector` will be auto-generated',
  ]);
});
