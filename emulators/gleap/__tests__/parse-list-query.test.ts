import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseListQuery, QueryError } from '../query/parse-list-query.ts';

describe('parseListQuery', () => {
  const range = { field: 'updatedAt', op: 'gte', values: ['2025-09-01T00:00:00.000Z'] };

  test('reads the operator in all three shapes clients send', () => {
    for (const raw of [
      'updatedAt%3E%3D2025-09-01T00%3A00%3A00.000Z', // whole pair encoded
      'updatedAt%3E%3D=2025-09-01T00:00:00.000Z', // operator encoded in the key
      'updatedAt>=2025-09-01T00:00:00.000Z', // raw
    ]) {
      assert.deepEqual(parseListQuery(raw).conditions, [range], raw);
    }
  });

  test('tells > from >= in every shape', () => {
    for (const raw of ['updatedAt%3E=X', 'updatedAt>X', 'updatedAt%3EX']) {
      assert.deepEqual(parseListQuery(raw).conditions, [{ field: 'updatedAt', op: 'gt', values: ['X'] }], raw);
    }
    assert.deepEqual(parseListQuery('createdAt<=a&createdAt%3Cb').conditions, [
      { field: 'createdAt', op: 'lte', values: ['a'] },
      { field: 'createdAt', op: 'lt', values: ['b'] },
    ]);
  });

  test('comma lists and repeated keys mean any of; + is a space', () => {
    const q = parseListQuery('type=BUG,FEATURE_REQUEST&type=INQUIRY&title=a+b');
    assert.deepEqual(q.conditions, [
      { field: 'type', op: 'eq', values: ['BUG', 'FEATURE_REQUEST', 'INQUIRY'] },
      { field: 'title', op: 'eq', values: ['a b'] },
    ]);
  });

  test('sort, limit, skip and endpoint options are not filters', () => {
    const q = parseListQuery('sort=-updatedAt,title&limit=50&skip=100&paginated=true&status=OPEN', new Set(['paginated']));
    assert.deepEqual(q.sort, [{ field: 'updatedAt', desc: true }, { field: 'title', desc: false }]);
    assert.equal(q.limit, 50);
    assert.equal(q.skip, 100);
    assert.equal(q.options.get('paginated'), 'true');
    assert.deepEqual(q.conditions, [{ field: 'status', op: 'eq', values: ['OPEN'] }]);
  });

  test('malformed paging and encoding are errors', () => {
    for (const raw of ['limit=abc', 'limit=-1', 'skip=1.5', 'sort=', 'type=%E0%A4%A']) {
      assert.throws(() => parseListQuery(raw), QueryError, raw);
    }
  });
});
