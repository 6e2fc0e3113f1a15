import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestApi } from '../../apiserver/testing';
import { R } from '../../client/types';
import { clientLookup, tokenNeedsRefresh } from './object-lookup';

test('tokens are renewed after 80% of their life or 24 h', () => {
  const t = { token: 'x', issuedAt: 0, expiresAt: 3600_000 };
  assert.equal(tokenNeedsRefresh(t, 2879_000), false);
  assert.equal(tokenNeedsRefresh(t, 2880_000), true);
  assert.equal(tokenNeedsRefresh({ token: 'x', issuedAt: 0, expiresAt: 48 * 3600_000 }, 24 * 3600_000), true);
});

test('lookup through the API: missing objects are undefined; pod-bound tokens are cached until renewal', async () => {
  const { client, close } = await startTestApi();
  try {
    let now = Date.now();
    const lookup = clientLookup(client, () => now);
    assert.equal(await lookup.getConfigMap('default', 'nope'), undefined);
    assert.equal(await lookup.getPersistentVolume('nope'), undefined);
    await client.resource(R.secrets).create('default', { metadata: { name: 's' }, data: { k: 'dg==' } });
    assert.equal((await lookup.getSecret('default', 's'))?.data?.k, 'dg==');

    await client.resource(R.serviceaccounts).create('default', { metadata: { name: 'runner' } });
    const pod = await client.resource(R.pods).create('default', { metadata: { name: 'p' }, spec: { serviceAccountName: 'runner', containers: [{ name: 'c', image: 'busybox' }] } });
    const spec = { namespace: 'default', serviceAccount: 'runner', expirationSeconds: 3607, podName: 'p', podUid: pod.metadata.uid! };
    const t1 = await lookup.getServiceAccountToken(spec);
    assert.equal(t1.split('.').length, 3, 'a JWT');
    const claims = JSON.parse(Buffer.from(t1.split('.')[1], 'base64url').toString());
    assert.equal(claims.sub, 'system:serviceaccount:default:runner');
    assert.equal(claims['kubernetes.io'].pod.uid, pod.metadata.uid);
    assert.equal(await lookup.getServiceAccountToken(spec), t1, 'cached');
    now += 3000_000;
    await new Promise((r) => setTimeout(r, 1100));
    assert.notEqual(await lookup.getServiceAccountToken(spec), t1, 'renewed');
    await assert.rejects(lookup.getServiceAccountToken({ ...spec, serviceAccount: 'ghost' }), /not found/);
  } finally {
    await close();
  }
});
