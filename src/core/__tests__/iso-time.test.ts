import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { parseIsoUtc, parseTimestamp } from '../iso-time.ts';

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

describe('parseTimestamp', () => {
  test('agrees with Date.parse on millisecond ISO timestamps in any offset', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2199-12-31T23:59:59Z'), noInvalidDate: true }),
        fc.integer({ min: -14 * 60, max: 14 * 60 }),
        fc.constantFrom('T', ' '),
        fc.boolean(),
        (date, offset, sep, colon) => {
          const local = new Date(date.getTime() + offset * 60_000).toISOString().slice(0, 23);
          const zone = offset === 0 && colon ? 'Z' : `${offset < 0 ? '-' : '+'}${pad(Math.trunc(offset / 60))}${colon ? ':' : ''}${pad(offset % 60)}`;
          const text = local.replace('T', sep) + zone;
          assert.equal(parseTimestamp(text), date.getTime(), `parse of ${text}`);
        },
      ),
    );
  });

  test('keeps fractions of any length, to the microsecond', () => {
    assert.equal(parseTimestamp('2019-07-11T18:03:29Z'), Date.UTC(2019, 6, 11, 18, 3, 29), 'no fraction');
    assert.equal(parseTimestamp('2019-07-11T18:03:29.1Z'), Date.UTC(2019, 6, 11, 18, 3, 29, 100), 'one digit');
    assert.equal(parseTimestamp('2019-07-11T18:03:29.17Z'), Date.UTC(2019, 6, 11, 18, 3, 29, 170), 'two digits');
    assert.equal(parseTimestamp('2019-07-11T18:03:29.123456Z') * 1000, Date.UTC(2019, 6, 11, 18, 3, 29) * 1000 + 123_456, 'microseconds');
    assert.equal(parseTimestamp('2019-07-11T18:03:29.123456789Z') * 1000, Date.UTC(2019, 6, 11, 18, 3, 29) * 1000 + 123_457, 'nanoseconds round to µs');
  });

  test('other shapes fall back to Date.parse, and non-dates are NaN', () => {
    assert.equal(parseTimestamp('2024-05-01'), Date.UTC(2024, 4, 1), 'date only');
    assert.equal(parseTimestamp('Wed, 01 May 2024 10:00:00 GMT'), Date.UTC(2024, 4, 1, 10), 'RFC 2822');
    for (const bad of ['not a date', '2024-13-01T00:00:00Z', '2024-05-01T24:00:01Z', '2024-05-01T10:00:00.Z', '2024-05-01T10:00:00+25:00']) {
      assert.ok(Number.isNaN(parseTimestamp(bad)), `${bad} is not a date`);
    }
    assert.equal(parseTimestamp('2024-02-29T12:00:00Z'), Date.UTC(2024, 1, 29, 12), 'leap day');
    assert.equal(parseIsoUtc('2025-12-31T19:00-05:00'), Date.UTC(2026, 0, 1), 'seconds left out, as ISO 8601 allows');
    for (const vague of ['2024-05-01', '2024-05-01T10:00:00', '2024-05-01T10:00.5Z']) assert.ok(Number.isNaN(parseIsoUtc(vague)), `${vague} is no exact instant`);
  });
});
