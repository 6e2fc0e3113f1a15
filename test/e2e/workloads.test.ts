// e2e: StatefulSet, DaemonSet, Job and CronJob controllers on three sim nodes, driven and checked with the real kubectl.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startCluster, TestCluster } from '../support/cluster';

const BIN = join(__dirname, '..', '..', '..', 'bin', 'tugboat.js');

let c: TestCluster;
before(async () => {
  c = await startCluster(['--sim-nodes', '3']);
  c.k(['create', 'namespace', 'wl']);
});
after(async () => {
  await c?.stop();
});

/** Polls `fn` every 200 ms until it returns a truthy value; fails after `ms`. */
async function waitFor<T>(what: string, fn: () => T | false | undefined, ms = 60000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const getJson = (args: string[]) => JSON.parse(c.k(['-n', 'wl', 'get', ...args, '-o', 'json']));
const time = (t: string) => Date.parse(t);

test('StatefulSet web: web-0, web-1, web-2 each after the previous is Ready, with claims from the volumeClaimTemplate', async () => {
  c.k(
    ['apply', '-f', '-'],
    `apiVersion: v1
kind: Service
metadata: {name: web, namespace: wl}
spec:
  clusterIP: None
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web, namespace: wl}
spec:
  replicas: 3
  serviceName: web
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      # The sim kubelet keeps a deleted pod for its whole grace period; scaling down waits for each in turn.
      terminationGracePeriodSeconds: 1
      containers: [{name: nginx, image: nginx:1.27}]
  volumeClaimTemplates:
  - metadata: {name: www}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 1Gi}}
`,
  );
  // Every snapshot while scaling up: a prefix web-0…web-k in which all but the newest pod are Ready.
  await waitFor('three ready pods', () => {
    const snap = c
      .k(['-n', 'wl', 'get', 'pods', '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}'])
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(' '))
      .sort();
    snap.forEach(([name, ready], i) => {
      assert.equal(name, `web-${i}`);
      if (i < snap.length - 1) assert.equal(ready, 'True', `web-${i + 1} exists while web-${i} is not ready`);
    });
    return snap.length === 3 && snap.every(([, ready]) => ready === 'True');
  });
  assert.match(c.k(['-n', 'wl', 'rollout', 'status', 'statefulset/web', '--timeout=90s']), /partitioned roll out complete: 3 new pods have been updated/);
  const pods = getJson(['pods', '-l', 'app=web']).items.sort((a: { metadata: { name: string } }, b: { metadata: { name: string } }) => (a.metadata.name < b.metadata.name ? -1 : 1));
  assert.deepEqual(pods.map((p: { metadata: { name: string } }) => p.metadata.name), ['web-0', 'web-1', 'web-2']);
  // OrderedReady: each pod was created only once its predecessor was Ready.
  for (const i of [1, 2]) {
    const readyAt = pods[i - 1].status.conditions.find((x: { type: string }) => x.type === 'Ready').lastTransitionTime;
    assert.ok(time(pods[i].metadata.creationTimestamp) >= time(readyAt), `web-${i} created before web-${i - 1} was ready`);
  }
  assert.equal(pods[1].spec.hostname, 'web-1');
  assert.equal(pods[1].spec.subdomain, 'web');
  assert.equal(pods[1].metadata.labels['statefulset.kubernetes.io/pod-name'], 'web-1');
  assert.equal(pods[1].metadata.labels['apps.kubernetes.io/pod-index'], '1');
  assert.deepEqual(pods[2].spec.volumes.find((v: { name: string }) => v.name === 'www').persistentVolumeClaim, { claimName: 'www-web-2' });
  assert.equal(c.k(['-n', 'wl', 'get', 'pvc', '-o', 'name']), 'persistentvolumeclaim/www-web-0\npersistentvolumeclaim/www-web-1\npersistentvolumeclaim/www-web-2\n');
  assert.match(c.k(['-n', 'wl', 'get', 'statefulset', 'web']), /^NAME\s+READY\s+AGE\nweb\s+3\/3\s+/);
  const events = c.k(['-n', 'wl', 'get', 'events', '--field-selector', 'involvedObject.kind=StatefulSet', '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}']);
  assert.match(events, /SuccessfulCreate: create Pod web-0 in StatefulSet web successful/);
  assert.match(events, /SuccessfulCreate: create Claim www-web-0 Pod web-0 in StatefulSet web success/);
  const revs = c.k(['-n', 'wl', 'get', 'controllerrevisions', '--no-headers']);
  assert.match(revs, /^web-\w+\s+statefulset\.apps\/web\s+1\s+/);

  c.k(['-n', 'wl', 'scale', 'statefulset/web', '--replicas=1']);
  await waitFor('scale down to web-0', () => c.k(['-n', 'wl', 'get', 'pods', '-l', 'app=web', '-o', 'name']) === 'pod/web-0\n');
});

