// Expectations: creations count down, only awaited deletions count, records expire after five minutes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ControllerExpectations, EXPECTATIONS_TIMEOUT_MS } from './expectations';

const clockAt = (t: { now: number }) => ({ now: () => t.now, setTimeout: () => ({ cancel() {} }) });

test('creations: unsatisfied until each awaited pod is observed', () => {
  const e = new ControllerExpectations(clockAt({ now: 0 }));
  assert.equal(e.satisfied('ns/rs'), true);
  e.expectCreations('ns/rs', 2);
  assert.equal(e.satisfied('ns/rs'), false);
  e.creationObserved('ns/rs');
  assert.equal(e.satisfied('ns/rs'), false);
  e.creationObserved('ns/rs');
  assert.equal(e.satisfied('ns/rs'), true);
});

test('deletions: only the awaited pods count, each once', () => {
  const e = new ControllerExpectations(clockAt({ now: 0 }));
  e.expectDeletions('ns/rs', ['ns/a', 'ns/b']);
  e.deletionObserved('ns/rs', 'ns/other');
  e.deletionObserved('ns/rs', 'ns/a');
  e.deletionObserved('ns/rs', 'ns/a');
  assert.equal(e.satisfied('ns/rs'), false);
  e.deletionObserved('ns/rs', 'ns/b');
  assert.equal(e.satisfied('ns/rs'), true);
});

test('creations and deletions awaited together: satisfied only when both are seen', () => {
  const e = new ControllerExpectations(clockAt({ now: 0 }));
  e.expect('ns/ds', 1, ['ns/old']);
  e.creationObserved('ns/ds');
  assert.equal(e.satisfied('ns/ds'), false);
  e.deletionObserved('ns/ds', 'ns/old');
  assert.equal(e.satisfied('ns/ds'), true);
  e.expect('ns/ds', 1, ['ns/a']);
  e.deletionObserved('ns/ds', 'ns/a');
  assert.equal(e.satisfied('ns/ds'), false, 'the creation is still awaited');
});

test('a record older than the timeout counts as satisfied; delete forgets it', () => {
  const t = { now: 1000 };
  const e = new ControllerExpectations(clockAt(t));
  e.expectCreations('ns/rs', 1);
  t.now += EXPECTATIONS_TIMEOUT_MS;
  assert.equal(e.satisfied('ns/rs'), false);
  t.now += 1;
  assert.equal(e.satisfied('ns/rs'), true);
  e.expectCreations('ns/x', 1);
  e.delete('ns/x');
  assert.equal(e.satisfied('ns/x'), true);
});
