// In-process integration test: a node whose Lease stops goes Unknown, is tainted, and its pods are marked and evicted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../api/types';
import { R } from '../../client/types';
import { rfc3339, rfc3339Micro } from '../../util/clock';
import { startTestbed } from '../testing';
import { DEFAULT_NODE_LIFECYCLE_OPTIONS } from './controller';
import { startNodeLifecycleController } from './index';
import { eventually } from '../../util/eventually';

const conditions = (now: number) =>
  ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready'].map((type) => ({
    type,
    status: type === 'Ready' ? 'True' : 'False',
    reason: 'KubeletReady',
    message: 'ok',
    lastHeartbeatTime: rfc3339(now),
    lastTransitionTime: rfc3339(now),
  }));
const taintKeys = (n: KObject) => (n.spec?.taints ?? []).map((t: { key: string; effect: string }) => `${t.key}:${t.effect}`).sort();

test('missed leases: Unknown, unreachable taints, pods not ready and evicted after tolerationSeconds; back when renewed', async () => {
  const tb = await startTestbed();
  const { client, deps } = tb;
  const nodes = client.resource(R.nodes);
  const leases = client.resource(R.leases);
  const pods = client.resource(R.pods);
  const renew = (name: string) =>
    leases.patch('kube-node-lease', name, 'merge', { spec: { renewTime: rfc3339Micro(Date.now()) } }).catch(() =>
      leases.create('kube-node-lease', { metadata: { name }, spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: rfc3339Micro(Date.now()) } }),
    );
  for (const name of ['n1', 'n2']) {
    await nodes.create('', { metadata: { name }, spec: {}, status: { conditions: conditions(Date.now()) } });
    await renew(name);
  }
  // n2 stays healthy, so the zone is not fully disrupted (which would stop tainting).
  const keepAlive = setInterval(() => void renew('n2'), 200);
  for (const [name, tolerations] of [
    ['short', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 1 }]],
    ['forever', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }]],
  ] as const) {
    const p = await pods.create('default', { metadata: { name }, spec: { nodeName: 'n1', tolerations, containers: [{ name: 'c', image: 'nginx' }] } });
    await pods.updateStatus('default', { ...p, status: { ...p.status, phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } });
  }
  const controller = startNodeLifecycleController(deps, { ...DEFAULT_NODE_LIFECYCLE_OPTIONS, monitorGraceMs: 1000, startupGraceMs: 2000, monitorPeriodMs: 200 });
  try {
    const down: KObject = await eventually(async () => {
      const n = await nodes.get('', 'n1');
      return taintKeys(n).includes('node.kubernetes.io/unreachable:NoExecute') && n;
    });
    const ready = down.status.conditions.find((c: { type: string }) => c.type === 'Ready');
    assert.equal(ready.status, 'Unknown');
    assert.equal(ready.reason, 'NodeStatusUnknown');
    assert.equal(ready.message, 'Kubelet stopped posting node status.');
    await eventually(async () => taintKeys(await nodes.get('', 'n1')).includes('node.kubernetes.io/unreachable:NoSchedule'));
    assert.deepEqual(taintKeys(await nodes.get('', 'n2')), []);

    const forever = await pods.get('default', 'forever');
    assert.equal(forever.status.conditions.find((c: { type: string }) => c.type === 'Ready').status, 'False');
    const evicted: KObject = await eventually(async () => {
      const p = await pods.get('default', 'short');
      return !!p.metadata.deletionTimestamp && p;
    });
    assert.equal(evicted.status.conditions.find((c: { type: string }) => c.type === 'DisruptionTarget').reason, 'DeletionByTaintManager');
    const events = (await client.resource(R.events).list('default')).items;
    assert.ok(events.some((e) => e.reason === 'TaintManagerEviction' && e.message === 'Marking for deletion Pod default/short'));
    assert.ok(events.some((e) => e.reason === 'NodeNotReady' && e.involvedObject.name === 'forever' && e.message === 'Node is not ready'));
    assert.ok(events.some((e) => e.reason === 'NodeNotReady' && e.message === 'Node n1 status is now: NodeNotReady'));
    assert.ok(events.some((e) => e.reason === 'RegisteredNode' && e.message === 'Node n2 event: Registered Node n2 in Controller'));
    assert.equal((await pods.get('default', 'forever')).metadata.deletionTimestamp, undefined);

    // The kubelet comes back: Ready again, taints gone.
    const n1 = await nodes.get('', 'n1');
    await nodes.updateStatus('', { ...n1, status: { ...n1.status, conditions: conditions(Date.now() + 1000) } });
    await renew('n1');
    await eventually(async () => taintKeys(await nodes.get('', 'n1')).length === 0);
  } finally {
    clearInterval(keepAlive);
    controller.stop();
    await tb.close();
  }
});
