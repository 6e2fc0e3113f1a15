// Go's own Duration.String() table (time/time_test.go), plus the int64 extremes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatGoDuration } from './go-duration';

const cases: [string, bigint][] = [
  ['0s', 0n],
  ['1ns', 1n],
  ['1.1µs', 1100n],
  ['2.2ms', 2_200_000n],
  ['3.3s', 3_300_000_000n],
  ['4m5s', 245_000_000_000n],
  ['4m5.001s', 245_001_000_000n],
  ['5h6m7.001s', 18_367_001_000_000n],
  ['8m0.000000001s', 480_000_000_001n],
  ['1h0m0s', 3_600_000_000_000n],
  ['-1.5ms', -1_500_000n],
  ['2562047h47m16.854775807s', 2n ** 63n - 1n],
  ['-2562047h47m16.854775808s', -(2n ** 63n)],
];

test('formats like Go', () => {
  for (const [want, ns] of cases) assert.equal(formatGoDuration(ns), want, `${ns}ns`);
});
