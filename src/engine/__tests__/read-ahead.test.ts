import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readAhead } from '../read-ahead.ts';

describe('readAhead', () => {
  test('yields every item in order and asks for the next one before the current is processed', async () => {
    const pulled: number[] = [];
    async function* source() {
      for (let i = 0; i < 4; i++) { pulled.push(i); yield i; }
    }
    const seen: [number, number[]][] = [];
    for await (const item of readAhead(source())) {
      await new Promise((r) => setTimeout(r, 5));
      seen.push([item, [...pulled]]);
    }
    assert.deepEqual(seen.map(([item]) => item), [0, 1, 2, 3]);
    assert.deepEqual(seen[0]![1], [0, 1], 'item 1 was pulled while item 0 was being processed');
  });

  test('an error of the source reaches the consumer after the items before it', async () => {
    async function* source() { yield 1; throw new Error('page 2 failed'); }
    const seen: number[] = [];
    await assert.rejects(async () => { for await (const item of readAhead(source())) seen.push(item); }, /page 2 failed/);
    assert.deepEqual(seen, [1]);
  });

  test('a consumer that stops early closes the source', async () => {
    let closed = false;
    async function* source() { try { yield 1; yield 2; yield 3; } finally { closed = true; } }
    for await (const item of readAhead(source())) if (item === 1) break;
    assert.equal(closed, true, 'the source generator was returned');
  });
});
