/**
 * Gladly's request limit: about 10 requests per second per organization, whatever the
 * credentials, with `Ratelimit-Limit-Second` / `Ratelimit-Remaining-Second` headers. A
 * window opens with the first request after the previous one closed (not on clock
 * boundaries), so a burst is judged the same way however it is timed. `--rate-limit` is
 * parsed by emulators/shared, so both emulators accept the same syntax.
 */
import { performance } from 'node:perf_hooks';
import type { RateLimit } from '../shared/rate-limiter.ts';

export type { RateLimit };
export { parseRateLimit } from '../shared/parse-rate-limit.ts';

export const DEFAULT_RATE_LIMIT: RateLimit = { requests: 10, perMs: 1000 };

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
}

/** `false` or `null` disables limiting. */
export function createRateLimiter(limit: RateLimit | false | null, now: () => number = () => performance.now()): () => RateDecision {
  let windowStart = -Infinity;
  let used = 0;
  return () => {
    if (!limit) return { allowed: true, limit: Infinity, remaining: Infinity };
    const t = now();
    if (t - windowStart >= limit.perMs) {
      windowStart = t;
      used = 0;
    }
    if (used >= limit.requests) return { allowed: false, limit: limit.requests, remaining: 0 };
    used++;
    return { allowed: true, limit: limit.requests, remaining: limit.requests - used };
  };
}
