/**
 * The statistics endpoints of the v3 API, computed from the emulator's own data.
 *   GET /v3/statistics/facts        ?chartType (FactTypes)              -> {title, value, rawValue, valueUnit, progressValue}
 *   GET /v3/statistics/bar-chart    ?chartType (BarChartStatisticTypes) -> {title, dataSets: [{label, data: [{label, value}]}]}
 *   GET /v3/statistics/lists        ?chartType (StatisticListTypes)     -> {title, columns, data, totalCount}
 *   GET /v3/statistics/lists/export ?chartType                          -> CSV
 *   GET /v3/statistics/heatmap      ?chartType (HeatmapTypes)           -> {title, series: [7 weekdays x 24 {x, y}]}
 *   GET /v3/statistics/raw-data     ?type&limit&skip                    -> [events]
 *   GET /v3/statistics/email-overview | email-client-usage | email-client-bounces
 * Common parameters: startDate, endDate (inclusive, ISO 8601), timezone (IANA, default UTC),
 * groupInterval, aggsType, team, useWorkingHours, limit, skip. Definitions: src/gleap/kpi.
 */
import { flattenList } from '../../../src/gleap/statistics/list-table.ts';
import { normalizeList } from '../../../src/gleap/statistics/statistics-schemas.ts';
import { answerChart, answerFact, answerHeatmap, answerList } from '../statistics/statistics-answers.ts';
import { emailClientBounces, emailClientUsage, emailOverview } from '../statistics/email-statistics.ts';
import { parseEventTypes, rawEvents } from '../statistics/raw-events.ts';
import { parseStatisticsQuery, searchParams } from '../statistics/statistics-params.ts';
import { ok } from './route-context.ts';
import type { GleapRouter, RouteContext } from './route-context.ts';
import { toCsv } from './to-csv.ts';

const query = (ctx: RouteContext, endpoint: Parameters<typeof parseStatisticsQuery>[1]) =>
  parseStatisticsQuery(ctx.rawQuery, endpoint, ctx.store.clock.now());

/** A list as CSV: agents as name, e-mail and id; cells as their raw values (durations in seconds). */
function listCsv(ctx: RouteContext) {
  const q = query(ctx, 'list');
  const list = answerList(ctx.store, q);
  const table = flattenList(normalizeList(q.chartType, list), 'raw');
  return {
    status: 200,
    text: toCsv(table.columns, table.rows.map((row) => table.columns.map((c) => row[c]))),
    contentType: 'text/csv; charset=utf-8',
    headers: { 'content-disposition': `attachment; filename="${list.title.toLowerCase().replace(/\W+/g, '-')}.csv"` },
  };
}

export function registerStatisticsRoutes(router: GleapRouter): void {
  router
    .add('GET', '/v3/statistics/facts', (ctx) => ok(answerFact(ctx.store, query(ctx, 'fact'))))
    .add('GET', '/v3/statistics/bar-chart', (ctx) => ok(answerChart(ctx.store, query(ctx, 'chart'))))
    .add('GET', '/v3/statistics/lists', (ctx) => ok(answerList(ctx.store, query(ctx, 'list'))))
    .add('GET', '/v3/statistics/lists/export', listCsv)
    .add('GET', '/v3/statistics/heatmap', (ctx) => ok(answerHeatmap(ctx.store, query(ctx, 'heatmap'))))
    .add('GET', '/v3/statistics/raw-data', (ctx) => {
      const q = query(ctx, null);
      return ok(rawEvents(ctx.store, q.range, parseEventTypes(searchParams(ctx.rawQuery).get('type')), q));
    })
    .add('GET', '/v3/statistics/email-overview', (ctx) => ok(emailOverview(ctx.store, query(ctx, null).range)))
    .add('GET', '/v3/statistics/email-client-usage', (ctx) => (query(ctx, null), ok(emailClientUsage())))
    .add('GET', '/v3/statistics/email-client-bounces', (ctx) => (query(ctx, null), ok(emailClientBounces())));
}
