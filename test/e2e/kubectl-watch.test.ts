// e2e: `kubectl get -w` (a Table watch) sees ADDED, MODIFIED and DELETED as they happen.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { startCluster, TestCluster } from '../support/cluster';

let c: TestCluster;
before(async () => {
  c = await startCluster();
});
after(async () => {
  await c?.stop();
});

test('get -w --output-watch-events reports each change', async () => {
  c.k(['create', 'namespace', 'wt']);
  const watch = spawn('kubectl', ['-n', 'wt', 'get', 'cm', '-w', '--output-watch-events'], {
    env: { ...process.env, KUBECONFIG: c.kubeconfig, HOME: c.dataDir },
  });
  let out = '';
  watch.stdout.on('data', (d) => (out += d));
  const waitFor = async (re: RegExp) => {
    for (let i = 0; i < 100 && !re.test(out); i++) await new Promise((r) => setTimeout(r, 100));
    assert.match(out, re);
  };
  await new Promise((r) => setTimeout(r, 800));
  c.k(['-n', 'wt', 'create', 'configmap', 'seen', '--from-literal=v=1']);
  await waitFor(/ADDED\s+seen\s+1\s+/);
  c.k(['-n', 'wt', 'patch', 'cm', 'seen', '-p', '{"data":{"w":"2"}}']);
  await waitFor(/MODIFIED\s+seen\s+2\s+/);
  c.k(['-n', 'wt', 'delete', 'cm', 'seen']);
  await waitFor(/DELETED\s+seen\s+2\s+/);
  assert.match(out, /^EVENT\s+NAME\s+DATA\s+AGE$/m);
  watch.kill();
});