test('DaemonSet: a pod on every node, and one on a node added later', async () => {
  c.k(
    ['apply', '-f', '-'],
    `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: wl}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: agent, image: busybox}]
`,
  );
  const nodesOfPods = () =>
    getJson(['pods', '-l', 'app=agent'])
      .items.filter((p: { status: { phase: string } }) => p.status.phase === 'Running')
      .map((p: { spec: { nodeName: string } }) => p.spec.nodeName)
      .sort()
      .join(',');
  await waitFor('agent on 3 nodes', () => nodesOfPods() === 'sim-node-1,sim-node-2,sim-node-3');
  assert.match(c.k(['-n', 'wl', 'rollout', 'status', 'daemonset/agent', '--timeout=60s']), /daemon set "agent" successfully rolled out/);
  assert.match(c.k(['-n', 'wl', 'get', 'ds', 'agent']), /^NAME\s+DESIRED\s+CURRENT\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+NODE SELECTOR\s+AGE\nagent\s+3\s+3\s+3\s+3\s+3\s+<none>\s+/);
  const add = spawnSync(process.execPath, [BIN, 'node', 'add', 'extra', '--sim', '--kubeconfig', c.kubeconfig], { encoding: 'utf8', timeout: 20000 });
  assert.equal(add.status, 0, add.stderr);
  await waitFor('agent on the new node', () => nodesOfPods() === 'extra,sim-node-1,sim-node-2,sim-node-3');
  await waitFor('status counts 4', () => getJson(['ds', 'agent']).status.numberReady === 4);
});

test('Job with completions 3 completes (kubectl wait --for=condition=complete)', async () => {
  c.k(
    ['apply', '-f', '-'],
    `apiVersion: batch/v1
kind: Job
metadata: {name: pi, namespace: wl}
spec:
  completions: 3
  parallelism: 2
  template:
    metadata:
      annotations: {tugboat.dev/sim-run-seconds: "1"}
    spec:
      restartPolicy: Never
      containers: [{name: pi, image: perl}]
`,
  );
  assert.match(c.k(['-n', 'wl', 'wait', '--for=condition=complete', 'job/pi', '--timeout=90s']), /job.batch\/pi condition met/);
  const job = getJson(['job', 'pi']);
  assert.equal(job.status.succeeded, 3);
  assert.ok(job.status.completionTime);
  assert.match(c.k(['-n', 'wl', 'get', 'job', 'pi']), /^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE\npi\s+Complete\s+3\/3\s+/);
  const pods = getJson(['pods', '-l', 'batch.kubernetes.io/job-name=pi']).items;
  assert.equal(pods.length, 3);
  for (const p of pods) {
    assert.equal(p.status.phase, 'Succeeded');
    assert.deepEqual(p.metadata.finalizers ?? [], []);
  }
});

