import { Command } from 'commander';
import { redactError } from '../../core/redact.ts';
import { checkDestinations } from '../../destinations/check-destinations.ts';
import { cliLogger, pickSources, requireConfig, type CommonOptions } from '../context.ts';
import { printJson } from '../output.ts';

export function checkCommand(): Command {
  return new Command('check')
    .description('test credentials and reachability of each source and destination; says which setting is wrong')
    .requiredOption('--config <file>', 'config file (YAML)')
    .option('--source <name>', 'only this source')
    .option('--json', 'print results as JSON')
    .action(async (opts: CommonOptions) => {
      const loaded = requireConfig(opts);
      const log = cliLogger(opts);
      const results = [];
      for (const { entry, source, config } of pickSources(loaded, opts.source)) {
        try {
          const res = await source.check(config, { log, signal: AbortSignal.timeout(60_000), countRequest: () => {} });
          results.push({ name: entry.name, type: entry.type, ok: true, details: res.details });
        } catch (err) {
          results.push({ name: entry.name, type: entry.type, ok: false, error: redactError(err) });
        }
      }
      if (!opts.source) {
        for (const d of await checkDestinations(loaded.destinations, { log })) {
          results.push(d.ok ? { name: d.name, type: d.type, ok: true, details: d.details ?? [] } : { name: d.name, type: d.type, ok: false, error: d.error });
        }
      }
      if (opts.json) printJson(results);
      else for (const r of results) {
        process.stdout.write(r.ok ? `✔ ${r.name} (${r.type})\n${r.details!.map((d) => `    ${d}\n`).join('')}` : `✘ ${r.name} (${r.type}): ${r.error}\n`);
      }
      process.exitCode = results.every((r) => r.ok) ? 0 : 1;
    });
}
