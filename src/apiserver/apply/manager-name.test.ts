// Tests for default manager names and fieldManager validation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { managerFromUserAgent, validateFieldManager } from './manager-name';

test('the default manager is the User-Agent before its first "/"', () => {
  assert.equal(managerFromUserAgent('kubectl/v1.32.0 (linux/amd64) kubernetes/70d3cc9'), 'kubectl');
  assert.equal(managerFromUserAgent('kubectl-client-side-apply/v1.32.0 (linux/amd64)'), 'kubectl-client-side-apply');
  assert.equal(managerFromUserAgent('kube-controller-manager/v1.32.0 (linux/amd64) kubernetes/x/system:serviceaccount:kube-system:deployment-controller'), 'kube-controller-manager');
  assert.equal(managerFromUserAgent('curl\u0007bell'), 'curlbell');
  assert.equal(managerFromUserAgent('x'.repeat(200)).length, 128);
  assert.equal(managerFromUserAgent(''), '');
});

test('fieldManager is required for apply, printable and at most 128 bytes', () => {
  assert.deepEqual(validateFieldManager('kubectl', true), []);
  assert.deepEqual(validateFieldManager('', false), []);
  assert.deepEqual(validateFieldManager('', true).map((e) => `${e.field}: ${e.message}`), ['fieldManager: Required value: is required for apply patch']);
  assert.equal(validateFieldManager('x'.repeat(129), false)[0].type, 'FieldValueTooLong');
  assert.match(validateFieldManager('a\tb', false)[0].message, /invalid character U\+0009 \(at position 1\)/);
});
