// Tests for resource.Quantity parsing, canonical strings and comparisons against upstream's documented outputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ERR_FORMAT_WRONG, ERR_SUFFIX, canonicalQuantity, compareQuantities, parseQuantity, toMilli, toUnits } from './quantity';

test('canonical strings follow upstream', () => {
  const cases: [string, string][] = [
    ['1.5', '1500m'],
    ['1.5Gi', '1536Mi'],
    ['1000', '1k'],
    ['1000m', '1'],
    ['0.5Gi', '512Mi'],
    ['1024Mi', '1Gi'],
    ['100m', '100m'],
    ['0.1', '100m'],
    ['1e3', '1e3'],
    ['100e1', '1e3'],
    ['1E3', '1E3'],
    ['+1', '+1'],
    ['1.500', '1.500'],
    ['128974848', '128974848'],
    ['129e6', '129e6'],
    ['129000e3', '129e6'],
    ['123Mi', '123Mi'],
    ['0.5Ki', '512'],
    ['0.1m', '100u'],
    ['1n', '1n'],
    ['0.0000000001', '1n'],
    ['-1.5', '-1500m'],
    ['0', '0'],
    ['0Mi', '0'],
    ['5Gi', '5Gi'],
    ['2', '2'],
  ];
  for (const [input, want] of cases) assert.equal(canonicalQuantity(input), want, input);
});

test('JSON numbers parse like their text', () => {
  assert.equal(canonicalQuantity(0.5), '500m');
  assert.equal(canonicalQuantity(2), '2');
});

test('malformed quantities fail with upstream messages', () => {
  assert.throws(() => parseQuantity('abc'), { message: ERR_FORMAT_WRONG });
  assert.throws(() => parseQuantity(''), { message: ERR_FORMAT_WRONG });
  assert.throws(() => parseQuantity('1.5.5'), { message: ERR_FORMAT_WRONG });
  assert.throws(() => parseQuantity('5Mx'), { message: ERR_FORMAT_WRONG });
  assert.throws(() => parseQuantity('5iM'), { message: ERR_SUFFIX });
  assert.equal(ERR_FORMAT_WRONG, "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
});

test('compare, milli and unit views round up', () => {
  assert.equal(compareQuantities('1', '1000m'), 0);
  assert.equal(compareQuantities('500m', '1'), -1);
  assert.equal(compareQuantities('1Gi', '1G'), 1);
  assert.equal(toMilli('250m'), 250);
  assert.equal(toMilli('1.5'), 1500);
  assert.equal(toUnits('1Ki'), 1024);
  assert.equal(toUnits('100m'), 1);
  assert.equal(parseQuantity('1.0001m').roundUpToMilli().toString(), '2m');
});
