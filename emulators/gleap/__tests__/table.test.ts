import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Table } from '../store/table.ts';

/** The reference: live rows sorted by (updatedAt, row). */
const expected = (t: Table) =>
  Array.from({ length: t.size }, (_, i) => i).filter((i) => t.alive[i]).sort((a, b) => t.updatedAt[a] - t.updatedAt[b] || a - b);

describe('Table', () => {
  test('byUpdated stays sorted and complete through appends, touches and removals', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('append' as const), updatedDelta: fc.integer({ min: 0, max: 50 }) }),
      fc.record({ kind: fc.constant('touch' as const), pick: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), at: fc.integer({ min: 0, max: 2000 }) }),
      fc.record({ kind: fc.constant('remove' as const), pick: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const t = new Table('tickets', 'abcdef', {}, 4);
        let clock = 1000;
        for (const o of ops) {
          if (o.kind === 'append') {
            clock += 1;
            t.append(clock, clock + o.updatedDelta);
          } else if (t.size > 0 && o.kind === 'touch') {
            const rows = [...new Set(o.pick.map((p) => p % t.size))].filter((i) => t.alive[i]);
            t.touch(rows, rows.map(() => o.at)); // not always "now": exercises the middle inserts
          } else if (t.size > 0 && o.kind === 'remove') {
            t.remove(o.pick % t.size);
          }
          assert.deepEqual(Array.from(t.byUpdated.subarray(0, t.byUpdatedLen)), expected(t));
        }
        assert.equal(t.aliveCount, expected(t).length);
      }),
      { numRuns: 300 },
    );
  });

  test('ids are 24 hex, sort like rows, and resolve back; foreign and deleted ids do not', () => {
    const t = new Table('sessions', '0a1b2c', {}, 4);
    for (let k = 0; k < 40; k++) t.append(1_700_000_000_000 + k * 400);
    const ids = Array.from({ length: t.size }, (_, i) => t.idOf(i));
    assert.ok(ids.every((id) => /^[0-9a-f]{24}$/.test(id)));
    assert.deepEqual([...ids].sort(), ids);
    ids.forEach((id, i) => assert.equal(t.indexOf(id), i));
    assert.equal(t.indexOf(ids[3].replace('0a1b2c', '0a1b2d')), -1);
    assert.equal(t.indexOf('not-an-id'), -1);
    t.remove(3);
    assert.equal(t.indexOf(ids[3]), -1);
    assert.equal(t.indexOf(ids[3], true), 3);
    assert.throws(() => t.append(1_600_000_000_000), /createdAt order/);
  });
});
