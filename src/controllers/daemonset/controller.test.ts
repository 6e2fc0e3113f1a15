// In-process test of the DaemonSet controller: a pod per node, new and removed nodes, a rolling update.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { R } from '../../client/types';
import type { Pod } from '../shared/types';
import type { Harness } from '../testing';
import { startHarness } from '../testing';
import type { Controller } from '../types';
import { targetNodeName } from './eligibility';
import { startDaemonSetController } from './index';

let h: Harness;
let ctl: Controller;
before(async () => {
  h = await startHarness();
  ctl = startDaemonSetController(h.deps);
});
after(async () => {
  ctl.stop();
  await h.stop();
});

const addNode = (name: string, taints: object[] = []) => h.client.resource(R.nodes).create('', { metadata: { name }, spec: { taints } });
const podsByNode = async () => {
  const pods = (await h.pods('default')).filter((p) => !p.metadata.deletionTimestamp);
  return pods.map((p) => targetNodeName(p)).sort();
};
// Plays scheduler and kubelet: pods not yet running start on their node; pods being deleted finish terminating.
const runAll = async () => {
  for (const p of await h.pods('default')) {
    if (p.metadata.deletionTimestamp) await h.client.resource(R.pods).delete('default', p.metadata.name!, { gracePeriodSeconds: 0 });
    else if (p.status?.phase !== 'Running') await h.runPod('default', p.metadata.name!, p.spec.nodeName ? undefined : targetNodeName(p));
  }
};

test('one pod per eligible node, following nodes as they come and go, then a rolling update', async () => {
  await addNode('n1');
  await addNode('n2');
  await addNode('tainted', [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }]);
  const dss = h.client.resource(R.daemonsets);
  await dss.create('default', {
    metadata: { name: 'agent' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', image: 'agent:1' }] } },
    },
  });
  await h.until(async () => (await podsByNode()).length === 2, 5000, 'two pods');
  assert.deepEqual(await podsByNode(), ['n1', 'n2']);
  const pod: Pod = (await h.pods('default'))[0];
  assert.equal(pod.spec.nodeName, undefined, 'left for the scheduler to bind');
  assert.ok(pod.spec.tolerations!.some((t) => t.key === 'node.kubernetes.io/unschedulable'));
  assert.ok(pod.metadata.labels!['controller-revision-hash']);
  assert.equal(pod.metadata.labels!['pod-template-generation'], '1');
  await runAll();
  await h.until(async () => (await dss.get('default', 'agent')).status?.numberReady === 2, 5000, 'numberReady 2');
  const st = (await dss.get('default', 'agent')).status;
  assert.equal(st.desiredNumberScheduled, 2);
  assert.equal(st.currentNumberScheduled, 2);
  assert.equal(st.numberAvailable, 2);
  assert.equal(st.updatedNumberScheduled, 2);
  assert.ok((await h.events('default')).some((e) => /^SuccessfulCreate: Created pod: agent-/.test(e)));

  await addNode('n3');
  await h.until(async () => (await podsByNode()).join() === 'n1,n2,n3', 5000, 'a pod on the new node');
  await h.client.resource(R.nodes).delete('', 'n1');
  await h.until(async () => (await podsByNode()).join() === 'n2,n3', 5000, 'the removed node pod gone');
  await runAll();

  await dss.patch('default', 'agent', 'merge', { spec: { template: { spec: { containers: [{ name: 'a', image: 'agent:2' }] } } } });
  // maxUnavailable 1: one node at a time; the test runs each replacement.
  await h.until(async () => {
    await runAll();
    const pods = (await h.pods('default')).filter((p) => !p.metadata.deletionTimestamp);
    return pods.length === 2 && pods.every((p) => p.spec.containers[0].image === 'agent:2' && p.status?.phase === 'Running');
  }, 10000, 'all pods at agent:2');
  await h.until(async () => (await dss.get('default', 'agent')).status?.updatedNumberScheduled === 2, 5000, 'updatedNumberScheduled 2');
  assert.equal((await h.client.resource(R.controllerrevisions).list('default')).items.length, 2);
});
