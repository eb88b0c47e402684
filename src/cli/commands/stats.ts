/**
 * `supportsync stats`: support KPIs from Gleap's statistics API, or computed from the
 * synced warehouse (`--from-warehouse`), and the two side by side (`reconcile`).
 *   stats fact <chartType...> | chart <chartType> | list <chartType> | heatmap [chartType]
 *   stats raw | types | kpis | reconcile | email <overview|clients|bounces>
 * Usage is checked before anything is opened, so bad input exits 2 without a request.
 */
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Command } from 'commander';
import { UsageError } from '../../core/errors.ts';
import { HEATMAP_TYPES, requireChartType, STATISTICS_ENDPOINTS, type StatisticsEndpoint } from '../../gleap/chart-types.ts';
import {
  CONDITION_TEXT, HEATMAPS, KPIS, LISTS, MESSAGE_ROLE_TEXT, unitOfChartType, WORKING_HOURS_TEXT, type AggsType, type GroupInterval,
} from '../../gleap/kpi/kpi-definitions.ts';
import { reconcile } from '../../gleap/kpi/reconcile.ts';
import { WAREHOUSE_CHART_TYPES } from '../../gleap/kpi/warehouse-statistics.ts';
import { flattenList } from '../../gleap/statistics/list-table.ts';
import { openApiClient, openApiStatistics, openWarehouseStatistics } from '../../gleap/statistics/open-statistics.ts';
import type { StatisticsProvider } from '../../gleap/statistics/statistics-provider.ts';
import type { StatisticsQuery } from '../../gleap/statistics/statistics-query.ts';
import { AGGS_TYPES, GROUP_INTERVALS, requireWithinApiLimits, STATISTICS_LIMITS } from '../../gleap/statistics/statistics-query.ts';
import { parseTimeRange } from '../../gleap/statistics/time-range.ts';
import { requireTimeZone, systemTimeZone } from '../../gleap/statistics/time-zone.ts';
import { cliLogger } from '../context.ts';
import { formatCsv, formatTable, printJson } from '../output.ts';
import { renderHeatmap } from '../render/heatmap.ts';
import { describeRange, factDisplay, printChart, printFacts, printList, printReconcile, write } from '../render/stats-output.ts';
import { barChartSvg, heatmapSvg } from '../render/svg-chart.ts';
import { formatStat } from '../render/stat-values.ts';

interface StatsOptions {
  config?: string;
  source?: string;
  json?: boolean;
  csv?: boolean;
  last?: string;
  from?: string;
  to?: string;
  tz?: string;
  team?: string;
  workingHours?: boolean;
  aggs?: string;
  group?: string;
  fromWarehouse?: boolean;
  warehouse?: string;
  verbose?: boolean;
  svg?: string;
  limit?: string;
  skip?: string;
  type?: string;
  max?: string;
  tolerance?: string;
  endpoint?: string;
}

type Base = Omit<StatisticsQuery, 'chartType'>;

