// Unit tests of the CronJob decisions: when a run is due, concurrency policies, deadlines, active list upkeep, history.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CronJob, Job } from './reconcile';
import { jobFromTemplate, jobName, jobsToCleanUp, planCronJob, recordCreated } from './reconcile';

const at = (iso: string) => Date.parse(iso);
function cron(spec: Partial<CronJob['spec']> = {}, status: CronJob['status'] = {}): CronJob {
  return {
    metadata: { name: 'tick', namespace: 'ns', uid: 'cj-uid', creationTimestamp: '2024-05-01T09:59:30Z' },
    spec: {
      schedule: '*/1 * * * *',
      timeZone: 'UTC',
      concurrencyPolicy: 'Allow',
      suspend: false,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
      jobTemplate: { metadata: { labels: { team: 'a' } }, spec: { template: { spec: { containers: [{ name: 'c', image: 'x' }], restartPolicy: 'Never' } } } },
      ...spec,
    },
    status,
  };
}
function job(name: string, uid: string, finished?: 'Complete' | 'Failed', start = '2024-05-01T09:00:00Z', completion?: string): Job {
  return {
    metadata: { name, namespace: 'ns', uid },
    spec: { template: {} },
    status: {
      startTime: start,
      ...(completion ? { completionTime: completion } : {}),
      ...(finished ? { conditions: [{ type: finished, status: 'True' }] } : {}),
    },
  };
}

test('nothing is due before the first activation; the requeue is just after it', () => {
  const plan = planCronJob(cron(), [], new Set(), at('2024-05-01T09:59:45Z'));
  assert.equal(plan.create, undefined);
  assert.equal(plan.requeueAfterMs, 15_100);
});

test('a due run creates the Job named after its minute, with the scheduled-timestamp annotation', () => {
  const cj = cron({ timeZone: 'Asia/Tokyo' });
  const plan = planCronJob(cj, [], new Set(), at('2024-05-01T10:00:05Z'));
  assert.equal(plan.scheduledTime, at('2024-05-01T10:00:00Z'));
  const j = plan.create!;
  assert.equal(j.metadata.name, `tick-${at('2024-05-01T10:00:00Z') / 60_000}`);
  assert.equal(j.metadata.annotations!['batch.kubernetes.io/cronjob-scheduled-timestamp'], '2024-05-01T19:00:00+09:00');
  assert.deepEqual(j.metadata.labels, { team: 'a' });
  assert.deepEqual(j.metadata.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'tick', uid: 'cj-uid', controller: true, blockOwnerDeletion: true }]);
  assert.equal(j.spec.template.spec!.restartPolicy, 'Never');
  recordCreated(cj, { ...j, metadata: { ...j.metadata, uid: 'j1' } }, plan.scheduledTime!);
  assert.equal(cj.status!.lastScheduleTime, '2024-05-01T10:00:00Z');
  assert.equal(cj.status!.active![0].name, j.metadata.name);
  // The same activation is not started twice.
  assert.equal(planCronJob(cj, [], new Set(), at('2024-05-01T10:00:30Z')).create, undefined);
});

test('missed runs: only the most recent starts; startingDeadlineSeconds skips late ones', () => {
  const cj = cron({}, { lastScheduleTime: '2024-05-01T09:00:00Z' });
  assert.equal(planCronJob(cj, [], new Set(), at('2024-05-01T10:00:30Z')).scheduledTime, at('2024-05-01T10:00:00Z'));
  const strict = cron({ schedule: '0 * * * *', startingDeadlineSeconds: 10 }, { lastScheduleTime: '2024-05-01T09:00:00Z' });
  const late = planCronJob(strict, [], new Set(), at('2024-05-01T10:00:30Z'));
  assert.equal(late.create, undefined);
  const onTime = planCronJob(strict, [], new Set(), at('2024-05-01T10:00:05Z'));
  assert.equal(onTime.scheduledTime, at('2024-05-01T10:00:00Z'));
  const longAgo = cron({}, { lastScheduleTime: '2024-04-01T00:00:00Z' });
  assert.ok(planCronJob(longAgo, [], new Set(), at('2024-05-01T10:00:30Z')).events.some((e) => e.reason === 'TooManyMissedTimes'));
});

