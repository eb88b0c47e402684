/**
 * Parses the `--rate-limit` flag: `N/PERIOD` where PERIOD is a number with an optional
 * unit (`ms`, `s`, `m`, `h`; seconds when omitted): `1000/60s`, `100/6s`, `10/1`,
 * `600/1m`. `off` (or `none`, `0`) disables limiting and returns null.
 */
import { ConfigError } from '../../src/core/errors.ts';
import type { RateLimit } from './rate-limiter.ts';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function parseRateLimit(text: string, flag = '--rate-limit'): RateLimit | null {
  const value = text.trim().toLowerCase();
  if (value === 'off' || value === 'none' || value === '0') return null;
  const m = /^(\d+)\s*\/\s*(\d+(?:\.\d+)?)?\s*(ms|s|m|h)?$/.exec(value);
  if (!m || (m[2] === undefined && m[3] === undefined)) {
    throw new ConfigError(flag, `expected N/PERIOD such as "1000/60s", "100/6s" or "off", got "${text}"`);
  }
  const requests = Number(m[1]);
  const perMs = Number(m[2] ?? '1') * UNIT_MS[m[3] ?? 's'];
  if (requests <= 0 || !(perMs > 0)) {
    throw new ConfigError(flag, `requests and period must be positive (or "off" for no limit), got "${text}"`);
  }
  return { requests, perMs };
}
