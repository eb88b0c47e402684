import { Command } from 'commander';
import { UsageError } from '../../core/errors.ts';
import { parseEmulatorFlags, type EmulatorFlagValues } from '../../../emulators/shared/parse-emulator-flags.ts';

type EmulateOptions = EmulatorFlagValues & {
  apiKey?: string; project?: string; secretToken?: string;
  email?: string; token?: string; schedule?: string; completeAfterMs?: string; bigFileBytes?: string;
};

/** Starts a vendor emulator in this process; the first stdout line is the contract. */
async function start(vendor: string, opts: EmulateOptions): Promise<{ url: string; close(): Promise<void> }> {
  if (vendor === 'gleap') {
    const common = parseEmulatorFlags(opts);
    const { startGleapEmulator } = await import('../../../emulators/gleap/gleap-emulator.ts');
    return startGleapEmulator({ ...common, apiKey: opts.apiKey, project: opts.project, secretToken: opts.secretToken });
  }
  if (vendor === 'gladly') {
    // Gladly has its own flag parser: fractional scales and Gladly-specific fault names.
    const { startGladlyEmulator, parseGladlyFlags } = await import('../../../emulators/gladly/index.ts');
    return startGladlyEmulator(parseGladlyFlags(opts));
  }
  throw new UsageError(`unknown emulator "${vendor}"; expected gleap or gladly`);
}

export function emulateCommand(): Command {
  return new Command('emulate')
    .description('run a vendor API emulator (for tests, benchmarks and trying supportsync without an account)')
    .argument('<vendor>', 'gleap or gladly')
    .option('--port <n>', 'port to listen on (0 = any free port)', '0')
    .option('--seed <n>', 'data seed: the same seed, scale and --now give the same data (gleap without --now: the same all day, UTC)')
    .option('--scale <n>', 'data size (gleap: number of tickets; gladly: volume per job hour)')
    .option('--rate-limit <n/period>', 'e.g. 1000/60s, 100/6s, or off')
    .option('--faults <spec>', 'fault injection, e.g. \'{"status500":0.05,"latencyMs":50}\'')
    .option('--now <instant>', 'emulated "now", an ISO 8601 instant such as 2026-01-01T00:00:00Z: gleap data ends and the clock starts there (default: data ends at the start of today, UTC; clock = real time); gladly time starts there (default: real time)')
    .option('--api-key <key>', 'gleap: accepted API key (default test-api-key)')
    .option('--project <id>', 'gleap: accepted project id (default test-project)')
    .option('--secret-token <token>', 'gleap: accepted /admin token (default test-secret-token)')
    .option('--email <email>', 'gladly: accepted agent email (default agent@example.com)')
    .option('--token <token>', 'gladly: accepted API token (default test-token)')
    .option('--schedule <hourly|daily>', 'gladly: export schedule (default hourly)')
    .option('--complete-after-ms <ms>', 'gladly: how long each job stays PENDING, then IN_PROGRESS (default 300000)')
    .option('--big-file-bytes <n>', 'gladly: make the newest job\'s conversation_items.jsonl about this large')
    .action(async (vendor: string, opts: EmulateOptions) => {
      const emulator = await start(vendor, opts);
      process.stdout.write(`listening on ${emulator.url}\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await emulator.close();
    });
}
