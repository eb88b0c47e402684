/**
 * The query of a /v3/statistics request, checked as Gleap would: a chartType from the
 * endpoint's enum, ISO 8601 dates (endDate inclusive, as in Gleap's examples), an IANA
 * time zone, and the documented options. Every problem is a 400 with a message.
 */
import type { StatisticsEndpoint } from '../../../src/gleap/chart-types.ts';
import { STATISTICS_ENDPOINTS } from '../../../src/gleap/chart-types.ts';
import type { AggsType, GroupInterval } from '../../../src/gleap/kpi/kpi-definitions.ts';
import type { StatisticsQuery } from '../../../src/gleap/statistics/statistics-query.ts';
import { AGGS_TYPES, apiLimitProblem, GROUP_INTERVALS } from '../../../src/gleap/statistics/statistics-query.ts';
import { canonicalTimeZone } from '../../../src/gleap/statistics/time-zone.ts';
import { QueryError } from '../query/parse-list-query.ts';

const DEFAULT_DAYS = 30;

export function searchParams(rawQuery: string): URLSearchParams {
  try {
    // URLSearchParams turns `+` into a space; Gleap (Express) reads it the same way.
    decodeURIComponent(rawQuery.replace(/\+/g, ' '));
  } catch {
    throw new QueryError('Malformed percent-encoding in the query string');
  }
  return new URLSearchParams(rawQuery);
}

function instant(params: URLSearchParams, key: string): number | undefined {
  const text = params.get(key);
  if (text === null || text === '') return undefined;
  const ms = Date.parse(text);
  if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}/.test(text)) throw new QueryError(`Invalid ${key} "${text}": expected an ISO 8601 date`);
  return ms;
}

function count(params: URLSearchParams, key: string): number | undefined {
  const text = params.get(key);
  if (text === null || text === '') return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new QueryError(`Invalid ${key} "${text}": expected a whole number >= 0`);
  return n;
}

/** The period of a request: [startDate, endDate] inclusive, as half-open [start, end + 1 ms). */
export function parseRange(params: URLSearchParams, now: number): StatisticsQuery['range'] {
  const endDate = instant(params, 'endDate') ?? now;
  const startDate = instant(params, 'startDate') ?? endDate - DEFAULT_DAYS * 86_400_000;
  if (startDate > endDate) throw new QueryError('Invalid date range: startDate is after endDate');
  const range = { start: new Date(startDate), end: new Date(endDate + 1) };
  const problem = apiLimitProblem({ range });
  if (problem) throw new QueryError(`Invalid date range: ${problem.split(' (')[0]}`);
  return range;
}

export function parseTimeZone(params: URLSearchParams): string {
  const tz = params.get('timezone');
  if (tz === null || tz === '') return 'UTC';
  const canonical = canonicalTimeZone(tz);
  if (!canonical) throw new QueryError(`Invalid timezone "${tz}": expected an IANA time zone such as Europe/Paris`);
  return canonical;
}

export function parseStatisticsQuery(rawQuery: string, endpoint: StatisticsEndpoint | null, now: number): StatisticsQuery {
  const params = searchParams(rawQuery);
  let chartType = '';
  if (endpoint) {
    const info = STATISTICS_ENDPOINTS[endpoint];
    chartType = params.get('chartType') ?? '';
    if (!chartType) throw new QueryError('chartType is required');
    if (!info.types.includes(chartType)) throw new QueryError(`Invalid chartType "${chartType}": expected one of ${info.types.join(', ')}`);
  }
  const group = params.get('groupInterval') ?? undefined;
  if (group !== undefined && !GROUP_INTERVALS.includes(group as GroupInterval)) {
    throw new QueryError(`Invalid groupInterval "${group}": expected ${GROUP_INTERVALS.join(', ')}`);
  }
  const aggs = params.get('aggsType')?.toUpperCase() || undefined;
  if (aggs !== undefined && !AGGS_TYPES.includes(aggs as AggsType)) {
    throw new QueryError(`Invalid aggsType "${params.get('aggsType')}": expected ${AGGS_TYPES.join(', ')}`);
  }
  const working = params.get('useWorkingHours');
  if (working !== null && working !== 'true' && working !== 'false') {
    throw new QueryError(`Invalid useWorkingHours "${working}": expected true or false`);
  }
  return {
    chartType,
    range: parseRange(params, now),
    timeZone: parseTimeZone(params),
    groupInterval: group as GroupInterval | undefined,
    aggs: aggs as AggsType | undefined,
    team: params.get('team') || undefined,
    useWorkingHours: working === 'true',
    limit: count(params, 'limit'),
    skip: count(params, 'skip'),
  };
}
