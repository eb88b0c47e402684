/**
 * The `supportsync` command line. Each command lives in its own file under commands/ and
 * stays thin: parse, call the library, print. Exit codes: 0 success, 1 failed run,
 * 2 bad usage or bad config.
 */
import { Command, CommanderError } from 'commander';
import { ConfigError, SupportSyncError, UsageError } from '../core/errors.ts';
import { redactError } from '../core/redact.ts';
import { checkCommand } from './commands/check.ts';
import { demoCommand } from './commands/demo.ts';
import { discoverCommand } from './commands/discover.ts';
import { emulateCommand } from './commands/emulate.ts';
import { eventsCommand } from './commands/events.ts';
import { gleapCommand } from './commands/gleap.ts';
import { initCommand } from './commands/init.ts';
import { queryCommand } from './commands/query.ts';
import { runsCommand } from './commands/runs.ts';
import { serveCommand } from './commands/serve.ts';
import { statsCommand } from './commands/stats.ts';
import { syncCommand } from './commands/sync.ts';

export function buildProgram(): Command {
  const program = new Command('supportsync')
    .description('Move customer-support data in and out of Gleap and Gladly.')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const command of [initCommand(), checkCommand(), discoverCommand(), syncCommand(), runsCommand(), queryCommand(), serveCommand(), emulateCommand(), demoCommand(), eventsCommand(), statsCommand(), gleapCommand()]) {
    program.addCommand(command.exitOverride());
  }
  return program;
}

export async function main(argv: string[]): Promise<number> {
  process.exitCode = 0;
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return Number(process.exitCode ?? 0);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here with code 0; parse errors were printed by commander.
      return err.exitCode === 0 ? 0 : 2;
    }
    const message = redactError(err);
    if (err instanceof ConfigError || err instanceof UsageError) {
      process.stderr.write(`error: ${message}\n`);
      return 2;
    }
    process.stderr.write(`error: ${message}\n`);
    if (!(err instanceof SupportSyncError) && process.env.SUPPORTSYNC_DEBUG) console.error(err);
    return 1;
  }
}
