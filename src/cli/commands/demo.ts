/**
 * `supportsync demo`: the first thing a new user runs. Starts the vendor emulators in this
 * process on free ports, syncs every stream of every source into a DuckDB file with the
 * real engine, and prints what landed plus a few support KPIs computed from it.
 */
import { existsSync, rmSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { sourceEntrySchema, type SourceEntry } from '../../config/config-schema.ts';
import { humanizeSeconds } from '../../gleap/humanize.ts';
import { kpiTablesFromEntry } from '../../gleap/kpi/kpi-tables.ts';
import { createWarehouseStatistics } from '../../gleap/kpi/warehouse-statistics.ts';
import { parseTimeRange } from '../../gleap/statistics/time-range.ts';
import type { ResolvedSource } from '../../config/load-config.ts';
import { UsageError } from '../../core/errors.ts';
import { runSync } from '../../engine/sync-run.ts';
import { gleapConfigSchema, gleapSource } from '../../sources/gleap/gleap-source.ts';
import type { RunRecord, Warehouse } from '../../warehouse/warehouse.ts';
import { openWarehouse } from '../../warehouse/open-warehouse.ts';
import { cliLogger } from '../context.ts';
import { formatDuration, printJson, printTable } from '../output.ts';
import { createProgress } from '../progress.ts';
import { printRunNotes } from '../render/run-block.ts';
import { runSummary } from './sync.ts';
import { startGladlyDemo } from '../../sources/gladly/gladly-demo.ts';
import { startGleapEmulator } from '../../../emulators/gleap/gleap-emulator.ts';

export const DEMO_WAREHOUSE = './supportsync-demo.duckdb';

interface DemoOptions { warehouse: string; scale: string; json?: boolean; force?: boolean; verbose?: boolean }

/** Emulated history ends at the start of today (UTC): repeated demos on one day see the same data. */
const startOfToday = () => new Date(new Date().toISOString().slice(0, 10) + 'T00:00:00Z');

interface DemoSources {
  sources: ResolvedSource[];
  kpis(wh: Warehouse): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

async function demoSources(scale: number): Promise<DemoSources> {
  const gleap = await startGleapEmulator({ port: 0, scale, seed: 1, now: startOfToday() });
  const gladly = await startGladlyDemo({ now: startOfToday() });
  const gleapConfig = gleapConfigSchema.parse({
    apiKey: 'test-api-key', projectId: 'test-project', startDate: '2020-01-01T00:00:00Z', baseUrl: `${gleap.url}/v3`,
  });
  const gleapEntry = sourceEntrySchema.parse({ name: 'gleap', type: 'gleap', folder: 'gleap', config: {} });
  return {
    sources: [
      { entry: gleapEntry, source: gleapSource as ResolvedSource['source'], config: gleapConfig },
      gladly.source,
    ],
    kpis: async (wh) => ({ ...(await gleapKpis(wh, gleapEntry)), ...(await gladly.kpis(wh)) }),
    close: async () => { await gleap.close(); await gladly.close(); },
  };
}

/**
 * The Gleap KPIs of the last 30 days, computed from the warehouse with the same documented
 * definitions as `supportsync stats --from-warehouse` (src/gleap/kpi/kpi-definitions.ts).
 */
async function gleapKpis(wh: Warehouse, entry: SourceEntry): Promise<Record<string, unknown>> {
  const stats = createWarehouseStatistics(wh, kpiTablesFromEntry(wh, entry));
  const range = parseTimeRange({ last: '30d' }, 'UTC');
  const out: Record<string, unknown> = {};
  for (const [chartType, label, duration] of [
    ['NEW_TICKETS_COUNT', 'new tickets (30 d)', false],
    ['TICKET_CLOSE_COUNT', 'closed tickets (30 d)', false],
    ['MEDIAN_FIRST_RESPONSE_TIME', 'median first response (30 d)', true],
    ['MEDIAN_TIME_TO_CLOSE', 'median time to close (30 d)', true],
    ['SLA_BREACHES_COUNT', 'SLA breaches (30 d)', false],
  ] as const) {
    const fact = await stats.fact({ chartType, range, timeZone: 'UTC' });
    out[label] = duration ? humanizeSeconds(fact.rawValue) : fact.rawValue;
  }
  return out;
}

/**
 * A file the demo may replace without --force: an empty one (as `mktemp` makes) or a warehouse
 * that only a demo ever wrote to. Anything else (a real warehouse, another file) is kept.
 */
async function isDemoLeftover(path: string): Promise<boolean> {
  if (statSync(path).size === 0) return true;
  let wh: Warehouse | undefined;
  try {
    wh = await openWarehouse({ type: 'duckdb', path }, process.cwd(), 'read');
    const runs = await wh.listRuns();
    return runs.length > 0 && runs.every((r) => r.trigger === 'demo');
  } catch {
    return false; // not a DuckDB file, or one in use: not ours to replace
  } finally {
    await wh?.close();
  }
}

export function demoCommand(): Command {
  return new Command('demo')
    .description('start the emulators, sync every stream into a DuckDB file and show a few KPIs')
    .option('--warehouse <path>', 'DuckDB file to create (an empty file or an earlier demo\'s is replaced)', DEMO_WAREHOUSE)
    .option('--scale <n>', 'number of Gleap tickets to emulate', '1000')
    .option('--force', 'replace --warehouse even if it holds other data')
    .option('--json', 'print the run summaries and KPIs as JSON')
    .option('--verbose', 'log every step')
    .action(async (opts: DemoOptions) => {
      const scale = Number(opts.scale);
      if (!Number.isInteger(scale) || scale < 1 || scale > 1_000_000) throw new UsageError(`--scale: expected a whole number from 1 to 1000000, got "${opts.scale}"`);
      const path = resolve(opts.warehouse);
      if (existsSync(path)) {
        if (path !== resolve(DEMO_WAREHOUSE) && !opts.force && !(await isDemoLeftover(path))) {
          throw new UsageError(`--warehouse: ${opts.warehouse} holds data other than an earlier demo; the demo replaces its file, so pass --force or choose a new path`);
        }
        rmSync(path, { force: true });
        rmSync(`${path}.wal`, { force: true });
      }
      const { sources, kpis, close } = await demoSources(scale);
      const warehouse = await openWarehouse({ type: 'duckdb', path }, process.cwd(), 'sync');
      const runs: RunRecord[] = [];
      try {
        for (const source of sources) {
          const progress = createProgress(!opts.json && process.stdout.isTTY === true);
          try {
            runs.push(await runSync({ warehouse, source, trigger: 'demo', log: cliLogger(opts), onProgress: progress.onProgress }));
          } finally {
            progress.stop();
          }
        }
        const figures = runs.every((r) => r.status === 'succeeded') ? await kpis(warehouse) : undefined;
        if (opts.json) {
          printJson({ warehouse: path, runs: runs.map(runSummary), kpis: figures ?? {} });
        } else {
          for (const run of runs) {
            process.stdout.write(`\n${run.source}: ${run.status} in ${formatDuration(run.durationMs ?? 0)}\n`);
            printTable(Object.entries(run.streams).map(([stream, s]) => ({ stream, table: s.table, records: s.records, requests: s.requests, status: s.status })));
            printRunNotes(run);
          }
          if (figures) {
            process.stdout.write('\nSupport KPIs from the warehouse\n');
            printTable(Object.entries(figures).map(([kpi, value]) => ({ kpi, value })));
          }
          process.stdout.write(`\nExplore it: npx supportsync query --warehouse ${opts.warehouse} "select status, count(*) from raw.gleap__tickets group by 1"\n`);
        }
        process.exitCode = runs.every((r) => r.status === 'succeeded') ? 0 : 1;
      } finally {
        await warehouse.close();
        await close();
      }
    });
}
