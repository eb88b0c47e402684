import { Command } from 'commander';
import { sourceIndex, sourcesScope } from '../../config/load-config.ts';
import { describeError, SupportSyncError, sourceSettingPath } from '../../core/errors.ts';
import { checkDestinations } from '../../destinations/check-destinations.ts';
import { cliLogger, pickSources, requireConfig, type CommonOptions } from '../context.ts';
import { printJson } from '../output.ts';

/** One checked source or destination; `settings`: the settings a failure names, as paths in the config file. */
interface CheckLine {
  name: string;
  type: string;
  ok: boolean;
  details?: string[];
  error?: string;
  settings?: string[];
}

export function checkCommand(): Command {
  return new Command('check')
    .description('test credentials and reachability of each source and destination; says which setting is wrong')
    .requiredOption('--config <file>', 'config file (YAML)')
    .option('--source <name>', 'only this source')
    .option('--json', 'print results as JSON')
    .action(async (opts: CommonOptions) => {
      // Destinations are checked too, unless --source narrows the check to one source.
      const loaded = requireConfig(opts, { ...sourcesScope(opts.source), events: opts.source === undefined });
      const log = cliLogger(opts);
      const results: CheckLine[] = [];
      // A config of destinations only has no sources to check, and that is fine here.
      const sources = loaded.sources.length === 0 && loaded.destinations.length > 0 && !opts.source ? [] : pickSources(loaded, opts.source);
      for (const resolved of sources) {
        const { entry, source, config } = resolved;
        try {
          // Retry warnings name the source they come from, as they do in a sync.
          const res = await source.check(config, { log: log.child({ source: entry.name }), signal: AbortSignal.timeout(60_000), countRequest: () => {} });
          results.push({ name: entry.name, type: entry.type, ok: true, details: res.details });
        } catch (err) {
          // The source names bare settings (`apiKey`); here we know where they are in the file.
          const settingPath = sourceSettingPath(sourceIndex(loaded, resolved));
          const settings = err instanceof SupportSyncError ? err.settings.map(settingPath) : [];
          results.push({ name: entry.name, type: entry.type, ok: false, error: describeError(err, settingPath), ...(settings.length ? { settings } : {}) });
        }
      }
      if (!opts.source) {
        for (const d of await checkDestinations(loaded.destinations, { log })) {
          results.push(d.ok ? { name: d.name, type: d.type, ok: true, details: d.details ?? [] } : { name: d.name, type: d.type, ok: false, error: d.error });
        }
      }
      if (opts.json) printJson(results);
      else for (const r of results) {
        process.stdout.write(r.ok ? `✔ ${r.name} (${r.type})\n${(r.details ?? []).map((d) => `    ${d}\n`).join('')}` : `✘ ${r.name} (${r.type}): ${r.error}\n`);
      }
      process.exitCode = results.every((r) => r.ok) ? 0 : 1;
    });
}
