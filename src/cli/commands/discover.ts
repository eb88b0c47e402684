import { Command } from 'commander';
import { sourceIndex, sourcesScope } from '../../config/load-config.ts';
import { columnsJsonSchema } from '../../core/columns.ts';
import { planStreams } from '../../engine/stream-plan.ts';
import { EXTRA_COLUMN } from '../../engine/record-normalizer.ts';
import { quotedPlacementName } from '../../warehouse/placement.ts';
import { pickSources, requireConfig, type CommonOptions } from '../context.ts';
import { outputWidth, printJson, printTable, wrapLine } from '../output.ts';

export function discoverCommand(): Command {
  return new Command('discover')
    .description('list the streams of each source: columns, primary key, cursor, sync modes and target table')
    .requiredOption('--config <file>', 'config file (YAML)')
    .option('--source <name>', 'only this source')
    .option('--json', 'print as JSON (with a JSON Schema per stream)')
    .action(async (opts: CommonOptions) => {
      const loaded = requireConfig(opts, sourcesScope(opts.source));
      const out = pickSources(loaded, opts.source).map((resolved) => {
        const all = resolved.source.discover(resolved.config);
        const planned = new Map(planStreams(resolved.entry, all, { sourceIndex: sourceIndex(loaded, resolved) }).map((p) => [p.stream.name, p]));
        return {
          source: resolved.entry.name,
          type: resolved.entry.type,
          streams: all.map((s) => {
            const p = planned.get(s.name);
            return {
              name: s.name, description: s.description, selected: p !== undefined,
              table: p ? quotedPlacementName(p.placement) : null,
              syncType: p?.syncType ?? s.defaultSyncType, syncTypes: s.syncTypes,
              primaryKey: s.primaryKey, cursorField: s.cursorField ?? null,
              columns: { ...s.columns, [EXTRA_COLUMN]: 'json' },
              schema: columnsJsonSchema(s.columns),
            };
          }),
        };
      });
      if (opts.json) return printJson(opts.source ? out[0] : out);
      for (const src of out) {
        process.stdout.write(`\n${src.source} (${src.type})\n`);
        printTable(src.streams.map((s) => ({
          stream: s.name, selected: s.selected ? 'yes' : 'no', table: s.table ?? '', sync: s.syncType,
          modes: s.syncTypes.join('|'), key: s.primaryKey.join(','), cursor: s.cursorField ?? '', columns: Object.keys(s.columns).length,
        })));
        // Every column with its type, a stream per paragraph (the JSON Schemas are in --json).
        const width = outputWidth();
        for (const s of src.streams) {
          const columns = Object.entries(s.columns).map(([name, type]) => `${name} ${type}`).join(', ');
          process.stdout.write(`\n${wrapLine(`${s.name}: ${columns}`, width, 2).join('\n')}\n`);
        }
      }
    });
}
