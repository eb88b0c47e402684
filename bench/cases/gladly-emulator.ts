/**
 * The Gladly emulator as a process of its own, for the Gladly benchmarks: its memory and
 * CPU must not count against the process that syncs. Options as one JSON argument
 * (`startGladlyEmulator` options); prints `listening on <apiBase> <bigFileJobId>` and runs
 * until SIGTERM.
 */
import { startGladlyEmulator, type GladlyEmulatorOptions } from '../../emulators/gladly/index.ts';

const options = JSON.parse(process.argv[2] ?? '{}') as GladlyEmulatorOptions;
const emulator = await startGladlyEmulator(options);
process.stdout.write(`listening on ${emulator.apiBase} ${emulator.bigFileJobId ?? '-'}\n`);
await new Promise<void>((resolve) => process.once('SIGTERM', () => resolve()));
await emulator.close();
