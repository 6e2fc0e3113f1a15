import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGoDuration } from './duration';

test('Go durations: units, compounds and zero; anything else is refused with Go’s message', () => {
  assert.equal(parseGoDuration('1h'), 3_600_000);
  assert.equal(parseGoDuration('1h30m'), 5_400_000);
  assert.equal(parseGoDuration('1.5s'), 1500);
  assert.equal(parseGoDuration('250ms'), 250);
  assert.equal(parseGoDuration('0'), 0);
  assert.throws(() => parseGoDuration('10'), /time: invalid duration "10"/);
  assert.throws(() => parseGoDuration('1d'), /time: invalid duration "1d"/);
  assert.throws(() => parseGoDuration(''), /time: invalid duration ""/);
});
