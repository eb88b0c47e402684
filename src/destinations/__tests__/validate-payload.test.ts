import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { coerceValue, validatePayload } from '../validate-payload.ts';

const INVALID = (v: unknown) => typeof v === 'symbol';

describe('validatePayload', () => {
  test('coerces where the intent is unambiguous', () => {
    assert.equal(coerceValue('string', 42), '42');
    assert.equal(coerceValue('number', ' 12.5 '), 12.5);
    assert.equal(coerceValue('integer', '7'), 7);
    assert.equal(coerceValue('boolean', 'false'), false);
    assert.equal(coerceValue('datetime', '2024-05-01T12:00:00+02:00'), '2024-05-01T10:00:00.000Z');
    assert.equal(coerceValue('datetime', '2024-05-01'), '2024-05-01T00:00:00.000Z');
    assert.equal(coerceValue('datetime', '2024-05-01T10:00:00'), '2024-05-01T10:00:00.000Z');
    assert.equal(coerceValue('datetime', 1714557600000), '2024-05-01T10:00:00.000Z');
  });

  test('refuses what it cannot read', () => {
    for (const [type, v] of [
      ['string', { a: 1 }],
      ['number', 'abc'],
      ['number', Infinity],
      ['integer', 1.5],
      ['boolean', 'yes'],
      ['datetime', 'last tuesday'],
      ['datetime', '123'],
      ['datetime', 1e20],
      ['object', [1, 2]],
    ] as const) {
      assert.ok(INVALID(coerceValue(type, v)), `${type} ${JSON.stringify(v)}`);
    }
  });

  test('a missing or unusable required field filters; an unusable optional one is dropped and reported', () => {
    const fields = {
      id: { label: 'Id', description: '', type: 'string', required: true },
      n: { label: 'N', description: '', type: 'number' },
    } as const;
    assert.deepEqual(validatePayload({ n: 1 }, fields), { ok: false, filteredBecause: 'id is missing' });
    assert.deepEqual(validatePayload({ id: [1] }, fields), { ok: false, filteredBecause: 'id is not a string' });
    assert.deepEqual(validatePayload({ id: 'x', n: 'many' }, fields), { ok: true, payload: { id: 'x' }, dropped: ['n (the string "many" is not a number)'] });
  });
});

describe('datetime coercion', () => {
  test('UTC forms are normalised without moving the instant', () => {
    for (const [input, want] of [
      ['2024-05-01T10:00:00Z', '2024-05-01T10:00:00.000Z'],
      ['2024-05-01T10:00:00.5Z', '2024-05-01T10:00:00.500Z'],
      ['2024-05-01T10:00:00.123456Z', '2024-05-01T10:00:00.123Z'],
      ['2024-05-01T10:00:00.123+00:00', '2024-05-01T10:00:00.123Z'],
      ['2024-02-29T23:59:59.999Z', '2024-02-29T23:59:59.999Z'],
      ['2024-05-01T10:00:00-05:00', '2024-05-01T15:00:00.000Z'],
    ]) {
      assert.equal(coerceValue('datetime', input), want, input);
      assert.equal(coerceValue('datetime', input), new Date(Date.parse(input)).toISOString(), `${input} agrees with Date`);
    }
  });

  test('dates that do not exist are refused rather than rolled over', () => {
    for (const input of ['2023-02-29T00:00:00Z', '2024-02-30T00:00:00.000Z', '2024-04-31', '2024-01-01T24:00:00Z', '2024-13-01T00:00:00Z', '2024-01-01T00:60:00Z']) {
      assert.ok(INVALID(coerceValue('datetime', input)), input);
    }
  });
});
