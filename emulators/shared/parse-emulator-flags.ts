/**
 * The flags every `supportsync emulate <vendor>` command shares, from their command-line
 * strings to typed emulator options: `--port N`, `--seed N`, `--scale N`,
 * `--rate-limit N/PERIOD|off`, `--faults SPEC`, `--now INSTANT`. A bad value is a
 * ConfigError naming the flag (exit code 2). Vendor-specific flags (credentials) pass
 * through untouched.
 */
import { ConfigError } from '../../src/core/errors.ts';
import { parseIsoUtc } from '../../src/core/iso-time.ts';
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
  now?: string;
}

export interface EmulatorFlagOptions {
  port?: number;
  seed?: number;
  scale?: number;
  /** null = no limit (`--rate-limit off`); absent = the vendor's default. */
  rateLimit?: RateLimit | null;
  faults?: FaultSpec;
  /** The emulator's reference instant (`--now`); absent = the vendor's default. */
  now?: Date;
}

export function parseEmulatorFlags(flags: EmulatorFlagValues): EmulatorFlagOptions {
  const out: EmulatorFlagOptions = {};
  if (flags.port !== undefined) out.port = integer(flags.port, '--port', 0, 65535);
  if (flags.seed !== undefined) out.seed = integer(flags.seed, '--seed', 0, 0xffffffff);
  if (flags.scale !== undefined) out.scale = integer(flags.scale, '--scale', 1, 10_000_000);
  if (flags.rateLimit !== undefined) out.rateLimit = parseRateLimit(flags.rateLimit, '--rate-limit');
  if (flags.faults !== undefined) out.faults = parseFaultSpec(flags.faults, '--faults');
  if (flags.now !== undefined) out.now = parseInstant(flags.now, '--now');
  return out;
}

/** Parses an ISO 8601 instant with an explicit offset (see parseIsoUtc); a ConfigError naming `flag` otherwise. */
export function parseInstant(value: string, flag: string): Date {
  const ms = parseIsoUtc(value.trim());
  if (Number.isNaN(ms)) {
    throw new ConfigError(flag, `expected an ISO 8601 instant such as 2026-01-01T00:00:00Z (date, time, and Z or an offset like +02:00), got "${value}"`);
  }
  return new Date(Math.floor(ms));
}

function integer(value: string | number, flag: string, min: number, max: number): number {
  const n = typeof value === 'number' ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(flag, `expected an integer from ${min} to ${max}, got "${value}"`);
  }
  return n;
}
