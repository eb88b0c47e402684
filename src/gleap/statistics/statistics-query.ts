/**
 * One statistics request, whichever side answers it (Gleap's API, the emulator, the
 * warehouse): a chartType, a half-open range of instants, a time zone and the options of
 * the /statistics endpoints. `toApiParams` is how it travels to Gleap.
 */
import { UsageError } from '../../core/errors.ts';
import type { AggsType, GroupInterval } from '../kpi/kpi-definitions.ts';
import type { TimeRange } from './time-range.ts';
import { rangeDays } from './time-range.ts';

export interface StatisticsQuery {
  chartType: string;
  range: TimeRange;
  /** Canonical IANA name. */
  timeZone: string;
  /** Bar charts: bucket size (default day). */
  groupInterval?: GroupInterval;
  /** Duration and rating KPIs: median (default) or average. */
  aggs?: AggsType;
  /** A team id: only its tickets. */
  team?: string;
  useWorkingHours?: boolean;
  limit?: number;
  skip?: number;
}

export const GROUP_INTERVALS: readonly GroupInterval[] = ['day', 'month', 'year'];
export const AGGS_TYPES: readonly AggsType[] = ['MEDIAN', 'AVERAGE'];

/**
 * Limits of Gleap's statistics endpoints as we apply them [guess: Gleap does not publish
 * them; its dashboard offers periods up to a year]. Checked before a request is sent, so a
 * user learns it from us rather than from a timeout; the emulator enforces the same.
 */
export const STATISTICS_LIMITS = Object.freeze({
  /** Longest period of one request, in days. */
  maxRangeDays: 366,
  /** Largest page of /statistics/raw-data (the seed: "default limit is ~10000"). */
  rawDataMaxLimit: 10_000,
  /** Largest page of /statistics/lists. */
  listMaxLimit: 1000,
});

/** Why the API would refuse `q`, or undefined when it is within the limits. */
export function apiLimitProblem(q: Pick<StatisticsQuery, 'range'>): string | undefined {
  const days = rangeDays(q.range);
  if (days > STATISTICS_LIMITS.maxRangeDays + 1 / 24) {
    // +1 h: a year of local days may be 366 days and one hour long across DST changes.
    return `the period is ${Math.round(days)} days long; Gleap's statistics take at most ${STATISTICS_LIMITS.maxRangeDays} days per request (split the period, or use --from-warehouse, which has no limit)`;
  }
  return undefined;
}

export function requireWithinApiLimits(q: Pick<StatisticsQuery, 'range'>): void {
  const problem = apiLimitProblem(q);
  if (problem) throw new UsageError(problem);
}

/**
 * Query parameters for Gleap. The range is half-open [start, end); Gleap's examples send
 * an inclusive end (`...T23:59:59.999Z`), so the end travels as end - 1 ms.
 */
export function toApiParams(q: StatisticsQuery): Record<string, string | number | boolean | undefined> {
  return {
    chartType: q.chartType || undefined,
    startDate: q.range.start.toISOString(),
    endDate: new Date(q.range.end.getTime() - 1).toISOString(),
    timezone: q.timeZone,
    groupInterval: q.groupInterval,
    aggsType: q.aggs,
    team: q.team,
    useWorkingHours: q.useWorkingHours ? true : undefined,
    limit: q.limit,
    skip: q.skip,
  };
}
