/**
 * Periods as people ask for them (`--last 7d`, `--from 2026-04-01 --to 2026-04-07`,
 * `yesterday`) turned into half-open ranges of instants [start, end) in a time zone.
 *
 * Days are local days of the zone: `--last 7d` is today and the six days before it, from
 * local midnight to the next local midnight. A date given to `--to` includes that day; an
 * instant given to `--to` (with `Z` or an offset) is the exclusive end, as is.
 */
import { UsageError } from '../../core/errors.ts';
import { formatLocal, startOfLocalDay, zonedTimeToUtc } from './time-zone.ts';

export interface TimeRange {
  /** Inclusive. */
  start: Date;
  /** Exclusive. */
  end: Date;
}

export const LAST_FORM = 'today, yesterday, or a number of days or weeks such as 7d, 30d, 2w';
export const DATE_FORM = 'a date YYYY-MM-DD (local to --tz) or an ISO 8601 instant with Z or an offset';

export interface RangeOptions {
  last?: string;
  from?: string;
  to?: string;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** A `--from`/`--to` value: local midnight of a date (plus `dayOffset` days), or an instant. */
function parsePoint(text: string, tz: string, option: string, dayOffset: number): number {
  const value = text.trim();
  const date = DATE_ONLY.exec(value);
  if (date) {
    const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
    const check = new Date(Date.UTC(year, month - 1, day));
    if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
      throw new UsageError(`${option}: "${text}" is not a real date; expected ${DATE_FORM}`);
    }
    return zonedTimeToUtc({ year, month, day: day + dayOffset }, tz);
  }
  if (INSTANT.test(value)) {
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) return ms;
  }
  throw new UsageError(`${option}: "${text}" is not a date; expected ${DATE_FORM}`);
}

function parseLast(text: string, tz: string, now: number): TimeRange {
  const value = text.trim().toLowerCase();
  const tomorrow = startOfLocalDay(now, tz, 1);
  if (value === 'today') return { start: new Date(startOfLocalDay(now, tz)), end: new Date(tomorrow) };
  if (value === 'yesterday') return { start: new Date(startOfLocalDay(now, tz, -1)), end: new Date(startOfLocalDay(now, tz)) };
  const m = /^(\d+)\s*(d|w)$/.exec(value);
  const n = m ? Number(m[1]) * (m[2] === 'w' ? 7 : 1) : 0;
  if (!m || n < 1) throw new UsageError(`--last: "${text}" is not a period; expected ${LAST_FORM}`);
  return { start: new Date(startOfLocalDay(now, tz, 1 - n)), end: new Date(tomorrow) };
}

/**
 * The range the options ask for, in `tz` (a canonical IANA name). Nothing given means the
 * last 7 days. Every inconsistency is a UsageError naming the options involved.
 */
export function parseTimeRange(opts: RangeOptions, tz: string, now: Date = new Date()): TimeRange {
  if (opts.last !== undefined && (opts.from !== undefined || opts.to !== undefined)) {
    throw new UsageError('--last cannot be combined with --from/--to; give either a period or both dates');
  }
  if (opts.from === undefined && opts.to === undefined) return parseLast(opts.last ?? '7d', tz, now.getTime());
  if (opts.from === undefined) throw new UsageError('--to needs --from: give the first day of the period too');
  const start = parsePoint(opts.from, tz, '--from', 0);
  // A date for --to includes that whole day; without --to the period runs to the end of today.
  const end = opts.to === undefined ? startOfLocalDay(now.getTime(), tz, 1) : parsePoint(opts.to, tz, '--to', 1);
  if (start >= end) {
    const to = opts.to ?? `today (${formatLocal(end, tz)})`;
    throw new UsageError(`--from ${opts.from} is after --to ${to} in ${tz}: the period must start before it ends; swap the dates?`);
  }
  return { start: new Date(start), end: new Date(end) };
}

/** The period of the same length just before `range`: what `progressValue` compares with. */
export function previousRange(range: TimeRange): TimeRange {
  const length = range.end.getTime() - range.start.getTime();
  return { start: new Date(range.start.getTime() - length), end: new Date(range.start.getTime()) };
}

export function rangeDays(range: TimeRange): number {
  return (range.end.getTime() - range.start.getTime()) / 86_400_000;
}
