/**
 * `supportsync runs`: the history of sync runs, newest first. For people, one block per run:
 * a header line, a table of its streams, then its warnings and errors once each, all fitted to
 * the terminal's width. `--json` gives every detail (qualified table names, full texts).
 */
import { Command } from 'commander';
import { loadWarehouseConfig, noSourceNamed } from '../../config/load-config.ts';
import { closestName } from '../../core/edit-distance.ts';
import { UsageError } from '../../core/errors.ts';
import type { RunRecord, Warehouse } from '../../warehouse/warehouse.ts';
import { openWarehouseToRead, type CommonOptions } from '../context.ts';
import { formatDuration, formatTable, outputWidth, printJson, wrapLine } from '../output.ts';
import { runNotes, runSummary } from './sync.ts';

interface RunsOptions extends CommonOptions {
  warehouse?: string;
  limit: number;
}

function positiveWholeNumber(value: string): number {
  if (!/^[1-9]\d*$/.test(value)) throw new UsageError(`--limit expects a positive whole number, got "${value}"`);
  return Number(value);
}

export function runsCommand(): Command {
  return new Command('runs')
    .description('history of sync runs with per-stream counts, duration, status and error')
    .option('--config <file>', 'config file (YAML): use its warehouse')
    .option('--warehouse <path>', 'a DuckDB file, instead of --config')
    .option('--source <name>', 'only runs of this source')
    .option('--limit <n>', 'how many runs, newest first', positiveWholeNumber, 20)
    .option('--json', 'print as JSON')
    .action(async (opts: RunsOptions) => {
      // The config says which sources exist: a name it lacks is a typo, not an empty history.
      if (opts.source !== undefined && opts.config && !opts.warehouse) {
        const names = loadWarehouseConfig(opts.config).sources.map((s) => s.name);
        if (!names.includes(opts.source)) throw noSourceNamed(opts.source, names);
      }
      const wh = await openWarehouseToRead(opts);
      const { runs, others } = await readRuns(wh, opts).finally(() => wh.close());
      if (opts.json) {
        printJson(runs.map((r) => ({ ...runSummary(r), trigger: r.trigger, startedAt: r.startedAt.toISOString() })));
        return;
      }
      if (runs.length === 0) {
        const hint = others.length > 0 ? closestName(opts.source!, others, 2) : undefined;
        process.stdout.write(others.length > 0
          ? `no runs of a source named "${opts.source}" in this warehouse; ${hint ? `did you mean ${hint}? ` : ''}it has runs of ${others.join(', ')}\n`
          : 'no runs yet: start one with `supportsync sync --config ...`\n');
        return;
      }
      const width = outputWidth();
      runs.forEach((run, i) => printRun(run, width, i > 0));
    });
}

/** The runs asked for and, when a source has none, the sources that do have runs. */
async function readRuns(wh: Warehouse, opts: RunsOptions): Promise<{ runs: RunRecord[]; others: string[] }> {
  const runs = await wh.listRuns({ source: opts.source, limit: opts.limit });
  if (runs.length > 0 || opts.source === undefined) return { runs, others: [] };
  return { runs, others: [...new Set((await wh.listRuns()).map((r) => r.source))].sort() };
}

function printRun(run: RunRecord, width: number, blankLineBefore: boolean): void {
  const out: string[] = blankLineBefore ? [''] : [];
  const status = run.durationMs === undefined ? run.status : `${run.status} in ${formatDuration(run.durationMs)}`;
  const started = `started ${run.startedAt.toISOString().slice(0, 19).replace('T', ' ')} UTC (${run.trigger})`;
  out.push(...wrapLine([`${run.source} run ${run.runId}`, status, started].join(' · '), width, 2, ' · '));

  const streams = Object.entries(run.streams);
  if (streams.length > 0) {
    const rows = streams.map(([stream, s]) => ({
      stream, records: s.records, new: s.inserted, updated: s.updated, requests: s.requests, time: formatDuration(s.durationMs), status: s.status,
    }));
    out.push(...formatTable(rows).split('\n').map((l) => `  ${l}`));
    out.push(...wrapLine(`  ${tablesLine(streams)}`, width, 4));
  }
  process.stdout.write(out.join('\n') + '\n');

  // Each warning once, naming every stream that gave it; lines continue under the text after
  // the `  ! ` or `  ✘ ` mark.
  const notes = runNotes(run);
  const streamErrors = streams.map(([stream, s]) => `${stream}: ${s.error}`);
  if (run.error && !streamErrors.includes(run.error)) notes.push(`  ✘ ${run.error}`);
  for (const note of notes) process.stdout.write(wrapLine(note, width, 4).join('\n') + '\n');
}

/**
 * Where a run's tables are, in one line: a name with `<stream>` in it for the streams whose
 * tables follow it (`"raw"."gleap__<stream>"`), then each other stream's table by name.
 */
function tablesLine(streams: [string, { table: string }][]): string {
  if (streams.length === 1) return `table: ${streams[0]![1].table}`;
  const shapeOf = (stream: string, table: string) => {
    const at = table.lastIndexOf(stream);
    return at < 0 ? table : `${table.slice(0, at)}<stream>${table.slice(at + stream.length)}`;
  };
  const byShape = new Map<string, string[]>();
  for (const [stream, { table }] of streams) {
    const shape = shapeOf(stream, table);
    byShape.set(shape, [...(byShape.get(shape) ?? []), stream]);
  }
  const [shape, following] = [...byShape].reduce((a, b) => (b[1].length > a[1].length ? b : a));
  if (following.length < 2) return `tables: ${streams.map(([stream, { table }]) => `${stream} in ${table}`).join(', ')}`;
  const others = streams.filter(([stream]) => !following.includes(stream)).map(([stream, { table }]) => `, ${stream} in ${table}`);
  return `tables: ${shape}${others.join('')}`;
}