test('concurrencyPolicy: Forbid waits for the active Job, Replace deletes it, Allow runs alongside', () => {
  const status = { active: [{ kind: 'Job', name: 'tick-1', uid: 'a1', namespace: 'ns' }], lastScheduleTime: '2024-05-01T09:59:00Z' };
  const running = [job('tick-1', 'a1')];
  const now = at('2024-05-01T10:00:01Z');
  const forbid = planCronJob(cron({ concurrencyPolicy: 'Forbid' }, structuredClone(status)), running, new Set(), now);
  assert.equal(forbid.create, undefined);
  assert.deepEqual(forbid.events.map((e) => e.reason), ['JobAlreadyActive']);
  const replace = planCronJob(cron({ concurrencyPolicy: 'Replace' }, structuredClone(status)), running, new Set(), now);
  assert.deepEqual(replace.replace.map((r) => r.name), ['tick-1']);
  assert.ok(replace.create);
  const allow = planCronJob(cron({}, structuredClone(status)), running, new Set(), now);
  assert.deepEqual(allow.replace, []);
  assert.ok(allow.create);
});

test('suspend and unparseable schedules start nothing', () => {
  assert.equal(planCronJob(cron({ suspend: true }), [], new Set(), at('2024-05-01T10:00:05Z')).create, undefined);
  const bad = planCronJob(cron({ schedule: 'nope' }), [], new Set(), at('2024-05-01T10:00:05Z'));
  assert.equal(bad.events[0].reason, 'UnparseableSchedule');
});

test('the active list drops finished and missing Jobs and tracks lastSuccessfulTime', () => {
  const cj = cron({ suspend: true }, { active: [{ name: 'j1', uid: 'u1' }, { name: 'j2', uid: 'u2' }, { name: 'j3', uid: 'u3' }] });
  const done = job('j1', 'u1', 'Complete', '2024-05-01T09:00:00Z', '2024-05-01T09:01:00Z');
  const plan = planCronJob(cj, [done, job('j2', 'u2'), job('j9', 'u9')], new Set(['u3']), at('2024-05-01T10:00:00Z'));
  assert.deepEqual(cj.status!.active!.map((r) => r.name), ['j2']);
  assert.deepEqual(plan.events.map((e) => `${e.reason}: ${e.message}`), [
    'SawCompletedJob: Saw completed job: j1, condition: Complete',
    'UnexpectedJob: Saw a job that the controller did not create or forgot: j9',
    'MissingJob: Active job went missing: j3',
  ]);
  // lastSuccessfulTime is taken from finished Jobs that are no longer active.
  planCronJob(cj, [done], new Set(), at('2024-05-01T10:00:00Z'));
  assert.equal(cj.status!.lastSuccessfulTime, '2024-05-01T09:01:00Z');
});

test('history limits delete the oldest finished Jobs of each kind', () => {
  const cj = cron({ successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 0 });
  const jobs = [
    job('ok-old', '1', 'Complete', '2024-05-01T08:00:00Z'),
    job('ok-new', '2', 'Complete', '2024-05-01T09:00:00Z'),
    job('bad', '3', 'Failed', '2024-05-01T08:30:00Z'),
    job('running', '4'),
  ];
  assert.deepEqual(jobsToCleanUp(cj, jobs).map((j) => j.metadata.name), ['ok-old', 'bad']);
});

test('a Job created before a lost status write is recorded, not created again', () => {
  const cj = cron();
  const scheduled = at('2024-05-01T10:00:00Z');
  const made = { ...jobFromTemplate(cj, scheduled), metadata: { ...jobFromTemplate(cj, scheduled).metadata, uid: 'm1' } };
  const plan = planCronJob(cj, [made], new Set(), at('2024-05-01T10:00:10Z'));
  assert.equal(plan.create, undefined);
  assert.equal(cj.status!.lastScheduleTime, '2024-05-01T10:00:00Z');
  assert.equal(cj.status!.active![0].name, jobName(cj, scheduled));
});
