import { Command } from 'commander';
import { openWarehouseToRead, type CommonOptions } from '../context.ts';
import { formatDuration, printJson, printTable } from '../output.ts';
import { runSummary } from './sync.ts';

export function runsCommand(): Command {
  return new Command('runs')
    .description('history of sync runs with per-stream counts, duration, status and error')
    .option('--config <file>', 'config file (YAML): use its warehouse')
    .option('--warehouse <path>', 'a DuckDB file, instead of --config')
    .option('--source <name>', 'only runs of this source')
    .option('--limit <n>', 'how many runs, newest first', '20')
    .option('--json', 'print as JSON')
    .action(async (opts: CommonOptions & { warehouse?: string; limit: string }) => {
      const wh = await openWarehouseToRead(opts);
      const runs = await wh.listRuns({ source: opts.source, limit: Number(opts.limit) || 20 }).finally(() => wh.close());
      if (opts.json) {
        printJson(runs.map((r) => ({ ...runSummary(r), trigger: r.trigger, startedAt: r.startedAt.toISOString() })));
        return;
      }
      if (runs.length === 0) {
        process.stdout.write('no runs yet: start one with `supportsync sync --config ...`\n');
        return;
      }
      printTable(runs.flatMap((r) => Object.entries(r.streams).map(([stream, s]) => ({
        run: r.runId, started: r.startedAt.toISOString().slice(0, 19).replace('T', ' '), source: r.source, trigger: r.trigger,
        stream, table: s.table, records: s.records, new: s.inserted, updated: s.updated, requests: s.requests,
        time: formatDuration(s.durationMs), status: s.status,
        note: s.error ?? s.warnings.join('; '),
      }))));
    });
}
