/**
 * The flags every `supportsync emulate <vendor>` command shares, from their command-line
 * strings to typed emulator options: `--port N`, `--seed N`, `--scale N`,
 * `--rate-limit N/PERIOD|off`, `--faults SPEC`. A bad value is a ConfigError naming the
 * flag (exit code 2). Vendor-specific flags (credentials) pass through untouched.
 */
import { ConfigError } from '../../src/core/errors.ts';
import { parseFaultSpec } from './faults.ts';
import type { FaultSpec } from './faults.ts';
import { parseRateLimit } from './parse-rate-limit.ts';
import type { RateLimit } from './rate-limiter.ts';

export interface EmulatorFlagValues {
  port?: string | number;
  seed?: string | number;
  scale?: string | number;
  rateLimit?: string;
  faults?: string;
}

export interface EmulatorFlagOptions {
  port?: number;
  seed?: number;
  scale?: number;
  /** null = no limit (`--rate-limit off`); absent = the vendor's default. */
  rateLimit?: RateLimit | null;
  faults?: FaultSpec;
}

export function parseEmulatorFlags(flags: EmulatorFlagValues): EmulatorFlagOptions {
  const out: EmulatorFlagOptions = {};
  if (flags.port !== undefined) out.port = integer(flags.port, '--port', 0, 65535);
  if (flags.seed !== undefined) out.seed = integer(flags.seed, '--seed', 0, 0xffffffff);
  if (flags.scale !== undefined) out.scale = integer(flags.scale, '--scale', 1, 10_000_000);
  if (flags.rateLimit !== undefined) out.rateLimit = parseRateLimit(flags.rateLimit, '--rate-limit');
  if (flags.faults !== undefined) out.faults = parseFaultSpec(flags.faults, '--faults');
  return out;
}

function integer(value: string | number, flag: string, min: number, max: number): number {
  const n = typeof value === 'number' ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(flag, `expected an integer from ${min} to ${max}, got "${value}"`);
  }
  return n;
}
