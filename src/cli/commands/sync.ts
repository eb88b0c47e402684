import { Command } from 'commander';
import { sourceIndex, sourcesScope } from '../../config/load-config.ts';
import { UsageError } from '../../core/errors.ts';
import { streamsPerSource } from '../../engine/stream-plan.ts';
import { runSync } from '../../engine/sync-run.ts';
import type { RunRecord } from '../../warehouse/warehouse.ts';
import { cliLogger, pickSources, requireConfig, withWarehouse, type CommonOptions } from '../context.ts';
import { outputWidth, printJson } from '../output.ts';
import { printRunBlock } from '../render/run-block.ts';
import { createProgress } from '../progress.ts';

/** The `sync --json` document (INTERFACES.md): stable keys first, details after. */
export function runSummary(run: RunRecord) {
  return {
    runId: run.runId,
    source: run.source,
    status: run.status,
    durationMs: run.durationMs ?? 0,
    streams: Object.fromEntries(Object.entries(run.streams).map(([name, s]) => [name, {
      table: s.table, records: s.records, inserted: s.inserted, updated: s.updated, requests: s.requests,
      unchanged: s.unchanged, deleted: s.deleted, rejected: s.rejected, syncType: s.syncType, status: s.status,
      durationMs: s.durationMs, warnings: s.warnings, ...(s.error ? { error: s.error } : {}),
    }])),
    ...(run.error ? { error: run.error } : {}),
  };
}

export function syncCommand(): Command {
  return new Command('sync')
    .description('run one sync now: read the selected streams and load them into the warehouse')
    .requiredOption('--config <file>', 'config file (YAML)')
    .option('--source <name>', 'only this source (default: every source in the config)')
    .option('--streams <list>', 'comma-separated stream names or globs, e.g. tickets,survey*')
    .option('--full', 'force FULL_TABLE for every stream of this run')
    .option('--json', 'print the run summary as JSON (one object, or an array for several sources)')
    .option('--verbose', 'log every step to stderr')
    .action(async (opts: CommonOptions & { streams?: string; full?: boolean }) => {
      const loaded = requireConfig(opts, sourcesScope(opts.source));
      let sources = pickSources(loaded, opts.source);
      let streams: Map<string, string[]> | undefined;
      if (opts.streams !== undefined) {
        const patterns = opts.streams.split(',').map((s) => s.trim()).filter(Boolean);
        if (patterns.length === 0) throw new UsageError('--streams expects stream names or globs, e.g. --streams tickets,survey*');
        streams = streamsPerSource(sources.map((s) => ({ source: s.entry.name, streams: s.source.discover(s.config).map((d) => d.name) })), patterns);
        sources = sources.filter((s) => streams!.get(s.entry.name)!.length > 0);
      }
      const log = cliLogger(opts);
      const runs = await withWarehouse(loaded, async (warehouse) => {
        const out: RunRecord[] = [];
        for (const source of sources) {
          const progress = createProgress(!opts.json && process.stdout.isTTY === true);
          try {
            out.push(await runSync({
              warehouse, source, sourceIndex: sourceIndex(loaded, source),
              streams: streams?.get(source.entry.name),
              full: opts.full, log, onProgress: progress.onProgress,
            }));
          } finally {
            progress.stop();
          }
        }
        return out;
      });
      if (opts.json) printJson(runs.length === 1 ? runSummary(runs[0]!) : runs.map(runSummary));
      else runs.forEach((run, i) => printRunBlock(run, outputWidth(), i > 0));
      process.exitCode = runs.some((r) => r.status === 'failed') ? 1 : 0;
    });
}
