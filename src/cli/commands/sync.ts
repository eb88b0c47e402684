import { Command } from 'commander';
import { UsageError } from '../../core/errors.ts';
import { streamsPerSource } from '../../engine/stream-plan.ts';
import { runSync } from '../../engine/sync-run.ts';
import type { RunRecord } from '../../warehouse/warehouse.ts';
import { cliLogger, pickSources, requireConfig, withWarehouse, type CommonOptions } from '../context.ts';
import { formatDuration, outputWidth, printJson, printTable, wrapLine } from '../output.ts';
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

export function printRunHuman(run: RunRecord): void {
  const rows = Object.entries(run.streams).map(([stream, s]) => ({
    stream, table: s.table, sync: s.syncType, records: s.records, new: s.inserted, updated: s.updated, requests: s.requests,
    time: formatDuration(s.durationMs), status: s.status,
  }));
  process.stdout.write(`\n${run.source}: run ${run.runId} ${run.status} in ${formatDuration(run.durationMs ?? 0)}\n`);
  if (rows.length) printTable(rows);
  printRunNotes(run);
}

/** The run's warnings and errors under its table, each line fitted to the terminal's width. */
export function printRunNotes(run: RunRecord, width = outputWidth()): void {
  for (const note of runNotes(run)) process.stdout.write(wrapLine(note, width, 4).join('\n') + '\n');
}

/** The run's warnings (`  ! streams: text`) and errors (`  ✘ stream: text`), one line each. */
export function runNotes(run: RunRecord): string[] {
  // A warning about the whole source (failed export jobs, a history gap) is said by each of
  // its streams: it is said once, naming them all.
  const said = new Map<string, string[]>();
  for (const [stream, s] of Object.entries(run.streams)) for (const w of s.warnings) said.set(w, [...(said.get(w) ?? []), stream]);
  const notes = [...said].map(([w, streams]) => `  ! ${streams.join(', ')}: ${w}`);
  for (const [stream, s] of Object.entries(run.streams)) if (s.error) notes.push(`  ✘ ${stream}: ${s.error}`);
  return notes;
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
      const loaded = requireConfig(opts);
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
              warehouse, source, sourceIndex: loaded.sources.indexOf(source),
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
      else runs.forEach(printRunHuman);
      process.exitCode = runs.some((r) => r.status === 'failed') ? 1 : 0;
    });
}
