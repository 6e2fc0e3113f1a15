// e2e: kill -9 during a stream of creates loses no acknowledged write, and revisions continue after restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster } from '../support/cluster';
import { raw } from '../support/http';

test('every acknowledged create survives kill -9; revisions continue', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tugboat-kill-'));
  try {
    const c = await startCluster([], dir);
    const acked: { name: string; rv: number }[] = [];
    let stop = false;
    const writer = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const name = `w${w}-${i}`;
        try {
          const r = await raw(c, 'POST', '/api/v1/namespaces/default/configmaps', JSON.stringify({ metadata: { name }, data: { i: String(i) } }));
          if (r.status === 201) acked.push({ name, rv: Number(r.json.metadata.resourceVersion) });
        } catch {
          return; // the server died mid-request: that write was never acknowledged
        }
      }
    };
    const writers = [0, 1, 2, 3].map(writer);
    while (acked.length < 200) await new Promise((r) => setTimeout(r, 20));
    c.proc.kill('SIGKILL');
    stop = true;
    await Promise.all(writers);
    await new Promise((r) => c.proc.exitCode !== null || c.proc.signalCode !== null ? r(null) : c.proc.once('exit', r));

    const c2 = await startCluster([], dir);
    try {
      const list = await raw(c2, 'GET', '/api/v1/namespaces/default/configmaps');
      const present = new Set(list.json.items.map((i: { metadata: { name: string } }) => i.metadata.name));
      const missing = acked.filter((a) => !present.has(a.name));
      assert.deepEqual(missing, [], `${missing.length} of ${acked.length} acknowledged creates were lost`);
      const maxAcked = Math.max(...acked.map((a) => a.rv));
      const next = await raw(c2, 'POST', '/api/v1/namespaces/default/configmaps', JSON.stringify({ metadata: { name: 'after-restart' } }));
      assert.equal(next.status, 201);
      assert.ok(Number(next.json.metadata.resourceVersion) > maxAcked, 'revisions continue after the restart');

      // History from before the restart is not in the new watch cache: a watch from there gets 410 Gone.
      const w = await raw(c2, 'GET', '/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=1&timeoutSeconds=1');
      assert.match(w.text, /"type":"ERROR"/);
      assert.match(w.text, /"code":410/);
    } finally {
      await c2.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
