// In-process test of the CronJob controller on a manual clock: a Job when the schedule fires, then history upkeep.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { R } from '../../client/types';
import type { Harness } from '../testing';
import { ManualClock } from '../../util/manual-clock';
import { startHarness } from '../testing';
import type { Controller } from '../types';
import { startCronJobController } from './index';

const clock = new ManualClock(Date.parse('2024-05-01T10:00:30Z'));
let h: Harness;
let ctl: Controller;
before(async () => {
  h = await startHarness(clock);
  ctl = startCronJobController(h.deps);
});
after(async () => {
  ctl.stop();
  await h.stop();
});

test('every minute: no Job before the minute, one Job at it; a finished Job leaves status.active', async () => {
  const cronJobs = h.client.resource(R.cronjobs);
  const jobs = h.client.resource(R.jobs);
  await cronJobs.create('default', {
    metadata: { name: 'tick' },
    spec: {
      schedule: '*/1 * * * *',
      timeZone: 'UTC',
      jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }], restartPolicy: 'OnFailure' } } } },
    },
  });
  await new Promise((r) => setTimeout(r, 100));
  assert.equal((await jobs.list('default')).items.length, 0);
  clock.advance(31_000);
  const name = `tick-${Date.parse('2024-05-01T10:01:00Z') / 60_000}`;
  await h.until(async () => (await jobs.list('default')).items.length === 1, 5000, 'a job');
  const job = (await jobs.list('default')).items[0];
  assert.equal(job.metadata.name, name);
  assert.equal(job.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'], '2024-05-01T10:01:00Z');
  await h.until(async () => (await cronJobs.get('default', 'tick')).status?.active?.length === 1, 5000, 'status.active');
  assert.equal((await cronJobs.get('default', 'tick')).status.lastScheduleTime, '2024-05-01T10:01:00Z');
  assert.ok((await h.events('default')).includes(`SuccessfulCreate: Created job ${name}`));

  await jobs.updateStatus('default', {
    ...job,
    status: { startTime: '2024-05-01T10:01:00Z', completionTime: '2024-05-01T10:01:20Z', succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] },
  });
  await h.until(async () => !(await cronJobs.get('default', 'tick')).status?.active, 5000, 'active cleared');
  assert.ok((await h.events('default')).includes(`SawCompletedJob: Saw completed job: ${name}, condition: Complete`));
  clock.advance(60_000);
  await h.until(async () => (await jobs.list('default')).items.length === 2, 5000, 'a second job');
  await h.until(async () => (await cronJobs.get('default', 'tick')).status?.lastSuccessfulTime === '2024-05-01T10:01:20Z', 5000, 'lastSuccessfulTime');
});
