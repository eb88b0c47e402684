import { existsSync, writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { describeFsError } from '../../core/describe-fs-error.ts';
import { UsageError } from '../../core/errors.ts';
import { builtinSources } from '../../sources/registry.ts';

/** A complete, commented config for the chosen source types; every key explained once. */
export function exampleConfig(types: string[]): string {
  const sources = types.map((type) => {
    const source = builtinSources[type]!;
    const indented = source.exampleConfig.trimEnd().split('\n').map((l) => `      ${l}`).join('\n');
    const streams = source.discover();
    // A full sync of a source whose streams are INCREMENTAL only re-reads everything from scratch
    // (Gladly: every export job it still holds): possible, but not a sensible weekly default.
    const fullSync = streams.some((s) => s.syncTypes.includes('FULL_TABLE')) ? '' : '# ';
    const full = streams.find((s) => s.defaultSyncType === 'FULL_TABLE');
    const comment = (yaml: string, text: string) => `${yaml.padEnd(26)} # ${text}`;
    return `  - name: ${type}
    type: ${type}
    description: ${JSON.stringify(source.title)}  # optional, at most 140 characters
    config:
${indented}
    ${comment('layer: raw', 'the schema the tables land in')}
    ${comment(`folder: ${type}`, 'optional: tables are named <folder>__<prefix><table>')}
    ${comment('tablePrefix: ""', 'optional prefix for every table of this source')}
    ${comment('schedule: "0 * * * *"', 'cron for `supportsync serve`: every hour')}
    ${comment(`${fullSync}fullSyncSchedule: "0 3 * * 0"`, `optional additional full sync: Sundays 03:00${fullSync ? ' (re-reads every stream from scratch)' : ''}`)}
    ${comment('retention: 30d', 'keep old row versions this long (query them with <table>__as_of)')}
    ${comment('# streams:', 'names or globs; omitted = every stream with its default sync type (see `discover`)')}
    #   ${streams[0]!.name}: { syncType: ${streams[0]!.defaultSyncType}, table: ${streams[0]!.name} }${full ? `
    #   "${full.name.replace(/s$/, '')}*": { syncType: FULL_TABLE }` : ''}`;
  });
  return `# supportsync configuration. \${NAME} is replaced by the environment variable NAME
# (\${NAME:-default} gives a default). Check it with: supportsync check --config <this file>

warehouse:
  type: duckdb
  path: ./supportsync.duckdb   # relative to this file
  # memoryLimit: 1GB           # DuckDB's memory budget (default 64MB per thread + 64MB)
  # threads: 4                 # DuckDB's threads (default: one per core, less one while syncing)

sources:
${sources.join('\n\n')}
`;
}

export function initCommand(): Command {
  return new Command('init')
    .description('write a commented config file for the chosen source types')
    .option('--type <types>', `source types, comma-separated (${Object.keys(builtinSources).join(', ') || 'none yet'})`, Object.keys(builtinSources).join(','))
    .option('--out <file>', 'where to write it', 'supportsync.yaml')
    .option('--force', 'overwrite an existing file')
    .action((opts: { type: string; out: string; force?: boolean }) => {
      const types = opts.type.split(',').map((t) => t.trim()).filter(Boolean);
      const unknown = types.filter((t) => !builtinSources[t]);
      if (unknown.length || types.length === 0) {
        throw new UsageError(`--type: unknown source type "${unknown[0] ?? ''}"; expected one or more of ${Object.keys(builtinSources).join(', ')}`);
      }
      const twice = types.find((t, i) => types.indexOf(t) !== i);
      if (twice) {
        throw new UsageError(`--type lists ${twice} twice; expected each type once (for a second ${twice} account, copy its block in the file and give it another name and folder)`);
      }
      if (existsSync(opts.out) && !opts.force) throw new UsageError(`${opts.out} exists; use --force to overwrite it or --out to pick another file`);
      try {
        writeFileSync(opts.out, exampleConfig(types));
      } catch (err) {
        throw new UsageError(`--out: cannot write ${opts.out}: ${describeFsError(err)}; expected a file in an existing, writable folder`);
      }
      process.stdout.write(`wrote ${opts.out}: set the credentials, then run \`supportsync check --config ${opts.out}\`\n`);
    });
}
