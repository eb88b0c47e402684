/**
 * API and warehouse side by side: every KPI, both heatmaps and the team-performance list,
 * for one period, with the differences beyond a tolerance flagged. Heatmaps are compared
 * cell by cell, lists agent by agent and column by column; a row reports how many cells
 * differ and the largest difference.
 */
import type { StatisticsProvider } from '../statistics/statistics-provider.ts';
import type { StatisticsQuery } from '../statistics/statistics-query.ts';
import { STATISTICS_LIMITS } from '../statistics/statistics-query.ts';
import { cellNumber, refId } from '../statistics/statistics-results.ts';
import type { Unit } from './kpi-definitions.ts';
import { HEATMAPS, KPIS, LISTS } from './kpi-definitions.ts';

export interface ReconcileRow {
  /** e.g. `NEW_TICKETS_COUNT`, `BUSIEST_HOURS_PER_WEEKDAY`, `TEAM_PERFORMANCE_LIST.commentCount`. */
  kpi: string;
  title: string;
  unit: Unit;
  /** The value (facts), or the sum over cells (heatmaps, counts of lists). */
  api: number | null;
  warehouse: number | null;
  /** warehouse - api, when both are numbers. */
  delta: number | null;
  /** Cells compared and cells beyond the tolerance (1 and 0/1 for a single value). */
  cells: number;
  differing: number;
  ok: boolean;
  /** The first few differing cells, for heatmaps and lists. */
  examples?: { key: string; api: number | null; warehouse: number | null }[];
}

export interface ReconcileReport {
  ok: boolean;
  /** Relative tolerance, e.g. 0.01 = 1%. */
  tolerance: number;
  rows: ReconcileRow[];
}

/** Equal within `tolerance` of the larger magnitude; null equals only null (or a zero count). */
export function withinTolerance(a: number | null, b: number | null, tolerance: number, unit: Unit): boolean {
  if (a === null || b === null) return a === b || (unit === 'count' && (a ?? 0) === (b ?? 0));
  return Math.abs(a - b) <= tolerance * Math.max(Math.abs(a), Math.abs(b));
}

const sum = (values: (number | null)[]) => values.reduce<number>((s, v) => s + (v ?? 0), 0);

function compareCells(
  kpi: string, title: string, unit: Unit, cells: Map<string, [number | null, number | null]>, tolerance: number, summable: boolean,
): ReconcileRow {
  const differing = [...cells].filter(([, [a, w]]) => !withinTolerance(a, w, tolerance, unit));
  const api = summable ? sum([...cells.values()].map((c) => c[0])) : null;
  const warehouse = summable ? sum([...cells.values()].map((c) => c[1])) : null;
  return {
    kpi, title, unit, api, warehouse, delta: api !== null && warehouse !== null ? warehouse - api : null,
    cells: cells.size, differing: differing.length, ok: differing.length === 0,
    examples: differing.slice(0, 5).map(([key, [a, w]]) => ({ key, api: a, warehouse: w })),
  };
}

export async function reconcile(
  api: StatisticsProvider,
  warehouse: StatisticsProvider,
  base: Omit<StatisticsQuery, 'chartType'>,
  tolerance = 0,
): Promise<ReconcileReport> {
  const rows: ReconcileRow[] = [];
  for (const kpi of KPIS) {
    if (!kpi.fact) continue;
    const q = { ...base, chartType: kpi.fact };
    const [a, w] = await Promise.all([api.fact(q), warehouse.fact(q)]);
    const ok = withinTolerance(a.rawValue, w.rawValue, tolerance, kpi.unit);
    rows.push({
      kpi: kpi.id, title: kpi.title, unit: kpi.unit, api: a.rawValue, warehouse: w.rawValue,
      delta: a.rawValue !== null && w.rawValue !== null ? Math.round((w.rawValue - a.rawValue) * 100) / 100 : null,
      cells: 1, differing: ok ? 0 : 1, ok,
    });
  }
  for (const heatmap of HEATMAPS) {
    const q = { ...base, chartType: heatmap.id };
    const [a, w] = await Promise.all([api.heatmap(q), warehouse.heatmap(q)]);
    const cells = new Map<string, [number | null, number | null]>();
    for (let d = 0; d < 7; d++) {
      for (let h = 0; h < 24; h++) {
        cells.set(`${a.rows[d]?.name ?? w.rows[d]?.name ?? d} ${String(h).padStart(2, '0')}:00`, [a.rows[d]?.hours[h] ?? null, w.rows[d]?.hours[h] ?? null]);
      }
    }
    rows.push(compareCells(heatmap.id, heatmap.title, 'count', cells, tolerance, true));
  }
  for (const list of LISTS) {
    const q = { ...base, chartType: list.id, skip: 0, limit: STATISTICS_LIMITS.listMaxLimit };
    const [a, w] = await Promise.all([api.list(q), warehouse.list(q)]);
    const byAgent = (rows: Record<string, unknown>[]) => new Map(rows.map((r) => [refId(r[list.refKey]) ?? '?', r]));
    const aRows = byAgent(a.rows);
    const wRows = byAgent(w.rows);
    const agents = [...new Set([...aRows.keys(), ...wRows.keys()])].sort();
    for (const column of list.columns) {
      const cells = new Map<string, [number | null, number | null]>();
      for (const agent of agents) cells.set(agent, [cellNumber(aRows.get(agent)?.[column.key]), cellNumber(wRows.get(agent)?.[column.key])]);
      rows.push(compareCells(`${list.id}.${column.key}`, `${list.title}: ${column.title}`, column.unit, cells, tolerance, column.unit === 'count'));
    }
  }
  return { ok: rows.every((r) => r.ok), tolerance, rows };
}
