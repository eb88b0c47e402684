/**
 * Every /statistics endpoint of Gleap's API, with parameters typed from the OpenAPI
 * document and responses validated and normalized (statistics-schemas.ts).
 *   fact        GET /statistics/facts          chartType: FactTypes
 *   chart       GET /statistics/bar-chart      chartType: BarChartStatisticTypes
 *   list        GET /statistics/lists          chartType: StatisticListTypes
 *   exportList  GET /statistics/lists/export   (CSV)
 *   heatmap     GET /statistics/heatmap        chartType: HeatmapTypes
 *   rawData     GET /statistics/raw-data       type, limit, skip (+ rawDataAll: every page)
 *   emailOverview, emailClientUsage, emailClientBounces
 */
import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { HttpClient } from '../../core/http/http-client.ts';
import type { RawDataParams, StatisticsParams } from '../api-types.ts';
import type { StatisticsQuery } from '../statistics/statistics-query.ts';
import { STATISTICS_LIMITS, toApiParams } from '../statistics/statistics-query.ts';
import type { ChartResult, FactResult, HeatmapResult, ListResult } from '../statistics/statistics-results.ts';
import { normalizeChart, normalizeFact, normalizeHeatmap, normalizeList, normalizeRawData } from '../statistics/statistics-schemas.ts';
import { parseResponse } from './parse-response.ts';

/** Parameters as the OpenAPI document names them, plus `team`, which Gleap reads but does not declare. */
type ApiParams = StatisticsParams & { team?: string };

const params = (q: StatisticsQuery): ApiParams => toApiParams(q) as ApiParams;

export interface RawDataQuery extends Omit<StatisticsQuery, 'chartType'> {
  /** Event type(s), comma-separated; all when absent. */
  type?: string;
}

const looseObject = z.record(z.string(), z.unknown());

export function statisticsApi(http: HttpClient) {
  const get = (path: string, query: ApiParams | RawDataParams, label: string, signal?: AbortSignal) =>
    http.get(path, { query: query as Record<string, string | number | boolean | undefined>, label, signal });

  const api = {
    async fact(q: StatisticsQuery, signal?: AbortSignal): Promise<FactResult> {
      return normalizeFact(q.chartType, await get('/statistics/facts', params(q), 'statistics.facts', signal));
    },
    async chart(q: StatisticsQuery, signal?: AbortSignal): Promise<ChartResult> {
      return normalizeChart(q.chartType, await get('/statistics/bar-chart', params(q), 'statistics.bar-chart', signal));
    },
    async list(q: StatisticsQuery, signal?: AbortSignal): Promise<ListResult> {
      return normalizeList(q.chartType, await get('/statistics/lists', params(q), 'statistics.lists', signal));
    },
    /** The list as Gleap's CSV export, streamed. */
    async exportList(q: StatisticsQuery, signal?: AbortSignal): Promise<Readable> {
      const res = await http.request({
        path: '/statistics/lists/export', query: params(q) as Record<string, string | number | boolean | undefined>,
        parse: 'stream', label: 'statistics.lists-export', signal,
      });
      return res.body;
    },
    async heatmap(q: StatisticsQuery, signal?: AbortSignal): Promise<HeatmapResult> {
      return normalizeHeatmap(q.chartType, await get('/statistics/heatmap', params(q), 'statistics.heatmap', signal));
    },
    /** One page of raw events. */
    async rawData(q: RawDataQuery, signal?: AbortSignal): Promise<Record<string, unknown>[]> {
      const query = { ...toApiParams({ ...q, chartType: '' }), type: q.type } as RawDataParams;
      return normalizeRawData(await get('/statistics/raw-data', query, 'statistics.raw-data', signal));
    },
    /** Every raw event of the period, page after page (limit/skip), as they arrive. */
    async *rawDataAll(q: RawDataQuery, pageSize: number = STATISTICS_LIMITS.rawDataMaxLimit, signal?: AbortSignal): AsyncGenerator<Record<string, unknown>> {
      for (let skip = q.skip ?? 0; ; ) {
        const page = await api.rawData({ ...q, limit: pageSize, skip }, signal);
        yield* page;
        if (page.length < pageSize) return;
        skip += page.length;
      }
    },
    async emailOverview(q: Omit<StatisticsQuery, 'chartType'>, signal?: AbortSignal): Promise<Record<string, unknown>> {
      const body = await get('/statistics/email-overview', params({ ...q, chartType: '' }), 'statistics.email-overview', signal);
      return parseResponse(looseObject, body, 'GET /statistics/email-overview', 'a JSON object');
    },
    async emailClientUsage(q: Omit<StatisticsQuery, 'chartType'>, signal?: AbortSignal): Promise<Record<string, unknown>> {
      const body = await get('/statistics/email-client-usage', params({ ...q, chartType: '' }), 'statistics.email-client-usage', signal);
      return parseResponse(looseObject, body, 'GET /statistics/email-client-usage', 'a JSON object');
    },
    async emailClientBounces(q: Omit<StatisticsQuery, 'chartType'>, signal?: AbortSignal): Promise<Record<string, unknown>> {
      const body = await get('/statistics/email-client-bounces', params({ ...q, chartType: '' }), 'statistics.email-client-bounces', signal);
      return parseResponse(looseObject, body, 'GET /statistics/email-client-bounces', 'a JSON object');
    },
  };
  return api;
}

export type StatisticsApi = ReturnType<typeof statisticsApi>;
