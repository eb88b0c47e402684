/**
 * `supportsync demo`: the first thing a new user runs. Starts the vendor emulators in this
 * process on free ports, syncs every stream of every source into a DuckDB file with the
 * real engine, and prints what landed plus a few support KPIs computed from it.
 */
import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { sourceEntrySchema } from '../../config/config-schema.ts';
import type { ResolvedSource } from '../../config/load-config.ts';
import { UsageError } from '../../core/errors.ts';
import { runSync } from '../../engine/sync-run.ts';
import { gleapConfigSchema, gleapSource } from '../../sources/gleap/gleap-source.ts';
import type { RunRecord, Warehouse } from '../../warehouse/warehouse.ts';
import { openWarehouse } from '../../warehouse/open-warehouse.ts';
import { cliLogger } from '../context.ts';
import { formatDuration, printJson, printTable } from '../output.ts';
import { createProgress } from '../progress.ts';
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
  return {
    sources: [
      { entry: sourceEntrySchema.parse({ name: 'gleap', type: 'gleap', folder: 'gleap', config: {} }), source: gleapSource as ResolvedSource['source'], config: gleapConfig },
      gladly.source,
    ],
    kpis: async (wh) => ({ ...(await gleapKpis(wh)), ...(await gladly.kpis(wh)) }),
    close: async () => { await gleap.close(); await gladly.close(); },
  };
}

async function gleapKpis(wh: Warehouse): Promise<Record<string, unknown>> {
  const res = await wh.query(`
    with t as (select * from raw.gleap__tickets),
         first_reply as (
           select m.ticket, min(m.createdAt) as at from raw.gleap__messages m
           where m."user" is not null and not coalesce(m.isNote, false) and not coalesce(m.bot, false) group by 1)
    select
      (select count(*) from t where createdAt >= now() - interval 30 day) as "new tickets (30 d)",
      (select count(*) from t where status in ('DONE', 'CLOSED')) as "closed tickets",
      (select round(median(epoch(f.at) - epoch(t.createdAt)) / 3600, 1) from t join first_reply f on f.ticket = t.id) as "median first reply (h)",
      (select count(*) from t where slaBreached) as "SLA breaches",
      (select count(*) from raw.gleap__messages) as "messages"`);
  return res.rows[0] ?? {};
}

export function demoCommand(): Command {
  return new Command('demo')
    .description('start the emulators, sync every stream into a DuckDB file and show a few KPIs')
    .option('--warehouse <path>', `DuckDB file to create (the default file is replaced on every demo)`, DEMO_WAREHOUSE)
    .option('--scale <n>', 'number of Gleap tickets to emulate', '1000')
    .option('--force', 'replace --warehouse even if it is not the default demo file')
    .option('--json', 'print the run summaries and KPIs as JSON')
    .option('--verbose', 'log every step')
    .action(async (opts: DemoOptions) => {
      const scale = Number(opts.scale);
      if (!Number.isInteger(scale) || scale < 1 || scale > 1_000_000) throw new UsageError(`--scale: expected a whole number from 1 to 1000000, got "${opts.scale}"`);
      const path = resolve(opts.warehouse);
      if (existsSync(path)) {
        if (path !== resolve(DEMO_WAREHOUSE) && !opts.force) throw new UsageError(`--warehouse: ${opts.warehouse} exists; the demo replaces its file, so pass --force or choose a new path`);
        rmSync(path, { force: true });
        rmSync(`${path}.wal`, { force: true });
      }
      const { sources, kpis, close } = await demoSources(scale);
      const warehouse = await openWarehouse({ type: 'duckdb', path });
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
