/**
 * `supportsync emulate gladly` flags, from command-line strings to emulator options. The
 * common ones (`--port`, `--seed`, `--rate-limit`, `--now`) go through emulators/shared;
 * `--scale` may be fractional here, and `--faults` takes the Gladly fault names too. A bad value is
 * a ConfigError naming the flag (exit code 2).
 */
import { ConfigError } from '../../src/core/errors.ts';
import { parseEmulatorFlags } from '../shared/parse-emulator-flags.ts';
import { parseFaults } from './faults.ts';
import type { GladlyEmulatorOptions } from './start-gladly-emulator.ts';

export interface GladlyFlagValues {
  port?: string | number;
  seed?: string | number;
  scale?: string | number;
  rateLimit?: string;
  faults?: string;
  now?: string;
  email?: string;
  token?: string;
  schedule?: string;
  completeAfterMs?: string | number;
  bigFileBytes?: string | number;
}

export function parseGladlyFlags(flags: GladlyFlagValues): GladlyEmulatorOptions {
  const common = parseEmulatorFlags({ port: flags.port, seed: flags.seed, rateLimit: flags.rateLimit, now: flags.now });
  const out: GladlyEmulatorOptions = {};
  if (common.port !== undefined) out.port = common.port;
  if (common.seed !== undefined) out.seed = common.seed;
  if (common.rateLimit !== undefined) out.rateLimit = common.rateLimit;
  if (common.now !== undefined) out.now = common.now;
  if (flags.scale !== undefined) out.scale = positive(flags.scale, '--scale');
  if (flags.faults !== undefined) out.faults = parseFaults(flags.faults, '--faults');
  if (flags.email !== undefined) out.email = flags.email;
  if (flags.token !== undefined) out.token = flags.token;
  if (flags.schedule !== undefined) {
    const s = flags.schedule.trim().toLowerCase();
    if (s !== 'hourly' && s !== 'daily') throw new ConfigError('--schedule', `expected hourly or daily, got "${flags.schedule}"`);
    out.schedule = s;
  }
  if (flags.completeAfterMs !== undefined) out.completeAfterMs = positive(flags.completeAfterMs, '--complete-after-ms');
  if (flags.bigFileBytes !== undefined) out.bigFileBytes = positive(flags.bigFileBytes, '--big-file-bytes');
  return out;
}

function positive(value: string | number, flag: string): number {
  const n = typeof value === 'number' ? value : value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new ConfigError(flag, `expected a positive number, got "${value}"`);
  return n;
}
