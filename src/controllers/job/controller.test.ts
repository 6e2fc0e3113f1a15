// In-process test of the Job and TTL controllers against a real API server, with the test finishing pods as a kubelet would.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { R } from '../../client/types';
import type { Harness } from '../testing';
import { startHarness } from '../testing';
import type { Controller } from '../types';
import { startJobController } from './index';

let h: Harness;
let ctl: Controller;
before(async () => {
  h = await startHarness();
  ctl = startJobController(h.deps);
});
after(async () => {
  ctl.stop();
  await h.stop();
});

const jobs = () => h.client.resource(R.jobs);
const condition = async (ns: string, name: string, type: string) => (await jobs().get(ns, name)).status?.conditions?.find((c: { type: string }) => c.type === type);
const newNamespace = (name: string) => h.client.resource(R.namespaces).create('', { metadata: { name } });
const spec = (extra: object = {}) => ({ template: { spec: { containers: [{ name: 'c', image: 'busybox' }], restartPolicy: 'Never' } }, ...extra });

// Finishes every running pod that has not finished yet, as the sim kubelet would.
async function finishAll(ns: string, phase: 'Succeeded' | 'Failed' = 'Succeeded'): Promise<number> {
  let n = 0;
  for (const p of await h.pods(ns)) {
    if (p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed' || p.metadata.deletionTimestamp) continue;
    await h.finishPod(ns, p.metadata.name!, phase);
    n++;
  }
  return n;
}

test('completions 3, parallelism 2: two pods, then one more, then Complete with counted pods', async () => {
  await newNamespace('j1');
  await jobs().create('j1', { metadata: { name: 'pi' }, spec: spec({ completions: 3, parallelism: 2 }) });
  await h.until(async () => (await h.pods('j1')).length === 2, 5000, 'two pods');
  const first = (await h.pods('j1'))[0];
  assert.deepEqual(first.metadata.finalizers, ['batch.kubernetes.io/job-tracking']);
  assert.match(first.metadata.name!, /^pi-[a-z0-9]{5}$/);
  assert.equal(first.metadata.ownerReferences![0].kind, 'Job');
  await h.until(async () => (await jobs().get('j1', 'pi')).status?.active === 2, 5000, 'active 2');
  await finishAll('j1');
  await h.until(async () => (await h.pods('j1')).length === 3, 5000, 'third pod');
  await finishAll('j1');
  await h.until(async () => (await condition('j1', 'pi', 'Complete'))?.status === 'True', 5000, 'Complete');
  const st = (await jobs().get('j1', 'pi')).status;
  assert.equal(st.succeeded, 3);
  assert.equal(st.active, undefined);
  assert.ok(st.startTime && st.completionTime);
  assert.deepEqual(st.uncountedTerminatedPods, {});
  assert.deepEqual(st.conditions.map((c: { type: string; reason: string }) => `${c.type}/${c.reason}`), ['SuccessCriteriaMet/CompletionsReached', 'Complete/CompletionsReached']);
  for (const p of await h.pods('j1')) assert.deepEqual(p.metadata.finalizers ?? [], [], 'finalizers removed once counted');
  const events = await h.events('j1');
  assert.ok(events.some((e) => /^SuccessfulCreate: Created pod: pi-/.test(e)));
  assert.ok(events.includes('Completed: Job completed'));
});

test('Indexed: one pod per index with annotation, label, hostname and env; completedIndexes', async () => {
  await newNamespace('j2');
  await jobs().create('j2', { metadata: { name: 'idx' }, spec: spec({ completions: 3, parallelism: 3, completionMode: 'Indexed' }) });
  await h.until(async () => (await h.pods('j2')).length === 3, 5000, 'three pods');
  const pods = await h.pods('j2');
  const indexes = pods.map((p) => p.metadata.annotations!['batch.kubernetes.io/job-completion-index']).sort();
  assert.deepEqual(indexes, ['0', '1', '2']);
  for (const p of pods) {
    const ix = p.metadata.annotations!['batch.kubernetes.io/job-completion-index'];
    assert.equal(p.metadata.labels!['batch.kubernetes.io/job-completion-index'], ix);
    assert.equal(p.spec.hostname, `idx-${ix}`);
    assert.ok(p.metadata.name!.startsWith(`idx-${ix}-`));
    assert.equal(p.spec.containers[0].env![0].name, 'JOB_COMPLETION_INDEX');
  }
  await finishAll('j2');
  await h.until(async () => (await condition('j2', 'idx', 'Complete'))?.status === 'True', 5000, 'Complete');
  assert.equal((await jobs().get('j2', 'idx')).status.completedIndexes, '0-2');
});

test('backoffLimit 0: the first failure fails the Job with BackoffLimitExceeded', async () => {
  await newNamespace('j3');
  await jobs().create('j3', { metadata: { name: 'bad' }, spec: spec({ backoffLimit: 0 }) });
  await h.until(async () => (await h.pods('j3')).length === 1, 5000, 'a pod');
  await finishAll('j3', 'Failed');
  await h.until(async () => (await condition('j3', 'bad', 'Failed'))?.status === 'True', 5000, 'Failed');
  const st = (await jobs().get('j3', 'bad')).status;
  assert.equal(st.failed, 1);
  assert.equal((await condition('j3', 'bad', 'Failed')).reason, 'BackoffLimitExceeded');
  assert.equal((await condition('j3', 'bad', 'FailureTarget')).message, 'Job has reached the specified backoff limit');
  assert.ok((await h.events('j3')).includes('BackoffLimitExceeded: Job has reached the specified backoff limit'));
  assert.equal((await h.pods('j3')).length, 1, 'no replacement');
});

test('suspend: no pods and a Suspended condition; resuming starts them', async () => {
  await newNamespace('j4');
  await jobs().create('j4', { metadata: { name: 'later' }, spec: spec({ suspend: true }) });
  await h.until(async () => (await condition('j4', 'later', 'Suspended'))?.status === 'True', 5000, 'Suspended');
  assert.equal((await h.pods('j4')).length, 0);
  await jobs().patch('j4', 'later', 'merge', { spec: { suspend: false } });
  await h.until(async () => (await h.pods('j4')).length === 1, 5000, 'a pod after resume');
  await h.until(async () => (await condition('j4', 'later', 'Suspended'))?.status === 'False', 5000, 'resumed');
});

test('ttlSecondsAfterFinished 0: the finished Job is deleted (foreground)', async () => {
  await newNamespace('j5');
  await jobs().create('j5', { metadata: { name: 'once' }, spec: spec({ ttlSecondsAfterFinished: 0 }) });
  await h.until(async () => (await h.pods('j5')).length === 1, 5000, 'a pod');
  await finishAll('j5');
  // Without a garbage collector in this test the Job stays behind its foregroundDeletion finalizer.
  await h.until(async () => {
    const list = (await jobs().list('j5')).items;
    return list.length === 0 || !!list[0].metadata.deletionTimestamp;
  }, 5000, 'job deleted');
  const left = (await jobs().list('j5')).items;
  if (left.length) assert.deepEqual(left[0].metadata.finalizers, ['foregroundDeletion']);
});

test('a deleted Job leaves no pod stuck behind the tracking finalizer', async () => {
  await newNamespace('j6');
  await jobs().create('j6', { metadata: { name: 'gone' }, spec: spec() });
  await h.until(async () => (await h.pods('j6')).length === 1, 5000, 'a pod');
  await jobs().delete('j6', 'gone', { propagationPolicy: 'Orphan' });
  await h.until(async () => ((await h.pods('j6'))[0].metadata.finalizers ?? []).length === 0, 5000, 'finalizer removed');
});