test('Job podFailurePolicy FailJob and backoffLimitPerIndex fail Jobs with upstream conditions (sim exit codes)', async () => {
  c.k(
    ['apply', '-f', '-'],
    `apiVersion: batch/v1
kind: Job
metadata: {name: policy, namespace: wl}
spec:
  completions: 2
  parallelism: 2
  backoffLimit: 6
  podFailurePolicy:
    rules:
    - action: Ignore
      onPodConditions: [{type: DisruptionTarget}]
    - action: FailJob
      onExitCodes: {containerName: main, operator: In, values: [42]}
  template:
    metadata:
      annotations: {tugboat.dev/sim-run-seconds: "1", tugboat.dev/sim-exit-code: "42"}
    spec:
      restartPolicy: Never
      containers: [{name: main, image: busybox}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: per-index, namespace: wl}
spec:
  completionMode: Indexed
  completions: 3
  parallelism: 3
  backoffLimitPerIndex: 0
  template:
    metadata:
      annotations: {tugboat.dev/sim-run-seconds: "1", tugboat.dev/sim-exit-code: "1"}
    spec:
      restartPolicy: Never
      containers: [{name: main, image: busybox}]
`,
  );
  assert.match(c.k(['-n', 'wl', 'wait', '--for=condition=Failed', 'job/policy', 'job/per-index', '--timeout=60s']), /job.batch\/policy condition met/);
  const policy = getJson(['job', 'policy']);
  const conds = (job: { status: { conditions: { type: string; status: string; reason: string; message: string }[] } }) =>
    job.status.conditions.filter((x) => x.status === 'True').map((x) => `${x.type} ${x.reason}: ${x.message}`);
  const failJob = /^(FailureTarget|Failed) PodFailurePolicy: Container main for pod wl\/policy-[a-z0-9]+ failed with exit code 42 matching FailJob rule at index 1$/;
  assert.deepEqual(conds(policy).map((x) => x.split(' ')[0]), ['FailureTarget', 'Failed']);
  for (const x of conds(policy)) assert.match(x, failJob);
  assert.ok(policy.status.failed >= 1);
  assert.match(c.k(['-n', 'wl', 'get', 'job', 'policy']), /\npolicy\s+Failed\s+0\/2\s+/);
  const events = c.k(['-n', 'wl', 'get', 'events', '--field-selector', 'involvedObject.name=policy', '-o', 'jsonpath={range .items[*]}{.reason}{"\\n"}{end}']);
  assert.match(events, /^PodFailurePolicy$/m);

  const perIndex = getJson(['job', 'per-index']);
  assert.deepEqual(conds(perIndex), ['FailureTarget FailedIndexes: Job has failed indexes', 'Failed FailedIndexes: Job has failed indexes']);
  assert.equal(perIndex.status.failedIndexes, '0-2');
  assert.equal(perIndex.status.failed, 3);
  const pods = getJson(['pods', '-l', 'batch.kubernetes.io/job-name=per-index']).items;
  assert.equal(pods.length, 3, 'backoffLimitPerIndex 0: no index is retried');
  for (const p of pods) assert.equal(p.metadata.annotations['batch.kubernetes.io/job-index-failure-count'], '0');
});

test('CronJob: kubectl create job --from=cronjob works, and a schedule that fell due starts a Job and sets lastScheduleTime', async () => {
  c.k(
    ['apply', '-f', '-'],
    `apiVersion: batch/v1
kind: CronJob
metadata: {name: tick, namespace: wl}
spec:
  schedule: "*/1 * * * *"
  jobTemplate:
    spec:
      template:
        metadata:
          annotations: {tugboat.dev/sim-run-seconds: "1"}
        spec:
          restartPolicy: OnFailure
          containers: [{name: tick, image: busybox}]
`,
  );
  assert.equal(c.k(['-n', 'wl', 'create', 'job', 'by-hand', '--from=cronjob/tick']), 'job.batch/by-hand created\n');
  const manual = getJson(['job', 'by-hand']);
  assert.equal(manual.metadata.annotations['cronjob.kubernetes.io/instantiate'], 'manual');
  assert.equal(manual.metadata.ownerReferences[0].kind, 'CronJob');
  c.k(['-n', 'wl', 'wait', '--for=condition=complete', 'job/by-hand', '--timeout=60s']);

  // As if the controller had been down over scheduled runs: the last one before now is due at once.
  const past = new Date(Date.now() - 5 * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
  c.k(['-n', 'wl', 'patch', 'cronjob', 'tick', '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: { lastScheduleTime: past } })]);
  const cj = await waitFor('lastScheduleTime moved on', () => {
    const o = getJson(['cronjob', 'tick']);
    return o.status?.lastScheduleTime && o.status.lastScheduleTime !== past && o;
  });
  const scheduled = time(cj.status.lastScheduleTime);
  assert.equal(scheduled % 60_000, 0);
  assert.ok(Date.now() - scheduled < 2 * 60_000);
  const name = `tick-${scheduled / 60_000}`;
  const job = getJson(['job', name]);
  assert.equal(job.metadata.annotations['batch.kubernetes.io/cronjob-scheduled-timestamp'], cj.status.lastScheduleTime);
  c.k(['-n', 'wl', 'wait', '--for=condition=complete', `job/${name}`, '--timeout=60s']);
  await waitFor('lastSuccessfulTime', () => getJson(['cronjob', 'tick']).status.lastSuccessfulTime);
  assert.match(c.k(['-n', 'wl', 'get', 'cronjob', 'tick']), /^NAME\s+SCHEDULE\s+TIMEZONE\s+SUSPEND\s+ACTIVE\s+LAST SCHEDULE\s+AGE\ntick\s+\*\/1 \* \* \* \*\s+<none>\s+False\s+\d\s+\d+s\s+/);
  const events = c.k(['-n', 'wl', 'get', 'events', '--field-selector', 'involvedObject.kind=CronJob', '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}']);
  assert.match(events, new RegExp(`SuccessfulCreate: Created job ${name}`));
});
