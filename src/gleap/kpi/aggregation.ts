/**
 * The one question both KPI engines answer: aggregate a measure over some periods, grouped
 * one way. The SQL engine and the in-memory engine take the same request and return the
 * same result; everything around them (response shapes, progress values) is shared.
 */
import type { TimeRange } from '../statistics/time-range.ts';
import { localParts } from '../statistics/time-zone.ts';
import type { AggsType, GroupInterval, Measure } from './kpi-definitions.ts';

export type Grouping =
  | { kind: 'total' }
  /** By agent: a ticket's processingUser, a message's sender. Items without one are left out. */
  | { kind: 'agent' }
  /** By local calendar bucket: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`. */
  | { kind: 'bucket'; interval: GroupInterval }
  /** By local ISO weekday (1 = Monday) and hour: `"<weekday>-<hour>"`, e.g. `"1-9"`. */
  | { kind: 'weekday-hour' };

export interface AggregationRequest {
  measure: Measure;
  /** The periods, e.g. [current, previous]; each value in the result lines up with them. */
  ranges: readonly TimeRange[];
  grouping: Grouping;
  /** Canonical IANA name: buckets, weekdays, hours and working hours are local to it. */
  timeZone: string;
  /** How values are aggregated (counts ignore it). */
  aggs: AggsType;
  /** Only tickets of this team (processingTeam id), and their messages. */
  team?: string;
  /** Durations count only working hours (see WORKING_HOURS). */
  workingHours: boolean;
}

/**
 * Group key -> one value per range. Counts are numbers (0 when a group has nothing in a
 * range); medians and averages are in the measure's native unit (milliseconds for
 * durations), null when there is nothing to aggregate. Only groups with at least one item
 * in some range are present.
 */
export type AggregationResult = Map<string, (number | null)[]>;

/** The key for the total (ungrouped) aggregate. */
export const TOTAL_KEY = '';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export function bucketKey(ms: number, interval: GroupInterval, tz: string): string {
  const p = localParts(ms, tz);
  if (interval === 'year') return pad(p.year, 4);
  if (interval === 'month') return `${pad(p.year, 4)}-${pad(p.month)}`;
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

export function weekdayHourKey(ms: number, tz: string): string {
  const p = localParts(ms, tz);
  return `${p.isoWeekday}-${p.hour}`;
}

/** Every bucket label the range touches, in order (empty buckets included). */
export function bucketLabels(range: TimeRange, interval: GroupInterval, tz: string): string[] {
  const first = localParts(range.start.getTime(), tz);
  const last = bucketKey(range.end.getTime() - 1, interval, tz);
  const labels: string[] = [];
  const cursor = new Date(Date.UTC(first.year, interval === 'year' ? 0 : first.month - 1, interval === 'day' ? first.day : 1));
  for (let guard = 0; guard < 100_000; guard++) {
    const label =
      interval === 'year' ? pad(cursor.getUTCFullYear(), 4)
      : interval === 'month' ? `${pad(cursor.getUTCFullYear(), 4)}-${pad(cursor.getUTCMonth() + 1)}`
      : `${pad(cursor.getUTCFullYear(), 4)}-${pad(cursor.getUTCMonth() + 1)}-${pad(cursor.getUTCDate())}`;
    labels.push(label);
    if (label >= last) break;
    if (interval === 'year') cursor.setUTCFullYear(cursor.getUTCFullYear() + 1);
    else if (interval === 'month') cursor.setUTCMonth(cursor.getUTCMonth() + 1);
    else cursor.setUTCDate(cursor.getUTCDate() + 1);
  }
  return labels;
}

/** Median as DuckDB's quantile_cont(x, 0.5): the middle value, or lo + (hi - lo) / 2. */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const mid = (sorted.length - 1) / 2;
  const lo = sorted[Math.floor(mid)]!;
  if (Number.isInteger(mid)) return lo;
  const hi = sorted[Math.ceil(mid)]!;
  return lo + (hi - lo) * 0.5;
}

/** Average as sum / count (both engines sum whole numbers exactly, then divide once). */
export function average(sum: number, count: number): number | null {
  return count === 0 ? null : sum / count;
}