function positiveInt(value: string | undefined, option: string, min = 0): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${option}: "${value}" is not a whole number >= ${min}`);
  return n;
}

/** The query every subcommand shares, validated (exit 2 on any problem). */
function baseQuery(opts: StatsOptions): Base {
  const timeZone = opts.tz !== undefined ? requireTimeZone(opts.tz) : systemTimeZone();
  const range = parseTimeRange({ last: opts.last, from: opts.from, to: opts.to }, timeZone);
  let aggs: AggsType | undefined;
  if (opts.aggs !== undefined) {
    aggs = opts.aggs.toUpperCase() as AggsType;
    if (!AGGS_TYPES.includes(aggs)) throw new UsageError(`--aggs: "${opts.aggs}" is not an aggregation; expected median or average`);
  }
  let groupInterval: GroupInterval | undefined;
  if (opts.group !== undefined) {
    groupInterval = opts.group.toLowerCase() as GroupInterval;
    if (!GROUP_INTERVALS.includes(groupInterval)) throw new UsageError(`--group: "${opts.group}" is not a grouping; expected ${GROUP_INTERVALS.join(', ')}`);
  }
  if (opts.team !== undefined && opts.team.trim() === '') throw new UsageError('--team: expected a team id');
  if (opts.fromWarehouse && opts.source && !opts.config && !opts.warehouse) throw new UsageError('--source needs --config FILE');
  if (opts.warehouse && !opts.fromWarehouse) throw new UsageError('--warehouse PATH is for --from-warehouse (or `stats reconcile`)');
  return {
    range, timeZone, aggs, groupInterval, team: opts.team?.trim(), useWorkingHours: opts.workingHours ?? false,
    limit: positiveInt(opts.limit, '--limit', 1), skip: positiveInt(opts.skip, '--skip'),
  };
}

function noCsvAndJson(opts: StatsOptions): void {
  if (opts.json && opts.csv) throw new UsageError('--json and --csv are exclusive; choose one');
}

/** Opens the provider the options ask for, runs `fn`, closes it. */
async function withProvider<T>(opts: StatsOptions, fn: (p: StatisticsProvider) => Promise<T>): Promise<T> {
  if (opts.fromWarehouse) {
    const opened = await openWarehouseStatistics({ config: opts.config, source: opts.source, warehouse: opts.warehouse });
    try {
      return await fn(opened.provider);
    } finally {
      await opened.close();
    }
  }
  return fn(openApiStatistics({ config: opts.config, source: opts.source }, cliLogger(opts)).provider);
}

function requireWarehouseSupport(opts: StatsOptions, endpoint: StatisticsEndpoint, chartType: string): void {
  if (opts.fromWarehouse && !WAREHOUSE_CHART_TYPES[endpoint].includes(chartType)) {
    throw new UsageError(
      `${chartType} is not computed from the warehouse; --from-warehouse ${endpoint} supports ${WAREHOUSE_CHART_TYPES[endpoint].join(', ')}`,
    );
  }
}

const header = (p: StatisticsProvider, what: string, base: Base) =>
  `${what} · ${describeRange(base.range, base.timeZone)}${base.team ? ` · team ${base.team}` : ''}${base.useWorkingHours ? ' · working hours' : ''} · ${p.description}`;

const rangeJson = (base: Base) => ({ start: base.range.start.toISOString(), end: base.range.end.toISOString(), timeZone: base.timeZone });

/** Options every statistics subcommand takes. */
function common(cmd: Command, extras: { group?: boolean; aggs?: boolean } = {}): Command {
  cmd
    .option('--config <file>', 'config file: Gleap credentials of its gleap source, and its warehouse')
    .option('--source <name>', 'the gleap source to use when the config has several')
    .option('--last <period>', 'today, yesterday, 7d, 30d, 2w ... (default 7d: today and the 6 days before)')
    .option('--from <date>', 'first day YYYY-MM-DD (local to --tz), or an ISO instant')
    .option('--to <date>', 'last day, included (YYYY-MM-DD), or an ISO instant (excluded)')
    .option('--tz <zone>', 'IANA time zone for days, weekdays and hours (default: this machine\'s)')
    .option('--team <id>', 'only tickets of this team')
    .option('--working-hours', 'durations count only working hours (Mon-Fri 09:00-17:00 in --tz)')
    .option('--from-warehouse', 'compute from the synced warehouse instead of asking Gleap')
    .option('--warehouse <path>', 'with --from-warehouse: a DuckDB file instead of the config\'s warehouse')
    .option('--json', 'one JSON document on stdout')
    .option('--verbose', 'log HTTP requests to stderr');
  if (extras.aggs !== false) cmd.option('--aggs <type>', 'median or average for durations and ratings (default median)');
  if (extras.group) cmd.option('--group <interval>', 'day, month or year (default day)');
  return cmd;
}

function factCommand(): Command {
  return common(new Command('fact'))
    .description('single KPIs with the change versus the previous period, e.g. NEW_TICKETS_COUNT MEDIAN_FIRST_RESPONSE_TIME')
    .argument('<chartType...>', 'one or more FactTypes (see `stats types --endpoint fact`)')
    .option('--csv', 'print as CSV')
    .action(async (types: string[], opts: StatsOptions) => {
      noCsvAndJson(opts);
      const chartTypes = types.map((t) => requireChartType('fact', t));
      chartTypes.forEach((t) => requireWarehouseSupport(opts, 'fact', t));
      const base = baseQuery(opts);
      await withProvider(opts, async (p) => {
        const facts = [];
        for (const chartType of chartTypes) facts.push(await p.fact({ ...base, chartType }));
        if (opts.json) {
          printJson({ source: p.kind, range: rangeJson(base), facts: facts.map((f) => ({ ...f, display: factDisplay(f), unit: unitOfChartType(f.chartType) })) });
        } else if (opts.csv) {
          process.stdout.write(formatCsv(facts.map((f) => ({ chartType: f.chartType, title: f.title, rawValue: f.rawValue, display: factDisplay(f), progressValue: f.progressValue }))));
        } else printFacts(facts, header(p, 'Facts', base));
      });
    });
}

function chartCommand(): Command {
  return common(new Command('chart'), { group: true })
    .description('a KPI over time (bar chart): terminal bars, --csv, --json or --svg FILE')
    .argument('<chartType>', 'a BarChartStatisticTypes value (see `stats types --endpoint chart`)')
    .option('--csv', 'print label,value rows as CSV')
    .option('--svg <file>', 'also write the chart as an SVG picture')
    .action(async (type: string, opts: StatsOptions) => {
      noCsvAndJson(opts);
      const chartType = requireChartType('chart', type);
      requireWarehouseSupport(opts, 'chart', chartType);
      const base = baseQuery(opts);
      await withProvider(opts, async (p) => {
        const chart = await p.chart({ ...base, chartType });
        const unit = unitOfChartType(chartType);
        if (opts.svg) writeFileSync(opts.svg, barChartSvg(chart, describeRange(base.range, base.timeZone), (v) => formatStat(unit, v)));
        if (opts.json) printJson({ source: p.kind, range: rangeJson(base), groupInterval: base.groupInterval ?? 'day', unit, ...chart });
        else if (opts.csv) {
          process.stdout.write(formatCsv(chart.series.flatMap((s) => s.points.map((pt) => ({ series: s.name, label: pt.label, value: pt.value })))));
        } else {
          printChart(chart, header(p, `${chart.title} by ${base.groupInterval ?? 'day'}`, base));
          if (opts.svg) write(`wrote ${opts.svg}`);
        }
      });
    });
}

function listCommand(): Command {
  return common(new Command('list'))
    .description('a table per agent or ticket type, e.g. TEAM_PERFORMANCE_LIST; --csv uses Gleap\'s CSV export')
    .argument('<chartType>', 'a StatisticListTypes value (see `stats types --endpoint list`)')
    .option('--csv', 'CSV (from /statistics/lists/export when asking Gleap)')
    .option('--limit <n>', `rows per page (at most ${STATISTICS_LIMITS.listMaxLimit})`)
    .option('--skip <n>', 'rows to skip')
    .action(async (type: string, opts: StatsOptions) => {
      noCsvAndJson(opts);
      const chartType = requireChartType('list', type);
      requireWarehouseSupport(opts, 'list', chartType);
      const base = baseQuery(opts);
      if (base.limit !== undefined && base.limit > STATISTICS_LIMITS.listMaxLimit) {
        throw new UsageError(`--limit: at most ${STATISTICS_LIMITS.listMaxLimit} rows per request`);
      }
      if (opts.csv && !opts.fromWarehouse) {
        const { client } = openApiClient({ config: opts.config, source: opts.source }, cliLogger(opts));
        const q = { ...base, chartType };
        requireWithinApiLimits(q);
        await pipeline(await client.statistics.exportList(q), process.stdout, { end: false });
        return;
      }
      await withProvider(opts, async (p) => {
        const list = await p.list({ ...base, chartType });
        if (opts.json) printJson({ source: p.kind, range: rangeJson(base), ...list });
        else if (opts.csv) {
          const table = flattenList(list, 'raw');
          process.stdout.write(formatCsv(table.rows, table.columns));
        } else printList(list, header(p, list.title, base));
      });
    });
}

function heatmapCommand(): Command {
  return common(new Command('heatmap'), { aggs: false })
    .description('weekday x hour activity in --tz, drawn in the terminal; --svg FILE for a picture')
    .argument('[chartType]', `${HEATMAP_TYPES.join(' or ')}`, 'BUSIEST_HOURS_PER_WEEKDAY')
    .option('--csv', 'weekday,hour,value rows as CSV')
    .option('--svg <file>', 'also write the heatmap as an SVG picture')
    .action(async (type: string, opts: StatsOptions) => {
      noCsvAndJson(opts);
      const chartType = requireChartType('heatmap', type);
      requireWarehouseSupport(opts, 'heatmap', chartType);
      const base = baseQuery(opts);
      await withProvider(opts, async (p) => {
        const heatmap = await p.heatmap({ ...base, chartType });
        const total = heatmap.rows.reduce((s, r) => s + r.hours.reduce((a, b) => a + b, 0), 0);
        if (opts.svg) writeFileSync(opts.svg, heatmapSvg(heatmap, `${describeRange(base.range, base.timeZone)} · ${total} in total`));
        if (opts.json) printJson({ source: p.kind, range: rangeJson(base), total, ...heatmap });
        else if (opts.csv) {
          process.stdout.write(formatCsv(heatmap.rows.flatMap((r) => r.hours.map((value, hour) => ({ weekday: r.name, hour, value })))));
        } else {
          const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
          write(`${header(p, heatmap.title, base)}\n\n${renderHeatmap(heatmap, { color })}`);
          if (opts.svg) write(`wrote ${opts.svg}`);
        }
      });
    });
}

/** Writes a line, waiting when stdout is full; false once the reader went away (e.g. `| head`). */
async function writeLine(line: string): Promise<boolean> {
  if (process.stdout.destroyed || !process.stdout.writable) return false;
  if (!process.stdout.write(line)) await Promise.race([once(process.stdout, 'drain'), once(process.stdout, 'close')]);
  return !process.stdout.destroyed;
}

function rawCommand(): Command {
  return common(new Command('raw'), { aggs: false })
    .description('every raw event of the period from /statistics/raw-data, paged, as NDJSON (one JSON object per line)')
    .option('--type <types>', 'event type(s), comma-separated (default: all)')
    .option('--limit <n>', `events per request (at most ${STATISTICS_LIMITS.rawDataMaxLimit})`)
    .option('--max <n>', 'stop after this many events')
    .action(async (opts: StatsOptions) => {
      if (opts.fromWarehouse) throw new UsageError('raw events come from Gleap\'s API only; query the warehouse with `supportsync query` instead');
      const base = baseQuery(opts);
      const pageSize = positiveInt(opts.limit, '--limit', 1) ?? STATISTICS_LIMITS.rawDataMaxLimit;
      if (pageSize > STATISTICS_LIMITS.rawDataMaxLimit) throw new UsageError(`--limit: at most ${STATISTICS_LIMITS.rawDataMaxLimit} events per request`);
      const max = positiveInt(opts.max, '--max', 1) ?? Number.POSITIVE_INFINITY;
      requireWithinApiLimits(base);
      const { client } = openApiClient({ config: opts.config, source: opts.source }, cliLogger(opts));
      process.stdout.on('error', () => {}); // EPIPE when the reader stops early: just stop
      let n = 0;
      for await (const event of client.statistics.rawDataAll({ ...base, type: opts.type, limit: undefined }, pageSize)) {
        if (n++ >= max || !(await writeLine(JSON.stringify(event) + '\n'))) break;
      }
    });
}

function typesCommand(): Command {
  return new Command('types')
    .description('chart types by endpoint, as Gleap\'s API declares them; ✔ = also computed from the warehouse')
    .option('--endpoint <endpoint>', 'fact, chart, list or heatmap')
    .option('--json', 'print as JSON')
    .action((opts: { endpoint?: string; json?: boolean }) => {
      const endpoints = Object.keys(STATISTICS_ENDPOINTS) as StatisticsEndpoint[];
      if (opts.endpoint !== undefined && !endpoints.includes(opts.endpoint as StatisticsEndpoint)) {
        throw new UsageError(`--endpoint: "${opts.endpoint}" is not an endpoint; expected ${endpoints.join(', ')}`);
      }
      const chosen = opts.endpoint ? [opts.endpoint as StatisticsEndpoint] : endpoints;
      if (opts.json) {
        printJson(Object.fromEntries(chosen.map((e) => [e, {
          path: STATISTICS_ENDPOINTS[e].path, schema: STATISTICS_ENDPOINTS[e].schema,
          types: STATISTICS_ENDPOINTS[e].types.map((t) => ({ chartType: t, warehouse: WAREHOUSE_CHART_TYPES[e].includes(t) })),
        }])));
        return;
      }
      for (const e of chosen) {
        const info = STATISTICS_ENDPOINTS[e];
        write(`stats ${e} (${info.path}, ${info.title}, ${info.types.length} types):`);
        write(info.types.map((t) => `  ${WAREHOUSE_CHART_TYPES[e].includes(t) ? '✔' : ' '} ${t}`).join('\n') + '\n');
      }
    });
}

function kpisCommand(): Command {
  return new Command('kpis')
    .description('how each KPI is defined when computed from the warehouse (and by the emulator)')
    .option('--json', 'print as JSON')
    .action((opts: { json?: boolean }) => {
      const rules = [
        'A ticket counts unless it is spam (isSpam); archived tickets and every type count.',
        'A message counts when its ticket counts. Roles: ' + MESSAGE_ROLE_TEXT + '.',
        'First response: the earliest agent reply created at or after the ticket.',
        'Periods are half-open [start, end) over instants; --tz decides days, weekdays and hours.',
        'progressValue: change versus the period of equal length just before, in percent.',
        `--working-hours: ${WORKING_HOURS_TEXT}.`,
      ];
      const kpis = KPIS.map((k) => ({ kpi: k.id, fact: k.fact ?? '', chart: k.chart ?? '', unit: k.unit, definition: k.definition }));
      const heatmaps = HEATMAPS.map((h) => ({ kpi: h.id, definition: h.definition }));
      const lists = LISTS.map((l) => ({ kpi: l.id, columns: l.columns.map((c) => c.key), definition: l.definition }));
      if (opts.json) {
        printJson({ rules, conditions: CONDITION_TEXT, kpis, heatmaps, lists });
        return;
      }
      write(`Rules\n${rules.map((r) => `  - ${r}`).join('\n')}\n`);
      write(`${formatTable(kpis)}\n`);
      write(`${formatTable(heatmaps)}\n`);
      for (const l of lists) write(`${l.kpi} (${l.columns.join(', ')}): ${l.definition}`);
    });
}

/** `1%`, `0.5%` or a fraction `0.01`. */
function parseTolerance(text: string | undefined): number {
  if (text === undefined) return 0.01;
  const m = /^(\d+(?:\.\d+)?)(%?)$/.exec(text.trim());
  if (!m) throw new UsageError(`--tolerance: "${text}" is not a tolerance; expected a percentage such as 1% or 0.5%, or 0 for exact`);
  const value = Number(m[1]) / (m[2] ? 100 : 1);
  if (value >= 1 && !m[2]) throw new UsageError(`--tolerance: "${text}" would allow everything; write a percentage such as 1%`);
  return value;
}

function reconcileCommand(): Command {
  return common(new Command('reconcile'))
    .description('API and warehouse KPIs side by side; exits 1 when a difference exceeds --tolerance')
    .option('--tolerance <pct>', 'allowed relative difference, e.g. 1% (default), 0 for exact')
    .action(async (opts: StatsOptions) => {
      if (opts.fromWarehouse) throw new UsageError('reconcile always uses both sides; drop --from-warehouse (use --warehouse PATH to name the file)');
      const tolerance = parseTolerance(opts.tolerance);
      const base = baseQuery({ ...opts, fromWarehouse: true });
      requireWithinApiLimits(base);
      const api = openApiStatistics({ config: opts.config, source: opts.source }, cliLogger(opts)).provider;
      const opened = await openWarehouseStatistics({ config: opts.config, source: opts.source, warehouse: opts.warehouse });
      try {
        const report = await reconcile(api, opened.provider, base, tolerance);
        if (opts.json) printJson({ range: rangeJson(base), api: api.description, warehouse: opened.provider.description, ...report });
        else printReconcile(report, `Reconciliation · ${describeRange(base.range, base.timeZone)}\n  API:       ${api.description}\n  warehouse: ${opened.provider.description}`);
        process.exitCode = report.ok ? 0 : 1;
      } finally {
        await opened.close();
      }
    });
}

function emailCommand(): Command {
  const kinds = { overview: 'emailOverview', clients: 'emailClientUsage', bounces: 'emailClientBounces' } as const;
  return common(new Command('email'), { aggs: false })
    .description('e-mail statistics: overview (sent, delivered, opened), clients, bounces')
    .argument('<what>', Object.keys(kinds).join(', '))
    .action(async (what: string, opts: StatsOptions) => {
      const method = kinds[what as keyof typeof kinds];
      if (!method) throw new UsageError(`"${what}" is not an e-mail statistic; expected ${Object.keys(kinds).join(', ')}`);
      if (opts.fromWarehouse) throw new UsageError('e-mail statistics come from Gleap\'s API only');
      const base = baseQuery(opts);
      requireWithinApiLimits(base);
      const { client } = openApiClient({ config: opts.config, source: opts.source }, cliLogger(opts));
      const result = await client.statistics[method](base);
      if (opts.json) printJson({ range: rangeJson(base), ...result });
      else {
        const rows = Object.entries(result).filter(([, v]) => typeof v !== 'object' || v === null).map(([key, v]) => ({ key, value: v }));
        const lists = Object.entries(result).filter(([, v]) => Array.isArray(v)) as [string, unknown[]][];
        write(`E-mail ${what} · ${describeRange(base.range, base.timeZone)}\n\n${formatTable(rows)}`);
        for (const [key, items] of lists) write(`${key}: ${items.length ? '' : '(none)'}${items.map((i) => `\n  ${JSON.stringify(i)}`).join('')}`);
      }
    });
}

export function statsCommand(): Command {
  const stats = new Command('stats')
    .description('support KPIs from Gleap\'s statistics API or from the synced warehouse (--from-warehouse)')
    .addHelpText('after', `
Credentials: --config FILE [--source NAME], or GLEAP_API_KEY, GLEAP_PROJECT_ID (and GLEAP_BASE_URL).
Examples:
  supportsync stats fact NEW_TICKETS_COUNT MEDIAN_FIRST_RESPONSE_TIME --last 7d --tz Europe/Paris
  supportsync stats chart NEW_TICKETS_COUNT --last 30d --svg tickets.svg
  supportsync stats heatmap --last 30d --tz America/New_York --svg heatmap.svg
  supportsync stats list TEAM_PERFORMANCE_LIST --from 2026-04-01 --to 2026-04-30 --csv
  supportsync stats fact MEDIAN_TIME_TO_CLOSE --from-warehouse --config supportsync.yaml
  supportsync stats reconcile --config supportsync.yaml --last 30d`);
  for (const sub of [factCommand(), chartCommand(), listCommand(), heatmapCommand(), rawCommand(), typesCommand(), kpisCommand(), reconcileCommand(), emailCommand()]) {
    stats.addCommand(sub.exitOverride());
  }
  return stats;
}

