// Tests of service account tokens: signing, claims, serviceaccounts/token, and bearer authentication against live objects.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { R } from '../../client/types';
import { StatusError } from '../../machinery/errors';
import { realClock } from '../../util/clock';
import { startTestApi, TEST_TOKEN_KEYS, type TestApi } from '../testing';
import { serviceAccountTokenAuthenticator } from './authenticator';
import { claimedIdentity, TOKEN_ISSUER, tokenClaims } from './claims';
import { signJwt, verifyJwt } from './jwt';

let t: TestApi;
before(async () => {
  t = await startTestApi();
  await t.client.resource(R.serviceaccounts).create('default', { metadata: { name: 'bot' } });
});
after(async () => t?.close());

const requestToken = (sa: string, spec: object = {}) =>
  t.client.resource(R.serviceaccounts).createSubresource('default', sa, 'token', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: {}, spec });
const authenticate = (token: string) =>
  serviceAccountTokenAuthenticator(TEST_TOKEN_KEYS, t.api.table, t.api.registry, realClock)({ headers: { authorization: `Bearer ${token}` } } as IncomingMessage);

test('signed tokens verify; tampered or foreign ones do not', () => {
  const token = signJwt({ sub: 'x', n: 1 }, TEST_TOKEN_KEYS);
  assert.deepEqual(verifyJwt(token, TEST_TOKEN_KEYS), { sub: 'x', n: 1 });
  const [h, , s] = token.split('.');
  const forged = `${h}.${Buffer.from(JSON.stringify({ sub: 'admin' })).toString('base64url')}.${s}`;
  assert.equal(verifyJwt(forged, TEST_TOKEN_KEYS), undefined);
  assert.equal(verifyJwt('not.a.token', TEST_TOKEN_KEYS), undefined);
  assert.equal(verifyJwt(`${Buffer.from('{"alg":"none"}').toString('base64url')}.e30.`, TEST_TOKEN_KEYS), undefined);
});

test('claims are upstream-shaped and only current tokens for our audience count', () => {
  const c = tokenClaims({ namespace: 'ns', serviceAccount: { name: 'sa', uid: 'u1' }, audiences: [TOKEN_ISSUER], expirationSeconds: 3600, bound: { kind: 'Pod', name: 'p', uid: 'u2' }, node: { name: 'n', uid: 'u3' } }, 1000);
  assert.equal(c.sub, 'system:serviceaccount:ns:sa');
  assert.equal(c.exp, 4600);
  assert.deepEqual(c['kubernetes.io'], { namespace: 'ns', serviceaccount: { name: 'sa', uid: 'u1' }, pod: { name: 'p', uid: 'u2' }, node: { name: 'n', uid: 'u3' } });
  assert.deepEqual(claimedIdentity(c, 2000), { namespace: 'ns', serviceAccount: { name: 'sa', uid: 'u1' }, bound: { kind: 'Pod', name: 'p', uid: 'u2' } });
  assert.equal(claimedIdentity(c, 4600 + 61), undefined, 'expired beyond the skew');
  assert.equal(claimedIdentity({ ...c, aud: ['vault'] }, 2000), undefined, 'another audience');
  assert.equal(claimedIdentity({ ...c, sub: 'system:serviceaccount:ns:other' }, 2000), undefined, 'subject and claims disagree');
});

test('serviceaccounts/token issues a token that authenticates as the account', async () => {
  const tr = await requestToken('bot', { expirationSeconds: 1200 });
  assert.equal(tr.kind, 'TokenRequest');
  assert.deepEqual(tr.spec.audiences, [TOKEN_ISSUER]);
  assert.equal(tr.spec.expirationSeconds, 1200);
  const exp = Date.parse(tr.status.expirationTimestamp);
  assert.ok(Math.abs(exp - (Date.now() + 1200_000)) < 5000);
  assert.deepEqual(await authenticate(tr.status.token), {
    username: 'system:serviceaccount:default:bot',
    groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'],
  });
  assert.equal(await authenticate(tr.status.token + 'x'), undefined);
});

test('bad requests: short expiry 422, missing account 404, unbindable kind 400, stale uid 409', async () => {
  await assert.rejects(requestToken('bot', { expirationSeconds: 599 }), (e: StatusError) => e.code === 422 && /spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes/.test(e.message));
  await assert.rejects(requestToken('ghost'), (e: StatusError) => e.code === 404 && /serviceaccounts "ghost" not found/.test(e.message));
  await assert.rejects(requestToken('bot', { boundObjectRef: { kind: 'ConfigMap', apiVersion: 'v1', name: 'x' } }), (e: StatusError) => e.code === 400);
  await t.client.resource(R.secrets).create('default', { metadata: { name: 's1' } });
  await assert.rejects(requestToken('bot', { boundObjectRef: { kind: 'Secret', apiVersion: 'v1', name: 's1', uid: 'wrong' } }), (e: StatusError) => e.code === 409 && /does not match the UID in record/.test(e.message));
});

test('a token stops authenticating when its bound object or its account is deleted', async () => {
  const secrets = t.client.resource(R.secrets);
  const s = await secrets.create('default', { metadata: { name: 'bound' } });
  const bound = await requestToken('bot', { boundObjectRef: { kind: 'Secret', apiVersion: 'v1', name: 'bound', uid: s.metadata.uid } });
  const plain = await requestToken('bot');
  assert.ok(await authenticate(bound.status.token));
  await secrets.delete('default', 'bound');
  assert.equal(await authenticate(bound.status.token), undefined);
  assert.ok(await authenticate(plain.status.token));
  await t.client.resource(R.serviceaccounts).delete('default', 'bot');
  await t.client.resource(R.serviceaccounts).create('default', { metadata: { name: 'bot' } });
  assert.equal(await authenticate(plain.status.token), undefined, 'a recreated account has a new uid');
});
