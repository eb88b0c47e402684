/**
 * Working time between two instants: the sum, over each local calendar day from the day of
 * `from` to the day of `to`, of the overlap of [from, to] with that day's working window
 * (WORKING_HOURS, local to `tz`). measure-sql.ts computes exactly the same in SQL.
 */
import { localParts, zonedTimeToUtc } from '../statistics/time-zone.ts';
import { WORKING_HOURS } from './kpi-definitions.ts';

export function workingMs(fromMs: number, toMs: number, tz: string): number {
  const first = localParts(fromMs, tz);
  const last = localParts(toMs, tz);
  const day = new Date(Date.UTC(first.year, first.month - 1, first.day));
  const lastDay = Date.UTC(last.year, last.month - 1, last.day);
  let total = 0;
  for (; day.getTime() <= lastDay; day.setUTCDate(day.getUTCDate() + 1)) {
    const dow = day.getUTCDay() === 0 ? 7 : day.getUTCDay();
    if (!WORKING_HOURS.isoWeekdays.includes(dow)) continue;
    const date = { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate() };
    const opens = zonedTimeToUtc({ ...date, hour: WORKING_HOURS.startHour }, tz);
    const closes = zonedTimeToUtc({ ...date, hour: WORKING_HOURS.endHour }, tz);
    total += Math.max(0, Math.min(toMs, closes) - Math.max(fromMs, opens));
  }
  return total;
}
