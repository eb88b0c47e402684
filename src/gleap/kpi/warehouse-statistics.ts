/**
 * Statistics computed with SQL over the synced warehouse, for the chart types that
 * kpi-definitions.ts defines. Answers come back in Gleap's shapes and pass through the
 * same normalizers as the API's, so every renderer treats them alike.
 */
import { UsageError } from '../../core/errors.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import type { StatisticsEndpoint } from '../chart-types.ts';
import type { StatisticsProvider } from '../statistics/statistics-provider.ts';
import type { StatisticsQuery } from '../statistics/statistics-query.ts';
import { normalizeChart, normalizeFact, normalizeHeatmap, normalizeList } from '../statistics/statistics-schemas.ts';
import type { AggregationRequest, AggregationResult } from './aggregation.ts';
import { findHeatmap, findKpi, findList, HEATMAPS, KPIS, LISTS } from './kpi-definitions.ts';
import type { AgentRef } from './kpi-responses.ts';
import {
  chartRequest, chartResponse, factRequest, factResponse, heatmapRequest, heatmapResponse, listRequests, listResponse,
} from './kpi-responses.ts';
import type { KpiTables } from './measure-sql.ts';
import { aggregationSql, readAggregation } from './measure-sql.ts';

/** The chartTypes the warehouse computes, by endpoint. */
export const WAREHOUSE_CHART_TYPES: Readonly<Record<StatisticsEndpoint, readonly string[]>> = {
  fact: KPIS.flatMap((k) => (k.fact ? [k.fact] : [])),
  chart: KPIS.flatMap((k) => (k.chart ? [k.chart] : [])),
  list: LISTS.map((l) => l.id),
  heatmap: HEATMAPS.map((h) => h.id),
};

function unsupported(endpoint: StatisticsEndpoint, chartType: string): never {
  throw new UsageError(
    `${chartType} is not computed from the warehouse; --from-warehouse ${endpoint} supports ${WAREHOUSE_CHART_TYPES[endpoint].join(', ')} ` +
      '(drop --from-warehouse to ask Gleap)',
  );
}

export function createWarehouseStatistics(wh: Warehouse, tables: KpiTables, description = `warehouse (${tables.tickets})`): StatisticsProvider {
  const run = async (req: AggregationRequest): Promise<AggregationResult> =>
    readAggregation((await wh.query(aggregationSql(tables, req))).rows, req);

  async function agents(): Promise<Map<string, AgentRef>> {
    if (!tables.agents) return new Map();
    const res = await wh.query(`select id, firstName, lastName, email from ${tables.agents}`);
    return new Map(res.rows.map((r) => [String(r.id), { id: String(r.id), firstName: r.firstName as string, lastName: r.lastName as string, email: r.email as string }]));
  }

  return {
    kind: 'warehouse',
    description,
    supports: (endpoint, chartType) => WAREHOUSE_CHART_TYPES[endpoint].includes(chartType),
    async fact(q: StatisticsQuery) {
      const def = findKpi('fact', q.chartType) ?? unsupported('fact', q.chartType);
      return normalizeFact(q.chartType, factResponse(def, await run(factRequest(def, q))), 'warehouse fact');
    },
    async chart(q: StatisticsQuery) {
      const def = findKpi('chart', q.chartType) ?? unsupported('chart', q.chartType);
      return normalizeChart(q.chartType, chartResponse(def, q, await run(chartRequest(def, q))), 'warehouse chart');
    },
    async list(q: StatisticsQuery) {
      const def = findList(q.chartType) ?? unsupported('list', q.chartType);
      const results: AggregationResult[] = [];
      for (const req of listRequests(def, q)) results.push(await run(req));
      return normalizeList(q.chartType, listResponse(def, q, results, await agents()), 'warehouse list');
    },
    async heatmap(q: StatisticsQuery) {
      const def = findHeatmap(q.chartType) ?? unsupported('heatmap', q.chartType);
      return normalizeHeatmap(q.chartType, heatmapResponse(def, await run(heatmapRequest(def, q))), 'warehouse heatmap');
    },
  };
}
