// e2e: service account tokens (`kubectl create token`, bearer authentication), the token volume admission adds, kube-root-ca.crt.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCluster, TestCluster } from '../support/cluster';

let c: TestCluster;
before(async () => {
  c = await startCluster();
});
after(async () => {
  await c?.stop();
});

async function poll(what: string, cond: () => boolean, timeoutMs = 20000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('kubectl create token: the token authenticates as the service account until the account is deleted', async () => {
  c.k(['create', 'namespace', 'tok']);
  await poll('default account', () => c.kubectl(['-n', 'tok', 'get', 'sa', 'default']).code === 0);
  c.k(['-n', 'tok', 'create', 'serviceaccount', 'bot']);
  const token = c.k(['-n', 'tok', 'create', 'token', 'bot', '--duration', '30m']).trim();
  const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
  assert.equal(claims.sub, 'system:serviceaccount:tok:bot');
  assert.equal(claims.exp - claims.iat, 1800);
  // Only the token: no client certificate in this kubeconfig.
  const server = c.server;
  const asBot = (args: string[]) => c.kubectl(['--kubeconfig', '/dev/null', '--server', server, '--insecure-skip-tls-verify', '--token', token, ...args]);
  const ok = asBot(['-n', 'tok', 'get', 'serviceaccounts', '-o', 'name']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /serviceaccount\/bot/);
  const bad = c.kubectl(['--kubeconfig', '/dev/null', '--server', server, '--insecure-skip-tls-verify', '--token', token.slice(0, -4) + 'AAAA', 'get', 'ns']);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /Unauthorized|provide credentials/);
  const short = c.kubectl(['-n', 'tok', 'create', 'token', 'bot', '--duration', '5m']);
  assert.match(short.stderr, /spec.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes/);
  c.k(['-n', 'tok', 'delete', 'serviceaccount', 'bot']);
  assert.notEqual(asBot(['-n', 'tok', 'get', 'serviceaccounts']).code, 0, 'a deleted account no longer authenticates');
});

test('pods get the kube-api-access volume; every namespace has kube-root-ca.crt with the cluster CA', async () => {
  c.k(['create', 'namespace', 'ca']);
  const ca = readFileSync(join(c.dataDir, 'pki', 'ca.crt'), 'utf8');
  await poll('kube-root-ca.crt', () => c.kubectl(['-n', 'ca', 'get', 'configmap', 'kube-root-ca.crt']).code === 0);
  assert.equal(c.k(['-n', 'ca', 'get', 'configmap', 'kube-root-ca.crt', '-o', 'jsonpath={.data.ca\\.crt}']), ca);
  c.k(['-n', 'ca', 'run', 'p', '--image', 'busybox']);
  const pod = JSON.parse(c.k(['-n', 'ca', 'get', 'pod', 'p', '-o', 'json']));
  const vol = pod.spec.volumes.find((v: { name: string }) => v.name.startsWith('kube-api-access-'));
  assert.ok(vol, 'token volume added');
  assert.deepEqual(pod.spec.containers[0].volumeMounts, [{ name: vol.name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }]);
});
