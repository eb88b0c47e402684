import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { closestName, editDistance } from '../edit-distance.ts';

describe('edit distance', () => {
  test('counts insertions, deletions and substitutions', () => {
    assert.equal(editDistance('tickets', 'tickets'), 0);
    assert.equal(editDistance('tikets', 'tickets'), 1);
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('Path', 'path'), 1, 'case-sensitive');
  });

  test('closestName ignores case, keeps the first of equally close names, and respects the limit', () => {
    assert.equal(closestName('@PTH', ['@path', '@template'], 2), '@path');
    assert.equal(closestName('teams', ['team', 'teams2'], 2), 'team');
    assert.equal(closestName('messages', ['tickets', 'sessions'], 2), undefined);
  });
});
