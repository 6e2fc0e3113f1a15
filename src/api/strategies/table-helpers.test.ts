// Tests for table helpers: upstream HumanDuration steps, label and selector strings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatLabelSelector, formatLabels, humanDuration, listWithMore, loadBalancerString } from './table-helpers';

test('humanDuration matches upstream duration.HumanDuration', () => {
  const s = 1000;
  const m = 60 * s;
  const h = 60 * m;
  const d = 24 * h;
  const cases: [number, string][] = [
    [-5 * s, '<invalid>'],
    [-1 * s, '0s'],
    [45 * s, '45s'],
    [119 * s, '119s'],
    [3 * m + 20 * s, '3m20s'],
    [5 * m, '5m'],
    [150 * m, '150m'],
    [3 * h + 2 * m, '3h2m'],
    [5 * h, '5h'],
    [30 * h, '30h'],
    [2 * d + 3 * h, '2d3h'],
    [2 * d, '2d'],
    [400 * d, '400d'],
    [3 * 365 * d + 20 * d, '3y20d'],
    [9 * 365 * d, '9y'],
  ];
  for (const [ms, want] of cases) assert.equal(humanDuration(ms), want, String(ms));
});

test('labels and selectors print sorted, "<none>" when empty', () => {
  assert.equal(formatLabels({ b: '2', a: '1' }), 'a=1,b=2');
  assert.equal(formatLabels(undefined), '<none>');
  assert.equal(
    formatLabelSelector({ matchLabels: { tier: 'web' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'dev'] }, { key: 'x', operator: 'DoesNotExist' }] }),
    'env in (dev,prod),tier=web,!x',
  );
  assert.equal(formatLabelSelector({}), '<none>');
});

test('lists clip with "+ N more..." and load balancers clip at 16 bytes unless wide', () => {
  assert.equal(listWithMore(['a', 'b', 'c', 'd', 'e'], 3, '<unset>'), 'a,b,c + 2 more...');
  assert.equal(listWithMore([], 3, '<unset>'), '<unset>');
  const ingress = [{ ip: '10.0.0.100' }, { ip: '10.0.0.101' }];
  assert.equal(loadBalancerString(ingress, false), '10.0.0.100,10...');
  assert.equal(loadBalancerString(ingress, true), '10.0.0.100,10.0.0.101');
});
