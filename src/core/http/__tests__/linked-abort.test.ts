import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { linkedAbort } from '../linked-abort.ts';

describe('linkedAbort', () => {
  test('the child aborts with the parent and its reason; aborting the child leaves the parent be', () => {
    const parent = new AbortController();
    const a = linkedAbort(parent.signal);
    const b = linkedAbort(parent.signal);
    b.controller.abort(new Error('only b'));
    assert.equal(parent.signal.aborted, false);
    const reason = new Error('stop');
    parent.abort(reason);
    assert.equal(a.controller.signal.reason, reason);
    assert.equal((b.controller.signal.reason as Error).message, 'only b', 'an aborted child keeps its own reason');
  });

  test('a parent aborted already aborts the child at once', () => {
    const parent = new AbortController();
    parent.abort(new Error('gone'));
    assert.equal((linkedAbort(parent.signal).controller.signal.reason as Error).message, 'gone');
  });

  test('after unlink the parent no longer reaches the child', () => {
    const parent = new AbortController();
    const child = linkedAbort(parent.signal);
    child.unlink();
    parent.abort();
    assert.equal(child.controller.signal.aborted, false);
  });
});
