// e2e: the AI agent service's manifests (every kind a real deployment uses) apply and read back intact.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { startCluster, TestCluster } from '../support/cluster';

const FIXTURE = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'agent.yaml');

let c: TestCluster;
before(async () => {
  c = await startCluster();
});
after(async () => {
  await c?.stop();
});

/** Asserts every field of `want` is in `got` with the same value (the server may add defaults). */
function assertSubset(got: unknown, want: unknown, path: string): void {
  if (Array.isArray(want)) {
    assert.ok(Array.isArray(got), `${path}: expected a list`);
    assert.equal((got as unknown[]).length, want.length, `${path}: length`);
    want.forEach((w, i) => assertSubset((got as unknown[])[i], w, `${path}[${i}]`));
  } else if (want && typeof want === 'object') {
    assert.ok(got && typeof got === 'object', `${path}: expected an object`);
    for (const [k, v] of Object.entries(want)) assertSubset((got as Record<string, unknown>)[k], v, `${path}.${k}`);
  } else {
    // YAML numbers such as port 80 may be read back as numbers; strings must stay strings.
    assert.equal(got, want, path);
  }
}

test('every agent manifest applies and reads back with all its fields', () => {
  const text = readFileSync(FIXTURE, 'utf8');
  const out = c.k(['apply', '-f', '-'], text);
  for (const line of [
    'configmap/agent-config created',
    'secret/agent-secrets created',
    'deployment.apps/ai-agent created',
    'service/ai-agent created',
    'horizontalpodautoscaler.autoscaling/ai-agent created',
    'ingress.networking.k8s.io/ai-agent created',
    'poddisruptionbudget.policy/ai-agent created',
    'networkpolicy.networking.k8s.io/ai-agent created',
    'cronjob.batch/agent-reindex created',
  ]) {
    assert.ok(out.includes(line), `missing "${line}" in:\n${out}`);
  }
  for (const doc of YAML.parseAllDocuments(text).map((d) => d.toJSON())) {
    const kind = doc.kind.toLowerCase();
    const group = doc.apiVersion.includes('/') ? `.${doc.apiVersion.split('/')[1]}.${doc.apiVersion.split('/')[0]}` : '';
    const live = JSON.parse(c.k(['get', `${kind}${group}`, doc.metadata.name, '-o', 'json']));
    if (doc.kind === 'Secret') {
      assert.equal(Buffer.from(live.data.API_KEY, 'base64').toString(), doc.stringData.API_KEY);
      delete doc.stringData;
    }
    assertSubset(live, doc, doc.kind);
  }
  assert.match(c.k(['apply', '-f', '-'], text), /deployment.apps\/ai-agent unchanged/);
});

test('the HPA reads back in autoscaling/v1 too', () => {
  const v1 = JSON.parse(c.k(['get', 'horizontalpodautoscalers.v1.autoscaling', 'ai-agent', '-o', 'json']));
  assert.equal(v1.apiVersion, 'autoscaling/v1');
  assert.equal(v1.spec.targetCPUUtilizationPercentage, 70);
  assert.equal(v1.spec.maxReplicas, 20);
});
