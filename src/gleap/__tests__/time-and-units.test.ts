/** Time zones, periods and the units people read: pure functions, exact expectations. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UsageError } from '../../core/errors.ts';
import { formatCount, humanizeSeconds, signedPercent } from '../humanize.ts';
import { bucketLabels, median } from '../kpi/aggregation.ts';
import { workingMs } from '../kpi/working-hours.ts';
import { parseTimeRange, previousRange } from '../statistics/time-range.ts';
import { canonicalTimeZone, localParts, requireTimeZone, startOfLocalDay, zonedTimeToUtc } from '../statistics/time-zone.ts';

const iso = (ms: number | Date) => new Date(ms).toISOString();
const NOW = new Date('2026-04-10T12:00:00Z');

describe('time zones', () => {
  test('IANA names are validated and canonicalized; offsets and unknown zones are refused', () => {
    assert.equal(canonicalTimeZone('europe/paris'), 'Europe/Paris');
    assert.equal(canonicalTimeZone('US/Eastern'), 'America/New_York');
    assert.equal(canonicalTimeZone('+01:00'), undefined);
    assert.equal(canonicalTimeZone('Mars/Olympus'), undefined);
    assert.throws(() => requireTimeZone('Europe/Pariss'), (e: unknown) => e instanceof UsageError && /--tz: "Europe\/Pariss" is not a time zone; expected an IANA time zone/.test(e.message));
  });

  test('local parts follow DST changes and odd offsets', () => {
    const p = localParts(Date.parse('2026-03-29T01:30:00Z'), 'Europe/Paris'); // just after spring forward
    assert.deepEqual([p.hour, p.minute, p.isoWeekday], [3, 30, 7]);
    const k = localParts(Date.parse('2026-01-01T00:00:00Z'), 'Asia/Kathmandu');
    assert.deepEqual([k.hour, k.minute], [5, 45]);
  });

  test('wall-clock times map to instants, DST gaps and overlaps as Temporal "compatible"', () => {
    assert.equal(iso(zonedTimeToUtc({ year: 2026, month: 3, day: 29 }, 'Europe/Paris')), '2026-03-28T23:00:00.000Z');
    assert.equal(iso(zonedTimeToUtc({ year: 2026, month: 3, day: 29, hour: 2, minute: 30 }, 'Europe/Paris')), '2026-03-29T01:30:00.000Z', 'skipped 02:30 moves forward');
    assert.equal(iso(zonedTimeToUtc({ year: 2026, month: 10, day: 25, hour: 2, minute: 30 }, 'Europe/Paris')), '2026-10-25T00:30:00.000Z', 'repeated 02:30 is the earlier');
    assert.equal(iso(startOfLocalDay(Date.parse('2026-09-06T12:00:00Z'), 'America/Santiago')), '2026-09-06T04:00:00.000Z', 'a day that starts at 01:00');
    assert.equal(startOfLocalDay(Date.parse('2026-03-30T12:00:00Z'), 'Europe/Paris') - startOfLocalDay(Date.parse('2026-03-29T12:00:00Z'), 'Europe/Paris'), 23 * 3_600_000);
  });
});

describe('periods', () => {
  test('--last counts local days up to the end of today', () => {
    const r = parseTimeRange({ last: '7d' }, 'Europe/Paris', NOW);
    assert.equal(iso(r.start), '2026-04-03T22:00:00.000Z');
    assert.equal(iso(r.end), '2026-04-10T22:00:00.000Z');
    const y = parseTimeRange({ last: 'yesterday' }, 'America/New_York', NOW);
    assert.deepEqual([iso(y.start), iso(y.end)], ['2026-04-09T04:00:00.000Z', '2026-04-10T04:00:00.000Z']);
    assert.deepEqual(parseTimeRange({}, 'UTC', NOW), parseTimeRange({ last: '1w' }, 'UTC', NOW), 'the default is the last 7 days');
  });

  test('--to includes a date, excludes an instant', () => {
    const d = parseTimeRange({ from: '2026-04-01', to: '2026-04-04' }, 'UTC', NOW);
    assert.deepEqual([iso(d.start), iso(d.end)], ['2026-04-01T00:00:00.000Z', '2026-04-05T00:00:00.000Z']);
    const i = parseTimeRange({ from: '2026-04-01T06:00:00Z', to: '2026-04-01T18:00:00+02:00' }, 'UTC', NOW);
    assert.deepEqual([iso(i.start), iso(i.end)], ['2026-04-01T06:00:00.000Z', '2026-04-01T16:00:00.000Z']);
    assert.deepEqual(previousRange(d), { start: new Date('2026-03-28T00:00:00Z'), end: new Date('2026-04-01T00:00:00Z') });
  });

  test('bad periods are usage errors that say what to do', () => {
    const bad = (opts: Parameters<typeof parseTimeRange>[0], re: RegExp) =>
      assert.throws(() => parseTimeRange(opts, 'UTC', NOW), (e: unknown) => e instanceof UsageError && re.test(e.message), JSON.stringify(opts));
    bad({ from: '2026-04-10', to: '2026-04-01' }, /--from 2026-04-10 is after --to 2026-04-01 in UTC: .*swap the dates/);
    bad({ last: '7d', from: '2026-04-01' }, /cannot be combined/);
    bad({ to: '2026-04-01' }, /--to needs --from/);
    bad({ from: '2026-02-30' }, /not a real date/);
    bad({ from: 'last tuesday' }, /expected a date YYYY-MM-DD/);
    bad({ last: '7 days' }, /expected today, yesterday, or a number/);
  });
});

describe('buckets, medians and working hours', () => {
  test('bucket labels cover the period in local days, months and years, empty ones included', () => {
    const r = parseTimeRange({ from: '2026-03-30', to: '2026-04-02' }, 'Asia/Tokyo', NOW);
    assert.deepEqual(bucketLabels(r, 'day', 'Asia/Tokyo'), ['2026-03-30', '2026-03-31', '2026-04-01', '2026-04-02']);
    assert.deepEqual(bucketLabels(r, 'month', 'Asia/Tokyo'), ['2026-03', '2026-04']);
    assert.deepEqual(bucketLabels(parseTimeRange({ from: '2025-12-31', to: '2026-01-01' }, 'UTC', NOW), 'year', 'UTC'), ['2025', '2026']);
  });

  test('median interpolates like quantile_cont(x, 0.5)', () => {
    assert.equal(median([]), null);
    assert.equal(median([5]), 5);
    assert.equal(median([7, 1, 4]), 4);
    assert.equal(median([1, 2, 4, 7]), 3);
    assert.equal(median([1, 2]), 1.5);
  });

  test('working time counts Monday-Friday 09:00-17:00 local only', () => {
    const paris = (s: string) => Date.parse(s);
    // Friday 16:00 -> Monday 10:00 (Paris, CET): one hour on Friday, one on Monday.
    assert.equal(workingMs(paris('2026-01-09T15:00:00Z'), paris('2026-01-12T09:00:00Z'), 'Europe/Paris'), 2 * 3_600_000);
    assert.equal(workingMs(paris('2026-01-10T10:00:00Z'), paris('2026-01-11T20:00:00Z'), 'Europe/Paris'), 0, 'a weekend');
    assert.equal(workingMs(paris('2026-01-12T05:00:00Z'), paris('2026-01-12T20:00:00Z'), 'Europe/Paris'), 8 * 3_600_000, 'a whole day');
  });
});

describe('numbers for people', () => {
  test('durations from rawValue seconds', () => {
    assert.equal(humanizeSeconds(6570.52), '1 h 50 min');
    assert.equal(humanizeSeconds(42.4), '42 s');
    assert.equal(humanizeSeconds(250), '4 min 10 s');
    assert.equal(humanizeSeconds(2280), '38 min');
    assert.equal(humanizeSeconds(7200), '2 h');
    assert.equal(humanizeSeconds(183_600), '2 d 3 h');
    assert.equal(humanizeSeconds(null), '–');
  });

  test('changes are signed percentages; no previous period is n/a', () => {
    assert.equal(signedPercent(12.5), '+12.5%');
    assert.equal(signedPercent(-3.24), '-3.2%');
    assert.equal(signedPercent(0.01), '±0%');
    assert.equal(signedPercent(null), 'n/a');
    assert.equal(formatCount(12345), '12,345');
  });
});
