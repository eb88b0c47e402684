import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createRecordNormalizer } from '../record-normalizer.ts';

const columns = {
  id: 'string', n: 'integer', score: 'number', ok: 'boolean', at: 'timestamp', data: 'json', title: 'string',
} as const;

describe('record normalizer', () => {
  test('converts each value to its column type and keeps undeclared fields in _extra', () => {
    const norm = createRecordNormalizer({ ...columns }, ['id']);
    const row = norm.normalize({ id: 'a', n: '12', score: 1.5, ok: 'true', at: '2024-05-01T10:00:00.123Z', data: { x: [1] }, title: 7, other: 'kept' });
    assert.deepEqual(row!.slice(0, 4), ['a', 12, 1.5, true]);
    assert.equal(row![4], Date.UTC(2024, 4, 1, 10, 0, 0, 123), 'timestamps become epoch milliseconds');
    assert.equal(row![5], '{"x":[1]}');
    assert.equal(row![6], '7');
    assert.deepEqual(JSON.parse(row![7] as string), { other: 'kept' });
    assert.deepEqual(norm.columns.map((c) => c.name), [...Object.keys(columns), '_extra']);
  });

  test('a JSON document that arrives as a string is stored as that document', () => {
    const norm = createRecordNormalizer({ id: 'string', data: 'json' }, ['id']);
    assert.equal(norm.normalize({ id: 'a', data: '{"a":1}' })![1], '{"a":1}');
    assert.equal(norm.normalize({ id: 'b', data: 'plain text' })![1], '"plain text"');
  });

  test('JSON documents are stored as their JSON text, empty ones included', () => {
    const norm = createRecordNormalizer({ id: 'string', data: 'json' }, ['id']);
    for (const doc of [[], {}, [1, 'two', null], { a: [{ b: 'c' }] }, 0, false, '']) {
      assert.equal(norm.normalize({ id: 'a', data: doc })![1], JSON.stringify(doc), JSON.stringify(doc));
    }
  });

  test('values that do not fit become NULL, are counted, and survive in _extra', () => {
    const norm = createRecordNormalizer({ ...columns }, ['id']);
    const row = norm.normalize({ id: 'a', n: 'twelve', at: 'not a date' })!;
    assert.equal(row[1], null);
    assert.equal(row[4], null);
    assert.deepEqual(JSON.parse(row[7] as string), { n: 'twelve', at: 'not a date' });
    assert.deepEqual(norm.stats.coerced, { n: 1, at: 1 });
  });

  test('records without a primary key are rejected and counted', () => {
    const norm = createRecordNormalizer({ ...columns }, ['id']);
    assert.equal(norm.normalize({ n: 1 }), undefined);
    assert.equal(norm.normalize({ id: '' }), undefined);
    assert.equal(norm.stats.rejected, 2);
  });

  test('missing and null fields are NULL, and _extra is NULL when nothing is extra', () => {
    const norm = createRecordNormalizer({ ...columns }, ['id']);
    assert.deepEqual(norm.normalize({ id: 'a', title: null }), ['a', null, null, null, null, null, null, null]);
  });
});
