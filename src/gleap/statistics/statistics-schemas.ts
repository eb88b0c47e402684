/**
 * Zod schemas for the statistics responses (the OpenAPI document declares them as `{}`),
 * following what API-FACTS records, and their normalization into statistics-results.ts.
 * Bar charts are accepted in both documented shapes: `dataSets[].data[{label, value}]`
 * and `series[].data[{x, y}]`. Numbers that arrive as numeric strings are accepted too.
 */
import { z } from 'zod';
import { parseResponse } from '../client/parse-response.ts';
import type { ChartResult, FactResult, HeatmapResult, ListColumnInfo, ListResult } from './statistics-results.ts';

const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** A number, a numeric string, or null/absent (-> null). */
const numeric = z
  .union([z.number(), z.string(), z.null()])
  .optional()
  .transform((v, ctx) => {
    if (v === null || v === undefined || v === '') return null;
    const n = typeof v === 'number' ? v : Number(v);
    if (Number.isNaN(n)) {
      ctx.addIssue({ code: 'custom', message: `expected a number, got "${v}"` });
      return z.NEVER;
    }
    return n;
  });

export const factSchema = z
  .looseObject({
    title: z.string().nullish(),
    value: z.union([z.number(), z.string(), z.null()]).optional(),
    rawValue: numeric,
    valueUnit: z.string().nullish(),
    progressValue: numeric,
  })
  .refine((f) => f.value !== undefined || f.rawValue !== null, { message: 'a fact needs value or rawValue' });

const labelValue = z.looseObject({ label: z.union([z.string(), z.number()]), value: numeric });
const xy = z.looseObject({ x: z.union([z.string(), z.number()]), y: numeric });

const dataSetsShape = z.looseObject({
  title: z.string().nullish(),
  dataSets: z.array(z.looseObject({ label: z.string().nullish(), data: z.array(labelValue) })),
});
const seriesShape = z.looseObject({
  title: z.string().nullish(),
  series: z.array(z.looseObject({ name: z.string().nullish(), data: z.array(xy) })),
});
export const barChartSchema = z.union([dataSetsShape, seriesShape]);
const isDataSets = (c: z.output<typeof barChartSchema>): c is z.output<typeof dataSetsShape> =>
  Array.isArray((c as { dataSets?: unknown }).dataSets);

export const heatmapSchema = z.looseObject({
  title: z.string().nullish(),
  series: z.array(z.looseObject({ name: z.string().nullish(), data: z.array(z.union([xy, z.number()])) })).max(7),
});

const columnSchema = z.union([
  z.string().transform((key) => ({ key, title: key })),
  z
    .looseObject({
      key: z.string().optional(), id: z.string().optional(), name: z.string().optional(),
      title: z.string().optional(), label: z.string().optional(), unit: z.string().optional(),
    })
    .transform((c): ListColumnInfo => {
      const key = c.key ?? c.id ?? c.name ?? c.title ?? c.label ?? '';
      return { key, title: c.title ?? c.label ?? c.name ?? key, ...(c.unit ? { unit: c.unit } : {}) };
    }),
]);

const rowsSchema = z.array(z.record(z.string(), z.unknown()));

export const listSchema = z.union([
  z.looseObject({
    title: z.string().nullish(),
    columns: z.array(columnSchema).optional(),
    data: rowsSchema,
    totalCount: numeric.optional(),
  }),
  rowsSchema.transform((data) => ({ title: null, columns: undefined, data, totalCount: null })),
]);

/** Raw events: a bare array, or wrapped in data / items / events / records. */
export const rawDataSchema = z.union([
  rowsSchema,
  z.looseObject({ data: rowsSchema }).transform((o) => o.data),
  z.looseObject({ items: rowsSchema }).transform((o) => o.items),
  z.looseObject({ events: rowsSchema }).transform((o) => o.events),
  z.looseObject({ records: rowsSchema }).transform((o) => o.records),
]);

export function normalizeFact(chartType: string, body: unknown, operation = 'GET /statistics/facts'): FactResult {
  const f = parseResponse(factSchema, body, operation, '{title, value, rawValue, valueUnit, progressValue}');
  const value = f.value ?? null;
  const rawValue = f.rawValue ?? (typeof value === 'number' ? value : null);
  return { chartType, title: f.title ?? chartType, value, rawValue, valueUnit: f.valueUnit ?? null, progressValue: f.progressValue };
}

export function normalizeChart(chartType: string, body: unknown, operation = 'GET /statistics/bar-chart'): ChartResult {
  const c = parseResponse(barChartSchema, body, operation, '{dataSets: [{data: [{label, value}]}]} or {series: [{data: [{x, y}]}]}');
  const title = c.title ?? chartType;
  if (isDataSets(c)) {
    return {
      chartType, title,
      series: c.dataSets.map((d, i) => ({ name: d.label ?? `${title}${i ? ` ${i + 1}` : ''}`, points: d.data.map((p) => ({ label: String(p.label), value: p.value })) })),
    };
  }
  const s = c as z.output<typeof seriesShape>;
  return {
    chartType, title,
    series: s.series.map((s, i) => ({ name: s.name ?? `${title}${i ? ` ${i + 1}` : ''}`, points: s.data.map((p) => ({ label: String(p.x), value: p.y })) })),
  };
}

/** The hour of a heatmap cell: from `x` ("09:00", "9", 9), else its position. */
function hourOf(x: unknown, index: number): number {
  const h = typeof x === 'number' ? x : Number.parseInt(String(x), 10);
  return Number.isInteger(h) && h >= 0 && h < 24 ? h : index;
}

export function normalizeHeatmap(chartType: string, body: unknown, operation = 'GET /statistics/heatmap'): HeatmapResult {
  const h = parseResponse(heatmapSchema, body, operation, '{series: [7 weekdays of {name, data: [24 hours of {x, y}]}]}');
  return {
    chartType,
    title: h.title ?? chartType,
    rows: h.series.map((s, d) => {
      const hours = new Array<number>(24).fill(0);
      s.data.forEach((cell, i) => {
        if (typeof cell === 'number') hours[i % 24] = cell;
        else hours[hourOf(cell.x, i % 24)] = cell.y ?? 0;
      });
      return { name: s.name ?? WEEKDAY_NAMES[d] ?? `Day ${d + 1}`, hours };
    }),
  };
}

export function normalizeList(chartType: string, body: unknown, operation = 'GET /statistics/lists'): ListResult {
  const l = parseResponse(listSchema, body, operation, '{columns, data: [rows]}');
  const columns = l.columns ?? [...new Set(l.data.flatMap((r) => Object.keys(r)))].map((key) => ({ key, title: key }));
  return { chartType, title: l.title ?? chartType, columns, rows: l.data, totalCount: l.totalCount ?? null };
}

export function normalizeRawData(body: unknown, operation = 'GET /statistics/raw-data'): Record<string, unknown>[] {
  return parseResponse(rawDataSchema, body, operation, 'an array of event records');
}
