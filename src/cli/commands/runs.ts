/**
 * `supportsync runs`: the history of sync runs, newest first. For people, one block per run:
 * a header line, a table of its streams, then its warnings and errors once each, all fitted to
 * the terminal's width. `--json` gives every detail (qualified table names, full texts).
 */
import { Command } from 'commander';
import { closestName } from '../../core/edit-distance.ts';
import { UsageError } from '../../core/errors.ts';
import type { RunRecord, Warehouse } from '../../warehouse/warehouse.ts';
import { openWarehouseToRead, type CommonOptions } from '../context.ts';
import { outputWidth, printJson } from '../output.ts';
import { printRunBlock } from '../render/run-block.ts';
import { runSummary } from './sync.ts';

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
      runs.forEach((run, i) => printRunBlock(run, width, i > 0));
    });
}

/** The runs asked for and, when a source has none, the sources that do have runs. */
async function readRuns(wh: Warehouse, opts: RunsOptions): Promise<{ runs: RunRecord[]; others: string[] }> {
  const runs = await wh.listRuns({ source: opts.source, limit: opts.limit });
  if (runs.length > 0 || opts.source === undefined) return { runs, others: [] };
  return { runs, others: [...new Set((await wh.listRuns()).map((r) => r.source))].sort() };
}
