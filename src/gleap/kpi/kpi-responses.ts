/**
 * From a statistics query to aggregation requests, and from aggregation results to the
 * JSON shapes of Gleap's /statistics endpoints. Shared by the emulator (which serves these
 * shapes) and the warehouse (which returns them, so the CLI renders both the same way).
 * Values leave here in Gleap's units: counts, seconds (two decimals) for durations,
 * ratings with two decimals; progressValue in percent with two decimals.
 */
import { humanizeSeconds } from '../humanize.ts';
import type { StatisticsQuery } from '../statistics/statistics-query.ts';
import { previousRange } from '../statistics/time-range.ts';
import type { AggregationRequest, AggregationResult } from './aggregation.ts';
import { bucketLabels, TOTAL_KEY } from './aggregation.ts';
import type { HeatmapDefinition, KpiDefinition, ListDefinition, Measure, Unit } from './kpi-definitions.ts';

export interface FactResponse {
  title: string;
  /** `rawValue` in a unit fit for display, with `valueUnit` (durations: s, min, h or d). */
  value: number | null;
  /** Counts; seconds for durations; the rating. */
  rawValue: number | null;
  valueUnit: string;
  /** Percent change versus the previous period of the same length; null without one. */
  progressValue: number | null;
}

export interface BarChartResponse {
  title: string;
  dataSets: { label: string; data: { label: string; value: number | null }[] }[];
}

export interface HeatmapResponse {
  title: string;
  /** Monday first; 24 hours each, `x` = "HH:00". */
  series: { name: string; data: { x: string; y: number }[] }[];
}

export interface ListCell {
  value: number | string | null;
  rawValue: number | null;
  progressValue: number | null;
}

export interface AgentRef {
  id: string;
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
}

export interface ListResponse {
  title: string;
  columns: { key: string; title: string; unit?: string }[];
  data: Record<string, unknown>[];
  totalCount: number;
}

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

const round2 = (x: number) => Math.round(x * 100) / 100;

/** A native aggregate (milliseconds for durations) in Gleap's unit. */
export function toRaw(unit: Unit, native: number | null): number | null {
  if (native === null) return null;
  if (unit === 'duration') return round2(native / 1000);
  if (unit === 'rating') return round2(native);
  return native;
}

export function progressOf(current: number | null, previous: number | null): number | null {
  if (current === null || previous === null || previous === 0) return null;
  return round2(((current - previous) / previous) * 100);
}

/** Seconds in the largest unit that keeps the number readable: 6570.52 -> 1.8 h. */
function displayDuration(seconds: number): { value: number; unit: string } {
  if (seconds < 60) return { value: round2(seconds), unit: 's' };
  if (seconds < 3600) return { value: Math.round(seconds / 6) / 10, unit: 'min' };
  if (seconds < 86_400) return { value: Math.round(seconds / 360) / 10, unit: 'h' };
  return { value: Math.round(seconds / 8640) / 10, unit: 'd' };
}

function request(measure: Measure, q: StatisticsQuery, ranges: AggregationRequest['ranges'], grouping: AggregationRequest['grouping']): AggregationRequest {
  return {
    measure, ranges, grouping, timeZone: q.timeZone, aggs: q.aggs ?? 'MEDIAN', team: q.team, workingHours: q.useWorkingHours ?? false,
  };
}

export function factRequest(def: KpiDefinition, q: StatisticsQuery): AggregationRequest {
  return request(def.measure, q, [q.range, previousRange(q.range)], { kind: 'total' });
}

export function factResponse(def: KpiDefinition, result: AggregationResult): FactResponse {
  const zero = def.measure.value === 'count' ? 0 : null;
  const [current, previous] = result.get(TOTAL_KEY) ?? [zero, zero];
  const raw = toRaw(def.unit, current ?? null);
  const shown = def.unit === 'duration' && raw !== null ? displayDuration(raw) : { value: raw, unit: '' };
  return { title: def.title, value: shown.value, rawValue: raw, valueUnit: shown.unit, progressValue: progressOf(current ?? null, previous ?? null) };
}

export function chartRequest(def: KpiDefinition, q: StatisticsQuery): AggregationRequest {
  return request(def.measure, q, [q.range], { kind: 'bucket', interval: q.groupInterval ?? 'day' });
}

export function chartResponse(def: KpiDefinition, q: StatisticsQuery, result: AggregationResult): BarChartResponse {
  const zero = def.measure.value === 'count' ? 0 : null;
  const data = bucketLabels(q.range, q.groupInterval ?? 'day', q.timeZone).map((label) => ({
    label,
    value: toRaw(def.unit, result.get(label)?.[0] ?? zero),
  }));
  return { title: def.title, dataSets: [{ label: def.title, data }] };
}

export function heatmapRequest(def: HeatmapDefinition, q: StatisticsQuery): AggregationRequest {
  return request(def.measure, q, [q.range], { kind: 'weekday-hour' });
}

export function heatmapResponse(def: HeatmapDefinition, result: AggregationResult): HeatmapResponse {
  return {
    title: def.title,
    series: WEEKDAYS.map((name, d) => ({
      name,
      data: Array.from({ length: 24 }, (_, h) => ({ x: `${String(h).padStart(2, '0')}:00`, y: result.get(`${d + 1}-${h}`)?.[0] ?? 0 })),
    })),
  };
}

/** One aggregation per column, each over [current, previous], grouped by agent. */
export function listRequests(def: ListDefinition, q: StatisticsQuery): AggregationRequest[] {
  return def.columns.map((c) => request(c.measure, q, [q.range, previousRange(q.range)], { kind: 'agent' }));
}

export function listResponse(
  def: ListDefinition,
  q: StatisticsQuery,
  results: readonly AggregationResult[],
  agents: ReadonlyMap<string, AgentRef> = new Map(),
): ListResponse {
  const ids = new Set<string>();
  // Rows: agents with something in the current period.
  results.forEach((result, c) => {
    const count = def.columns[c]!.measure.value === 'count';
    for (const [id, [current]] of result) if (count ? current !== 0 : current !== null) ids.add(id);
  });
  const rows = [...ids].map((id) => {
    const row: Record<string, unknown> = { [def.refKey]: agents.get(id) ?? { id } };
    def.columns.forEach((column, c) => {
      const zero = column.measure.value === 'count' ? 0 : null;
      const [current, previous] = results[c]!.get(id) ?? [zero, zero];
      const raw = toRaw(column.unit, current ?? zero);
      const cell: ListCell = {
        value: column.unit === 'duration' && raw !== null ? humanizeSeconds(raw) : raw,
        rawValue: raw,
        progressValue: progressOf(current ?? zero, previous ?? zero),
      };
      row[column.key] = cell;
    });
    return { id, row };
  });
  const rawOf = (row: Record<string, unknown>, key: string) => (row[key] as ListCell).rawValue ?? -1;
  rows.sort((a, b) => {
    for (const key of def.sortBy) {
      const d = rawOf(b.row, key) - rawOf(a.row, key);
      if (d !== 0) return d;
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
  const skip = q.skip ?? 0;
  const page = rows.slice(skip, q.limit ? skip + q.limit : undefined).map((r) => r.row);
  return {
    title: def.title,
    columns: [{ key: def.refKey, title: 'Agent' }, ...def.columns.map((c) => ({ key: c.key, title: c.title, unit: c.unit }))],
    data: page,
    totalCount: rows.length,
  };
}
