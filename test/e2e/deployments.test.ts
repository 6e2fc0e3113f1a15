// e2e: Deployments and ReplicaSets on three sim nodes, driven by the real kubectl: rollout, history, undo, scale, pause, restart, Recreate.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startCluster, TestCluster } from '../support/cluster';

const FIXTURE = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'agent.yaml');

let c: TestCluster;
before(async () => {
  c = await startCluster(['--sim-nodes', '3']);
});
after(async () => {
  await c?.stop();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = any;

const json = (args: string[]): Obj => JSON.parse(c.k([...args, '-o', 'json']));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `cond` until it holds; fails with `what` after `timeoutMs`. */
async function waitFor(what: string, cond: () => boolean, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/** `kubectl rollout status` must end with upstream's success line. */
function rolledOut(name: string): void {
  const out = c.k(['rollout', 'status', `deployment/${name}`, '--timeout=50s']);
  assert.match(out, new RegExp(`deployment "${name}" successfully rolled out\\n$`), out);
}

/** ReplicaSets controlled by the Deployment, by revision. */
function replicaSetsByRevision(name: string): Record<string, Obj> {
  const d = json(['get', 'deployment', name]);
  const rss = json(['get', 'rs']).items.filter((rs: Obj) => rs.metadata.ownerReferences?.some((r: Obj) => r.controller && r.uid === d.metadata.uid));
  return Object.fromEntries(rss.map((rs: Obj) => [rs.metadata.annotations['deployment.kubernetes.io/revision'], rs]));
}

/** Pods of an app that are not being deleted. */
const livePods = (app: string): Obj[] => json(['get', 'pods', '-l', `app=${app}`]).items.filter((p: Obj) => !p.metadata.deletionTimestamp);
const isReady = (p: Obj) => p.status?.conditions?.some((x: Obj) => x.type === 'Ready' && x.status === 'True');
const image = (o: Obj) => o.spec.template.spec.containers[0].image;

test('the agent Deployment reaches 3 ready replicas on the sim nodes', () => {
  assert.match(c.k(['apply', '-f', FIXTURE]), /deployment.apps\/ai-agent created/);
  rolledOut('ai-agent');
  const d = json(['get', 'deployment', 'ai-agent']);
  assert.deepEqual([d.status.replicas, d.status.updatedReplicas, d.status.readyReplicas, d.status.availableReplicas], [3, 3, 3, 3]);
  const cond = Object.fromEntries(d.status.conditions.map((x: Obj) => [x.type, x.reason]));
  assert.deepEqual(cond, { Available: 'MinimumReplicasAvailable', Progressing: 'NewReplicaSetAvailable' });
  const [rs] = Object.values(replicaSetsByRevision('ai-agent'));
  const hash = rs.metadata.labels['pod-template-hash'];
  assert.equal(rs.metadata.name, `ai-agent-${hash}`);
  const pods = livePods('ai-agent');
  assert.equal(pods.length, 3);
  for (const p of pods) {
    assert.match(p.metadata.name, new RegExp(`^ai-agent-${hash}-[a-z0-9]{5}$`));
    assert.match(p.spec.nodeName, /^sim-node-\d$/);
    assert.equal(p.status.phase, 'Running');
    assert.ok(isReady(p), p.metadata.name);
  }
  const events = c.k(['get', 'events', '--field-selector', 'involvedObject.name=ai-agent,reason=ScalingReplicaSet', '-o', 'jsonpath={.items[*].message}']);
  assert.match(events, new RegExp(`Scaled up replica set ai-agent-${hash} from 0 to 3`));
});

test('an image change rolls out a new ReplicaSet, history shows 2 revisions, undo restores the old image', () => {
  assert.match(c.k(['set', 'image', 'deployment/ai-agent', 'agent=registry.local/ai-agent:1.5']), /image updated/);
  rolledOut('ai-agent');
  let revs = replicaSetsByRevision('ai-agent');
  assert.deepEqual(Object.keys(revs).sort(), ['1', '2']);
  assert.equal(image(revs['2']), 'registry.local/ai-agent:1.5');
  assert.deepEqual([revs['1'].spec.replicas, revs['2'].spec.replicas], [0, 3]);
  assert.match(c.k(['rollout', 'history', 'deployment/ai-agent']), /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>\n/);
  assert.match(c.k(['rollout', 'history', 'deployment/ai-agent', '--revision', '2']), /Image:\s+registry.local\/ai-agent:1.5/);
  const v1 = revs['1'].metadata.name;

  assert.match(c.k(['rollout', 'undo', 'deployment/ai-agent']), /deployment.apps\/ai-agent rolled back/);
  rolledOut('ai-agent');
  assert.equal(image(json(['get', 'deployment', 'ai-agent'])), 'registry.local/ai-agent:1.4.2');
  revs = replicaSetsByRevision('ai-agent');
  // The old ReplicaSet is reused under the next revision and remembers the one it had.
  assert.deepEqual(Object.keys(revs).sort(), ['2', '3']);
  assert.equal(revs['3'].metadata.name, v1);
  assert.equal(revs['3'].metadata.annotations['deployment.kubernetes.io/revision-history'], '1');
  assert.equal(revs['3'].spec.replicas, 3);
  assert.ok(livePods('ai-agent').every((p) => p.spec.containers[0].image === 'registry.local/ai-agent:1.4.2'));
  assert.match(c.k(['rollout', 'history', 'deployment/ai-agent']), /\n2\s+<none>\n3\s+<none>\n/);
});

test('scale to 5, then to 1', async () => {
  assert.match(c.k(['scale', 'deployment/ai-agent', '--replicas', '5']), /deployment.apps\/ai-agent scaled/);
  rolledOut('ai-agent');
  assert.equal(livePods('ai-agent').filter(isReady).length, 5);
  c.k(['scale', 'deployment/ai-agent', '--replicas', '1']);
  await waitFor('one pod left', () => livePods('ai-agent').length === 1);
  rolledOut('ai-agent');
  const rs = Object.values(replicaSetsByRevision('ai-agent')).find((r: Obj) => r.spec.replicas > 0);
  assert.deepEqual([rs.spec.replicas, rs.metadata.annotations['deployment.kubernetes.io/desired-replicas']], [1, '1']);
});

test('a deleted pod is replaced', async () => {
  const [victim] = livePods('ai-agent');
  c.k(['delete', 'pod', victim.metadata.name, '--wait=false']);
  await waitFor('a replacement pod', () => livePods('ai-agent').some((p) => p.metadata.name !== victim.metadata.name && isReady(p)));
  assert.equal(livePods('ai-agent').length, 1);
  const created = c.k(['get', 'events', '--field-selector', 'reason=SuccessfulCreate', '-o', 'jsonpath={.items[*].message}']);
  const replacement = livePods('ai-agent')[0].metadata.name;
  assert.ok(created.includes(`Created pod: ${replacement}`), created);
});

test('a paused Deployment holds its rollout, refuses undo, and rolls out on resume', async () => {
  assert.match(c.k(['rollout', 'pause', 'deployment/ai-agent']), /deployment.apps\/ai-agent paused/);
  c.k(['set', 'image', 'deployment/ai-agent', 'agent=registry.local/ai-agent:1.6']);
  const progressing = (d: Obj) => d.status.conditions.find((x: Obj) => x.type === 'Progressing')?.reason;
  await waitFor('the paused condition', () => {
    const d = json(['get', 'deployment', 'ai-agent']);
    return d.status.observedGeneration === d.metadata.generation && progressing(d) === 'DeploymentPaused';
  });
  assert.deepEqual(Object.keys(replicaSetsByRevision('ai-agent')).sort(), ['2', '3']);
  const undo = c.kubectl(['rollout', 'undo', 'deployment/ai-agent']);
  assert.notEqual(undo.code, 0);
  assert.match(undo.stderr, /you cannot rollback a paused deployment; resume it first/);
  assert.match(c.k(['rollout', 'resume', 'deployment/ai-agent']), /deployment.apps\/ai-agent resumed/);
  rolledOut('ai-agent');
  const revs = replicaSetsByRevision('ai-agent');
  assert.equal(image(revs['4']), 'registry.local/ai-agent:1.6');
  assert.equal(revs['4'].spec.replicas, 1);
});

test('rollout restart rolls out a new ReplicaSet with the restartedAt annotation', () => {
  assert.match(c.k(['rollout', 'restart', 'deployment/ai-agent']), /deployment.apps\/ai-agent restarted/);
  rolledOut('ai-agent');
  const rs = replicaSetsByRevision('ai-agent')['5'];
  assert.match(rs.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt'], /^\d{4}-\d\d-\d\dT/);
  assert.equal(image(rs), 'registry.local/ai-agent:1.6');
  assert.equal(rs.status.readyReplicas, 1);
  assert.equal(json(['get', 'deployment', 'ai-agent']).metadata.annotations['deployment.kubernetes.io/revision'], '5');
});

test('a Recreate Deployment removes every old pod before it creates a new one', async () => {
  const manifest = (img: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: rec}
spec:
  replicas: 2
  strategy: {type: Recreate}
  selector: {matchLabels: {app: rec}}
  template:
    metadata: {labels: {app: rec}}
    spec:
      terminationGracePeriodSeconds: 1
      containers: [{name: c, image: "${img}"}]
`;
  c.k(['apply', '-f', '-'], manifest('busybox:1'));
  rolledOut('rec');
  const watch = spawn('kubectl', ['get', 'pods', '-l', 'app=rec', '--watch', '--output-watch-events', '--no-headers', '-o', 'custom-columns=E:.type,I:.object.spec.containers[0].image'], {
    env: { ...process.env, KUBECONFIG: c.kubeconfig, HOME: c.dataDir },
  });
  let seen = '';
  watch.stdout.on('data', (d) => (seen += d));
  try {
    await waitFor('the watch to list the pods', () => (seen.match(/ADDED/g) ?? []).length === 2, 10_000);
    c.k(['apply', '-f', '-'], manifest('busybox:2'));
    rolledOut('rec');
    await waitFor('the new pods in the watch', () => (seen.match(/ADDED\s+busybox:2/g) ?? []).length === 2, 10_000);
  } finally {
    watch.kill();
  }
  const events = seen.trim().split('\n').map((l) => l.trim().split(/\s+/).join(' '));
  const lastOldGone = events.lastIndexOf('DELETED busybox:1');
  const firstNew = events.indexOf('ADDED busybox:2');
  assert.ok(lastOldGone >= 0 && firstNew > lastOldGone, events.join('\n'));
  const messages = c.k(['get', 'events', '--field-selector', 'involvedObject.name=rec,reason=ScalingReplicaSet', '-o', 'jsonpath={.items[*].message}']);
  assert.match(messages, /Scaled down replica set rec-\w+ from 2 to 0/);
});
