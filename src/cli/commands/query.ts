import { Command } from 'commander';
import { UsageError } from '../../core/errors.ts';
import { openWarehouseToRead } from '../context.ts';
import { formatCsv, printJson, printTable } from '../output.ts';

export function queryCommand(): Command {
  return new Command('query')
    .description('run SQL against the warehouse (tables: see `discover`; the past: <table>__as_of(TIMESTAMP))')
    .argument('<sql>', 'the SQL to run, e.g. "select status, count(*) from raw.gleap__tickets group by 1"')
    .option('--config <file>', 'config file (YAML): use its warehouse')
    .option('--warehouse <path>', 'a DuckDB file, instead of --config')
    .option('--json', 'print rows as a JSON array')
    .option('--csv', 'print rows as CSV')
    .action(async (sql: string, opts: { config?: string; warehouse?: string; json?: boolean; csv?: boolean }) => {
      if (opts.json && opts.csv) throw new UsageError('--json and --csv are exclusive; choose one');
      if (sql.trim() === '') throw new UsageError('the SQL is empty; expected a statement, e.g. "select count(*) from raw.gleap__tickets"');
      const wh = await openWarehouseToRead(opts);
      try {
        const result = await wh.query(sql);
        if (opts.json) printJson(result.rows);
        else if (opts.csv) process.stdout.write(formatCsv(result.rows, result.columns));
        else {
          printTable(result.rows, result.columns);
          process.stdout.write(`(${result.rows.length} row${result.rows.length === 1 ? '' : 's'})\n`);
        }
      } finally {
        await wh.close();
      }
    });
}
