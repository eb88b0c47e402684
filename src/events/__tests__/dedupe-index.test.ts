import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createDedupeIndex, hashId } from '../queue/dedupe-index.ts';

describe('dedupe index', () => {
  test('remembers ids for the window, then forgets them', () => {
    const index = createDedupeIndex({ windowMs: 24_000 });
    index.add(hashId('a'), 1_000);
    assert.ok(index.has(hashId('a'), 1_000));
    assert.ok(index.has(hashId('a'), 24_999));
    assert.ok(!index.has(hashId('b'), 1_000));
    index.expire(27_000);
    assert.ok(!index.has(hashId('a'), 27_000));
    assert.equal(index.size, 0);
  });

  test('stays exact for many ids (no false duplicates among 200000 distinct ids)', () => {
    const index = createDedupeIndex({ windowMs: 3_600_000 });
    let clashes = 0;
    for (let i = 0; i < 200_000; i++) {
      const h = hashId(`ajs-next-${i}-${(i * 7919) % 104729}`);
      if (index.has(h, i)) clashes++;
      index.add(h, i);
    }
    assert.equal(clashes, 0);
    assert.equal(index.size, 200_000);
    assert.ok(index.has(hashId('ajs-next-123-'.concat(String((123 * 7919) % 104729))), 200_000));
  });

  test('bounds memory by dropping the oldest buckets first', () => {
    const index = createDedupeIndex({ windowMs: 24_000, maxIds: 100 });
    for (let i = 0; i < 300; i++) index.add(hashId(`id-${i}`), i * 50);
    index.expire(15_000);
    assert.ok(index.size <= 100 + 20, `${index.size} ids kept`);
    assert.ok(index.has(hashId('id-299'), 15_000), 'the newest are kept');
    assert.ok(!index.has(hashId('id-0'), 15_000), 'the oldest went first');
  });
});
